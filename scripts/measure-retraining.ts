/**
 * How should retraining on a dealer's reviewed posters work? Simulates the case on the research
 * posters: one source plays "the dealer's stock" (never seen by the base head), a few hundred of
 * its posters of one decade are "reviewed", and each retraining method is scored on the rest of
 * that decade of that source.
 *
 * --held-out-features crop.int8 gives the held-out source (reviewed and test posters) the int8
 * model's features while the pool keeps the fp32 ones: a dealer's catalogue tagged on a CPU that
 * runs the int8 model, retrained with the shipped fp32 base pool.
 *
 *   npx tsx scripts/measure-retraining.ts [--reviewed 300] [--sources imdb-vintage,movielens-1m] [--held-out-features crop.int8]
 */
import { parseArgs } from 'node:util';
import { decadeOf } from '../src/shared/genres';
import { stableFraction } from '../src/main/training/dataset';
import { Gemm } from '../src/main/training/gemm';
import { DEFAULT_RETRAIN_PARAMS, retrain } from '../src/main/training/retrain';
import { calibrateThresholds, evaluate, type Metrics } from '../src/main/training/metrics';
import { FEATURE_DIM } from '../src/main/inference/modelFiles';
import { DEFAULT_HEAD_PARAMS, predictHead, seededRandom, trainHead, transformFeatures, type HeadParams } from '../src/main/training/trainHead';
import { genres, loadData, subset, type Data } from './lib/sharedFeatures';

const { values } = parseArgs({
  options: {
    reviewed: { type: 'string', default: '300' },
    sources: { type: 'string', default: 'imdb-vintage,movielens-1m' },
    epochs: { type: 'string', default: '20' },
    decades: { type: 'string', default: '1950,1960,1980,1990' },
    'decade-heads': { type: 'boolean', default: false },
    'held-out-features': { type: 'string' },
  },
});

/** The research features, with the held-out source's rows from another feature file (--held-out-features). */
function featuresFor(loaded: Data, held: string): Data {
  const other = values['held-out-features'];
  if (!other) return loaded;
  const replacement = loadData(other);
  if (replacement.posters.length !== loaded.posters.length) throw new Error(`${other} features are not of the same posters`);
  const features = Float32Array.from(loaded.features);
  loaded.posters.forEach((p, i) => {
    if (p.source === held) features.set(replacement.features.subarray(i * FEATURE_DIM, (i + 1) * FEATURE_DIM), i * FEATURE_DIM);
  });
  return { ...loaded, features };
}
const REVIEWED = Number(values.reviewed);
const isValidation = (key: string) => stableFraction(key) < 0.15;
const fmt = (m: Metrics) => `micro-F1 ${m.microF1.toFixed(3)} top-3 ${m.top3HitRate.toFixed(3)} macro ${m.macroF1.toFixed(3)}`;

function rowsOf(x: Float32Array, dim: number, rows: number[]): Float32Array {
  const out = new Float32Array(rows.length * dim);
  rows.forEach((r, k) => out.set(x.subarray(r * dim, (r + 1) * dim), k * dim));
  return out;
}

/** 8 bits per value, one scale per dimension: how the base pool ships. */
function quantise(x: Float32Array, dim: number): Float32Array {
  const scale = new Float32Array(dim);
  for (let i = 0; i < x.length; i++) scale[i % dim] = Math.max(scale[i % dim] as number, x[i] as number);
  return Float32Array.from(x, (v, i) => (Math.round((v / ((scale[i % dim] as number) || 1)) * 255) / 255) * (scale[i % dim] as number));
}

async function main(): Promise<void> {
  const gemm = await Gemm.open();
  const loaded = loadData('crop');
  const all = loaded.posters.map((_, i) => i);
  const params: HeadParams = { ...DEFAULT_HEAD_PARAMS, epochs: Number(values.epochs) };
  for (const held of (values.sources as string).split(',')) {
    const data = featuresFor(loaded, held);
    const heldKeys = new Set(all.filter((i) => data.posters[i]?.source === held).map((i) => data.keys[i]));
    const pool = all.filter((i) => data.posters[i]?.source !== held && !heldKeys.has(data.keys[i]));
    const poolTrain = pool.filter((i) => !isValidation(data.keys[i] as string));
    const poolVal = pool.filter((i) => isValidation(data.keys[i] as string));
    let t = performance.now();
    const base = await trainHead({ ...subset(data, poolTrain), weights: undefined }, params, gemm);
    console.log(`[${held}] base head on ${poolTrain.length} pool posters: ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const baseProbs = await predictHead(base, data.features, gemm);
    const scoredWith = (probs: Float32Array) => ({ genres, probs, labels: data.labels, known: data.known });
    const baseThresholds = calibrateThresholds(scoredWith(baseProbs), poolVal, base.trained);

    const byDecade = new Map<number, number[]>();
    for (const i of all) {
      const p = data.posters[i];
      const d = decadeOf(p?.year ?? null);
      if (p?.source !== held || d === null) continue;
      byDecade.set(d, [...(byDecade.get(d) ?? []), i]);
    }
    for (const [decade, rows] of [...byDecade].sort((a, b) => a[0] - b[0])) {
      if (rows.length < REVIEWED + 200 || !(values.decades as string).split(',').includes(String(decade))) continue;
      const random = seededRandom(decade);
      const shuffled = [...rows].sort(() => random() - 0.5);
      const reviewed = shuffled.slice(0, REVIEWED);
      const reviewedKeys = new Set(reviewed.map((i) => data.keys[i]));
      const test = shuffled.slice(REVIEWED).filter((i) => !reviewedKeys.has(data.keys[i]));
      const report = (name: string, probs: Float32Array, thresholds: ArrayLike<number>, seconds?: number) =>
        console.log(
          `[${held} ${decade}s, ${reviewed.length} reviewed, ${test.length} test] ${name.padEnd(44)} ${fmt(evaluate(scoredWith(probs), thresholds, test))}${seconds === undefined ? '' : `  (${seconds.toFixed(1)} s)`}`,
        );
      report('base head', baseProbs, baseThresholds);
      const calibRows = [...poolVal, ...reviewed];
      report('base head, thresholds + reviewed', baseProbs, calibrateThresholds(scoredWith(baseProbs), calibRows, base.trained));

      // Reference: full retrain from scratch on pool + reviewed ×3.
      const weighted = (rowsList: number[], weight: number) => Float32Array.from([...poolTrain, ...rowsList], (_, k) => (k < poolTrain.length ? 1 : weight));
      t = performance.now();
      const full = await trainHead({ ...subset(data, [...poolTrain, ...reviewed]), weights: weighted(reviewed, 3) }, params, gemm);
      const fullSeconds = (performance.now() - t) / 1000;
      const fullProbs = await predictHead(full, data.features, gemm);
      report('full retrain, pool + reviewed x3', fullProbs, calibrateThresholds(scoredWith(fullProbs), calibRows, full.trained), fullSeconds);

      // Fine-tuning the whole head from the base weights, a few epochs, on the pool (as shipped:
      // transformed and quantised to 8 bits, or exact) + reviewed; or on the reviewed posters alone.
      const exact = transformFeatures(data.features, FEATURE_DIM, base.featureTransform);
      const quantised = quantise(exact, FEATURE_DIM);
      const noTransform = { ...params, hidden: base.hidden, members: 1, featureTransform: 'none' as const };
      for (const [name, x, list, w, epochs, pull] of [
        ['warm, pool + reviewed x3, 4 epochs', exact, [...poolTrain, ...reviewed], weighted(reviewed, 3), 4, 1e-2],
        ['warm, pool (8-bit) + reviewed x3, 4 epochs', quantised, [...poolTrain, ...reviewed], weighted(reviewed, 3), 4, 1e-2],
        ['warm, pool (8-bit) + reviewed x3, 8 epochs', quantised, [...poolTrain, ...reviewed], weighted(reviewed, 3), 8, 1e-2],
        ['warm, pool (8-bit) + reviewed x5, 4 epochs', quantised, [...poolTrain, ...reviewed], weighted(reviewed, 5), 4, 1e-2],
        ['warm, reviewed only, 10 epochs pull 1e-1', exact, reviewed, undefined, 10, 1e-1],
      ] as [string, Float32Array, number[], Float32Array | undefined, number, number][]) {
        t = performance.now();
        const set = { ...subset(data, list), features: rowsOf(x, FEATURE_DIM, list), weights: w };
        const head = await trainHead(set, { ...noTransform, epochs }, gemm, undefined, { ...base, pull });
        const seconds = (performance.now() - t) / 1000;
        const z = await predictHead(head, exact, gemm);
        report(name, z, calibrateThresholds(scoredWith(z), calibRows, base.trained), seconds);
      }
    }
  }
  await gemm.close();
}

/**
 * --decade-heads: the application's own retrain() on a held-out source with reviewed posters in
 * every decade (up to 400 each); each decade's head, kept or lost by the in-app safeguard (on the
 * reviewed validation posters), is then scored on that decade's remaining posters beside the new
 * all-decades head and the base head.
 */
async function decadeHeads(): Promise<void> {
  const gemm = await Gemm.open();
  const data = loadData('crop');
  const all = data.posters.map((_, i) => i);
  const g = genres.length;
  const transformed = transformFeatures(data.features, FEATURE_DIM, 'sqrt-l2');
  for (const held of (values.sources as string).split(',')) {
    const heldKeys = new Set(all.filter((i) => data.posters[i]?.source === held).map((i) => data.keys[i]));
    const pool = all.filter((i) => data.posters[i]?.source !== held && !heldKeys.has(data.keys[i]));
    const poolTrain = pool.filter((i) => !isValidation(data.keys[i] as string));
    const base = await trainHead({ ...subset(data, poolTrain) }, { ...DEFAULT_HEAD_PARAMS, epochs: Number(values.epochs) }, gemm);
    const baseProbs = await predictHead(base, data.features, gemm);
    const scoredWith = (probs: Float32Array) => ({ genres, probs, labels: data.labels, known: data.known });
    const baseThresholds = calibrateThresholds(
      scoredWith(baseProbs),
      pool.filter((i) => isValidation(data.keys[i] as string)),
      base.trained,
    );
    const random = seededRandom(7);
    const heldRows = all.filter((i) => data.posters[i]?.source === held).sort(() => random() - 0.5);
    const perDecade = new Map<number, number[]>();
    for (const i of heldRows) {
      const d = decadeOf(data.posters[i]?.year ?? null);
      if (d !== null) perDecade.set(d, [...(perDecade.get(d) ?? []), i]);
    }
    const reviewedRows = [...perDecade.values()].flatMap((rows) => rows.slice(0, Math.min(400, Math.floor(rows.length * 0.5))));
    const reviewedKeys = new Set(reviewedRows.map((i) => data.keys[i]));
    const pick = <T extends Float32Array | Uint8Array>(src: T, width: number, rows: number[], make: (n: number) => T): T => {
      const out = make(rows.length * width);
      rows.forEach((r, k) => out.set(src.subarray(r * width, (r + 1) * width), k * width));
      return out;
    };
    const poolSet = {
      featureModel: 'x',
      strategy: 'crop',
      transform: 'sqrt-l2' as const,
      n: pool.length,
      dim: FEATURE_DIM,
      genres,
      positives: {},
      decades: pool.map((i) => decadeOf(data.posters[i]?.year ?? null)),
      validation: pool.map((i) => (isValidation(data.keys[i] as string) ? 1 : 0)),
      features: pick(transformed, FEATURE_DIM, pool, (n) => new Float32Array(n)),
      labels: pick(data.labels, g, pool, (n) => new Uint8Array(n)),
      known: pick(data.known, g, pool, (n) => new Uint8Array(n)),
    };
    const reviewed = {
      ids: reviewedRows,
      features: pick(transformed, FEATURE_DIM, reviewedRows, (n) => new Float32Array(n)),
      labels: pick(data.labels, g, reviewedRows, (n) => new Uint8Array(n)),
      known: pick(data.known, g, reviewedRows, (n) => new Uint8Array(n)),
      decades: reviewedRows.map((i) => decadeOf(data.posters[i]?.year ?? null)),
      validation: Uint8Array.from(reviewedRows, (i) => (stableFraction(data.keys[i] as string, 7) < 0.2 ? 1 : 0)),
    };
    const t = performance.now();
    const result = await retrain(
      {
        genres,
        reviewed,
        pool: poolSet,
        parent: { version: 'base', weights: base, thresholds: Array.from(baseThresholds, (x) => (Number.isFinite(x) ? x : null)) },
        activeDecades: {},
        decade: null,
        params: DEFAULT_RETRAIN_PARAMS,
      },
      gemm,
      () => undefined,
      new AbortController().signal,
    );
    console.log(`[${held}] retrain on ${reviewedRows.length} reviewed posters: ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const main = result.heads.find((h) => h.decade === null);
    if (!main) continue;
    const th = Float32Array.from(main.thresholds, (x) => x ?? Number.POSITIVE_INFINITY);
    const mainProbs = await predictHead(main.weights, data.features, gemm);
    for (const [decade, rows] of [...perDecade].sort((a, b) => a[0] - b[0])) {
      const test = rows.filter((i) => !reviewedKeys.has(data.keys[i]));
      const outcome = result.decades.find((o) => o.decade === decade);
      const head = result.heads.find((h) => h.decade === decade);
      const headF1 = head ? evaluate(scoredWith(await predictHead(head.weights, data.features, gemm)), th, test).microF1.toFixed(3) : '  -  ';
      console.log(
        `[${held} ${decade}s] reviewed ${rows.length - test.length}, test ${test.length}: base ${evaluate(scoredWith(baseProbs), baseThresholds, test).microF1.toFixed(3)}` +
          `  all-decades ${evaluate(scoredWith(mainProbs), th, test).microF1.toFixed(3)}  decade head ${headF1} (${outcome?.status ?? 'none'}` +
          `${outcome?.candidate ? `: validation ${outcome.candidate.microF1.toFixed(3)} vs ${outcome.allDecades?.microF1.toFixed(3)}` : ''})`,
      );
    }
  }
  await gemm.close();
}

if (values['decade-heads']) await decadeHeads();
else await main();
