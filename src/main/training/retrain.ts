/**
 * Retraining on what staff reviewed. Pure computation on arrays (no database, no files), so it
 * runs in a worker thread.
 *
 * How (measured in docs/measurements.md, "Retraining"): the new all-decades head starts from the
 * active head's weights and is fine-tuned for a few epochs on the base pool plus the reviewed
 * posters (weighted up: they are the dealer's own scans), weight decay pulling towards the start.
 * A decade head starts from that new all-decades head and is fine-tuned on its decade and the
 * neighbouring ones (the decade's reviewed posters weighted most); it is kept only when it beats
 * the all-decades head on the decade's reviewed validation posters.
 */
import type { DecadeOutcome, GenreCount, MetricsSummary, ProgressUnit } from '../../shared/types';
import type { BasePool } from './basePool';
import type { Gemm } from './gemm';
import { calibrateThresholds, evaluate, type Metrics } from './metrics';
import { alignTitle, FRESH_TITLE_INPUTS, inputsOf, rowThresholds, trainTitleForRetrain, withTitle } from './retrainTitle';
import type { TitlePart } from './titleModel';
import { DEFAULT_HEAD_PARAMS, headLogits, trainHead, type HeadParams, type HeadWeights } from './trainHead';

export interface RetrainParams {
  epochs: number;
  /** Weight decay towards the starting weights. */
  pull: number;
  /** Weight of a reviewed poster against a base-pool poster in the all-decades head. */
  reviewedWeight: number;
  /** In a decade head: the decade's own reviewed posters, and those of the neighbouring decades. */
  decadeWeight: number;
  neighbourWeight: number;
  learningRate: number;
  seed: number;
  /** A genre is learned once it has this many positive examples (reviewed + base pool). */
  minPositives: number;
  /** A decade head is tried only with this many reviewed posters of the decade, for training and for validation. */
  decadeMinTrain: number;
  decadeMinValidation: number;
  /** Training rows and epochs of a decade head: it starts from the new all-decades head, so little is enough. */
  decadeMaxRows: number;
  decadeEpochs: number;
  /** Learn a title and decade part when the active head has none (one it has is always fine-tuned). */
  learnTitles: boolean;
}

export const DEFAULT_RETRAIN_PARAMS: RetrainParams = {
  epochs: 4,
  pull: 1e-2,
  reviewedWeight: 3,
  decadeWeight: 5,
  neighbourWeight: 2,
  learningRate: 1e-3,
  seed: 1,
  minPositives: 20,
  decadeMinTrain: 100,
  decadeMinValidation: 20,
  decadeMaxRows: 3000,
  decadeEpochs: 3,
  learnTitles: true,
};

export interface ReviewedSet {
  ids: number[];
  /** n × dim, already transformed (square root + L2), like the base pool. */
  features: Float32Array;
  /** n × genres (RetrainInput.genres order). */
  labels: Uint8Array;
  known: Uint8Array;
  decades: (number | null)[];
  /** 1 = the fixed validation split. */
  validation: Uint8Array;
  /** Titles as catalogued (null = none); absent = none known. */
  titles?: (string | null)[];
}

export interface HeadUnderTest {
  version: string;
  weights: HeadWeights;
  thresholds: (number | null)[];
  /** The title and decade part of a head that reads them. */
  title?: TitlePart | null;
  /** Thresholds for posters scored without a usable title (default: thresholds). */
  imageOnlyThresholds?: (number | null)[];
}

export interface RetrainInput {
  /** The vocabulary the new heads learn, in order. */
  genres: string[];
  reviewed: ReviewedSet;
  pool: BasePool | null;
  /** The active all-decades head: where training starts, and what it is compared with. */
  parent: HeadUnderTest;
  /** Active decade heads, for the side-by-side comparison. */
  activeDecades: Record<string, HeadUnderTest>;
  /** null: a new all-decades head and every decade head the data supports; a decade: only that decade's head. */
  decade: number | null;
  params: RetrainParams;
}

export interface TrainedHead {
  decade: number | null;
  weights: HeadWeights;
  thresholds: (number | null)[];
  title: TitlePart | null;
  imageOnlyThresholds: (number | null)[];
  /** On the reviewed validation posters (of its decade, for a decade head): this head and the active one. */
  metrics: { candidate: MetricsSummary; active: MetricsSummary };
  kept: boolean;
}

export interface RetrainResult {
  heads: TrainedHead[];
  decades: DecadeOutcome[];
  /** The all-decades head (new or, for a decade-only run, the active one) per decade, beside the active routing. */
  perDecade: { decade: number | null; n: number; candidate: MetricsSummary; active: MetricsSummary }[];
  counts: { reviewed: number; validation: number; pool: number; perGenre: GenreCount[]; perDecade: Record<string, number> };
}

const summarise = (m: Metrics): MetricsSummary => ({
  n: m.n,
  microF1: m.microF1,
  macroF1: m.macroF1,
  weightedF1: m.weightedF1,
  top3HitRate: m.top3HitRate,
  perGenre: m.perGenre.map(({ genre, support, f1 }) => ({ genre, support, f1 })),
});

/** Reorders genre columns by name (case-insensitive); columns the source lacks come back unknown (0). */
function remapColumns(from: string[], data: Uint8Array, to: string[]): Uint8Array {
  const index = new Map(from.map((g, j) => [g.toLowerCase(), j]));
  const map = to.map((g) => index.get(g.toLowerCase()) ?? -1);
  const n = data.length / from.length;
  const out = new Uint8Array(n * to.length);
  for (let i = 0; i < n; i++) {
    map.forEach((j, k) => {
      if (j >= 0) out[i * to.length + k] = data[i * from.length + j] as number;
    });
  }
  return out;
}

interface AlignedHead {
  weights: HeadWeights;
  thresholds: (number | null)[];
  title: TitlePart | null;
  imageOnlyThresholds: (number | null)[];
}

/** The head's weights and thresholds with output columns in `genres` order; a genre it lacks starts silent. */
function alignHead(head: HeadUnderTest, genres: string[]): AlignedHead {
  const { weights } = head;
  const inner = weights.hidden > 0 ? weights.hidden : weights.dim;
  const from = new Map(weights.genres.map((g, j) => [g.toLowerCase(), j]));
  const g = genres.length;
  const w2 = new Float32Array(inner * g);
  const b2 = new Float32Array(g);
  const thresholds: (number | null)[] = [];
  const imageOnlyThresholds: (number | null)[] = [];
  genres.forEach((name, k) => {
    const j = from.get(name.toLowerCase());
    if (j === undefined) {
      b2[k] = -4; // a new genre starts improbable
      thresholds.push(null);
      imageOnlyThresholds.push(null);
      return;
    }
    for (let d = 0; d < inner; d++) w2[d * g + k] = weights.w2[d * weights.genres.length + j] as number;
    b2[k] = weights.b2[j] as number;
    thresholds.push(head.thresholds[j] ?? null);
    imageOnlyThresholds.push((head.imageOnlyThresholds ?? head.thresholds)[j] ?? null);
  });
  return {
    weights: { ...weights, genres, w2, b2, trained: thresholds.map((t) => t !== null) },
    thresholds,
    title: head.title ? alignTitle(head.title, weights.genres, genres) : null,
    imageOnlyThresholds,
  };
}

/** At most `room` of `list`, evenly spread (deterministic). */
function spread(list: number[], room: number): number[] {
  if (list.length <= room) return list;
  if (room <= 0) return [];
  return Array.from({ length: room }, (_, k) => list[Math.floor((k * list.length) / room)] as number);
}

function gather(source: Float32Array, dim: number, rows: number[], out: Float32Array, at: number): void {
  rows.forEach((r, k) => out.set(source.subarray(r * dim, (r + 1) * dim), (at + k) * dim));
}

export interface Progress {
  (done: number, total: number, unit: ProgressUnit, message: string): void;
}

/** How the progress line names a head: the words the Models screen uses for it. */
const modelName = (decade: number | null) => (decade === null ? 'all-decades model' : `${decade}s model`);

export async function retrain(input: RetrainInput, gemm: Gemm, onProgress: Progress, signal: AbortSignal): Promise<RetrainResult> {
  const { genres, reviewed, pool, params } = input;
  const g = genres.length;
  const dim = input.parent.weights.dim;
  const nReviewed = reviewed.ids.length;
  const poolLabels = pool ? remapColumns(pool.genres, pool.labels, genres) : new Uint8Array(0);
  const poolKnown = pool ? remapColumns(pool.genres, pool.known, genres) : new Uint8Array(0);
  const poolTrain = pool ? pool.decades.map((_, i) => i).filter((i) => pool.validation[i] === 0) : [];
  const poolValidation = pool ? pool.decades.map((_, i) => i).filter((i) => pool.validation[i] === 1) : [];
  const reviewedRows = reviewed.ids.map((_, i) => i);
  const reviewedTrain = reviewedRows.filter((i) => reviewed.validation[i] === 0);
  const reviewedValidation = reviewedRows.filter((i) => reviewed.validation[i] === 1);

  // Positive examples per genre decide which genres are learned at all.
  const positives = (labels: Uint8Array, known: Uint8Array, rows: number[], j: number) =>
    rows.reduce((s, i) => s + (labels[i * g + j] === 1 && known[i * g + j] === 1 ? 1 : 0), 0);
  const perGenre: GenreCount[] = genres.map((genre, j) => {
    const r = positives(reviewed.labels, reviewed.known, reviewedRows, j);
    const p = pool ? positives(poolLabels, poolKnown, poolTrain, j) : 0;
    // Without the base pool, what the active head already learned stays learned.
    const inherited = !pool && input.parent.weights.genres.some((name, k) => name.toLowerCase() === genre.toLowerCase() && input.parent.thresholds[k] !== null);
    return { genre, reviewed: r, pool: p, needs: inherited ? 0 : Math.max(0, params.minPositives - r - p) };
  });
  const learned = perGenre.map((c) => c.needs === 0);
  const perDecadeCounts: Record<string, number> = {};
  for (const d of reviewed.decades) perDecadeCounts[d === null ? 'unknown' : String(d)] = (perDecadeCounts[d === null ? 'unknown' : String(d)] ?? 0) + 1;

  // Everything is scored on one array: the reviewed validation posters first, then the pool's validation posters.
  const V = reviewedValidation.length;
  const evalRows = V + poolValidation.length;
  const evalFeatures = new Float32Array(evalRows * dim);
  gather(reviewed.features, dim, reviewedValidation, evalFeatures, 0);
  if (pool) gather(pool.features, dim, poolValidation, evalFeatures, V);
  const evalLabels = new Uint8Array(evalRows * g);
  const evalKnown = new Uint8Array(evalRows * g);
  reviewedValidation.forEach((r, k) => {
    evalLabels.set(reviewed.labels.subarray(r * g, (r + 1) * g), k * g);
    evalKnown.set(reviewed.known.subarray(r * g, (r + 1) * g), k * g);
  });
  poolValidation.forEach((r, k) => {
    evalLabels.set(poolLabels.subarray(r * g, (r + 1) * g), (V + k) * g);
    evalKnown.set(poolKnown.subarray(r * g, (r + 1) * g), (V + k) * g);
  });
  /** Positions in the scored array of the reviewed validation posters (of one decade). */
  const validationOf = (d?: number | null) => reviewedValidation.flatMap((r, k) => (d === undefined || reviewed.decades[r] === d ? [k] : []));
  const scored = (probs: Float32Array) => ({ genres, probs, labels: evalLabels, known: evalKnown });
  // Titles and decades of the scored posters: a title-aware head reads them beside the image.
  const titleOf = (r: number) => reviewed.titles?.[r] ?? null;
  const evalTitles = [...reviewedValidation.map(titleOf), ...poolValidation.map((r) => pool?.titles?.[r] ?? null)];
  const evalDecades = [...reviewedValidation.map((r) => reviewed.decades[r] ?? null), ...poolValidation.map((r) => pool?.decades[r] ?? null)];
  const predict = async (h: { weights: HeadWeights; title: TitlePart | null }, dropTitles = false) =>
    withTitle(
      await headLogits({ ...h.weights, featureTransform: 'none' }, evalFeatures, gemm),
      h.title,
      inputsOf(h.title, dropTitles ? evalTitles.map(() => null) : evalTitles, evalDecades),
      g,
    );
  /** Per row: the head's thresholds for what it read of that poster. */
  const thresholdsOf = (h: AlignedHead) => rowThresholds(h.thresholds, h.imageOnlyThresholds, inputsOf(h.title, evalTitles, evalDecades));

  // Counted in training rounds (epochs): the all-decades head's, then each decade head's. The work
  // between them (scoring, titles, thresholds) is said in words at the same count.
  const decadesToTry = input.decade === null ? [...new Set(reviewed.decades.filter((d): d is number => d !== null))].sort((a, b) => a - b) : [input.decade];
  const totalSteps = (input.decade === null ? params.epochs : 0) + decadesToTry.length * params.decadeEpochs;
  let stepsDone = 0;
  const say = (message: string) => onProgress(stepsDone, totalSteps, 'round', message);

  // The active routing (decade head where one is active, else the all-decades head), for the side-by-side.
  say('scoring the model in use on the reviewed validation posters');
  const parent = alignHead(input.parent, genres);
  const parentProbs = await predict(parent);
  const activeProbs = parentProbs.slice();
  const activeThresholds = thresholdsOf(parent);
  for (const [decade, head] of Object.entries(input.activeDecades)) {
    const aligned = alignHead(head, genres);
    const probs = await predict(aligned);
    const rowT = thresholdsOf(aligned);
    for (const k of validationOf(Number(decade))) {
      activeProbs.set(probs.subarray(k * g, (k + 1) * g), k * g);
      activeThresholds.set(rowT.subarray(k * g, (k + 1) * g), k * g);
    }
  }
  const measure = (probs: Float32Array, thresholds: ArrayLike<number>, rows: number[]) => summarise(evaluate(scored(probs), thresholds, rows));
  const decadeRows = (d: number | null, rows: number[]) => rows.filter((i) => reviewed.decades[i] === d);

  const headParams: HeadParams = {
    ...DEFAULT_HEAD_PARAMS,
    hidden: parent.weights.hidden,
    members: 1, // fine-tuning trains the (possibly merged) active head as one
    epochs: params.epochs,
    learningRate: params.learningRate,
    seed: params.seed,
    featureTransform: 'none', // inputs arrive transformed
  };
  const job = (decade: number | null) => ({
    signal,
    onProgress: (epoch: number, epochs: number) => onProgress(stepsDone + epoch, totalSteps, 'round', `${modelName(decade)}, round ${epoch} of ${epochs}`),
  });

  /** Fine-tunes `start` on pool rows and reviewed rows with their weights. */
  const fineTune = async (
    start: HeadWeights,
    epochs: number,
    poolRows: number[],
    poolWeight: (r: number) => number,
    rows: number[],
    weight: (r: number) => number,
    decade: number | null,
  ) => {
    const set = assemble(poolRows, poolWeight, rows, weight);
    const head = await trainHead({ ...set, dim, genres }, { ...headParams, epochs }, gemm, job(decade), {
      ...start,
      pull: params.pull,
    });
    stepsDone += epochs;
    return { weights: { ...head, trained: learned, featureTransform: start.featureTransform }, set };
  };

  /** Training rows: pool rows first, then reviewed rows, with their weights, titles and decades. */
  const assemble = (poolRows: number[], poolWeight: (r: number) => number, rows: number[], weight: (r: number) => number) => {
    const n = poolRows.length + rows.length;
    const features = new Float32Array(n * dim);
    const labels = new Uint8Array(n * g);
    const known = new Uint8Array(n * g);
    const weights = new Float32Array(n);
    if (pool) gather(pool.features, dim, poolRows, features, 0);
    gather(reviewed.features, dim, rows, features, poolRows.length);
    poolRows.forEach((r, k) => {
      labels.set(poolLabels.subarray(r * g, (r + 1) * g), k * g);
      known.set(poolKnown.subarray(r * g, (r + 1) * g), k * g);
      weights[k] = poolWeight(r);
    });
    rows.forEach((r, k) => {
      labels.set(reviewed.labels.subarray(r * g, (r + 1) * g), (poolRows.length + k) * g);
      known.set(reviewed.known.subarray(r * g, (r + 1) * g), (poolRows.length + k) * g);
      weights[poolRows.length + k] = weight(r);
    });
    const titles = [...poolRows.map((r) => pool?.titles?.[r] ?? null), ...rows.map(titleOf)];
    const decadesOfRows = [...poolRows.map((r) => pool?.decades[r] ?? null), ...rows.map((r) => reviewed.decades[r] ?? null)];
    return { features, labels, known, weights, titles, decades: decadesOfRows };
  };

  const heads: TrainedHead[] = [];
  let allDecades = parent;
  let allDecadesProbs = parentProbs;
  if (input.decade === null) {
    const { weights, set } = await fineTune(
      parent.weights,
      params.epochs,
      poolTrain,
      () => 1,
      reviewedTrain,
      () => params.reviewedWeight,
      null,
    );
    // The title part learns on top of the new image head: the dealer's own title words among them.
    const offsets = await headLogits({ ...weights, featureTransform: 'none' }, set.features, gemm);
    const start = parent.title ?? null;
    if (start || params.learnTitles) say(`${modelName(null)}: learning from the titles`);
    const title =
      !start && !params.learnTitles
        ? null
        : trainTitleForRetrain(
            {
              genres,
              offsets,
              inputs: inputsOf(start ?? FRESH_TITLE_INPUTS(), set.titles, set.decades),
              labels: set.labels,
              known: set.known,
              weights: set.weights,
            },
            start,
            params.pull,
            params.seed,
            signal,
          );
    const candidate = { weights, title };
    say(`checking the new ${modelName(null)} on the reviewed validation posters`);
    const probs = await predict(candidate);
    const probsWithout = await predict(candidate, true);
    // Thresholds from the reviewed validation posters and the pool's (those with a usable title, and all of them
    // scored without one); too few positives keep the previous threshold.
    const allRows = Array.from({ length: evalRows }, (_, k) => k);
    const withTitleRows = title ? inputsOf(title, evalTitles, evalDecades).ids.flatMap((ids, k) => (ids.length ? [k] : [])) : allRows;
    const calibrate = (p: Float32Array, rows: number[], previous: (number | null)[]) =>
      Array.from(calibrateThresholds(scored(p), rows, learned, { fallback: Number.NaN }), (t, j) =>
        !learned[j] ? null : Number.isNaN(t) ? (previous[j] ?? 0.5) : t,
      );
    const thresholds = calibrate(probs, withTitleRows, parent.thresholds);
    const imageOnlyThresholds = title ? calibrate(probsWithout, allRows, parent.imageOnlyThresholds) : thresholds;
    allDecades = { weights, thresholds, title, imageOnlyThresholds };
    allDecadesProbs = probs;
    heads.push({
      decade: null,
      weights,
      thresholds,
      title,
      imageOnlyThresholds,
      metrics: {
        candidate: measure(probs, thresholdsOf(allDecades), validationOf()),
        active: measure(activeProbs, activeThresholds, validationOf()),
      },
      kept: true,
    });
  }
  const allThresholds = thresholdsOf(allDecades);
  const perDecade = [...new Set(reviewed.decades)]
    .sort((a, b) => (a ?? 0) - (b ?? 0))
    .map((d) => {
      const rows = validationOf(d);
      return { decade: d, n: rows.length, candidate: measure(allDecadesProbs, allThresholds, rows), active: measure(activeProbs, activeThresholds, rows) };
    });

  const decades: DecadeOutcome[] = [];
  for (const decade of decadesToTry) {
    signal.throwIfAborted();
    const train = decadeRows(decade, reviewedTrain);
    const validation = validationOf(decade);
    const outcome: DecadeOutcome = {
      decade,
      trainPosters: train.length,
      validationPosters: validation.length,
      minTrain: params.decadeMinTrain,
      minValidation: params.decadeMinValidation,
      status: 'too-few',
    };
    decades.push(outcome);
    if (train.length < params.decadeMinTrain || validation.length < params.decadeMinValidation) {
      stepsDone += params.decadeEpochs;
      say(`${modelName(decade)} skipped: too few reviewed posters from the ${decade}s`);
      continue;
    }
    // The decade's reviewed posters first, then its neighbours', then the pool's: at most decadeMaxRows.
    const neighbour = (d: number | null) => d !== null && Math.abs(d - decade) === 10;
    let room = params.decadeMaxRows;
    const take = (list: number[]) => {
      const kept = spread(list, room);
      room -= kept.length;
      return kept;
    };
    const rows = [...take(train), ...take(reviewedTrain.filter((r) => neighbour(reviewed.decades[r] ?? null)))];
    const poolRows = pool
      ? [...take(poolTrain.filter((r) => pool.decades[r] === decade)), ...take(poolTrain.filter((r) => neighbour(pool.decades[r] ?? null)))]
      : [];
    const { weights, set } = await fineTune(
      allDecades.weights,
      params.decadeEpochs,
      poolRows,
      (r) => (pool?.decades[r] === decade ? 1 : 0.5),
      rows,
      (r) => (reviewed.decades[r] === decade ? params.decadeWeight : params.neighbourWeight),
      decade,
    );
    // Its title part starts from the all-decades head's and learns on top of its own image part (whose
    // errors differ); it shares the all-decades head's thresholds.
    if (allDecades.title) say(`${modelName(decade)}: learning from the titles`);
    const decadeOffsets = await headLogits({ ...weights, featureTransform: 'none' }, set.features, gemm);
    const title = allDecades.title
      ? trainTitleForRetrain(
          {
            genres,
            offsets: decadeOffsets,
            inputs: inputsOf(allDecades.title, set.titles, set.decades),
            labels: set.labels,
            known: set.known,
            weights: set.weights,
          },
          allDecades.title,
          params.pull,
          params.seed,
          signal,
        )
      : null;
    say(`checking the ${modelName(decade)} against the ${modelName(null)}`);
    const probs = await predict({ weights, title });
    outcome.candidate = measure(probs, allThresholds, validation);
    outcome.allDecades = measure(allDecadesProbs, allThresholds, validation);
    outcome.active = measure(activeProbs, activeThresholds, validation);
    outcome.status = outcome.candidate.microF1 > outcome.allDecades.microF1 ? 'kept' : 'lost';
    heads.push({
      decade,
      weights,
      thresholds: allDecades.thresholds,
      title,
      imageOnlyThresholds: allDecades.imageOnlyThresholds,
      metrics: { candidate: outcome.candidate, active: outcome.active },
      kept: outcome.status === 'kept',
    });
  }
  return {
    heads,
    decades,
    perDecade,
    counts: { reviewed: nReviewed, validation: reviewedValidation.length, pool: poolTrain.length, perGenre, perDecade: perDecadeCounts },
  };
}
