/** The review queue: unreviewed posters with their suggestions, in the order staff choose. */
import type { ReviewItem, ReviewOrder } from '../../shared/types';
import type { Db } from '../db/open';
import { prepared } from '../db/statements';
import { getPoster } from './posterRepository';
import { currentGenres } from './libraryRepository';
import { suggestionsFor } from './suggestionRepository';

const ORDER: Record<ReviewOrder, string> = {
  // Probabilities nearest their thresholds first: what the model learns most from.
  uncertain: 'uncertainty IS NULL, uncertainty, id',
  decade: 'decade IS NULL, decade, id',
  import: 'id',
};

export function reviewQueue(db: Db, order: ReviewOrder, limit: number): ReviewItem[] {
  const ids = prepared(db, `SELECT id FROM posters WHERE reviewed_at IS NULL AND set_aside_at IS NULL ORDER BY ${ORDER[order]} LIMIT ?`)
    .pluck()
    .all(limit) as number[];
  return ids.map((id) => ({
    poster: getPoster(db, id) as NonNullable<ReturnType<typeof getPoster>>,
    suggestions: suggestionsFor(db, id).map(({ genre, probability, aboveThreshold }) => ({ genre, probability, aboveThreshold })),
    current: currentGenres(db, id),
  }));
}

/** `since`: the start of the reviewer's day, as an ISO timestamp. */
export function reviewCounts(db: Db, since: string): { reviewedToday: number; remaining: number } {
  return {
    reviewedToday: prepared(db, 'SELECT count(*) FROM posters WHERE reviewed_at >= ?').pluck().get(since) as number,
    remaining: prepared(db, 'SELECT count(*) FROM posters WHERE reviewed_at IS NULL AND set_aside_at IS NULL').pluck().get() as number,
  };
}
