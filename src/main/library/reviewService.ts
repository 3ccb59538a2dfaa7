/**
 * Review below the door: the queue, its counts, and the "unsure" flag that keeps a poster for
 * later instead of a guess. Every adapter reaches these only through here.
 */
import type { ReviewCounts, ReviewItem, ReviewOrder } from '../../shared/types';
import { requirePoster } from '../catalogue/labelRepository';
import { countRemaining, reviewCounts, reviewQueue, setUnsure } from '../catalogue/reviewRepository';
import type { Db } from '../db/open';
import { AppError } from '../errors';
import { ReviewLeases } from './reviewLeases';

export class ReviewService {
  /** `now`: the clock the leases expire by (a test moves it on). */
  constructor(
    private readonly db: Db,
    now: () => number = Date.now,
  ) {
    this.leases = new ReviewLeases(now);
  }

  private readonly leases: ReviewLeases;

  /**
   * `exclude`: posters already handed out (see `reviewQueue`). `session`: the Review window asking
   * (see `ReviewLeases`): it is handed what no other active window holds first, and holds what it is
   * handed, with those of `exclude` it held already — so a fresh queue (no `exclude`) lets go of the
   * last. Only when nothing else is left does it get what other windows hold, after the rest, from
   * the far end of the queue, and marked `heldElsewhere`: a reviewer may still help finish the last posters (whichever confirmation
   * comes second is refused, as ever), and is told so instead of being shown an empty queue while
   * work remains. Without a session: the queue as the catalogue has it, holding nothing.
   */
  queue(order: ReviewOrder, limit: number, exclude: readonly number[] = [], session?: string): ReviewItem[] {
    if (session === undefined) return reviewQueue(this.db, order, limit, exclude);
    const others = this.leases.heldByOthers(session);
    const free = reviewQueue(this.db, order, limit, [...exclude, ...others]);
    // What others hold comes from the far end of the queue: two reviewers finishing it meet in the
    // middle, instead of the second one reaching each poster just after the first (and refused on it).
    const shared =
      free.length < limit && others.length > 0
        ? reviewQueue(this.db, order, others.length, [...exclude, ...free.map((i) => i.poster.id)])
            .reverse()
            .slice(0, limit - free.length)
            .map((i) => ({ ...i, heldElsewhere: true }))
        : [];
    const items = [...free, ...shared];
    this.leases.hold(
      session,
      items.map((i) => i.poster.id),
      exclude,
    );
    return items;
  }

  /**
   * `session` is done with the poster (confirmed, skipped, kept for later): another window's queue
   * may have it now. Without a poster: the window is closing, and lets go of everything it holds.
   */
  release(session: string, posterId?: number): void {
    if (posterId === undefined) this.leases.leave(session);
    else this.leases.release(session, posterId);
  }

  /** Every Review window lets go of what it holds: after a restore, the ids they held may be other posters, or none. */
  releaseAll(): void {
    this.leases.clear();
  }

  /**
   * `since`: the start of the reviewer's day (ISO). The header and the review screen both show these.
   * With `session`: how many of the remaining other Review windows hold (`heldElsewhere`).
   */
  counts(since: string, session?: string): ReviewCounts {
    const counts = reviewCounts(this.db, since);
    return session === undefined ? counts : { ...counts, heldElsewhere: countRemaining(this.db, this.leases.heldByOthers(session)) };
  }

  /** Flags a poster unsure (or not); a reviewed poster is settled and cannot be flagged. Returns the counts after. */
  flag(posterId: number, unsure: boolean, since: string, reviewer: string | null = null): ReviewCounts {
    return this.db.transaction(() => {
      const poster = requirePoster(this.db, posterId);
      if (unsure && poster.reviewedAt !== null) {
        throw new AppError('already-reviewed', `Poster ${posterId} is already reviewed: open it in the library to change its genres.`);
      }
      setUnsure(this.db, posterId, unsure, reviewer);
      return reviewCounts(this.db, since);
    })();
  }
}
