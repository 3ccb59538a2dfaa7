/**
 * The title's words through pretrained word vectors (docs/measurements.md, issue 13): the hashed
 * n-grams know only words seen in training titles, a word vector also places a word never seen
 * near ones that were. A title is the mean of its words' unit-length vectors; a logistic layer
 * maps it to genre logits, added to the image head's with a weight picked on validation posters.
 * Because the layer is linear, each word's row folds to genre logits (foldWords), and the head's
 * graph reads them like the n-gram table: the mean of the rows of the title's words.
 */
import type { TitleWords } from './titleModel';

export interface WordModel {
  dim: number;
  /** dim × genres. */
  weights: Float32Array;
  bias: Float32Array;
}

export interface WordTrainingSet {
  /** Per poster, ids of its title's words in `vectors` (empty: no known word, not trained on). */
  words: number[][];
  /** vocabulary × dim, each row of unit length. */
  vectors: Float32Array;
  dim: number;
  labels: Uint8Array;
  known: Uint8Array;
  genres: number;
}

/** Rows scaled to unit length (a zero row stays zero). */
export function unitRows(vectors: Float32Array, dim: number): Float32Array {
  const out = new Float32Array(vectors.length);
  for (let r = 0; r < vectors.length / dim; r++) {
    let norm = 0;
    for (let d = 0; d < dim; d++) norm += (vectors[r * dim + d] as number) ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let d = 0; d < dim; d++) out[r * dim + d] = (vectors[r * dim + d] as number) / norm;
  }
  return out;
}

/** The mean vector of each poster's words (n × dim; zero where it has none). */
export function meanVectors(words: number[][], vectors: Float32Array, dim: number): Float32Array {
  const x = new Float32Array(words.length * dim);
  words.forEach((ids, i) => {
    for (const id of ids) for (let d = 0; d < dim; d++) x[i * dim + d] = (x[i * dim + d] as number) + (vectors[id * dim + d] as number) / ids.length;
  });
  return x;
}

/**
 * A logistic layer dim → genres on the posters with at least one known word: unknown genres
 * masked, positives weighted by (negatives / positives)^0.5 (at most 30), full-batch Adam.
 */
export function trainWordModel(set: WordTrainingSet, options: { steps?: number; learningRate?: number; weightDecay?: number; seed?: number } = {}): WordModel {
  const { dim, genres: g } = set;
  const rows = set.words.flatMap((ids, i) => (ids.length ? [i] : []));
  const x = meanVectors(set.words, set.vectors, dim);
  const W = new Float32Array((dim + 1) * g);
  let state = (options.seed ?? 1) >>> 0;
  const random = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32 - 0.5) * 0.02;
  for (let k = 0; k < dim * g; k++) W[k] = random();
  const pos = new Float64Array(g);
  const neg = new Float64Array(g);
  for (const r of rows)
    for (let j = 0; j < g; j++) {
      if (!set.known[r * g + j]) continue;
      if (set.labels[r * g + j]) pos[j] = (pos[j] as number) + 1;
      else neg[j] = (neg[j] as number) + 1;
    }
  const posWeight = Array.from({ length: g }, (_, j) =>
    (pos[j] as number) > 0 ? Math.min(30, Math.max(1, ((neg[j] as number) / (pos[j] as number)) ** 0.5)) : 1,
  );
  const m = new Float64Array(W.length);
  const v = new Float64Array(W.length);
  const grad = new Float64Array(W.length);
  const lr = options.learningRate ?? 0.01;
  const decay = options.weightDecay ?? 1e-4;
  const steps = options.steps ?? 400;
  for (let step = 1; step <= steps; step++) {
    grad.fill(0);
    for (const r of rows) {
      for (let j = 0; j < g; j++) {
        if (!set.known[r * g + j]) continue;
        let z = W[dim * g + j] as number;
        for (let d = 0; d < dim; d++) z += (x[r * dim + d] as number) * (W[d * g + j] as number);
        const p = 1 / (1 + Math.exp(-z));
        const dz = set.labels[r * g + j] ? (posWeight[j] as number) * (p - 1) : p;
        for (let d = 0; d < dim; d++) grad[d * g + j] = (grad[d * g + j] as number) + dz * (x[r * dim + d] as number);
        grad[dim * g + j] = (grad[dim * g + j] as number) + dz;
      }
    }
    for (let k = 0; k < W.length; k++) {
      const gk = (grad[k] as number) / Math.max(1, rows.length) + (k < dim * g ? decay * (W[k] as number) : 0);
      m[k] = 0.9 * (m[k] as number) + 0.1 * gk;
      v[k] = 0.999 * (v[k] as number) + 0.001 * gk * gk;
      W[k] = (W[k] as number) - (lr * ((m[k] as number) / (1 - 0.9 ** step))) / (Math.sqrt((v[k] as number) / (1 - 0.999 ** step)) + 1e-8);
    }
  }
  return { dim, weights: W.slice(0, dim * g), bias: W.slice(dim * g) };
}

/** The model's logits for each poster (n × genres; zero where no word is known). */
export function wordModelLogits(model: WordModel, words: number[][], vectors: Float32Array): Float32Array {
  const g = model.bias.length;
  const { dim } = model;
  const x = meanVectors(words, vectors, dim);
  const out = new Float32Array(words.length * g);
  words.forEach((ids, i) => {
    if (!ids.length) return;
    for (let j = 0; j < g; j++) {
      let z = model.bias[j] as number;
      for (let d = 0; d < dim; d++) z += (x[i * dim + d] as number) * (model.weights[d * g + j] as number);
      out[i * g + j] = z;
    }
  });
  return out;
}

/**
 * The head's word table: row w = weight · (vector_w · W + b), padding row zero. The mean of a
 * title's rows is then exactly weight × the model's logits (the mean of the vectors times W, plus b).
 */
export function foldWords(vocabulary: string[], vectors: Float32Array, model: WordModel, weight: number): TitleWords {
  const g = model.bias.length;
  const { dim } = model;
  const table = new Float32Array((vocabulary.length + 1) * g);
  for (let w = 0; w < vocabulary.length; w++) {
    for (let j = 0; j < g; j++) {
      let z = model.bias[j] as number;
      for (let d = 0; d < dim; d++) z += (vectors[w * dim + d] as number) * (model.weights[d * g + j] as number);
      table[w * g + j] = weight * z;
    }
  }
  return { vocabulary, table };
}
