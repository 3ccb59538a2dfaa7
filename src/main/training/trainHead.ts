/**
 * Trains the multi-label genre head on cached features: one sigmoid per genre, linear or one
 * hidden ReLU layer. Handles the realities of the data:
 *  - genres a source does not know are masked (no gradient), never treated as negatives;
 *  - positives are weighted up by (negatives/positives)^power per genre, against imbalance;
 *  - per-sample weights (reviewed posters count more than the base pool);
 *  - features are standardised, and the standardisation is folded into the first layer at the end;
 *  - trained from scratch, it is an ensemble: `members` small heads from different seeds, merged
 *    into one head whose logits are their mean (docs/measurements.md: generalises better to other
 *    sources than one head of the same total width).
 * Deterministic for a given seed.
 */
import type { JobContext } from '../jobs/jobManager';
import type { Gemm } from './gemm';

export interface TrainingSet {
  /** n × dim, row-major. */
  features: Float32Array;
  dim: number;
  genres: string[];
  /** n × genres: 1 = has the genre. */
  labels: Uint8Array;
  /** n × genres: 1 = the label is known (the source has this genre), 0 = unknown (masked). */
  known: Uint8Array;
  /** Per-sample weight, default 1. */
  weights?: Float32Array;
}

export interface HeadParams {
  /** Hidden units of each member; 0 = linear head. */
  hidden: number;
  /**
   * Heads trained from scratch with seeds seed, seed+1, …, merged into one head of width
   * members × hidden whose logits are the members' mean. Fine-tuning (a start) trains that merged
   * head as a single one, so it needs members = 1.
   */
  members: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  weightDecay: number;
  dropout: number;
  /** Exponent of the positive weight (neg/pos)^power: 0 = none, 0.5 = square root, 1 = balanced. */
  posWeightPower: number;
  /** 'sqrt-l2': square root of each (non-negative) feature, then L2 normalisation per poster. */
  featureTransform: 'none' | 'sqrt-l2';
  seed: number;
}

export const DEFAULT_HEAD_PARAMS: HeadParams = {
  hidden: 128,
  members: 4,
  epochs: 3,
  batchSize: 128,
  learningRate: 1e-3,
  weightDecay: 1e-2,
  dropout: 0.5,
  posWeightPower: 0.5,
  featureTransform: 'sqrt-l2',
  seed: 1,
};

/** A trained head with standardisation folded in: probabilities = σ(relu(x·W1 + b1)·W2 + b2). */
export interface HeadWeights {
  dim: number;
  hidden: number;
  genres: string[];
  featureTransform: HeadParams['featureTransform'];
  /** Genres with positive examples in training; the others are never suggested. */
  trained: boolean[];
  w1: Float32Array;
  b1: Float32Array;
  w2: Float32Array;
  b2: Float32Array;
}

/** Mulberry32: small, fast, seeded. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

class Adam {
  private m: Float32Array;
  private v: Float32Array;
  private t = 0;
  constructor(
    private readonly param: Float32Array,
    private readonly lr: number,
    private readonly decay: number,
    /** Weight decay pulls towards this (default zero): fine-tuning stays near the weights it started from. */
    private readonly anchor?: Float32Array,
  ) {
    this.m = new Float32Array(param.length);
    this.v = new Float32Array(param.length);
  }
  step(grad: Float32Array, lr = this.lr): void {
    this.t++;
    const b1 = 0.9;
    const b2 = 0.999;
    const c1 = 1 - b1 ** this.t;
    const c2 = 1 - b2 ** this.t;
    const { m, v, param } = this;
    for (let i = 0; i < param.length; i++) {
      const g = grad[i] as number;
      m[i] = b1 * (m[i] as number) + (1 - b1) * g;
      v[i] = b2 * (v[i] as number) + (1 - b2) * g * g;
      param[i] =
        (param[i] as number) -
        lr * ((m[i] as number) / c1 / (Math.sqrt((v[i] as number) / c2) + 1e-8) + this.decay * ((param[i] as number) - (this.anchor?.[i] ?? 0)));
    }
  }
}

/** Applies the head's feature transform to n rows (a copy; the cache is never modified). */
export function transformFeatures(features: Float32Array, dim: number, transform: HeadParams['featureTransform']): Float32Array {
  if (transform === 'none') return features;
  const out = new Float32Array(features.length);
  for (let start = 0; start < features.length; start += dim) {
    let norm = 0;
    for (let d = 0; d < dim; d++) {
      const v = Math.sqrt(Math.max(0, features[start + d] as number));
      out[start + d] = v;
      norm += v * v;
    }
    const scale = 1 / Math.max(Math.sqrt(norm), 1e-6);
    for (let d = 0; d < dim; d++) out[start + d] = (out[start + d] as number) * scale;
  }
  return out;
}

export function standardisation(features: Float32Array, n: number, dim: number): { mean: Float32Array; std: Float32Array } {
  const mean = new Float64Array(dim);
  const sq = new Float64Array(dim);
  for (let i = 0; i < n; i++) {
    for (let d = 0; d < dim; d++) {
      const x = features[i * dim + d] as number;
      mean[d] = (mean[d] as number) + x;
      sq[d] = (sq[d] as number) + x * x;
    }
  }
  const m = new Float32Array(dim);
  const s = new Float32Array(dim);
  for (let d = 0; d < dim; d++) {
    m[d] = (mean[d] as number) / n;
    s[d] = Math.sqrt(Math.max((sq[d] as number) / n - (m[d] as number) ** 2, 0)) + 1e-3;
  }
  return { mean: m, std: s };
}

/**
 * Fine-tuning: start from a head of the same shape (folded form, as trained or read from its ONNX
 * file) and let weight decay pull towards those weights instead of towards zero, with strength `pull`.
 */
export interface HeadStart {
  w1: Float32Array;
  b1: Float32Array;
  w2: Float32Array;
  b2: Float32Array;
  pull: number;
}

export async function trainHead(
  data: TrainingSet,
  params: HeadParams,
  gemm: Gemm,
  job?: Pick<JobContext, 'signal' | 'onProgress'>,
  start?: HeadStart,
): Promise<HeadWeights> {
  if (params.members === 1) return trainOne(data, params, gemm, job, start);
  if (start) throw new Error(`fine-tuning trains one merged head: members must be 1, not ${params.members}`);
  if (!Number.isInteger(params.members) || params.members < 1) throw new Error(`members must be a positive integer, not ${params.members}`);
  const heads: HeadWeights[] = [];
  for (let k = 0; k < params.members; k++) {
    const member = job && {
      signal: job.signal,
      onProgress: (epoch: number, epochs: number) =>
        job.onProgress(k * epochs + epoch, params.members * epochs, 'round', `model ${k + 1} of ${params.members}, round ${epoch} of ${epochs}`),
    };
    heads.push(await trainOne(data, { ...params, members: 1, seed: params.seed + k }, gemm, member));
  }
  return mergeHeads(heads);
}

/**
 * One head whose logits are the mean of the given heads' logits (same input, genres and transform):
 * the hidden layers side by side, the output layer averaged.
 */
export function mergeHeads(heads: HeadWeights[]): HeadWeights {
  const first = heads[0];
  if (!first) throw new Error('mergeHeads needs at least one head');
  const { dim, hidden: h, genres } = first;
  const g = genres.length;
  const k = heads.length;
  if (heads.some((x) => x.dim !== dim || x.hidden !== h || x.genres.join('|') !== genres.join('|') || x.featureTransform !== first.featureTransform)) {
    throw new Error('mergeHeads needs heads of the same shape, genres and feature transform');
  }
  const width = h * k;
  const w1 = new Float32Array(dim * width);
  const b1 = new Float32Array(width);
  const w2 = new Float32Array((h > 0 ? width : dim) * g);
  const b2 = new Float32Array(g);
  heads.forEach((head, m) => {
    for (let d = 0; d < dim; d++) w1.set(head.w1.subarray(d * h, (d + 1) * h), d * width + m * h);
    b1.set(head.b1, m * h);
    if (h > 0)
      w2.set(
        head.w2.map((v) => v / k),
        m * h * g,
      );
    else for (let i = 0; i < w2.length; i++) w2[i] = (w2[i] as number) + (head.w2[i] as number) / k;
    for (let j = 0; j < g; j++) b2[j] = (b2[j] as number) + (head.b2[j] as number) / k;
  });
  const trained = genres.map((_, j) => heads.some((head) => head.trained[j]));
  return { dim, hidden: width, genres, featureTransform: first.featureTransform, trained, w1, b1, w2, b2 };
}

async function trainOne(
  data: TrainingSet,
  params: HeadParams,
  gemm: Gemm,
  job?: Pick<JobContext, 'signal' | 'onProgress'>,
  start?: HeadStart,
): Promise<HeadWeights> {
  const { dim, genres } = data;
  const g = genres.length;
  const n = data.labels.length / g;
  const random = seededRandom(params.seed);
  const transformed = transformFeatures(data.features, dim, params.featureTransform);
  const { mean, std } = standardisation(transformed, n, dim);
  const x = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    for (let d = 0; d < dim; d++) x[i * dim + d] = ((transformed[i * dim + d] as number) - (mean[d] as number)) / (std[d] as number);
  }

  // Per-genre positive weights from the known labels only.
  const pos = new Float64Array(g);
  const neg = new Float64Array(g);
  for (let i = 0; i < n * g; i++) {
    if (!data.known[i]) continue;
    if (data.labels[i]) pos[i % g] = (pos[i % g] as number) + 1;
    else neg[i % g] = (neg[i % g] as number) + 1;
  }
  const trained = genres.map((_, j) => (pos[j] as number) > 0);
  const posWeight = Float32Array.from(genres, (_, j) =>
    (pos[j] as number) > 0 ? Math.min(30, Math.max(1, ((neg[j] as number) / (pos[j] as number)) ** params.posWeightPower)) : 1,
  );

  const h = params.hidden;
  const inner = h > 0 ? h : dim;
  const w1 = new Float32Array(h > 0 ? dim * h : 0);
  const b1 = new Float32Array(h);
  const w2 = new Float32Array(inner * g);
  const b2 = new Float32Array(g);
  for (let i = 0; i < w1.length; i++) w1[i] = gaussian(random) * Math.sqrt(2 / dim);
  for (let i = 0; i < w2.length; i++) w2[i] = gaussian(random) * Math.sqrt(1 / inner);
  let anchors: { w1?: Float32Array; w2?: Float32Array } = {};
  if (start) {
    if (start.w1.length !== w1.length || start.w2.length !== w2.length || start.b2.length !== g) {
      throw new Error('fine-tuning needs a head of the same shape');
    }
    // The first layer reads standardised inputs during training: unfold w' = w·σ, b' = b + μ·w.
    const [first, firstBias, width] = h > 0 ? [w1, b1, h] : [w2, b2, g];
    const [from, fromBias] = h > 0 ? [start.w1, start.b1] : [start.w2, start.b2];
    for (let j = 0; j < width; j++) firstBias[j] = fromBias[j] as number;
    for (let d = 0; d < dim; d++) {
      for (let j = 0; j < width; j++) {
        const w = from[d * width + j] as number;
        first[d * width + j] = w * (std[d] as number);
        firstBias[j] = (firstBias[j] as number) + (mean[d] as number) * w;
      }
    }
    if (h > 0) {
      w2.set(start.w2);
      b2.set(start.b2);
    }
    anchors = { w1: h > 0 ? w1.slice() : undefined, w2: w2.slice() };
  }
  const opt = {
    w1: new Adam(w1, params.learningRate, start ? start.pull : params.weightDecay, anchors.w1),
    b1: new Adam(b1, params.learningRate, 0),
    w2: new Adam(w2, params.learningRate, start ? start.pull : params.weightDecay, anchors.w2),
    b2: new Adam(b2, params.learningRate, 0),
  };

  const order = Uint32Array.from({ length: n }, (_, i) => i);
  const bs = params.batchSize;
  const steps = params.epochs * Math.ceil(n / bs);
  let step = 0;
  for (let epoch = 0; epoch < params.epochs; epoch++) {
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    for (let start = 0; start < n; start += bs) {
      job?.signal.throwIfAborted();
      const rows = order.subarray(start, Math.min(n, start + bs));
      const b = rows.length;
      const xb = new Float32Array(b * dim);
      rows.forEach((r, k) => xb.set(x.subarray(r * dim, (r + 1) * dim), k * dim));
      // Forward.
      let a1 = xb;
      let z1: Float32Array | null = null;
      let keep: Uint8Array | null = null;
      if (h > 0) {
        z1 = await gemm.mul(xb, b, dim, w1, h);
        a1 = new Float32Array(b * h);
        keep = new Uint8Array(b * h);
        const scale = 1 / (1 - params.dropout);
        for (let i = 0; i < b * h; i++) {
          const z = (z1[i] as number) + (b1[i % h] as number);
          z1[i] = z;
          const kept = random() >= params.dropout ? 1 : 0;
          keep[i] = kept;
          a1[i] = z > 0 && kept ? z * scale : 0;
        }
      }
      const z2 = await gemm.mul(a1, b, inner, w2, g);
      // Masked, positive-weighted binary cross-entropy: dL/dz = σ(z)(pw·y + 1 − y) − pw·y.
      const dz2 = new Float32Array(b * g);
      let weightSum = 0;
      rows.forEach((r) => (weightSum += data.weights?.[r] ?? 1));
      for (let k = 0; k < b; k++) {
        const r = rows[k] as number;
        const w = (data.weights?.[r] ?? 1) / weightSum;
        for (let j = 0; j < g; j++) {
          if (!data.known[r * g + j]) continue;
          const p = 1 / (1 + Math.exp(-((z2[k * g + j] as number) + (b2[j] as number))));
          const y = data.labels[r * g + j] as number;
          const pw = posWeight[j] as number;
          dz2[k * g + j] = w * (p * (pw * y + 1 - y) - pw * y);
        }
      }
      // Backward.
      const lr = params.learningRate * 0.5 * (1 + Math.cos((Math.PI * step) / steps)); // cosine decay
      const gw2 = await gemm.mulTN(a1, b, inner, dz2, g);
      const gb2 = new Float32Array(g);
      for (let i = 0; i < b * g; i++) gb2[i % g] = (gb2[i % g] as number) + (dz2[i] as number);
      if (h > 0 && z1 && keep) {
        const da1 = await gemm.mulNT(dz2, b, g, w2, h);
        const scale = 1 / (1 - params.dropout);
        const gb1 = new Float32Array(h);
        for (let i = 0; i < b * h; i++) {
          const d = (z1[i] as number) > 0 && keep[i] ? (da1[i] as number) * scale : 0;
          da1[i] = d;
          gb1[i % h] = (gb1[i % h] as number) + d;
        }
        const gw1 = await gemm.mulTN(xb, b, dim, da1, h);
        opt.w1.step(gw1, lr);
        opt.b1.step(gb1, lr);
      }
      opt.w2.step(gw2, lr);
      opt.b2.step(gb2, lr);
      step++;
    }
    job?.onProgress(epoch + 1, params.epochs, 'round', `round ${epoch + 1} of ${params.epochs}`);
  }

  // Fold the standardisation into the first layer: (x − μ)/σ · W = x · (W/σ) − (μ/σ) · W.
  const first = h > 0 ? w1 : w2;
  const firstBias = h > 0 ? b1 : b2;
  const width = h > 0 ? h : g;
  for (let d = 0; d < dim; d++) {
    const s = std[d] as number;
    const m = mean[d] as number;
    for (let j = 0; j < width; j++) {
      const w = (first[d * width + j] as number) / s;
      first[d * width + j] = w;
      firstBias[j] = (firstBias[j] as number) - m * w;
    }
  }
  return { dim, hidden: h, genres, featureTransform: params.featureTransform, trained, w1, b1, w2, b2 };
}

/** Probabilities n × genres for features n × dim. */
export async function predictHead(head: HeadWeights, features: Float32Array, gemm: Gemm): Promise<Float32Array> {
  const z = await headLogits(head, features, gemm);
  for (let i = 0; i < z.length; i++) z[i] = 1 / (1 + Math.exp(-(z[i] as number)));
  return z;
}

/** Logits n × genres for features n × dim: the offset the title part is trained on (titleModel.ts). */
export async function headLogits(head: HeadWeights, features: Float32Array, gemm: Gemm): Promise<Float32Array> {
  const n = features.length / head.dim;
  const g = head.genres.length;
  let a = transformFeatures(features, head.dim, head.featureTransform);
  let width = head.dim;
  if (head.hidden > 0) {
    a = await gemm.mul(a, n, head.dim, head.w1, head.hidden);
    for (let i = 0; i < a.length; i++) a[i] = Math.max(0, (a[i] as number) + (head.b1[i % head.hidden] as number));
    width = head.hidden;
  }
  const z = await gemm.mul(a, n, width, head.w2, g);
  for (let i = 0; i < z.length; i++) z[i] = (z[i] as number) + (head.b2[i % g] as number);
  return z;
}
