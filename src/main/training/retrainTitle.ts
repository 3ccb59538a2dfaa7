/**
 * The title part in retraining: reviewed posters' titles teach the dealer's own words ("Giallo",
 * "Peplum") on top of the fine-tuned image head. Starts from the active head's title part when it
 * has one (weight decay pulling towards it), from scratch otherwise.
 */
import { DECADE_SLOTS, decadeSlot, titleIds, titleWordIds, TITLE_HASH_SCHEME, vocabularyIndex, type TitleHashing } from '../inference/titleHash';
import { sigmoid, titleLogits, trainTitlePart, type TitleInputs, type TitleParams, type TitlePart } from './titleModel';

/** The title inputs of a head trained from scratch. */
export const FRESH_TITLE_INPUTS = (): Pick<TitlePart, 'hashing' | 'decades'> => ({ hashing: DEFAULT_RETRAIN_HASHING, decades: DECADE_SLOTS });

/** A retrained head's title settings when the active head reads no titles (docs/measurements.md, issue 13). */
export const DEFAULT_RETRAIN_HASHING: TitleHashing = { scheme: TITLE_HASH_SCHEME, buckets: 1 << 16, wordNgrams: 2, charMin: 3, charMax: 5 };

export const DEFAULT_TITLE_TRAINING: Omit<TitleParams, 'hashing' | 'decades' | 'width' | 'seed'> = {
  epochs: 8,
  batchSize: 64,
  learningRate: 0.02,
  weightDecay: 1e-4,
  titleDropout: 0.3,
  decadeDropout: 0.1,
  posWeightPower: 0.5,
};

const MIN_STEPS = 400;

/** The title part's output columns in `genres` order; a genre it lacks starts at zero. */
export function alignTitle(part: TitlePart, from: string[], to: string[]): TitlePart {
  const index = new Map(from.map((g, j) => [g.toLowerCase(), j]));
  const map = to.map((g) => index.get(g.toLowerCase()) ?? -1);
  const gf = from.length;
  const gt = to.length;
  const columns = (source: Float32Array, rows: number) => {
    const out = new Float32Array(rows * gt);
    for (let r = 0; r < rows; r++) map.forEach((j, k) => j >= 0 && (out[r * gt + k] = source[r * gf + j] as number));
    return out;
  };
  const rows = part.hashing.buckets + 1;
  return {
    ...part,
    table: part.width ? part.table.slice() : columns(part.table, rows),
    projection: part.width ? columns(part.projection, part.width) : new Float32Array(0),
    decadeWeights: columns(part.decadeWeights, part.decades.length),
    bias: columns(part.bias, 1),
    ...(part.words ? { words: { vocabulary: part.words.vocabulary, table: columns(part.words.table, part.words.vocabulary.length + 1) } } : {}),
  };
}

/** A head's title inputs for posters (titles and decades as catalogued); none for an image-only head. */
export function inputsOf(part: Pick<TitlePart, 'hashing' | 'decades' | 'words'> | null, titles: (string | null)[], decades: (number | null)[]): TitleInputs {
  if (!part) return { ids: titles.map(() => []), decades: decades.map(() => -1) };
  const index = part.words ? vocabularyIndex(part.words.vocabulary) : null;
  return {
    ids: titles.map((t) => titleIds(t, part.hashing)),
    decades: decades.map((d) => decadeSlot(d, part.decades)),
    ...(index ? { words: titles.map((t) => titleWordIds(t, index)) } : {}),
  };
}

/** Per row and genre: the head's thresholds where the title was read, its image-only thresholds elsewhere. */
export function rowThresholds(thresholds: (number | null)[], imageOnly: (number | null)[], inputs: TitleInputs): Float32Array {
  const g = thresholds.length;
  const out = new Float32Array(inputs.ids.length * g);
  inputs.ids.forEach((ids, i) => {
    const t = ids.length ? thresholds : imageOnly;
    for (let j = 0; j < g; j++) out[i * g + j] = t[j] ?? Number.POSITIVE_INFINITY;
  });
  return out;
}

/** Probabilities: the image logits plus the title part's (none for an image-only head). */
export function withTitle(imageLogits: Float32Array, part: TitlePart | null, inputs: TitleInputs, g: number): Float32Array {
  if (!part) return imageLogits.map(sigmoid);
  const t = titleLogits(part, inputs, g);
  return imageLogits.map((z, i) => sigmoid(z + (t[i] as number)));
}

export function trainTitleForRetrain(
  set: { genres: string[]; offsets: Float32Array; inputs: TitleInputs; labels: Uint8Array; known: Uint8Array; weights: Float32Array },
  start: TitlePart | null,
  pull: number,
  seed: number,
  signal: AbortSignal,
): TitlePart {
  const params: TitleParams = {
    ...DEFAULT_TITLE_TRAINING,
    hashing: start?.hashing ?? DEFAULT_RETRAIN_HASHING,
    decades: start?.decades ?? DECADE_SLOTS,
    width: start?.width ?? 0,
    seed,
    epochs: start ? 4 : DEFAULT_TITLE_TRAINING.epochs,
  };
  // A few hundred reviewed posters make a few steps per epoch: the sparse weights need some hundreds of steps to move.
  const stepsPerEpoch = Math.ceil(set.inputs.ids.length / params.batchSize);
  params.epochs = Math.max(params.epochs, Math.ceil(MIN_STEPS / stepsPerEpoch));
  return trainTitlePart(set, params, start ? { ...start, pull } : undefined, signal);
}
