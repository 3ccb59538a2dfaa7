/**
 * Rate and ETA, measured: the rate is the work done over a recent window (so a slow start or a
 * burst does not skew it for long), and the ETA is only given once that window holds a real
 * measurement. Until then it is null ("estimating…") — or, when a previous run of the same job
 * was measured, that run's cost scaled to this one (`expectedSeconds`), said as such. A job that
 * stops moving loses its ETA once the window holds no progress: a stuck job never shows a false one.
 */
export type EtaSource = 'measured' | 'previous-run';

export interface Estimate {
  /** Items per second over the window (0 while nothing moved in it). */
  rate: number;
  /** Seconds left; null while unknown. Never below 1 while work remains. */
  etaSeconds: number | null;
  etaSource: EtaSource | null;
}

/** The shortest span the window must cover before its rate is trusted for an ETA. */
const MIN_SPAN_MS = 1_000;

export class ProgressMeter {
  private samples: { t: number; done: number }[] = [];
  private total = -1;
  private readonly startedAt: number;

  constructor(
    private readonly windowMs = 5_000,
    private readonly now: () => number = () => performance.now(),
    /** What the whole job should take, measured on an earlier run; used until this run has its own measurement. */
    private readonly expectedSeconds: number | null = null,
  ) {
    this.startedAt = this.now();
  }

  /** A new count of work (`done`, `total`), or the same one again to let time pass (a stuck job). */
  update(done: number, total: number): Estimate {
    const t = this.now();
    // A new total is a new phase of work in another unit (files, then posters to tag; a
    // preparation step, then epochs): its rate is measured afresh.
    if (total !== this.total) {
      this.total = total;
      this.samples = [];
    }
    const last = this.samples.at(-1);
    if (!last || last.done !== done || t - last.t >= 250) this.samples.push({ t, done });
    // Keep one sample older than the window so the window is always fully covered.
    while (this.samples.length > 2 && t - (this.samples[1]?.t ?? t) > this.windowMs) this.samples.shift();
    const first = this.samples[0] as { t: number; done: number };
    const span = t - first.t;
    const moved = done - first.done;
    // Nothing done over a whole window: stuck, whatever the earlier rate was.
    const stuck = span >= this.windowMs && moved <= 0;
    const rate = span > 0 && moved > 0 ? (moved * 1000) / span : 0;
    const remaining = Math.max(0, total - done);
    if (total > 0 && remaining === 0) return { rate, etaSeconds: 0, etaSource: 'measured' };
    if (!stuck && rate > 0 && span >= MIN_SPAN_MS && total > 0) {
      return { rate, etaSeconds: Math.max(1, remaining / rate), etaSource: 'measured' };
    }
    if (!stuck && this.expectedSeconds !== null) {
      const left = this.expectedSeconds - (t - this.startedAt) / 1000;
      // Past what the earlier run took: no honest figure until this run has its own.
      if (left >= 1) return { rate, etaSeconds: left, etaSource: 'previous-run' };
    }
    return { rate, etaSeconds: null, etaSource: null };
  }
}
