import { describe, expect, it } from 'vitest';
import { DataType, serializeModel } from '../onnx/onnxBuilder';
import { cpuFeaturePrecision, createSession, int8DotProduct, intraOpThreads, ort, preferredProviders } from './session';

describe('execution providers', () => {
  it('prefers CUDA on Linux and DirectML on Windows, CPU last; the environment can force one', () => {
    expect(preferredProviders('linux', undefined)).toEqual(['cuda', 'cpu']);
    expect(preferredProviders('win32', undefined)).toEqual(['dml', 'cpu']);
    expect(preferredProviders('darwin', undefined)).toEqual(['cpu']);
    expect(preferredProviders('linux', 'CPU')).toEqual(['cpu']);
    expect(preferredProviders('linux', 'webgpu')).toEqual(['webgpu', 'cpu']);
    expect(() => preferredProviders('linux', 'tpu')).toThrow(/POSTER_CATALOGUE_EP=tpu is not one of cuda, dml, webgpu, cpu, cpu-fp32, cpu-int8/);
    expect(preferredProviders('linux', 'cpu-fp32')).toEqual(['cpu']);
    expect(preferredProviders('win32', 'CPU-INT8')).toEqual(['cpu']);
  });

  it('finds the int8 dot-product instructions in /proc/cpuinfo, and none on CPUs without them', () => {
    const x86 = (flags: string) => `processor\t: 0\nvendor_id\t: AuthenticAMD\nflags\t\t: fpu sse2 ${flags}\n\n`;
    expect(int8DotProduct('linux', 'x64', x86('avx2 avx512f avx512_vnni avx_vnni'))).toBe('AVX-512 VNNI');
    expect(int8DotProduct('linux', 'x64', x86('avx2 avx_vnni'))).toBe('AVX-VNNI');
    expect(int8DotProduct('linux', 'x64', x86('avx2 avx512f avx512bw'))).toBeNull();
    expect(int8DotProduct('linux', 'arm64', 'processor\t: 0\nFeatures\t: fp asimd evtstrm aes asimddp\n')).toBe('Arm dot product');
    expect(int8DotProduct('darwin', 'arm64', null)).toMatch(/Apple silicon/);
    expect(int8DotProduct('win32', 'x64', null)).toBeNull();
  });

  it('runs the feature model in int8 on such CPUs, fp32 elsewhere, and lets the environment force either', () => {
    expect(cpuFeaturePrecision(undefined, 'AVX-512 VNNI')).toEqual({ precision: 'int8', reason: 'the CPU has AVX-512 VNNI' });
    expect(cpuFeaturePrecision(undefined, null)).toMatchObject({ precision: 'fp32', reason: expect.stringMatching(/no int8 dot-product/) });
    expect(cpuFeaturePrecision('cpu-fp32', 'AVX-512 VNNI')).toEqual({ precision: 'fp32', reason: 'forced by POSTER_CATALOGUE_EP=cpu-fp32' });
    expect(cpuFeaturePrecision('cpu-int8', null)).toMatchObject({ precision: 'int8' });
    expect(cpuFeaturePrecision('cpu', 'AVX-512 VNNI').precision).toBe('int8');
  });

  it('uses every core on small machines and leaves one for decoding on larger ones', () => {
    expect(intraOpThreads(2)).toBe(2);
    expect(intraOpThreads(16)).toBe(15);
  });

  it('falls back to the next provider with the reason recorded', async () => {
    const model = serializeModel({
      graphName: 'identity',
      nodes: [{ op: 'Identity', inputs: ['x'], outputs: ['y'] }],
      initializers: [],
      inputs: [{ name: 'x', dataType: DataType.FLOAT, shape: [1] }],
      outputs: [{ name: 'y', dataType: DataType.FLOAT, shape: [1] }],
    });
    // DirectML exists only in Windows builds of onnxruntime: elsewhere it must fall back to CPU.
    const { session, report } = await createSession(model, 'test model', { providers: process.platform === 'win32' ? ['cpu'] : ['dml', 'cpu'] });
    expect(report.provider).toBe('cpu');
    if (process.platform !== 'win32') expect(report.fallbacks).toEqual([{ provider: 'dml', reason: expect.any(String) }]);
    const out = await session.run({ x: new ort.Tensor('float32', Float32Array.from([3]), [1]) });
    expect(out.y?.data[0]).toBe(3);
  });

  it('names the model and the reason when nothing can load it', async () => {
    await expect(createSession(new Uint8Array([1, 2, 3]), 'genre model v9', { providers: ['cpu'] })).rejects.toThrow(/The genre model v9 cannot be loaded: /);
  });
});
