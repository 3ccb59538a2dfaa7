import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../../tests/helpers';
import { GenreHead, readHeadInfo } from '../inference/genreHead';
import { DECADE_SLOTS, titleIds, titleWordIds, vocabularyIndex, type TitleHashing } from '../inference/titleHash';
import { Gemm } from './gemm';
import { headToOnnx, readHeadWeights } from './headModel';
import { alignTitle, inputsOf } from './retrainTitle';
import { foldLogitSum, sigmoid, titleLogits, trainTitlePart, wordLogits, type TitleInputs, type TitleParams } from './titleModel';
import { DEFAULT_HEAD_PARAMS, headLogits, seededRandom, trainHead } from './trainHead';
import { foldWords, trainWordModel, unitRows, wordModelLogits } from './wordVectors';

const hashing: TitleHashing = { scheme: 'fnv1a32-words-chars-v1', buckets: 1 << 10, wordNgrams: 1, charMin: 0, charMax: 0 };
const params: TitleParams = {
  hashing,
  decades: [],
  width: 0,
  epochs: 12,
  batchSize: 32,
  learningRate: 0.05,
  weightDecay: 1e-4,
  titleDropout: 0,
  decadeDropout: 1,
  posWeightPower: 0.5,
  seed: 1,
  learnBias: true,
};

/** Made-up 4-d vectors: western words near one axis, comedy words near another, the rest in between. */
const vocabulary = ['gunfight', 'shootout', 'tombstone', 'laugh', 'giggle', 'chuckle', 'night', 'street'];
const vectors = unitRows(
  Float32Array.from(
    [
      [1, 0.1, 0, 0.2],
      [0.9, 0, 0.1, 0.3],
      [0.95, 0.05, 0.1, 0.25], // never in a training title
      [0, 1, 0.2, 0.1],
      [0.1, 0.9, 0.1, 0.2],
      [0.05, 0.95, 0.15, 0.15], // never in a training title
      [0.3, 0.3, 1, 0],
      [0.3, 0.3, 0, 1],
    ].flat(),
  ),
  4,
);
const genres = ['Western', 'Comedy'];

function posters(n: number, seed: number) {
  const random = seededRandom(seed);
  const titles: string[] = [];
  const labels = new Uint8Array(n * 2);
  const features = new Float32Array(n * 8);
  for (let i = 0; i < n; i++) {
    const western = random() < 0.5;
    labels[i * 2] = western ? 1 : 0;
    labels[i * 2 + 1] = western ? 0 : 1;
    const word = western ? (random() < 0.5 ? 'Gunfight' : 'Shootout') : random() < 0.5 ? 'Laugh' : 'Giggle';
    titles.push(`${word} ${random() < 0.5 ? 'Night' : 'Street'}`);
    for (let d = 0; d < 8; d++) features[i * 8 + d] = random();
  }
  return { titles, labels, known: new Uint8Array(n * 2).fill(1), features };
}

let gemm: Gemm;
beforeAll(async () => {
  gemm = await Gemm.open(1);
});
afterAll(async () => gemm.close());

describe('word vectors beside the title n-grams', () => {
  it('finds a title’s words in the vocabulary, in any case and with accents, skipping unknown ones', () => {
    const index = vocabularyIndex(vocabulary);
    expect(titleWordIds('GUNFIGHT at the Night, Night', index)).toEqual([0, 6, 6]);
    expect(titleWordIds('Chúckle', index)).toEqual([5]);
    expect(titleWordIds('IMG_0412.jpg', index)).toEqual([]);
    expect(titleWordIds('Zzyzx', index)).toEqual([]);
  });

  it('moves the genre of a word no training title had, which the n-grams cannot', () => {
    const train = posters(200, 1);
    const index = vocabularyIndex(vocabulary);
    const words = train.titles.map((t) => titleWordIds(t, index));
    const model = trainWordModel({ words, vectors, dim: 4, labels: train.labels, known: train.known, genres: 2 }, { seed: 1 });
    const unseen = wordModelLogits(model, [titleWordIds('Tombstone', index), titleWordIds('Chuckle', index), []], vectors);
    expect(unseen[0] as number).toBeGreaterThan(unseen[1] as number); // Tombstone: Western over Comedy
    expect(unseen[3] as number).toBeGreaterThan(unseen[2] as number); // Chuckle: Comedy over Western
    expect(Array.from(unseen.slice(4))).toEqual([0, 0]); // no known word: no part
    const ngrams = trainTitlePart(
      {
        genres,
        offsets: null,
        inputs: { ids: train.titles.map((t) => titleIds(t, hashing)), decades: train.titles.map(() => -1) },
        labels: train.labels,
        known: train.known,
      },
      params,
    );
    const z = titleLogits(ngrams, { ids: [titleIds('Tombstone', hashing)], decades: [-1] }, 2);
    expect(Math.abs((z[0] as number) - (z[1] as number))).toBeLessThan(Math.abs((unseen[0] as number) - (unseen[1] as number)) / 4);
  });

  it('folds the layer per word into a second table of the head: the ONNX head computes image + n-grams + words, and exactly the image without a title', async () => {
    const train = posters(300, 2);
    const head = await trainHead({ genres, dim: 8, ...train }, { ...DEFAULT_HEAD_PARAMS, hidden: 4, members: 1, epochs: 3, batchSize: 50 }, gemm);
    const index = vocabularyIndex(vocabulary);
    const inputs: TitleInputs = {
      ids: train.titles.map((t) => titleIds(t, hashing)),
      decades: train.titles.map(() => -1),
      words: train.titles.map((t) => titleWordIds(t, index)),
    };
    const ngrams = trainTitlePart({ genres, offsets: null, inputs, labels: train.labels, known: train.known }, params);
    const model = trainWordModel({ words: inputs.words ?? [], vectors, dim: 4, labels: train.labels, known: train.known, genres: 2 });
    // With decade slots as the shipped head has them (their weights learnt only in retraining).
    const decadeWeights = Float32Array.from({ length: 13 * 2 }, (_, k) => (k % 3) * 0.1);
    const part = { ...foldLogitSum(ngrams, 0.5), decades: DECADE_SLOTS, decadeWeights, words: foldWords(vocabulary, vectors, model, 0.75) };
    // Folded, the words' table gives exactly 0.75 × the layer's logits.
    const direct = wordModelLogits(model, inputs.words ?? [], vectors);
    const folded = titleLogits({ ...part, table: new Float32Array(part.table.length) }, inputs, 2);
    folded.forEach((v, i) => expect(v).toBeCloseTo(0.75 * (direct[i] as number), 5));

    const bytes = headToOnnx(head, { version: 'w-1', featureModel: 'fm', genres, thresholds: [0.5, 0.5], imageOnlyThresholds: [0.4, 0.4], training: {} }, part);
    expect(readHeadInfo(bytes, 'test').title?.vocabulary).toEqual(vocabulary);
    const file = join(tempDir(), 'head.onnx');
    writeFileSync(file, bytes);
    const loaded = await GenreHead.load(file);
    const titles = ['Tombstone Street', 'Laugh Night', 'Gunfight at the Zzyzx', 'IMG_0412'];
    const features = train.features.slice(0, 4 * 8);
    const decades = [1950, 1980, null, null];
    const scored = await loaded.scoreWith(
      titles.map((title, i) => ({ features: features.slice(i * 8, (i + 1) * 8), title, decade: decades[i] ?? null })),
      8,
    );
    const image = await headLogits(head, features, gemm);
    const wantInputs = inputsOf(part, titles, decades);
    const want = titleLogits(part, wantInputs, 2);
    // The words' part is there to be checked (a graph that dropped it would not match).
    expect(Array.from(wordLogits(part, wantInputs, 2).slice(0, 6)).every((z) => z !== 0)).toBe(true);
    scored.forEach((s, i) => s.probabilities.forEach((p, j) => expect(p).toBeCloseTo(sigmoid((image[i * 2 + j] as number) + (want[i * 2 + j] as number)), 4)));
    // No usable title: the image head alone, judged by the image-only thresholds.
    scored[3]?.probabilities.forEach((p, j) => expect(p).toBeCloseTo(sigmoid(image[6 + j] as number), 5));
    expect(scored.map((s) => s.basis.title)).toEqual([true, true, true, false]);
    await loaded.close();

    // Retraining starts from the file: the words come back, stay as they are, and follow the genres' order.
    const back = readHeadWeights(file).title;
    expect(back?.words?.vocabulary).toEqual(vocabulary);
    expect(back?.words?.table).toEqual(part.words.table);
    const tuned = trainTitlePart(
      { genres, offsets: new Float32Array(train.labels.length), inputs, labels: train.labels, known: train.known },
      { ...params, decades: DECADE_SLOTS, epochs: 2, learnBias: false },
      { ...(back as NonNullable<typeof back>), pull: 1e-3 },
    );
    expect(tuned.words?.table).toEqual(part.words.table);
    const swapped = alignTitle(tuned, genres, ['Comedy', 'Western']);
    expect(swapped.words?.table[0]).toBe(part.words.table[1]);
    expect(swapped.words?.table[1]).toBe(part.words.table[0]);
  });
});
