import { describe, expect, it } from 'vitest';
import { DataType, serializeModel } from '../onnx/onnxBuilder';
import { createSession, intraOpThreads, ort, preferredProviders } from './session';

describe('execution providers', () => {
  it('prefers CUDA on Linux and DirectML on Windows, CPU last; the environment can force one', () => {
    expect(preferredProviders('linux', undefined)).toEqual(['cuda', 'cpu']);
    expect(preferredProviders('win32', undefined)).toEqual(['dml', 'cpu']);
    expect(preferredProviders('darwin', undefined)).toEqual(['cpu']);
    expect(preferredProviders('linux', 'CPU')).toEqual(['cpu']);
    expect(preferredProviders('linux', 'webgpu')).toEqual(['webgpu', 'cpu']);
    expect(() => preferredProviders('linux', 'tpu')).toThrow(/POSTER_CATALOGUE_EP=tpu is not one of cuda, dml, webgpu, cpu/);
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
