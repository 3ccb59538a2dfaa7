/** The review queue: unreviewed posters with their suggestions, in the order staff choose. */
import type { ReviewCounts, ReviewItem, ReviewOrder } from '../../shared/types';
import type { Db } from '../db/open';
import { nowIso, prepared } from '../db/statements';
import { latestLabelChangeId } from './labelRepository';
import { getPoster } from './posterRepository';
import { currentGenres } from './libraryRepository';
import { suggestionBasisFor } from './suggestionBasisRepository';
import { suggestionsFor } from './suggestionRepository';

const UNSURE = 'EXISTS (SELECT 1 FROM review_flags f WHERE f.poster_id = posters.id)';

const ORDER: Record<Exclude<ReviewOrder, 'unsure'>, string> = {
  // Probabilities nearest their thresholds first: what the model learns most from.
  uncertain: 'uncertainty IS NULL, uncertainty, id',
  decade: 'decade IS NULL, decade, id',
  import: 'id',
};

/**
 * The queue in `order`; posters flagged unsure come after the rest, and alone (oldest flag first) in
 * the 'unsure' queue. `exclude`: posters the reviewer already has in hand (the batches before, the
 * ones skipped among them included), so the next batch goes on where those end.
 */
export function reviewQueue(db: Db, order: ReviewOrder, limit: number, exclude: readonly number[] = []): ReviewItem[] {
  const notHeld = 'posters.id NOT IN (SELECT value FROM json_each(?))';
  const sql =
    order === 'unsure'
      ? `SELECT posters.id FROM posters JOIN review_flags f ON f.poster_id = posters.id
         WHERE reviewed_at IS NULL AND set_aside_at IS NULL AND ${notHeld} ORDER BY f.flagged_at, posters.id LIMIT ?`
      : `SELECT id FROM posters WHERE reviewed_at IS NULL AND set_aside_at IS NULL AND ${notHeld} ORDER BY ${UNSURE}, ${ORDER[order]} LIMIT ?`;
  const ids = prepared(db, sql).pluck().all(JSON.stringify(exclude), limit) as number[];
  const flagged = new Set(unsureIds(db, ids));
  return ids.map((id) => ({
    poster: getPoster(db, id) as NonNullable<ReturnType<typeof getPoster>>,
    suggestions: suggestionsFor(db, id).map(({ genre, probability, aboveThreshold }) => ({ genre, probability, aboveThreshold })),
    current: currentGenres(db, id),
    basis: suggestionBasisFor(db, id),
    unsure: flagged.has(id),
    labelChange: latestLabelChangeId(db, id),
  }));
}

function unsureIds(db: Db, ids: number[]): number[] {
  if (ids.length === 0) return [];
  return prepared(db, 'SELECT poster_id FROM review_flags WHERE poster_id IN (SELECT value FROM json_each(?))').pluck().all(JSON.stringify(ids)) as number[];
}

/** Flags a poster "unsure" (kept for later) or takes the flag off. */
export function setUnsure(db: Db, posterId: number, unsure: boolean, reviewer: string | null): void {
  if (unsure) {
    prepared(db, 'INSERT INTO review_flags (poster_id, flagged_at, reviewer) VALUES (?, ?, ?) ON CONFLICT(poster_id) DO NOTHING').run(
      posterId,
      nowIso(),
      reviewer,
    );
  } else {
    prepared(db, 'DELETE FROM review_flags WHERE poster_id = ?').run(posterId);
  }
}

/** How many of `ids` are still to review (neither reviewed nor set aside). */
export function countRemaining(db: Db, ids: readonly number[]): number {
  if (ids.length === 0) return 0;
  return prepared(db, 'SELECT count(*) FROM posters WHERE id IN (SELECT value FROM json_each(?)) AND reviewed_at IS NULL AND set_aside_at IS NULL')
    .pluck()
    .get(JSON.stringify(ids)) as number;
}

/** `since`: the start of the reviewer's day, as an ISO timestamp. One read, so the figures agree with each other. */
export function reviewCounts(db: Db, since: string): ReviewCounts {
  return prepared(
    db,
    `SELECT count(reviewed_at) AS reviewed,
            count(CASE WHEN reviewed_at >= ? THEN 1 END) AS reviewedToday,
            count(CASE WHEN reviewed_at IS NULL AND set_aside_at IS NULL THEN 1 END) AS remaining,
            count(CASE WHEN reviewed_at IS NULL AND set_aside_at IS NULL AND ${UNSURE} THEN 1 END) AS unsure
     FROM posters`,
  ).get(since) as ReviewCounts;
}
