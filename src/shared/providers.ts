/**
 * Execution-provider fallbacks in plain words. onnxruntime's own reasons
 * ("OrtSessionOptionsAppendExecutionProvider_Cuda: Failed to load shared library") mean something
 * to a developer only; the screens say what happened and what to do, and keep the raw reason for
 * whoever asks for it.
 */
export interface ExplainedFallback {
  /** One sentence a dealer can act on. */
  summary: string;
  /** onnxruntime's words, unchanged. */
  detail: string;
}

const NAMES: Record<string, string> = { cuda: 'CUDA (NVIDIA GPU)', dml: 'DirectML (GPU)', webgpu: 'WebGPU', cpu: 'the CPU' };
const MISSING_LIBRARY = /failed to load shared library|cannot open shared object|libcu(?:da|dart|blas|dnn)|\.so(?:\.\d+)*\b|\.dll\b|not found|no such file/i;
const NO_DEVICE = /no (?:cuda-capable )?device|no adapter|device not found|cudaErrorNoDevice|driver/i;

export function explainFallback(provider: string, reason: string): ExplainedFallback {
  const name = NAMES[provider] ?? provider.toUpperCase();
  let summary: string;
  if (provider === 'cuda' && MISSING_LIBRARY.test(reason))
    summary =
      'Using the CPU: the NVIDIA GPU libraries are not installed on this computer (the suggestions are the same, only slower; for an NVIDIA card see the README, “Execution providers (CUDA)”).';
  else if (NO_DEVICE.test(reason)) summary = `${name} found no usable graphics card or driver; using the CPU.`;
  else if (MISSING_LIBRARY.test(reason)) summary = `${name} is not installed on this computer; using the CPU.`;
  else summary = `${name} could not be used; using the CPU.`;
  return { summary, detail: reason };
}
