import { describe, expect, it } from 'vitest';
import { explainFallback } from './providers';

describe('explainFallback', () => {
  it('says in plain words what a provider failure means and what to do, keeping the raw reason', () => {
    const raw = 'OrtSessionOptionsAppendExecutionProvider_Cuda: Failed to load shared library';
    expect(explainFallback('cuda', raw)).toEqual({ summary: 'CUDA libraries are not installed; using the CPU. See README: npm run install:cuda', detail: raw });
    expect(explainFallback('cuda', 'libcublasLt.so.12: cannot open shared object file').summary).toMatch(/^CUDA libraries are not installed/);
    expect(explainFallback('cuda', 'CUDA failure 100: no CUDA-capable device is detected').summary).toBe(
      'CUDA (NVIDIA GPU) found no usable graphics card or driver; using the CPU.',
    );
    expect(explainFallback('dml', 'DirectML.dll not found').summary).toBe('DirectML (GPU) is not installed on this computer; using the CPU.');
    expect(explainFallback('webgpu', 'something odd').summary).toBe('WebGPU could not be used; using the CPU.');
  });
});
