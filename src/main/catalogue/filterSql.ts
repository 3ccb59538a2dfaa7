/**
 * SQL shared by the library grid, the review queue and the export: the catalogue's one filter, and
 * a poster's current genres — its confirmed set once reviewed, else the model's suggestions above
 * threshold with staff's per-genre edits applied (see labelRepository).
 */
import type { ExportFilter } from '../../shared/types';
import type { Db } from '../db/open';

const ACTIVE_GENRE = 'JOIN genres g ON g.id = x.genre_id AND g.retired_at IS NULL';

/** Genre ids a not-yet-reviewed poster `p` currently has: suggested and not removed, or added by staff. */
const EDITED_SUGGESTIONS = `
  SELECT s.genre_id FROM suggestions s WHERE s.poster_id = p.id AND s.above_threshold = 1
    AND NOT EXISTS (SELECT 1 FROM genre_edits e WHERE e.poster_id = p.id AND e.genre_id = s.genre_id AND e.present = 0)
  UNION SELECT e.genre_id FROM genre_edits e WHERE e.poster_id = p.id AND e.present = 1`;

/** `|`-joined names of poster `p`'s current genres, in vocabulary order (active genres only). */
export const CURRENT_GENRES_SQL = `CASE WHEN p.reviewed_at IS NOT NULL
  THEN (SELECT group_concat(g.name, '|' ORDER BY g.position) FROM poster_labels x ${ACTIVE_GENRE} WHERE x.poster_id = p.id)
  ELSE (SELECT group_concat(g.name, '|' ORDER BY g.position) FROM genres g WHERE g.retired_at IS NULL AND g.id IN (${EDITED_SUGGESTIONS}))
END`;

/** 1 when an unreviewed poster `p` carries staff's edits. */
export const HAS_EDITS_SQL = '(p.reviewed_at IS NULL AND EXISTS (SELECT 1 FROM genre_edits e WHERE e.poster_id = p.id))';

/** The catalogue's one filter: the library, the export and its preview count all use it. */
export function whereClause(filter: ExportFilter): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  if (filter.genre) {
    parts.push(`(EXISTS (SELECT 1 FROM poster_labels x ${ACTIVE_GENRE} WHERE x.poster_id = p.id AND p.reviewed_at IS NOT NULL AND g.name = ? COLLATE NOCASE)
      OR (p.reviewed_at IS NULL AND EXISTS (SELECT 1 FROM genres g WHERE g.retired_at IS NULL AND g.name = ? COLLATE NOCASE AND g.id IN (${EDITED_SUGGESTIONS}))))`);
    params.push(filter.genre, filter.genre);
  }
  if (filter.decade !== undefined) {
    parts.push('p.decade = ?');
    params.push(filter.decade);
  }
  if (filter.status === 'reviewed') parts.push('p.reviewed_at IS NOT NULL');
  if (filter.status === 'unreviewed') parts.push('p.reviewed_at IS NULL');
  if (filter.vendor) {
    parts.push('p.vendor = ? COLLATE NOCASE');
    params.push(filter.vendor);
  }
  if (filter.search?.trim()) {
    for (const word of filter.search.trim().split(/\s+/)) {
      parts.push("p.title LIKE ? ESCAPE '\\'");
      params.push(`%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    }
  }
  if (filter.confidence === 'low') parts.push('p.uncertainty < 0.05');
  if (filter.confidence === 'medium') parts.push('p.uncertainty >= 0.05 AND p.uncertainty < 0.2');
  if (filter.confidence === 'high') parts.push('p.uncertainty >= 0.2');
  if (filter.duplicates) parts.push('(p.duplicate_of IS NOT NULL OR EXISTS (SELECT 1 FROM posters d WHERE d.duplicate_of = p.id))');
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}

/** How many posters match `filter` (the export's preview count, the library's total). */
export function countMatching(db: Db, filter: ExportFilter): number {
  const where = whereClause(filter);
  return db
    .prepare(`SELECT count(*) FROM posters p ${where.sql}`)
    .pluck()
    .get(...where.params) as number;
}
