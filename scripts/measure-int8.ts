/**
 * Research tool: does the int8 feature model move the genre head's quality? Needs the fp32 and int8
 * features of the research posters (npm run featurize:shared -- --strategies crop [--precision int8]).
 *
 *  - feature cosine int8 vs fp32 per poster (mean, 5th percentile, min), the 200 calibration posters apart;
 *  - leave one source out, as train-default --loso: a head trained and thresholded on fp32 features of
 *    two sources (as the shipped head is), tested on the third with fp32 features and with int8
 *    features of the same posters. Micro-F1 and top-3 per source and their mean over the three, with a
 *    paired bootstrap (posters resampled within each source, 1000 draws) 95% interval of int8 − fp32;
 *  - the same with the head trained on int8 features (retraining on a catalogue tagged in int8), beside
 *    a head trained on fp32 features with another seed: how far training alone moves the figures.
 *
 *   npm run measure:int8 -- [--strategy crop] [--draws 1000]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { stableFraction } from '../src/main/training/dataset';
import { Gemm } from '../src/main/training/gemm';
import { calibrateThresholds, evaluate } from '../src/main/training/metrics';
import { DEFAULT_HEAD_PARAMS, predictHead, trainHead } from '../src/main/training/trainHead';
import { FEATURE_DIM } from '../src/main/inference/modelFiles';
import { INT8_RANGES } from './lib/quantizeResnet';
import { G, genres, loadData, subset, type Data } from './lib/sharedFeatures';
import { SOURCES } from './lib/sharedPosters';

const { values } = parseArgs({ options: { strategy: { type: 'string', default: 'crop' }, draws: { type: 'string', default: '1000' } } });
const strategy = values.strategy as string;
const isValidation = (key: string) => stableFraction(key) < 0.15;

/** Per poster: true/false positives and false negatives over its known genres, and whether a top-3 genre is right (null: no known positive). */
interface RowScore {
  tp: number;
  fp: number;
  fn: number;
  top3: number | null;
}

function rowScores(probs: Float32Array, data: Data, thresholds: Float32Array, rows: number[]): RowScore[] {
  return rows.map((i) => {
    const s: RowScore = { tp: 0, fp: 0, fn: 0, top3: null };
    let anyPositive = false;
    for (let j = 0; j < G; j++) {
      const at = i * G + j;
      if (!data.known[at]) continue;
      const predicted = (probs[at] as number) >= (thresholds[j] as number);
      const actual = data.labels[at] === 1;
      if (actual) anyPositive = true;
      if (predicted && actual) s.tp++;
      else if (predicted) s.fp++;
      else if (actual) s.fn++;
    }
    if (anyPositive) {
      const ranked = Array.from({ length: G }, (_, j) => j)
        .filter((j) => Number.isFinite(thresholds[j] as number) && (thresholds[j] as number) <= 1)
        .sort((a, b) => (probs[i * G + b] as number) - (probs[i * G + a] as number))
        .slice(0, 3);
      s.top3 = ranked.some((j) => data.labels[i * G + j] === 1 && data.known[i * G + j] === 1) ? 1 : 0;
    }
    return s;
  });
}

function metricsOf(scores: RowScore[], pick: ArrayLike<number>): { microF1: number; top3: number } {
  let [tp, fp, fn, hits, withPositive] = [0, 0, 0, 0, 0];
  for (let k = 0; k < pick.length; k++) {
    const s = scores[pick[k] as number] as RowScore;
    tp += s.tp;
    fp += s.fp;
    fn += s.fn;
    if (s.top3 !== null) {
      withPositive++;
      hits += s.top3;
    }
  }
  return { microF1: tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn), top3: withPositive ? hits / withPositive : 0 };
}

/** A small deterministic generator, so the interval is the same on every run. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number;

async function main(): Promise<void> {
  const fp32 = loadData(strategy);
  const int8 = loadData(`${strategy}.int8`);
  if (fp32.posters.length !== int8.posters.length || fp32.posters.some((p, i) => p.path !== int8.posters[i]?.path)) {
    throw new Error('the fp32 and int8 features are not of the same posters');
  }
  const calibration = new Set((JSON.parse(readFileSync(INT8_RANGES, 'utf8')) as { posters: string[] }).posters);
  const isCalibration = (i: number) => calibration.has(`${fp32.posters[i]?.source}/${fp32.posters[i]?.file}`);

  const cos: number[] = [];
  for (let i = 0; i < fp32.posters.length; i++) {
    if (isCalibration(i)) continue;
    let [dot, na, nb] = [0, 0, 0];
    for (let j = i * FEATURE_DIM; j < (i + 1) * FEATURE_DIM; j++) {
      const a = fp32.features[j] as number;
      const b = int8.features[j] as number;
      dot += a * b;
      na += a * a;
      nb += b * b;
    }
    cos.push(dot / Math.sqrt(na * nb));
  }
  cos.sort((a, b) => a - b);
  console.log(
    `feature cosine int8 vs fp32 on ${cos.length} posters (calibration posters excluded): mean ${(cos.reduce((s, c) => s + c, 0) / cos.length).toFixed(4)}, ` +
      `5th pct ${percentile(cos, 0.05).toFixed(4)}, min ${(cos[0] as number).toFixed(4)}`,
  );

  const gemm = await Gemm.open();
  const rows = fp32.posters.map((_, i) => i);
  const arms = { fp32: [] as RowScore[][], int8: [] as RowScore[][], int8Trained: [] as RowScore[][], otherSeed: [] as RowScore[][] };
  const tests: number[][] = [];
  for (const held of SOURCES) {
    const keysHeld = new Set(rows.filter((i) => fp32.posters[i]?.source === held).map((i) => fp32.keys[i]));
    const inTrain = rows.filter((i) => fp32.posters[i]?.source !== held && !keysHeld.has(fp32.keys[i]));
    const test = rows.filter((i) => fp32.posters[i]?.source === held && !isCalibration(i));
    const train = inTrain.filter((i) => !isValidation(fp32.keys[i] as string));
    const calib = inTrain.filter((i) => isValidation(fp32.keys[i] as string));
    tests.push(test);
    for (const [trainedOn, data] of [
      ['fp32', fp32],
      ['int8', int8],
      ['fp32, seed + 1', fp32],
    ] as const) {
      const params = trainedOn === 'fp32, seed + 1' ? { ...DEFAULT_HEAD_PARAMS, seed: DEFAULT_HEAD_PARAMS.seed + 1 } : DEFAULT_HEAD_PARAMS;
      const head = await trainHead(subset(data, train), params, gemm);
      const probsOwn = await predictHead(head, data.features, gemm);
      const thresholds = calibrateThresholds({ genres, probs: probsOwn, labels: data.labels, known: data.known }, calib, head.trained);
      if (trainedOn === 'fp32') {
        const probs8 = await predictHead(head, int8.features, gemm);
        arms.fp32.push(rowScores(probsOwn, fp32, thresholds, test));
        arms.int8.push(rowScores(probs8, int8, thresholds, test));
        // The per-row scores add up to what train-default reports.
        const check = evaluate({ genres, probs: probsOwn, labels: fp32.labels, known: fp32.known }, thresholds, test);
        const mine = metricsOf(
          arms.fp32.at(-1) as RowScore[],
          Array.from(test, (_, k) => k),
        );
        if (Math.abs(check.microF1 - mine.microF1) > 1e-9 || Math.abs(check.top3HitRate - mine.top3) > 1e-9)
          throw new Error('row scores disagree with evaluate()');
      } else if (trainedOn === 'int8') {
        arms.int8Trained.push(rowScores(probsOwn, int8, thresholds, test));
      } else {
        arms.otherSeed.push(rowScores(probsOwn, fp32, thresholds, test));
      }
    }
    const all = (s: RowScore[]) =>
      metricsOf(
        s,
        Array.from(test, (_, k) => k),
      );
    const [a, b, c, d] = [arms.fp32, arms.int8, arms.int8Trained, arms.otherSeed].map((arm) => all(arm.at(-1) as RowScore[])) as [
      ReturnType<typeof all>,
      ReturnType<typeof all>,
      ReturnType<typeof all>,
      ReturnType<typeof all>,
    ];
    console.log(
      `held-out ${held} (n=${test.length}), micro-F1 / top-3: fp32 ${a.microF1.toFixed(4)} / ${a.top3.toFixed(4)} | int8 features, fp32 head ` +
        `${b.microF1.toFixed(4)} / ${b.top3.toFixed(4)} | int8-trained head on int8 ${c.microF1.toFixed(4)} / ${c.top3.toFixed(4)} | ` +
        `fp32, another seed ${d.microF1.toFixed(4)} / ${d.top3.toFixed(4)}`,
    );
  }
  await gemm.close();

  // Mean over the three held-out sources, and its paired bootstrap: the same resampled posters for both arms.
  const meanOf = (arm: RowScore[][], picks: ArrayLike<number>[]) => {
    const per = arm.map((scores, s) => metricsOf(scores, picks[s] as ArrayLike<number>));
    return { microF1: per.reduce((x, m) => x + m.microF1, 0) / per.length, top3: per.reduce((x, m) => x + m.top3, 0) / per.length };
  };
  const full = tests.map((t) => Array.from(t, (_, k) => k));
  const rand = random(14);
  for (const [name, arm] of [
    ['int8 features, fp32-trained head', arms.int8],
    ['int8 features, int8-trained head', arms.int8Trained],
    ['fp32 features, head of another seed', arms.otherSeed],
  ] as const) {
    const base = meanOf(arms.fp32, full);
    const other = meanOf(arm, full);
    const diffs = { microF1: [] as number[], top3: [] as number[] };
    for (let d = 0; d < Number(values.draws); d++) {
      const picks = tests.map((t) => Uint32Array.from({ length: t.length }, () => Math.floor(rand() * t.length)));
      const x = meanOf(arms.fp32, picks);
      const y = meanOf(arm, picks);
      diffs.microF1.push(y.microF1 - x.microF1);
      diffs.top3.push(y.top3 - x.top3);
    }
    for (const k of ['microF1', 'top3'] as const) {
      const sorted = diffs[k].sort((p, q) => p - q);
      console.log(
        `LOSO mean ${k === 'microF1' ? 'micro-F1' : 'top-3   '}: fp32 ${base[k].toFixed(4)}, ${name} ${other[k].toFixed(4)}, ` +
          `difference ${(other[k] - base[k]).toFixed(4)} (paired bootstrap 95% CI ${percentile(sorted, 0.025).toFixed(4)} … ${percentile(sorted, 0.975).toFixed(4)})`,
      );
    }
  }
}

await main();
