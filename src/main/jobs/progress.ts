/**
 * Rate and ETA, measured and smoothed. A retraining's steps are uneven (a big head's epochs, then
 * small decade heads', some decades skipped at once), and a rate taken over the last few seconds
 * made its ETA jump about (32 s, 43 s, 24 s). So:
 * - the rate is an exponential moving average of the work done, weighted by time (`RATE_TAU_MS`),
 *   corrected for its start so that early on it is simply the phase's work over its elapsed time;
 * - the ETA counts down with the clock and moves only part of the way towards each new estimate
 *   (`ETA_TAU_MS`), so one fast or slow step nudges it instead of throwing it;
 * - no ETA is given until enough of the phase is measured (`MIN_SPAN_MS`, and `MIN_SHARE` of its
 *   work or `ENOUGH_SPAN_MS` of time). Until then it is null ("estimating…") — or, when a previous
 *   run of the same job was measured, that run's cost scaled to this one (`expectedSeconds`),
 *   said as such;
 * - a job that does nothing for a whole window loses its ETA: a stuck job never shows a false one.
 */
export type EtaSource = 'measured' | 'previous-run';

export interface Estimate {
  /** Items per second, smoothed (0 while stuck or before anything moved). */
  rate: number;
  /** Seconds left; null while unknown. Never below 1 while work remains. */
  etaSeconds: number | null;
  etaSource: EtaSource | null;
}

/** How long the rate remembers: work done this long ago counts e⁻¹ as much as work done now. */
const RATE_TAU_MS = 15_000;
/** How fast the shown ETA follows a new estimate (beyond counting down with the clock). */
const ETA_TAU_MS = 6_000;
/** A phase measured for less than this gives no ETA, whatever it did. */
const MIN_SPAN_MS = 2_000;
/** …nor one with less than this share of its work done, unless it has been measured for `ENOUGH_SPAN_MS`. */
const MIN_SHARE = 0.05;
const ENOUGH_SPAN_MS = 10_000;

export class ProgressMeter {
  private total = -1;
  private phaseStart = 0;
  private phaseDone = 0;
  private last = { t: 0, done: 0 };
  private lastMove = 0;
  /** The time-weighted moving average of items per millisecond, before its start-up correction. */
  private ema = 0;
  private shown: { eta: number; t: number } | null = null;
  private readonly startedAt: number;

  constructor(
    /** Nothing done for this long: stuck. */
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
      this.phaseStart = t;
      this.phaseDone = done;
      this.last = { t, done };
      this.lastMove = t;
      this.ema = 0;
      this.shown = null;
    }
    this.learn(t, done);
    const span = t - this.phaseStart;
    const stuck = t - this.lastMove >= this.windowMs;
    // Early on the average has seen only `span` of its memory: scale it up by what it has seen.
    const seen = 1 - Math.exp(-span / RATE_TAU_MS);
    const rate = stuck || seen <= 0 ? 0 : (this.ema / seen) * 1000;
    const remaining = Math.max(0, total - done);
    if (total > 0 && remaining === 0) return { rate, etaSeconds: 0, etaSource: 'measured' };
    const share = total > 0 ? (done - this.phaseDone) / total : 0;
    const measured = span >= MIN_SPAN_MS && (share >= MIN_SHARE || span >= ENOUGH_SPAN_MS);
    if (!stuck && rate > 0 && measured && total > 0) {
      return { rate, etaSeconds: Math.max(1, this.smooth(t, remaining / rate)), etaSource: 'measured' };
    }
    this.shown = null;
    if (!stuck && this.expectedSeconds !== null) {
      const left = this.expectedSeconds - (t - this.startedAt) / 1000;
      // Past what the earlier run took: no honest figure until this run has its own.
      if (left >= 1) return { rate, etaSeconds: left, etaSource: 'previous-run' };
    }
    return { rate, etaSeconds: null, etaSource: null };
  }

  /**
   * Folds the work done since the last update into the average. Over an interval `dt` in which
   * `moved` items were done at an even pace, the exact update is ema·e^(−dt/τ) + moved·(1 − e^(−dt/τ))/dt;
   * for work reported all at once (dt = 0) its limit is moved/τ.
   */
  private learn(t: number, done: number): void {
    const dt = t - this.last.t;
    const moved = done - this.last.done;
    if (dt <= 0 && moved === 0) return;
    const decay = Math.exp(-dt / RATE_TAU_MS);
    this.ema = this.ema * decay + (dt > 0 ? (moved * (1 - decay)) / dt : moved / RATE_TAU_MS);
    if (moved !== 0) this.lastMove = t;
    this.last = { t, done };
  }

  /** The shown ETA: the last one counted down by the time passed, moved part of the way to `fresh`. */
  private smooth(t: number, fresh: number): number {
    if (!this.shown) {
      this.shown = { eta: fresh, t };
      return fresh;
    }
    const dt = t - this.shown.t;
    const projected = this.shown.eta - dt / 1000;
    const eta = projected + (1 - Math.exp(-dt / ETA_TAU_MS)) * (fresh - projected);
    this.shown = { eta, t };
    return eta;
  }
}
