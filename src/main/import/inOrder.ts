/**
 * Work handed out in order, done out of order, and settled in order again. Files in flight finish in
 * whatever order the machine's speed, load and core count make; what finishing leads to (poster
 * ids, which of two scans of one artwork is the original) must not depend on that, or the same
 * folder imported twice gives two different catalogues, and retraining on them two different models.
 */
export class InOrder {
  private handedOut = 0;
  private released = 0;
  private readonly ready = new Map<number, () => void>();
  private waiters: (() => void)[] = [];

  /** `window`: how far hand-out may run ahead of settling, so finished work waiting behind one slow item stays bounded. */
  constructor(
    private readonly total: number,
    private readonly window: number,
  ) {}

  /** The next item's index once the window has room for it; null when every item is handed out or `signal` aborts. */
  async take(signal: AbortSignal): Promise<number | null> {
    while (!signal.aborted && this.handedOut < this.total && this.handedOut - this.released >= this.window) {
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          signal.removeEventListener('abort', wake);
          resolve();
        };
        this.waiters.push(wake);
        signal.addEventListener('abort', wake, { once: true });
      });
    }
    if (signal.aborted || this.handedOut >= this.total) return null;
    return this.handedOut++;
  }

  /** Item `index` is done: `settle` runs once every item handed out before it has settled. */
  done(index: number, settle: () => void): void {
    this.ready.set(index, settle);
    for (let next = this.ready.get(this.released); next; next = this.ready.get(this.released)) {
      this.ready.delete(this.released);
      this.released++;
      next();
    }
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
