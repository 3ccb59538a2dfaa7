/**
 * Review below the door: the queue, its counts, and the "unsure" flag that keeps a poster for
 * later instead of a guess. Every adapter reaches these only through here.
 */
import type { ReviewCounts, ReviewItem, ReviewOrder } from '../../shared/types';
import { requirePoster } from '../catalogue/labelRepository';
import { reviewCounts, reviewQueue, setUnsure } from '../catalogue/reviewRepository';
import type { Db } from '../db/open';
import { AppError } from '../errors';

export class ReviewService {
  constructor(private readonly db: Db) {}

  /** `exclude`: posters already handed out (see `reviewQueue`). */
  queue(order: ReviewOrder, limit: number, exclude: readonly number[] = []): ReviewItem[] {
    return reviewQueue(this.db, order, limit, exclude);
  }

  /** `since`: the start of the reviewer's day (ISO). The header and the review screen both show these. */
  counts(since: string): ReviewCounts {
    return reviewCounts(this.db, since);
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
