/**
 * Human labels. Reviewing a poster confirms its complete genre set; every change is recorded
 * (old set, new set, when, who) so it can be audited and undone. Suggestions live in their own
 * table and never touch these.
 */
import { GENRE_SEPARATOR } from '../../shared/genres';
import type { LabelChange } from '../../shared/types';
import type { Db } from '../db/open';
import { nowIso, prepared } from '../db/statements';
import { parseCsv } from '../csv/csv';
import { AppError, messageOf } from '../errors';
import { findGenreByName } from './genreRepository';
import { findPosterIdByPath, getPoster } from './posterRepository';

export type { LabelChange };

interface HistoryRow {
  id: number;
  poster_id: number;
  old_genres: string | null;
  new_genres: string | null;
  changed_at: string;
  reviewer: string | null;
}

const split = (s: string | null): string[] | null => (s === null ? null : s === '' ? [] : s.split(GENRE_SEPARATOR));
const join = (g: string[] | null): string | null => (g === null ? null : g.join(GENRE_SEPARATOR));
const toChange = (r: HistoryRow): LabelChange => ({
  id: r.id,
  posterId: r.poster_id,
  oldGenres: split(r.old_genres),
  newGenres: split(r.new_genres),
  changedAt: r.changed_at,
  reviewer: r.reviewer,
});

/** The poster's confirmed genres, or null when it has not been reviewed. */
export function labelsOf(db: Db, posterId: number): string[] | null {
  const poster = getPoster(db, posterId);
  if (!poster) throw new AppError('poster-not-found', `There is no poster with id ${posterId}.`);
  if (poster.reviewedAt === null) return null;
  return prepared(db, 'SELECT g.name FROM poster_labels l JOIN genres g ON g.id = l.genre_id WHERE l.poster_id = ? ORDER BY g.position, g.id')
    .pluck()
    .all(posterId) as string[];
}

function resolveGenres(db: Db, names: string[]): { id: number; name: string }[] {
  const unknown: string[] = [];
  const genres = new Map<number, string>();
  for (const raw of names) {
    const name = raw.trim();
    if (!name) continue;
    const genre = findGenreByName(db, name);
    if (!genre) unknown.push(name);
    else genres.set(genre.id, genre.name);
  }
  if (unknown.length) {
    throw new AppError('genre-not-found', `Unknown genre${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')} (add with "genres add").`);
  }
  return [...genres].map(([id, name]) => ({ id, name }));
}

function writeLabels(db: Db, posterId: number, genres: { id: number; name: string }[] | null, reviewer: string | null): LabelChange {
  const before = labelsOf(db, posterId);
  prepared(db, 'DELETE FROM poster_labels WHERE poster_id = ?').run(posterId);
  for (const g of genres ?? []) prepared(db, 'INSERT INTO poster_labels (poster_id, genre_id) VALUES (?, ?)').run(posterId, g.id);
  const at = nowIso();
  prepared(db, 'UPDATE posters SET reviewed_at = ?, reviewer = ? WHERE id = ?').run(genres ? at : null, genres ? reviewer : null, posterId);
  const after = labelsOf(db, posterId); // canonical names, vocabulary order
  const info = prepared(db, 'INSERT INTO label_history (poster_id, old_genres, new_genres, changed_at, reviewer) VALUES (?, ?, ?, ?, ?)').run(
    posterId,
    join(before),
    join(after),
    at,
    reviewer,
  );
  return { id: Number(info.lastInsertRowid), posterId, oldGenres: before, newGenres: after, changedAt: at, reviewer };
}

/** Confirms the poster's complete genre set (it becomes reviewed). */
export function setLabels(db: Db, posterId: number, genreNames: string[], reviewer: string | null = null): LabelChange {
  return db.transaction(() => {
    labelsOf(db, posterId); // the poster must exist
    return writeLabels(db, posterId, resolveGenres(db, genreNames), reviewer);
  })();
}

/** Takes the review back: the poster is unreviewed again (its suggestions are untouched). */
export function unsetLabels(db: Db, posterId: number, reviewer: string | null = null): LabelChange {
  return db.transaction(() => writeLabels(db, posterId, null, reviewer))();
}

export function labelHistory(db: Db, posterId: number): LabelChange[] {
  return (prepared(db, 'SELECT * FROM label_history WHERE poster_id = ? ORDER BY id').all(posterId) as HistoryRow[]).map(toChange);
}

/** Undoes the poster's latest label change (itself recorded as a change, so it can be redone). */
export function undoLastLabelChange(db: Db, posterId: number, reviewer: string | null = null): LabelChange {
  return db.transaction(() => {
    const last = prepared(db, 'SELECT * FROM label_history WHERE poster_id = ? ORDER BY id DESC LIMIT 1').get(posterId) as HistoryRow | undefined;
    if (!last) throw new AppError('nothing-to-undo', `Poster ${posterId} has no label changes to undo.`);
    const previous = split(last.old_genres);
    // Genres retired or renamed since are resolved by id through the current names; unknown ones are dropped.
    const genres =
      previous === null
        ? null
        : previous.flatMap((name) => {
            const g = findGenreByName(db, name);
            return g ? [{ id: g.id, name: g.name }] : [];
          });
    return writeLabels(db, posterId, genres, reviewer);
  })();
}

/**
 * Labels from a CSV with the export's columns: `id` or `file_path` to find the poster, `genres`
 * (`|`-separated; empty = reviewed with no genre). Each bad line is reported; the others apply.
 */
export function labelFromCsvText(db: Db, text: string, reviewer: string | null = null): { labelled: number; errors: { line: number; reason: string }[] } {
  const csv = parseCsv(text);
  const column = (name: string) => csv.header.findIndex((h) => h.toLowerCase() === name);
  const idCol = column('id');
  const pathCol = column('file_path');
  const genresCol = column('genres');
  if (genresCol < 0 || (idCol < 0 && pathCol < 0)) {
    throw new AppError('csv-columns', 'The CSV needs a "genres" column and an "id" or "file_path" column.');
  }
  const errors = [...csv.errors];
  let labelled = 0;
  db.transaction(() => {
    for (const row of csv.rows) {
      const idText = idCol >= 0 ? row.cells[idCol]?.trim() : '';
      const path = pathCol >= 0 ? row.cells[pathCol]?.trim() : '';
      const posterId = idText ? Number(idText) : path ? findPosterIdByPath(db, path) : undefined;
      if (posterId === undefined || !Number.isInteger(posterId) || !getPoster(db, posterId)) {
        errors.push({ line: row.line, reason: `no poster ${idText ? `with id ${idText}` : `at ${path || '(no id or file_path)'}`}` });
        continue;
      }
      try {
        setLabels(db, posterId, (row.cells[genresCol] ?? '').split(GENRE_SEPARATOR), reviewer);
        labelled++;
      } catch (error) {
        errors.push({ line: row.line, reason: messageOf(error) });
      }
    }
  })();
  errors.sort((a, b) => a.line - b.line);
  return { labelled, errors };
}
