import { describe, expect, it } from 'vitest';
import { explainFallback } from './providers';

describe('explainFallback', () => {
  it('says in plain words what a provider failure means and what to do, keeping the raw reason', () => {
    const raw = 'OrtSessionOptionsAppendExecutionProvider_Cuda: Failed to load shared library';
    expect(explainFallback('cuda', raw)).toEqual({
      summary:
        'Using the CPU: the NVIDIA GPU libraries are not installed on this computer (the suggestions are the same, only slower; for an NVIDIA card see the README, “Execution providers (CUDA)”).',
      detail: raw,
    });
    expect(explainFallback('cuda', 'libcublasLt.so.12: cannot open shared object file').summary).toMatch(
      /^Using the CPU: the NVIDIA GPU libraries are not installed/,
    );
    expect(explainFallback('cuda', 'CUDA failure 100: no CUDA-capable device is detected').summary).toBe(
      'CUDA (NVIDIA GPU) found no usable graphics card or driver; using the CPU.',
    );
    expect(explainFallback('dml', 'DirectML.dll not found').summary).toBe('DirectML (GPU) is not installed on this computer; using the CPU.');
    expect(explainFallback('webgpu', 'something odd').summary).toBe('WebGPU could not be used; using the CPU.');
  });
});
