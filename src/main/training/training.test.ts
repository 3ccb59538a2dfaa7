import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../../tests/helpers';
import { canonicalGenre, filmKey, stableFraction } from './dataset';
import { Gemm } from './gemm';
import { GenreHead, readHeadInfo } from '../inference/genreHead';
import { headToOnnx } from './headModel';
import { calibrateThresholds, evaluate } from './metrics';
import { DEFAULT_HEAD_PARAMS, predictHead, seededRandom, trainHead, type TrainingSet } from './trainHead';

let gemm: Gemm;
beforeAll(async () => {
  gemm = await Gemm.open(1);
});
afterAll(async () => gemm.close());

/** Features whose first dimensions carry the genres, plus noise; genre 2 is unknown for half the rows. */
function synthetic(n: number, dim: number, seed: number): TrainingSet {
  const random = seededRandom(seed);
  const genres = ['A', 'B', 'C', 'Never'];
  const features = new Float32Array(n * dim);
  const labels = new Uint8Array(n * genres.length);
  const known = new Uint8Array(n * genres.length).fill(1);
  for (let i = 0; i < n; i++) {
    for (let d = 0; d < dim; d++) features[i * dim + d] = random() * 0.5;
    for (let j = 0; j < 3; j++) {
      const has = random() < (j === 0 ? 0.5 : 0.2) ? 1 : 0;
      labels[i * 4 + j] = has;
      if (has) features[i * dim + j] = (features[i * dim + j] as number) + 1.5;
    }
    if (i % 2) known[i * 4 + 2] = 0;
    labels[i * 4 + 3] = 0; // no positives at all: must never be suggested
  }
  return { features, dim, genres, labels, known };
}

describe('gemm', () => {
  it('multiplies, with either operand transposed', async () => {
    const a = Float32Array.from([1, 2, 3, 4, 5, 6]); // 2×3
    const b = Float32Array.from([1, 0, 0, 1, 1, 1]); // 3×2
    expect([...(await gemm.mul(a, 2, 3, b, 2))]).toEqual([4, 5, 10, 11]);
    expect([...(await gemm.mulTN(a, 2, 3, Float32Array.from([1, 1]), 1))]).toEqual([5, 7, 9]);
    expect([...(await gemm.mulNT(a, 2, 3, Float32Array.from([1, 1, 1]), 1))]).toEqual([6, 15]);
  });
});

describe('trainHead', () => {
  it.each([0, 16])('learns a separable multi-label problem (hidden %i), deterministically', async (hidden) => {
    const train = synthetic(600, 24, 1);
    const test = synthetic(300, 24, 2);
    const params = { ...DEFAULT_HEAD_PARAMS, hidden, epochs: 30, batchSize: 64, learningRate: hidden ? 3e-3 : 2e-2, dropout: hidden ? 0.2 : 0 };
    const head = await trainHead(train, params, gemm);
    expect(head.trained).toEqual([true, true, true, false]);
    const probs = await predictHead(head, test.features, gemm);
    const scored = { genres: test.genres, probs, labels: test.labels, known: test.known };
    const rows = Array.from({ length: 300 }, (_, i) => i);
    const thresholds = calibrateThresholds(scored, rows, head.trained);
    expect(thresholds[3]).toBe(Number.POSITIVE_INFINITY);
    const metrics = evaluate(scored, thresholds);
    expect(metrics.microF1).toBeGreaterThan(0.9);
    expect(metrics.top3HitRate).toBeGreaterThan(0.95);
    const again = await trainHead(train, params, gemm);
    expect(again.w2).toEqual(head.w2);
  });

  it.each([0, 8])('trains an ensemble (hidden %i) as one head whose logits are the members’ mean', async (hidden) => {
    const train = synthetic(200, 24, 4);
    const params = { ...DEFAULT_HEAD_PARAMS, hidden, epochs: 2, batchSize: 50, seed: 7 };
    const merged = await trainHead(train, { ...params, members: 3 }, gemm);
    expect(merged.hidden).toBe(hidden * 3);
    const members = [];
    for (let k = 0; k < 3; k++) members.push(await trainHead(train, { ...params, members: 1, seed: 7 + k }, gemm));
    const probs = await predictHead(merged, train.features, gemm);
    const each = await Promise.all(members.map((m) => predictHead(m, train.features, gemm)));
    const logit = (p: number) => Math.log(p / (1 - p));
    probs.forEach((p, i) => expect(logit(p)).toBeCloseTo(each.reduce((s, m) => s + logit(m[i] as number), 0) / 3, 3));
    // The members differ (different seeds), so the ensemble is not one head repeated.
    expect(each[0]?.[0]).not.toBeCloseTo(each[1]?.[0] as number, 4);
    await expect(trainHead(train, { ...params, members: 2 }, gemm, undefined, { ...merged, pull: 0.01 })).rejects.toThrow(/members must be 1/);
  });

  it('exports an ONNX head that computes what the trainer learned, with its metadata inside', async () => {
    const train = synthetic(200, 24, 3);
    const head = await trainHead(train, { ...DEFAULT_HEAD_PARAMS, hidden: 8, epochs: 3, batchSize: 50 }, gemm);
    const info = { version: 'test-1', featureModel: 'fm', genres: train.genres, thresholds: [0.5, 0.4, 0.3, null], training: { strategy: 'crop' } };
    const bytes = headToOnnx(head, info);
    expect(readHeadInfo(bytes, 'test')).toEqual({ ...info, inputs: ['image'], imageOnlyThresholds: info.thresholds });
    const file = join(tempDir(), 'head.onnx');
    writeFileSync(file, bytes);
    const loaded = await GenreHead.load(file);
    const rows = [0, 1, 2].map((i) => train.features.slice(i * 24, (i + 1) * 24));
    const fromOnnx = await loaded.score(rows, 24);
    const fromTs = await predictHead(head, train.features.slice(0, 3 * 24), gemm);
    fromOnnx.forEach((p, i) => p.forEach((v, j) => expect(v).toBeCloseTo(fromTs[i * 4 + j] as number, 5)));
    await loaded.close();
  });

  it('refuses a file that is not a head, naming it', () => {
    expect(() => readHeadInfo(new Uint8Array([8, 1]), '/models/x.onnx')).toThrow(/\/models\/x\.onnx is not a valid Poster Catalogue head/);
  });
});

describe('metrics', () => {
  it('ignores unknown labels and counts top-3 hits over suggestible genres', () => {
    const scored = {
      genres: ['A', 'B', 'C', 'D'],
      probs: Float32Array.from([0.9, 0.8, 0.1, 0.95, /* row 2 */ 0.2, 0.1, 0.7, 0.9]),
      labels: Uint8Array.from([1, 0, 0, 0, /* */ 0, 1, 0, 1]),
      known: Uint8Array.from([1, 1, 1, 0, /* */ 1, 1, 1, 1]),
    };
    const m = evaluate(scored, [0.5, 0.5, 0.5, 0.5]);
    // Row 1: A right, B wrong (D unknown: ignored). Row 2: C wrong, D right, B missed.
    expect(m.microF1).toBeCloseTo((2 * 2) / (2 * 2 + 2 + 1));
    expect(m.top3HitRate).toBe(1);
    expect(evaluate(scored, [0.5, 0.5, 0.5, Number.POSITIVE_INFINITY]).top3HitRate).toBe(1);
  });
});

describe('dataset', () => {
  it('finds the same film across sources', () => {
    expect(filmKey('Curse of the Cat People, The', 1944)).toBe(filmKey('The Curse of the Cat People', 1944));
    expect(filmKey('Maidens in Uniform (Mädchen in Uniform)', 1931)).toBe(filmKey('Maidens in Uniform', 1931));
    expect(filmKey('Vertigo', 1958)).not.toBe(filmKey('Vertigo', 2010));
  });
  it('maps source genre names onto the catalogue’s', () => {
    expect(['Sci-Fi', "Children's", 'Children', 'Musical', 'Horror'].map(canonicalGenre)).toEqual(['Science Fiction', 'Family', 'Family', 'Music', 'Horror']);
  });
  it('splits stably', () => {
    expect(stableFraction('vertigo|1958')).toBe(stableFraction('vertigo|1958'));
    const share = Array.from({ length: 2000 }, (_, i) => stableFraction(`film ${i}`) < 0.15).filter(Boolean).length / 2000;
    expect(share).toBeGreaterThan(0.12);
    expect(share).toBeLessThan(0.18);
  });
});
