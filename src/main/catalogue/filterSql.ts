/**
 * SQL shared by the library grid, the review queue and the export: the catalogue's one filter, and
 * a poster's current genres — its confirmed set once reviewed, else the model's suggestions above
 * threshold with staff's per-genre edits applied (see labelRepository).
 */
import { CONFIDENCE_BANDS, type ExportFilter, type ExportPreview } from '../../shared/types';
import { foldText, type Db } from '../db/open';

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

/**
 * In a near-duplicate pair still to be resolved: paired with a poster in the catalogue. Once staff
 * kept one and set the other aside, the kept one is no longer shown or counted as a near-duplicate.
 */
export const OPEN_PAIR_SQL = 'EXISTS (SELECT 1 FROM posters o WHERE o.set_aside_at IS NULL AND (o.id = p.duplicate_of OR o.duplicate_of = p.id))';

/** The near-duplicate link as the export writes it: none where it points at a poster set aside (not in the export). */
export const EXPORTED_DUPLICATE_OF_SQL =
  'CASE WHEN p.set_aside_at IS NULL AND EXISTS (SELECT 1 FROM posters o WHERE o.id = p.duplicate_of AND o.set_aside_at IS NOT NULL) THEN NULL ELSE p.duplicate_of END';

/** 1 when an unreviewed poster `p` carries staff's edits. */
export const HAS_EDITS_SQL = '(p.reviewed_at IS NULL AND EXISTS (SELECT 1 FROM genre_edits e WHERE e.poster_id = p.id))';

/** Poster `p`'s confidence band by its margin (see CONFIDENCE_BANDS), or NULL before it has one. */
export const CONFIDENCE_BAND_SQL = `CASE WHEN p.confidence IS NULL THEN NULL WHEN p.confidence < ${CONFIDENCE_BANDS.lowBelow} THEN 'low'
  WHEN p.confidence < ${CONFIDENCE_BANDS.highFrom} THEN 'medium' ELSE 'high' END`;

/** `%word%` for LIKE with the wildcards in `word` taken literally. */
const likeWord = (word: string): string => `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Whether poster `p` currently has the genre named by the next parameter (reviewed: confirmed; else suggested with edits). */
const HAS_GENRE = `(EXISTS (SELECT 1 FROM poster_labels x ${ACTIVE_GENRE} WHERE x.poster_id = p.id AND p.reviewed_at IS NOT NULL AND g.name = ? COLLATE NOCASE)
      OR (p.reviewed_at IS NULL AND EXISTS (SELECT 1 FROM genres g WHERE g.retired_at IS NULL AND g.name = ? COLLATE NOCASE AND g.id IN (${EDITED_SUGGESTIONS}))))`;

/**
 * The catalogue's one filter: the library, the export and its preview count all use it. Title and
 * vendor are forgiving: case and accents are ignored (the `fold` SQL function every connection
 * has) and each word may be part of a word. Posters set aside from a near-duplicate pair are left
 * out unless `setAside` asks for them (then only they match).
 */
export function whereClause(filter: ExportFilter): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  const genres = [...new Set([filter.genre, ...(filter.genres ?? [])].filter((g): g is string => !!g?.trim()).map((g) => g.trim()))];
  if (genres.length) {
    parts.push(`(${genres.map(() => HAS_GENRE).join(filter.genreMode === 'all' ? ' AND ' : ' OR ')})`);
    for (const g of genres) params.push(g, g);
  }
  if (filter.decade !== undefined) {
    parts.push('p.decade = ?');
    params.push(filter.decade);
  }
  if (filter.status === 'reviewed') parts.push('p.reviewed_at IS NOT NULL');
  if (filter.status === 'unreviewed') parts.push('p.reviewed_at IS NULL');
  for (const [column, text] of [
    ['p.vendor', filter.vendor],
    ['p.title', filter.search],
  ] as const) {
    for (const word of foldText(text ?? '')
      .trim()
      .split(/\s+/)
      .filter(Boolean)) {
      parts.push(`fold(${column}) LIKE ? ESCAPE '\\'`);
      params.push(likeWord(word));
    }
  }
  if (filter.confidence) {
    parts.push(`${CONFIDENCE_BAND_SQL} = ?`);
    params.push(filter.confidence);
  }
  if (filter.duplicates) parts.push(OPEN_PAIR_SQL);
  parts.push(filter.setAside ? 'p.set_aside_at IS NOT NULL' : 'p.set_aside_at IS NULL');
  return { sql: `WHERE ${parts.join(' AND ')}`, params };
}

/** What the export of `filter` would write, with the rows the shop may not expect counted apart. */
export function exportPreview(db: Db, filter: ExportFilter): ExportPreview {
  const where = whereClause(filter);
  return db
    .prepare(
      `SELECT count(*) AS rows,
              count(CASE WHEN p.reviewed_at IS NULL THEN 1 END) AS unreviewed,
              count(CASE WHEN p.title IS NULL OR trim(p.title) = '' THEN 1 END) AS untitled,
              count(CASE WHEN coalesce(${CURRENT_GENRES_SQL}, '') = '' THEN 1 END) AS noGenres,
              count(CASE WHEN ${OPEN_PAIR_SQL} THEN 1 END) AS pairedCopies
       FROM posters p ${where.sql}`,
    )
    .get(...where.params) as ExportPreview;
}

/** How many posters match `filter` (the export's preview count, the library's total). */
export function countMatching(db: Db, filter: ExportFilter): number {
  const where = whereClause(filter);
  return db
    .prepare(`SELECT count(*) FROM posters p ${where.sql}`)
    .pluck()
    .get(...where.params) as number;
}
