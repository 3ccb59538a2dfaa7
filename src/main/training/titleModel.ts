/**
 * The title and decade part of the genre head, trained on top of the image head (stacked: the
 * image head's logits are a fixed offset, so the title learns what the picture misses):
 *
 *   logits = image logits + mean(T[title ids]) · P + D[decade] + b
 *
 * T is an embedding table over hashed word and character n-grams (titleHash.ts); with width 0 it
 * maps straight to genre logits (P absent), which is a logistic model on the n-grams. D is the
 * decade one-hot's weights. Title dropout trains the same weights with and without the title, so
 * a poster whose name says nothing is scored by the image and its decade alone. Unknown genres are
 * masked and positives weighted as in trainHead.ts. Sparse: only the table rows a batch touches are
 * updated (lazy Adam), so a pass over eleven thousand titles takes well under a second.
 *
 * The shipped default head is not stacked: its title part is an independent title model (offsets
 * null, its own bias) folded into the same form by foldLogitSum, which measured better on held-out
 * sources (docs/measurements.md, issue 13). Retraining fine-tunes either kind stacked on the new image logits.
 */
import type { TitleHashing } from '../inference/titleHash';
import { seededRandom } from './trainHead';

export interface TitlePart {
  hashing: TitleHashing;
  /** Decade slots of the one-hot (titleHash.ts DECADE_SLOTS); empty = no decade input. */
  decades: number[];
  /** Embedding width; 0 = the table holds genre logits directly. */
  width: number;
  /** (buckets + 1) × (width || genres); the last row is padding and stays zero. */
  table: Float32Array;
  /** width × genres (empty when width is 0). */
  projection: Float32Array;
  /** decades × genres. */
  decadeWeights: Float32Array;
  bias: Float32Array;
  /** Pretrained word vectors, folded (wordVectors.ts): a second table read with the title's words. */
  words?: TitleWords;
}

/**
 * The title's words in a vocabulary of pretrained word vectors. Each row is already the genre
 * logits its word adds (unit-length vector × trained layer, plus its bias, times the fusion
 * weight), so the part is the mean of the rows of the title's words; the last row is padding and
 * zero. Kept as trained: retraining fine-tunes the n-gram table on top of it.
 */
export interface TitleWords {
  vocabulary: string[];
  /** (vocabulary + 1) × genres. */
  table: Float32Array;
}

/** Per poster: its title's ids (empty = no usable title) and decade slot (-1 = unknown); `words`, ids in the head's word vocabulary. */
export interface TitleInputs {
  ids: number[][];
  decades: number[];
  words?: number[][];
}

export interface TitleParams {
  hashing: TitleHashing;
  decades: number[];
  width: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Decoupled weight decay on the rows a batch touches (and on P, D). */
  weightDecay: number;
  /** Chance, per poster and epoch, that its title is hidden: the no-title path is trained too. */
  titleDropout: number;
  decadeDropout: number;
  posWeightPower: number;
  seed: number;
  /**
   * A bias of its own. Off on top of an image head: with no title and no decade the head is then
   * exactly the image head (docs/measurements.md, issue 13: a learned bias shifted the ranking of
   * genres on other sources, top-3 −0.02 with the title removed). On for a title-only model.
   */
  learnBias?: boolean;
}

export interface TitleTrainingSet {
  genres: string[];
  /** n × genres image-head logits, the fixed offset; null = title and decade alone (a title-only model). */
  offsets: Float32Array | null;
  inputs: TitleInputs;
  labels: Uint8Array;
  known: Uint8Array;
  weights?: Float32Array;
}

/** Lazy Adam over a flat array split in rows: only rows given gradients move. */
class SparseAdam {
  private readonly m: Float32Array;
  private readonly v: Float32Array;
  private t = 0;
  constructor(
    private readonly param: Float32Array,
    private readonly rowWidth: number,
    private readonly decay: number,
    private readonly anchor?: Float32Array,
  ) {
    this.m = new Float32Array(param.length);
    this.v = new Float32Array(param.length);
  }
  step(grads: Map<number, Float32Array>, lr: number): void {
    this.t++;
    const c1 = 1 - 0.9 ** this.t;
    const c2 = 1 - 0.999 ** this.t;
    const { m, v, param, rowWidth } = this;
    for (const [row, g] of grads) {
      for (let k = 0; k < rowWidth; k++) {
        const i = row * rowWidth + k;
        const gi = g[k] as number;
        m[i] = 0.9 * (m[i] as number) + 0.1 * gi;
        v[i] = 0.999 * (v[i] as number) + 0.001 * gi * gi;
        param[i] =
          (param[i] as number) -
          lr * ((m[i] as number) / c1 / (Math.sqrt((v[i] as number) / c2) + 1e-8) + this.decay * ((param[i] as number) - (this.anchor?.[i] ?? 0)));
      }
    }
  }
}

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** Mean of the table rows of `ids` (width w) into `out`. */
function embed(table: Float32Array, w: number, ids: number[], out: Float32Array): void {
  out.fill(0);
  if (ids.length === 0) return;
  for (const id of ids) for (let k = 0; k < w; k++) out[k] = (out[k] as number) + (table[id * w + k] as number);
  for (let k = 0; k < w; k++) out[k] = (out[k] as number) / ids.length;
}

/** The word-vector table's part of the logits (n × genres): zero where no word is known or the part has none. */
export function wordLogits(part: Pick<TitlePart, 'words'>, inputs: TitleInputs, g: number): Float32Array {
  const n = inputs.ids.length;
  const out = new Float32Array(n * g);
  if (!part.words || !inputs.words) return out;
  const e = new Float32Array(g);
  for (let i = 0; i < n; i++) {
    embed(part.words.table, g, inputs.words[i] ?? [], e);
    out.set(e, i * g);
  }
  return out;
}

/** The title part's logits (n × genres), without the image offset. */
export function titleLogits(part: TitlePart, inputs: TitleInputs, g: number): Float32Array {
  const n = inputs.ids.length;
  const w = part.width || g;
  const out = wordLogits(part, inputs, g);
  const e = new Float32Array(w);
  for (let i = 0; i < n; i++) {
    embed(part.table, w, inputs.ids[i] as number[], e);
    const d = inputs.decades[i] ?? -1;
    for (let j = 0; j < g; j++) {
      let z = part.bias[j] as number;
      if (part.width) for (let k = 0; k < w; k++) z += (e[k] as number) * (part.projection[k * g + j] as number);
      else z += e[j] as number;
      if (d >= 0 && part.decades.length) z += part.decadeWeights[d * g + j] as number;
      out[i * g + j] = (out[i * g + j] as number) + z;
    }
  }
  return out;
}

export const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/** Trains the title part; `start` fine-tunes an existing one, weight decay pulling towards it with strength `pull`. */
export function trainTitlePart(data: TitleTrainingSet, params: TitleParams, start?: TitlePart & { pull: number }, signal?: AbortSignal): TitlePart {
  const g = data.genres.length;
  const n = data.inputs.ids.length;
  const w = params.width || g;
  const random = seededRandom(params.seed);
  const rows = params.hashing.buckets + 1;
  const D = params.decades.length;
  const table = new Float32Array(rows * w);
  const projection = new Float32Array(params.width * g);
  const decadeWeights = new Float32Array(D * g);
  const bias = new Float32Array(g);
  if (start) {
    if (start.table.length !== table.length || start.projection.length !== projection.length || start.decadeWeights.length !== decadeWeights.length) {
      throw new Error('fine-tuning needs a title part of the same shape');
    }
    table.set(start.table);
    projection.set(start.projection);
    decadeWeights.set(start.decadeWeights);
    bias.set(start.bias);
  } else if (params.width) {
    for (let i = 0; i < params.hashing.buckets * w; i++) table[i] = gaussian(random) * 0.1;
    for (let i = 0; i < projection.length; i++) projection[i] = gaussian(random) * Math.sqrt(1 / params.width);
  }
  const decay = start ? start.pull : params.weightDecay;
  const opt = {
    table: new SparseAdam(table, w, decay, start?.table),
    projection: new SparseAdam(projection, projection.length, decay, start?.projection),
    decade: new SparseAdam(decadeWeights, g, decay, start?.decadeWeights),
    bias: new SparseAdam(bias, g, 0),
  };

  const pos = new Float64Array(g);
  const neg = new Float64Array(g);
  for (let i = 0; i < n * g; i++) {
    if (!data.known[i]) continue;
    if (data.labels[i]) pos[i % g] = (pos[i % g] as number) + 1;
    else neg[i % g] = (neg[i % g] as number) + 1;
  }
  const posWeight = Float32Array.from({ length: g }, (_, j) =>
    (pos[j] as number) > 0 ? Math.min(30, Math.max(1, ((neg[j] as number) / (pos[j] as number)) ** params.posWeightPower)) : 1,
  );

  // A fine-tuned part keeps its word vectors as they are: their logits are part of the offset the n-grams learn on.
  const fromWords = start?.words ? wordLogits(start, data.inputs, g) : null;
  const order = Uint32Array.from({ length: n }, (_, i) => i);
  const steps = params.epochs * Math.ceil(n / params.batchSize);
  let step = 0;
  const e = new Float32Array(w);
  const dz = new Float32Array(g);
  const de = new Float32Array(w);
  for (let epoch = 0; epoch < params.epochs; epoch++) {
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    for (let begin = 0; begin < n; begin += params.batchSize) {
      signal?.throwIfAborted();
      const batch = order.subarray(begin, Math.min(n, begin + params.batchSize));
      let weightSum = 0;
      for (const r of batch) weightSum += data.weights?.[r] ?? 1;
      const gTable = new Map<number, Float32Array>();
      const gDecade = new Map<number, Float32Array>();
      const gProjection = new Float32Array(projection.length);
      const gBias = new Float32Array(g);
      for (const r of batch) {
        const dropped = random() < params.titleDropout;
        const ids = dropped ? [] : (data.inputs.ids[r] as number[]);
        const d = D && random() >= params.decadeDropout ? (data.inputs.decades[r] ?? -1) : -1;
        embed(table, w, ids, e);
        const sw = (data.weights?.[r] ?? 1) / weightSum;
        for (let j = 0; j < g; j++) {
          dz[j] = 0;
          if (!data.known[r * g + j]) continue;
          let z = (data.offsets?.[r * g + j] ?? 0) + (bias[j] as number) + (dropped ? 0 : (fromWords?.[r * g + j] ?? 0));
          if (params.width) for (let k = 0; k < w; k++) z += (e[k] as number) * (projection[k * g + j] as number);
          else z += e[j] as number;
          if (d >= 0) z += decadeWeights[d * g + j] as number;
          const y = data.labels[r * g + j] as number;
          const pw = posWeight[j] as number;
          dz[j] = sw * (sigmoid(z) * (pw * y + 1 - y) - pw * y);
        }
        for (let j = 0; j < g; j++) gBias[j] = (gBias[j] as number) + (dz[j] as number);
        if (d >= 0) {
          const gd = gDecade.get(d) ?? new Float32Array(g);
          for (let j = 0; j < g; j++) gd[j] = (gd[j] as number) + (dz[j] as number);
          gDecade.set(d, gd);
        }
        if (ids.length === 0) continue;
        if (params.width) {
          for (let k = 0; k < w; k++) {
            let s = 0;
            for (let j = 0; j < g; j++) {
              gProjection[k * g + j] = (gProjection[k * g + j] as number) + (e[k] as number) * (dz[j] as number);
              s += (projection[k * g + j] as number) * (dz[j] as number);
            }
            de[k] = s / ids.length;
          }
        } else for (let j = 0; j < g; j++) de[j] = (dz[j] as number) / ids.length;
        for (const id of ids) {
          const gt = gTable.get(id) ?? new Float32Array(w);
          for (let k = 0; k < w; k++) gt[k] = (gt[k] as number) + (de[k] as number);
          gTable.set(id, gt);
        }
      }
      const lr = params.learningRate * 0.5 * (1 + Math.cos((Math.PI * step) / steps));
      opt.table.step(gTable, lr);
      if (params.width) opt.projection.step(new Map([[0, gProjection]]), lr);
      opt.decade.step(gDecade, lr);
      if (params.learnBias) opt.bias.step(new Map([[0, gBias]]), lr);
      step++;
    }
  }
  table.fill(0, params.hashing.buckets * w); // the padding row
  return {
    hashing: params.hashing,
    decades: params.decades,
    width: params.width,
    table,
    projection,
    decadeWeights,
    bias,
    ...(start?.words ? { words: start.words } : {}),
  };
}

/**
 * Late fusion in the head's own graph: an independently trained title model (its own bias, no image
 * offset) added to the image logits with weight `weight` — logits = image + weight · (mean(T[ids]) + b).
 * The bias is folded into every non-padding table row (the mean of rows shifted by b is the mean
 * shifted by b), so a title's part carries it and a poster with no usable title still gets exactly
 * the image head (padding row and bias zero). Direct tables only (width 0).
 */
export function foldLogitSum(part: TitlePart, weight: number): TitlePart {
  if (part.width) throw new Error('a title part with an embedding width cannot fold its bias into the table');
  const g = part.bias.length;
  const rows = part.hashing.buckets;
  const table = new Float32Array(part.table.length);
  for (let r = 0; r < rows; r++) for (let j = 0; j < g; j++) table[r * g + j] = weight * ((part.table[r * g + j] as number) + (part.bias[j] as number));
  return {
    ...part,
    table,
    decadeWeights: part.decadeWeights.map((w) => weight * w),
    bias: new Float32Array(g),
  };
}
