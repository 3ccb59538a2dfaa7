/**
 * Activation ranges for the int8 model: a histogram per tensor over the calibration posters, and
 * the clip that minimises the expected quantisation error (rounding error inside the range, clipping
 * error outside it). min/max ranges had about twice the error; a fixed 99.9th percentile clipped
 * far too much. Convolution inputs also get their per-channel means, for bias correction.
 */

const BINS = 2048;

/** One float tensor output, NCHW, batch 1. */
export interface Activation {
  data: Float32Array;
  dims: readonly number[];
}

export class ActivationStats {
  private readonly min = new Map<string, number>();
  private readonly max = new Map<string, number>();
  private readonly sums = new Map<string, Float64Array>();
  private readonly counts = new Map<string, number>();
  private readonly hist = new Map<string, Float64Array>();

  constructor(
    readonly ranged: string[],
    readonly convInputs: string[],
  ) {}

  /** Pass 1: extremes of the ranged tensors, channel sums of the convolution inputs. */
  observeExtremes(outputs: Record<string, Activation>): void {
    for (const name of this.ranged) {
      const { data } = tensor(outputs, name);
      let lo = this.min.get(name) ?? 0;
      let hi = this.max.get(name) ?? 0;
      for (let i = 0; i < data.length; i++) {
        const v = data[i] as number;
        if (v < lo) lo = v;
        else if (v > hi) hi = v;
      }
      this.min.set(name, lo);
      this.max.set(name, hi);
    }
    for (const name of this.convInputs) {
      const { data, dims } = tensor(outputs, name);
      const c = dims[1] as number;
      const plane = data.length / c;
      const sums = this.sums.get(name) ?? new Float64Array(c);
      for (let ch = 0; ch < c; ch++) {
        let s = 0;
        for (let i = ch * plane; i < (ch + 1) * plane; i++) s += data[i] as number;
        sums[ch] = (sums[ch] as number) + s;
      }
      this.sums.set(name, sums);
      this.counts.set(name, (this.counts.get(name) ?? 0) + plane);
    }
  }

  /** Pass 2: a histogram of every ranged tensor over [min, max] from pass 1; exact zeros (after Relu) apart. */
  observeHistogram(outputs: Record<string, Activation>): void {
    for (const name of this.ranged) {
      const { data } = tensor(outputs, name);
      const lo = this.min.get(name) as number;
      const width = ((this.max.get(name) as number) - lo) / BINS || 1;
      const hist = this.hist.get(name) ?? new Float64Array(BINS);
      for (let i = 0; i < data.length; i++) {
        const v = data[i] as number;
        if (v === 0) continue; // quantised exactly whatever the range (0 is always representable)
        const b = Math.min(BINS - 1, Math.floor((v - lo) / width));
        hist[b] = (hist[b] as number) + 1;
      }
      this.hist.set(name, hist);
    }
  }

  /** The clipped range with the least expected squared error, per ranged tensor. */
  ranges(): Record<string, [number, number]> {
    const out: Record<string, [number, number]> = {};
    for (const name of this.ranged) {
      out[name] = bestClip(this.hist.get(name) ?? new Float64Array(BINS), this.min.get(name) as number, this.max.get(name) as number);
    }
    return out;
  }

  /** The observed [min, max] of every ranged tensor, unclipped (for comparison with the clipped ranges). */
  extremes(): Record<string, [number, number]> {
    return Object.fromEntries(this.ranged.map((name) => [name, [this.min.get(name) as number, this.max.get(name) as number]]));
  }

  channelMeans(): Record<string, number[]> {
    const out: Record<string, number[]> = {};
    for (const name of this.convInputs) out[name] = [...(this.sums.get(name) ?? [])].map((s) => s / (this.counts.get(name) as number));
    return out;
  }
}

function tensor(outputs: Record<string, Activation>, name: string): Activation {
  const t = outputs[name];
  if (!t) throw new Error(`the calibration model has no output ${name}`);
  return t;
}

/**
 * Searches clips that scale the observed [min, max] by k/BINS and returns the one with the least
 * expected squared error: step²/12 for values inside the range, the squared distance to the range
 * for values outside.
 */
export function bestClip(hist: Float64Array, min: number, max: number): [number, number] {
  const width = (max - min) / hist.length;
  const centre = (b: number) => min + (b + 0.5) * width;
  let best: [number, number] = [min, max];
  let bestError = Number.POSITIVE_INFINITY;
  for (let k = 16; k <= hist.length; k++) {
    const lo = (min * k) / hist.length;
    const hi = (max * k) / hist.length;
    const step = (Math.max(hi, 0) - Math.min(lo, 0)) / 255;
    let error = 0;
    for (let b = 0; b < hist.length; b++) {
      const n = hist[b] as number;
      if (n === 0) continue;
      const c = centre(b);
      error += n * (c > hi ? (c - hi) ** 2 : c < lo ? (lo - c) ** 2 : (step * step) / 12);
    }
    if (error < bestError) {
      bestError = error;
      best = [lo, hi];
    }
  }
  return best;
}
