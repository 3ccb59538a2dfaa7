/**
 * Which posters each Review window has been handed and not finished with, so two reviewers on one
 * queue are not shown the same posters (the second one's confirmations would all be refused).
 *
 * Held in memory only: the catalogue stays the one source of truth, and a restart of the app (or
 * of the browser host) lets go of every lease — the worst that brings is two windows shown the
 * same poster once more, whose second confirmation is refused as before.
 */

/**
 * How long a Review window may go without asking for posters or finishing one (a confirmation, a
 * skip, "unsure") before the posters it holds go back to everyone. A reviewer spends seconds on a
 * poster; five minutes without a key is a reviewer who left — or a closed window, which says nothing.
 */
export const REVIEW_LEASE_IDLE_MS = 5 * 60_000;

interface Lease {
  posters: Set<number>;
  seenAt: number;
}

export class ReviewLeases {
  private readonly sessions = new Map<string, Lease>();

  constructor(private readonly now: () => number = Date.now) {}

  /** The posters every other active window holds. */
  heldByOthers(session: string): number[] {
    this.expire();
    const held: number[] = [];
    for (const [other, lease] of this.sessions) if (other !== session) held.push(...lease.posters);
    return held;
  }

  /**
   * `session` holds `handed` from now on, with those of `kept` it still held: what its window still
   * has in hand (a batch after the first). Anything else it held is let go — a fresh queue.
   */
  hold(session: string, handed: readonly number[], kept: readonly number[]): void {
    const before = this.sessions.get(session)?.posters ?? new Set<number>();
    const posters = new Set(kept.filter((id) => before.has(id)));
    for (const id of handed) posters.add(id);
    this.sessions.set(session, { posters, seenAt: this.now() });
  }

  /** `session` is done with `posterId` (confirmed, skipped, kept for later): others may have it. Keeps the rest of its lease alive. */
  release(session: string, posterId: number): void {
    const lease = this.sessions.get(session);
    if (!lease) return;
    lease.posters.delete(posterId);
    lease.seenAt = this.now();
  }
  /** `session`'s window is closing: everything it holds goes back to the others at once, not when it would have run out. */
  leave(session: string): void {
    this.sessions.delete(session);
  }
  /** Every window lets go of everything it holds. */
  clear(): void {
    this.sessions.clear();
  }

  private expire(): void {
    const before = this.now() - REVIEW_LEASE_IDLE_MS;
    for (const [session, lease] of this.sessions) if (lease.seenAt <= before) this.sessions.delete(session);
  }
}
