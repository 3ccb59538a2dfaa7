/** Rate and ETA over a sliding window, so a slow start or a burst does not skew the estimate for long. */
export class ProgressMeter {
  private samples: { t: number; done: number }[] = [];

  constructor(
    private readonly windowMs = 5_000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  update(done: number, total: number): { rate: number; etaSeconds: number | null } {
    const t = this.now();
    this.samples.push({ t, done });
    while (this.samples.length > 2 && t - (this.samples[0]?.t ?? t) > this.windowMs) this.samples.shift();
    const first = this.samples[0];
    const elapsed = first ? (t - first.t) / 1000 : 0;
    const rate = first && elapsed > 0 ? (done - first.done) / elapsed : 0;
    const etaSeconds = rate > 0 ? Math.max(0, (total - done) / rate) : null;
    return { rate, etaSeconds };
  }
}
