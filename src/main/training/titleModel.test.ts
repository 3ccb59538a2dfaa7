import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../../tests/helpers';
import { GenreHead, readHeadInfo } from '../inference/genreHead';
import { DECADE_SLOTS, decadeSlot, normaliseTitle, titleIds, usableTitle, type TitleHashing } from '../inference/titleHash';
import { Gemm } from './gemm';
import { headToOnnx, readHeadWeights } from './headModel';
import { foldLogitSum, titleLogits, trainTitlePart, sigmoid, type TitleParams } from './titleModel';
import { DEFAULT_HEAD_PARAMS, headLogits, seededRandom, trainHead } from './trainHead';

const hashing: TitleHashing = { scheme: 'fnv1a32-words-chars-v1', buckets: 1 << 12, wordNgrams: 2, charMin: 3, charMax: 4 };
const params: TitleParams = {
  hashing,
  decades: DECADE_SLOTS,
  width: 0,
  epochs: 12,
  batchSize: 32,
  learningRate: 0.05,
  weightDecay: 1e-4,
  titleDropout: 0.3,
  decadeDropout: 0.1,
  posWeightPower: 0.5,
  seed: 1,
};

let gemm: Gemm;
beforeAll(async () => {
  gemm = await Gemm.open(1);
});
afterAll(async () => gemm.close());

describe('title hashing', () => {
  it('normalises case, accents, punctuation and a trailing article', () => {
    expect(normaliseTitle('Curse of the Cat People, The')).toBe('the curse of the cat people');
    expect(normaliseTitle('AUX FRONTIÈRES de l’Homme!')).toBe('aux frontieres de lhomme');
    expect(titleIds('Curse of the Cat People, The', hashing)).toEqual(titleIds('the curse of the cat people', hashing));
  });
  it('hashes any script, and finds no title in camera names or digits', () => {
    expect(titleIds('七人の侍', hashing).length).toBeGreaterThan(3);
    expect(titleIds('Андрей Рублёв', hashing)).not.toEqual(titleIds('Андрей', hashing));
    for (const name of ['IMG 0412', 'scan 12', 'DSC01234', '12', '', null, 'Tt0095756', 'SKU-104233']) expect(usableTitle(name)).toBeNull();
    expect(usableTitle('THX 1138')).toBe('thx 1138');
    expect(titleIds('IMG 0412', hashing)).toEqual([]);
  });
  it('puts years in decade slots, unknown in none', () => {
    expect(decadeSlot(1958)).toBe(DECADE_SLOTS.indexOf(1950));
    expect(decadeSlot(1895)).toBe(0);
    expect(decadeSlot(2031)).toBe(DECADE_SLOTS.length - 1);
    expect(decadeSlot(null)).toBe(-1);
  });
  it('refuses a hashing scheme it does not know', () => {
    expect(() => titleIds('x', { ...hashing, scheme: 'other' as 'fnv1a32-words-chars-v1' })).toThrow(/unknown title hashing scheme "other"/);
  });
});

/** Posters whose image says little and whose title words say the genre ("giallo" → Horror). */
function synthetic(n: number, seed: number) {
  const random = seededRandom(seed);
  const genres = ['Horror', 'Comedy'];
  const dim = 8;
  const features = new Float32Array(n * dim);
  const labels = new Uint8Array(n * 2);
  const known = new Uint8Array(n * 2).fill(1);
  const titles: string[] = [];
  const decades: number[] = [];
  for (let i = 0; i < n; i++) {
    const horror = random() < 0.5;
    labels[i * 2] = horror ? 1 : 0;
    labels[i * 2 + 1] = horror ? 0 : 1;
    for (let d = 0; d < dim; d++) features[i * dim + d] = random() + (d === 0 && horror && random() < 0.5 ? 0.6 : 0);
    const word = ['Night', 'Love', 'Summer', 'House', 'Street'][Math.floor(random() * 5)] as string;
    titles.push(horror ? `Giallo ${word}` : `Sunny ${word}`);
    decades.push(1960);
  }
  return { genres, dim, features, labels, known, titles, decades };
}

describe('title part', () => {
  it('learns title words on top of the image head, and the ONNX head computes what the trainer learned', async () => {
    const train = synthetic(400, 1);
    const head = await trainHead(train, { ...DEFAULT_HEAD_PARAMS, hidden: 4, members: 1, epochs: 5, batchSize: 50 }, gemm);
    const offsets = await headLogits(head, train.features, gemm);
    const inputs = { ids: train.titles.map((t) => titleIds(t, hashing)), decades: train.decades.map((d) => decadeSlot(d)) };
    const part = trainTitlePart({ genres: train.genres, offsets, inputs, labels: train.labels, known: train.known }, params);
    const withTitle = titleLogits(part, inputs, 2).map((z, i) => sigmoid(z + (offsets[i] as number)));
    // The title decides: a "Giallo" poster is Horror with or without the picture's help.
    const right = train.titles.filter((t, i) => (withTitle[i * 2] as number) > 0.5 === t.startsWith('Giallo')).length;
    expect(right / train.titles.length).toBeGreaterThan(0.95);

    const info = { version: 't-1', featureModel: 'fm', genres: train.genres, thresholds: [0.5, 0.4], imageOnlyThresholds: [0.45, 0.35], training: {} };
    const bytes = headToOnnx(head, info, part);
    expect(readHeadInfo(bytes, 'test')).toMatchObject({
      inputs: ['image', 'title', 'decade'],
      title: { hashing, decades: DECADE_SLOTS },
      imageOnlyThresholds: [0.45, 0.35],
    });
    const file = join(tempDir(), 'head.onnx');
    writeFileSync(file, bytes);
    const loaded = await GenreHead.load(file);
    const posters = [0, 1, 2, 3].map((i) => ({ features: train.features.slice(i * 8, (i + 1) * 8), title: train.titles[i], decade: 1960 }));
    posters.push({ features: train.features.slice(0, 8), title: 'IMG_0412', decade: null as unknown as number });
    const scored = await loaded.scoreWith(posters, 8);
    const noTitle = titleLogits(part, { ids: [[]], decades: [-1] }, 2);
    scored.forEach((s, i) => {
      const expected =
        i < 4
          ? Array.from({ length: 2 }, (_, j) => withTitle[i * 2 + j] as number)
          : [0, 1].map((j) => sigmoid((noTitle[j] as number) + (offsets[j] as number)));
      s.probabilities.forEach((p, j) => expect(p).toBeCloseTo(expected[j] as number, 4));
    });
    expect(scored.map((s) => s.basis)).toEqual([...Array(4).fill({ title: true, decade: true }), { title: false, decade: false }]);
    expect(loaded.thresholdsFor({ title: false, decade: true })).toEqual([0.45, 0.35]);
    await loaded.close();

    // Fine-tuning starts from the file's own weights.
    const back = readHeadWeights(file);
    expect(back.title?.table).toEqual(part.table);
    expect(back.title?.hashing).toEqual(hashing);
  });

  it('folds an independent title model, bias and weight included, into the table: exactly image + weight · title, and exactly the image without a title', () => {
    const train = synthetic(200, 3);
    const inputs = { ids: train.titles.map((t) => titleIds(t, hashing)), decades: train.decades.map(() => -1) };
    const alone = trainTitlePart(
      { genres: train.genres, offsets: null, inputs, labels: train.labels, known: train.known },
      { ...params, titleDropout: 0, learnBias: true, decadeDropout: 1 },
    );
    expect(Array.from(alone.bias).some((b) => Math.abs(b) > 1e-3)).toBe(true);
    const folded = foldLogitSum(alone, 0.75);
    const want = titleLogits(alone, inputs, 2);
    const got = titleLogits(folded, inputs, 2);
    got.forEach((z, i) => expect(z).toBeCloseTo(0.75 * (want[i] as number), 5));
    expect(Array.from(folded.bias)).toEqual([0, 0]);
    expect(Array.from(titleLogits(folded, { ids: [[]], decades: [-1] }, 2))).toEqual([0, 0]);
    expect(() => foldLogitSum({ ...alone, width: 4 }, 1)).toThrow(/embedding width/);
  });
});
