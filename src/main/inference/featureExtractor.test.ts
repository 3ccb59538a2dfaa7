/**
 * The feature model in its worker thread: the same features as a session on the calling thread,
 * an event loop that keeps running while a batch is in the model, and clear errors.
 */
import { symlinkSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POSTERS, posterFiles, tempDir } from '../../../tests/helpers';
import { decodeForModel } from '../media/media';
import { FeatureExtractor } from './featureExtractor';
import { FEATURE_MODEL_FILE, FEATURE_MODEL_INT8_FILE, modelsDir } from './modelFiles';
import { cpuFeaturePrecision, createSession, ort } from './session';

const PIXELS = 224 * 224 * 3;
/** Deterministic, varied inputs: a gradient shifted per image. */
const inputs = Array.from({ length: 8 }, (_, k) => Uint8Array.from({ length: PIXELS }, (_, i) => (i * (k + 3) + k * 17) % 256));

let extractor: FeatureExtractor;
beforeAll(async () => {
  extractor = await FeatureExtractor.open({ providers: ['cpu'] });
});
afterAll(async () => {
  await extractor.close();
});

describe('feature extractor (worker thread)', () => {
  it('gives the features a session on this thread gives, in input order', async () => {
    const file = extractor.precision.precision === 'int8' ? FEATURE_MODEL_INT8_FILE : FEATURE_MODEL_FILE;
    const { session } = await createSession(join(modelsDir(), file), 'feature model', { providers: ['cpu'] });
    const direct = (await session.run({ pixels: new ort.Tensor('uint8', Uint8Array.from(inputs.flatMap((x) => [...x])), [8, 224, 224, 3]) })).features
      ?.data as Float32Array;
    await session.release();
    const viaWorker = await extractor.extract(inputs);
    expect(viaWorker).toHaveLength(8);
    viaWorker.forEach((f, k) => {
      expect(f).toHaveLength(2048);
      let maxDiff = 0;
      for (let j = 0; j < 2048; j++) maxDiff = Math.max(maxDiff, Math.abs((f[j] as number) - (direct[k * 2048 + j] as number)));
      expect(maxDiff).toBeLessThan(1e-4);
    });
    // Different inputs, different features: the order is not scrambled.
    expect(viaWorker[0]?.[0]).not.toBe(viaWorker[1]?.[0]);
  });

  it('leaves the event loop free while a batch is in the model', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 2);
    await extractor.extract(inputs);
    clearInterval(timer);
    // On the calling thread the run would block the loop throughout and no tick would fire until it ended.
    expect(ticks).toBeGreaterThan(3);
  });

  it('runs the model the session factory chose for this CPU, and fp32 when asked', async () => {
    const expected = cpuFeaturePrecision();
    expect(extractor.precision).toEqual(expected);
    const fp32 = await FeatureExtractor.open({ providers: ['cpu'], precision: 'fp32' });
    // Real posters: the int8 ranges were calibrated on posters, not on synthetic gradients.
    const real = await Promise.all(posterFiles().map(async (f) => decodeForModel(await readFile(join(POSTERS, f)), 'crop')));
    const [a, b] = [await fp32.extract(real), await extractor.extract(real)];
    await fp32.close();
    expect(fp32.precision.precision).toBe('fp32');
    // int8 features differ from fp32 ones by rounding only: same direction, to within a few thousandths.
    a.forEach((f, k) => {
      const g = b[k] as Float32Array;
      let [dot, na, nb] = [0, 0, 0];
      f.forEach((v, j) => {
        dot += v * (g[j] as number);
        na += v * v;
        nb += (g[j] as number) ** 2;
      });
      expect(dot / Math.sqrt(na * nb)).toBeGreaterThan(expected.precision === 'int8' ? 0.99 : 0.99999);
    });
  });

  it('falls back to the fp32 model, saying why, when the int8 file is missing', async () => {
    const dir = tempDir();
    symlinkSync(join(modelsDir(), FEATURE_MODEL_FILE), join(dir, FEATURE_MODEL_FILE));
    const before = process.env.POSTER_CATALOGUE_MODELS;
    process.env.POSTER_CATALOGUE_MODELS = dir;
    try {
      const fallback = await FeatureExtractor.open({ providers: ['cpu'], precision: 'int8' });
      await fallback.close();
      expect(fallback.precision).toEqual({ precision: 'fp32', reason: expect.stringMatching(/int8 model .* is missing \(npm run build:models builds it\)/) });
    } finally {
      if (before === undefined) delete process.env.POSTER_CATALOGUE_MODELS;
      else process.env.POSTER_CATALOGUE_MODELS = before;
    }
  });

  it('names a wrong-sized input, and fails clearly once closed', async () => {
    await expect(extractor.extract([new Uint8Array(10)])).rejects.toThrow(/model input 0 has 10 bytes, expected 150528/);
    const other = await FeatureExtractor.open({ providers: ['cpu'] });
    await other.close();
    await expect(other.extract(inputs.slice(0, 1))).rejects.toThrow(/feature model's worker has stopped/);
  });
});
