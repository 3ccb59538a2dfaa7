/**
 * The feature model in its worker thread: the same features as a session on the calling thread,
 * an event loop that keeps running while a batch is in the model, and clear errors.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeatureExtractor } from './featureExtractor';
import { FEATURE_MODEL_FILE, modelsDir } from './modelFiles';
import { createSession, ort } from './session';

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
    const { session } = await createSession(join(modelsDir(), FEATURE_MODEL_FILE), 'feature model', { providers: ['cpu'] });
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

  it('names a wrong-sized input, and fails clearly once closed', async () => {
    await expect(extractor.extract([new Uint8Array(10)])).rejects.toThrow(/model input 0 has 10 bytes, expected 150528/);
    const other = await FeatureExtractor.open({ providers: ['cpu'] });
    await other.close();
    await expect(other.extract(inputs.slice(0, 1))).rejects.toThrow(/feature model's worker has stopped/);
  });
});
