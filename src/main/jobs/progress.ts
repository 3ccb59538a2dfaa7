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
 * - a job that does nothing for a whole window loses its ETA: a stuck job never shows a false one;
 * - the ETA stays within `AGREE` of what the shown rate says about the work left ("21 steps left at
 *   0.3 a second" is never "3 min 9 s left"): smoothing may steady it, not contradict it;
 * - work that follows this phase and is already known (an import's genre suggestions, queued
 *   behind its files and made alongside them) is counted in: `then`, measured at its own rate;
 * - a job whose steps are too uneven for any rate to say the time left (a retraining: one big head,
 *   then small ones) is started with `measureEta: false` and gives only the previous run's figure.
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
/** The shown ETA stays within this factor of the work left over the shown rate. */
const AGREE = 1.2;

/** Work known to follow the counted phase, counted on its own (suggestions made and queued, from the job's start). */
export interface FollowOn {
  done: number;
  total: number;
}

/** A time-weighted moving average of items per millisecond (see `learn`). */
class RateEma {
  private ema = 0;
  private last: { t: number; done: number };
  lastMove: number;

  constructor(
    private readonly start: number,
    done: number,
  ) {
    this.last = { t: start, done };
    this.lastMove = start;
  }

  /**
   * Folds the work done since the last update into the average. Over an interval `dt` in which
   * `moved` items were done at an even pace, the exact update is ema·e^(−dt/τ) + moved·(1 − e^(−dt/τ))/dt;
   * for work reported all at once (dt = 0) its limit is moved/τ.
   */
  learn(t: number, done: number): void {
    const dt = t - this.last.t;
    const moved = done - this.last.done;
    if (dt <= 0 && moved === 0) return;
    const decay = Math.exp(-dt / RATE_TAU_MS);
    this.ema = this.ema * decay + (dt > 0 ? (moved * (1 - decay)) / dt : moved / RATE_TAU_MS);
    if (moved !== 0) this.lastMove = t;
    this.last = { t, done };
  }

  /** Items per second. Early on the average has seen only part of its memory: scaled up by what it has seen. */
  perSecond(t: number): number {
    const seen = 1 - Math.exp(-(t - this.start) / RATE_TAU_MS);
    return seen <= 0 ? 0 : (this.ema / seen) * 1000;
  }
}

export class ProgressMeter {
  private total = -1;
  private phaseStart = 0;
  private phaseDone = 0;
  private main = new RateEma(0, 0);
  /** The follow-on work's rate, measured from its first report on. */
  private next: RateEma | null = null;
  private shown: { eta: number; t: number } | null = null;
  private readonly startedAt: number;

  constructor(
    /** Nothing done for this long: stuck. */
    private readonly windowMs = 5_000,
    private readonly now: () => number = () => performance.now(),
    /** What the whole job should take, measured on an earlier run; used until this run has its own measurement. */
    private readonly expectedSeconds: number | null = null,
    /** false: the job's steps are too uneven for a rate to say the time left; only `expectedSeconds` is used. */
    private readonly measureEta = true,
  ) {
    this.startedAt = this.now();
  }

  /** A new count of work (`done`, `total`), or the same one again to let time pass (a stuck job); `then`: work known to follow. */
  update(done: number, total: number, then?: FollowOn): Estimate {
    const t = this.now();
    // A new total is a new phase of work in another unit (files, then posters to tag; a
    // preparation step, then epochs): its rate is measured afresh.
    if (total !== this.total) {
      this.total = total;
      this.phaseStart = t;
      this.phaseDone = done;
      this.main = new RateEma(t, done);
      this.shown = null;
    }
    this.main.learn(t, done);
    if (then) {
      this.next ??= new RateEma(t, then.done);
      this.next.learn(t, then.done);
    }
    const span = t - this.phaseStart;
    const stuck = t - this.main.lastMove >= this.windowMs;
    const rate = stuck ? 0 : this.main.perSecond(t);
    const remaining = Math.max(0, total - done);
    if (total > 0 && remaining === 0 && !then) return { rate, etaSeconds: 0, etaSource: 'measured' };
    const share = total > 0 ? (done - this.phaseDone) / total : 0;
    const measured = this.measureEta && span >= MIN_SPAN_MS && (share >= MIN_SHARE || span >= ENOUGH_SPAN_MS);
    const left = measured && !stuck && rate > 0 && total > 0 ? this.secondsLeft(t, done, total, rate, then) : null;
    if (left !== null) return { rate, etaSeconds: Math.max(1, left), etaSource: 'measured' };
    this.shown = null;
    if (!stuck && this.expectedSeconds !== null) {
      const expected = this.expectedSeconds - (t - this.startedAt) / 1000;
      // Past what the earlier run took: no honest figure until this run has its own.
      if (expected >= 1) return { rate, etaSeconds: expected, etaSource: 'previous-run' };
    }
    return { rate, etaSeconds: null, etaSource: null };
  }

  /**
   * The work left over its rate, smoothed but never further than `AGREE` from it. With follow-on
   * work, the job ends when the slower of the two does: the follow-on's backlog, and its share of
   * what is left here, at its own rate. null when that rate is not known yet.
   */
  private secondsLeft(t: number, done: number, total: number, rate: number, then?: FollowOn): number | null {
    let fresh = (total - done) / rate;
    if (then && this.next) {
      const perItem = done > 0 ? then.total / done : 1;
      const nextLeft = Math.max(0, then.total - then.done) + (total - done) * perItem;
      if (nextLeft > 0) {
        const nextRate = t - this.next.lastMove >= this.windowMs ? 0 : this.next.perSecond(t);
        if (nextRate <= 0) return null;
        fresh = Math.max(fresh, nextLeft / nextRate);
      }
    }
    const eta = this.smooth(t, fresh);
    return Math.min(fresh * AGREE, Math.max(fresh / AGREE, eta));
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
    const kept = Math.min(fresh * AGREE, Math.max(fresh / AGREE, eta));
    this.shown = { eta: kept, t };
    return kept;
  }
}
