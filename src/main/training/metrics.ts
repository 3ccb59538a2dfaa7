/** Multi-label metrics over known labels only (unknown genres of a source are neither right nor wrong). */

export interface GenreMetrics {
  genre: string;
  support: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface Metrics {
  n: number;
  microF1: number;
  macroF1: number;
  weightedF1: number;
  top3HitRate: number;
  perGenre: GenreMetrics[];
}

const f1 = (tp: number, fp: number, fn: number): number => (tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn));

export interface Scored {
  genres: string[];
  /** n × g probabilities. */
  probs: Float32Array;
  labels: Uint8Array;
  known: Uint8Array;
}

/** Thresholds: one per genre, or one per row and genre (n × g: each poster scored by the head of its decade). */
export function evaluate(data: Scored, thresholds: ArrayLike<number>, rows?: ArrayLike<number>): Metrics {
  const g = data.genres.length;
  const perRow = thresholds.length !== g;
  const all = rows ?? Array.from({ length: data.labels.length / g }, (_, i) => i);
  const tp = new Float64Array(g);
  const fp = new Float64Array(g);
  const fn = new Float64Array(g);
  let hits = 0;
  let withPositive = 0;
  for (let k = 0; k < all.length; k++) {
    const i = all[k] as number;
    let anyPositive = false;
    for (let j = 0; j < g; j++) {
      const at = i * g + j;
      if (!data.known[at]) continue;
      const predicted = (data.probs[at] as number) >= (thresholds[perRow ? at : j] as number);
      const actual = data.labels[at] === 1;
      if (actual) anyPositive = true;
      if (predicted && actual) tp[j] = (tp[j] as number) + 1;
      else if (predicted) fp[j] = (fp[j] as number) + 1;
      else if (actual) fn[j] = (fn[j] as number) + 1;
    }
    if (!anyPositive) continue;
    withPositive++;
    const ranked = Array.from({ length: g }, (_, j) => j)
      .filter((j) => Number.isFinite(thresholds[perRow ? i * g + j : j] as number) && (thresholds[perRow ? i * g + j : j] as number) <= 1)
      .sort((a, b) => (data.probs[i * g + b] as number) - (data.probs[i * g + a] as number))
      .slice(0, 3);
    if (ranked.some((j) => data.labels[i * g + j] === 1 && data.known[i * g + j] === 1)) hits++;
  }
  const perGenre = data.genres.map((genre, j) => {
    const support = (tp[j] as number) + (fn[j] as number);
    const precision = (tp[j] as number) + (fp[j] as number) > 0 ? (tp[j] as number) / ((tp[j] as number) + (fp[j] as number)) : 0;
    const recall = support > 0 ? (tp[j] as number) / support : 0;
    return { genre, support, precision, recall, f1: f1(tp[j] as number, fp[j] as number, fn[j] as number) };
  });
  const sum = (a: Float64Array) => a.reduce((s, v) => s + v, 0);
  const supported = perGenre.filter((m) => m.support > 0);
  const totalSupport = supported.reduce((s, m) => s + m.support, 0);
  return {
    n: all.length,
    microF1: f1(sum(tp), sum(fp), sum(fn)),
    macroF1: supported.length ? supported.reduce((s, m) => s + m.f1, 0) / supported.length : 0,
    weightedF1: totalSupport ? supported.reduce((s, m) => s + m.f1 * m.support, 0) / totalSupport : 0,
    top3HitRate: withPositive ? hits / withPositive : 0,
    perGenre,
  };
}

/**
 * Per-genre thresholds maximising F1 on the given rows, clamped to [0.05, 0.95]. A genre with too
 * few known positives there (default 20) keeps `fallback`: on a dozen positives the F1-best
 * threshold is noise (it once put Documentary at 0.003, suggesting it for nearly every poster).
 * A genre the head never learned gets +Infinity (never suggested).
 */
export function calibrateThresholds(
  data: Scored,
  rows: ArrayLike<number>,
  trained: boolean[],
  options: { minPositives?: number; fallback?: number } = {},
): Float32Array {
  const g = data.genres.length;
  const thresholds = new Float32Array(g);
  for (let j = 0; j < g; j++) {
    if (!trained[j]) {
      thresholds[j] = Number.POSITIVE_INFINITY;
      continue;
    }
    const scored: { p: number; y: number }[] = [];
    for (let k = 0; k < rows.length; k++) {
      const at = (rows[k] as number) * g + j;
      if (data.known[at]) scored.push({ p: data.probs[at] as number, y: data.labels[at] as number });
    }
    const positives = scored.filter((s) => s.y === 1).length;
    if (positives < (options.minPositives ?? 20)) {
      thresholds[j] = options.fallback ?? 0.5;
      continue;
    }
    scored.sort((a, b) => b.p - a.p);
    // Sweep the threshold down through the sorted scores; keep the best F1.
    let tp = 0;
    let fp = 0;
    let best = 0;
    let bestThreshold = 0.5;
    for (let k = 0; k < scored.length; k++) {
      const s = scored[k] as { p: number; y: number };
      if (s.y) tp++;
      else fp++;
      const next = scored[k + 1]?.p;
      if (next === s.p) continue;
      const score = f1(tp, fp, positives - tp);
      if (score > best) {
        best = score;
        bestThreshold = next === undefined ? s.p : (s.p + next) / 2;
      }
    }
    thresholds[j] = Math.min(0.95, Math.max(0.05, bestThreshold));
  }
  return thresholds;
}
