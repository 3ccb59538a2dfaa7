/**
 * Human labels. A poster is in one of two states:
 * - reviewed: staff confirmed its complete genre set (poster_labels) — this, and only this, is
 *   training data;
 * - not reviewed: the model's suggestions apply, with staff's per-genre edits on top (genre_edits:
 *   "add Horror", "remove Comedy" from a bulk action). A partly edited poster is NOT training data:
 *   its other genres are still the model's guesses, so nobody confirmed a complete set. Its edits
 *   show in the library and the export, and become part of the set staff confirm when they review it.
 * Every change is a row in label_changes (state before and after, by genre id, when, who, and the
 * bulk action it belongs to). Undo restores a change's "before" state and marks it undone, so
 * repeated undo walks back one change at a time to the original state.
 */
import { randomUUID } from 'node:crypto';
import { GENRE_SEPARATOR } from '../../shared/genres';
import { titleOrFile } from '../../shared/posterName';
import type { LabelChange } from '../../shared/types';
import type { Db } from '../db/open';
import { nowIso, prepared } from '../db/statements';
import { AppError } from '../errors';
import { getPoster } from './posterRepository';

export type { LabelChange };

export type LabelState = { reviewed: true; genres: number[] } | { reviewed: false; add: number[]; remove: number[] };

interface ChangeRow {
  id: number;
  poster_id: number;
  before: string;
  after: string;
  changed_at: string;
  reviewer: string | null;
  batch: string | null;
  undone_at: string | null;
}

const sorted = (ids: Iterable<number>): number[] => [...new Set(ids)].sort((a, b) => a - b);

function parseState(text: string): LabelState {
  const s = JSON.parse(text) as Partial<{ reviewed: boolean; genres: number[]; add: number[]; remove: number[] }>;
  const ids = (v: unknown): number[] => (Array.isArray(v) ? v.filter((x): x is number => Number.isInteger(x)) : []);
  return s.reviewed === true ? { reviewed: true, genres: ids(s.genres) } : { reviewed: false, add: ids(s.add), remove: ids(s.remove) };
}

const sameState = (a: LabelState, b: LabelState): boolean => JSON.stringify(a) === JSON.stringify(b);

export function requirePoster(db: Db, posterId: number): NonNullable<ReturnType<typeof getPoster>> {
  const poster = getPoster(db, posterId);
  if (!poster) throw new AppError('poster-not-found', `There is no poster with id ${posterId}.`);
  return poster;
}

/** The poster's state as stored. */
export function labelState(db: Db, posterId: number): LabelState {
  const poster = requirePoster(db, posterId);
  if (poster.reviewedAt !== null) {
    return {
      reviewed: true,
      genres: prepared(db, 'SELECT genre_id FROM poster_labels WHERE poster_id = ? ORDER BY genre_id').pluck().all(posterId) as number[],
    };
  }
  const edits = prepared(db, 'SELECT genre_id, present FROM genre_edits WHERE poster_id = ? ORDER BY genre_id').all(posterId) as {
    genre_id: number;
    present: number;
  }[];
  return {
    reviewed: false,
    add: edits.filter((e) => e.present === 1).map((e) => e.genre_id),
    remove: edits.filter((e) => e.present === 0).map((e) => e.genre_id),
  };
}

function writeState(db: Db, posterId: number, state: LabelState, reviewer: string | null, at: string): void {
  prepared(db, 'DELETE FROM poster_labels WHERE poster_id = ?').run(posterId);
  prepared(db, 'DELETE FROM genre_edits WHERE poster_id = ?').run(posterId);
  if (state.reviewed) {
    for (const id of state.genres) prepared(db, 'INSERT INTO poster_labels (poster_id, genre_id) VALUES (?, ?)').run(posterId, id);
  } else {
    for (const id of state.add) prepared(db, 'INSERT INTO genre_edits (poster_id, genre_id, present) VALUES (?, ?, 1)').run(posterId, id);
    for (const id of state.remove) prepared(db, 'INSERT INTO genre_edits (poster_id, genre_id, present) VALUES (?, ?, 0)').run(posterId, id);
  }
  prepared(db, 'UPDATE posters SET reviewed_at = ?, reviewer = ? WHERE id = ?').run(state.reviewed ? at : null, state.reviewed ? reviewer : null, posterId);
}

const genreNames = (db: Db, ids: number[]): string[] =>
  ids.length === 0
    ? []
    : (prepared(db, 'SELECT id, name FROM genres ORDER BY position, id').all() as { id: number; name: string }[])
        .filter((g) => ids.includes(g.id))
        .map((g) => g.name);

function toChange(db: Db, r: ChangeRow): LabelChange {
  const view = (s: LabelState) =>
    s.reviewed ? { genres: genreNames(db, s.genres), edits: null } : { genres: null, edits: { add: genreNames(db, s.add), remove: genreNames(db, s.remove) } };
  const before = view(parseState(r.before));
  const after = view(parseState(r.after));
  return {
    id: r.id,
    posterId: r.poster_id,
    oldGenres: before.genres,
    newGenres: after.genres,
    oldEdits: before.edits,
    newEdits: after.edits,
    changedAt: r.changed_at,
    reviewer: r.reviewer,
    batch: r.batch,
    undoneAt: r.undone_at,
  };
}

/**
 * Moves a poster to `state` and records the change; a change to the state it already has records
 * nothing and returns null. `whole`: the change confirms the poster's whole genre set as a person
 * saw it (not one genre added or removed), so training may take every genre offered then as ruled
 * in or out (see `wholeConfirmationTimes`). Call inside a transaction.
 */
export function changeLabelState(
  db: Db,
  posterId: number,
  state: LabelState,
  reviewer: string | null,
  batch: string | null = null,
  whole = false,
): LabelChange | null {
  const before = labelState(db, posterId);
  const after: LabelState = state.reviewed
    ? { reviewed: true, genres: sorted(state.genres) }
    : { reviewed: false, add: sorted(state.add), remove: sorted(state.remove) };
  if (sameState(before, after)) return null;
  const at = nowIso();
  writeState(db, posterId, after, reviewer, at);
  const info = prepared(db, 'INSERT INTO label_changes (poster_id, before, after, changed_at, reviewer, batch, complete) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
    posterId,
    JSON.stringify(before),
    JSON.stringify(after),
    at,
    reviewer,
    batch,
    whole && after.reviewed ? 1 : 0,
  );
  return changeById(db, Number(info.lastInsertRowid));
}

function changeById(db: Db, id: number): LabelChange {
  return toChange(db, prepared(db, 'SELECT * FROM label_changes WHERE id = ?').get(id) as ChangeRow);
}

export const newBatchId = (): string => randomUUID();

/** The poster's confirmed genres, or null when it has not been reviewed. */
export function labelsOf(db: Db, posterId: number): string[] | null {
  const state = labelState(db, posterId);
  return state.reviewed ? genreNames(db, state.genres) : null;
}

/** A reviewed poster's confirmed genres that are retired now (kept, and back when the genre is restored). */
export function retiredLabelIds(db: Db, posterId: number): number[] {
  return prepared(db, 'SELECT l.genre_id FROM poster_labels l JOIN genres g ON g.id = l.genre_id WHERE l.poster_id = ? AND g.retired_at IS NOT NULL')
    .pluck()
    .all(posterId) as number[];
}

/**
 * Why "mark reviewed" in bulk must not confirm a poster not yet reviewed: a reviewer flagged it
 * unsure (kept for a closer look), or the model never tagged it (its "current genres" are nothing
 * anyone or anything chose). Null when it may.
 */
export function notToMarkReviewed(db: Db, posterId: number): 'unsure' | 'untagged' | null {
  if (prepared(db, 'SELECT 1 FROM review_flags WHERE poster_id = ?').get(posterId)) return 'unsure';
  const tagged =
    prepared(db, 'SELECT 1 FROM suggestions WHERE poster_id = ? LIMIT 1').get(posterId) ??
    prepared(db, 'SELECT 1 FROM genre_edits WHERE poster_id = ? LIMIT 1').get(posterId);
  return tagged ? null : 'untagged';
}

/** Genre ids a reviewed poster was confirmed with. */
export function confirmedGenreIds(db: Db, posterId: number): number[] {
  return prepared(db, 'SELECT genre_id FROM poster_labels WHERE poster_id = ?').pluck().all(posterId) as number[];
}

/**
 * When each reviewed poster's whole genre set was last confirmed (by a change not undone). Its
 * review time moves with every later change of one genre, or an undo; this does not, so a genre
 * added to the vocabulary in between stays one its reviewer never ruled out.
 */
export function wholeConfirmationTimes(db: Db): Map<number, string> {
  const rows = prepared(db, 'SELECT poster_id, max(changed_at) AS at FROM label_changes WHERE undone_at IS NULL AND complete = 1 GROUP BY poster_id').all() as {
    poster_id: number;
    at: string;
  }[];
  return new Map(rows.map((r) => [r.poster_id, r.at]));
}

/** Every change of a poster, oldest first, undone ones included (marked). */
export function labelHistory(db: Db, posterId: number): LabelChange[] {
  return (prepared(db, 'SELECT * FROM label_changes WHERE poster_id = ? ORDER BY id').all(posterId) as ChangeRow[]).map((r) => toChange(db, r));
}

function latestOpenChange(db: Db, posterId: number): ChangeRow | undefined {
  return prepared(db, 'SELECT * FROM label_changes WHERE poster_id = ? AND undone_at IS NULL ORDER BY id DESC LIMIT 1').get(posterId) as ChangeRow | undefined;
}

/**
 * The id of the poster's latest label change not undone, null when none: it names the poster's label
 * state (every write is a change on top of it, an undo takes back only the latest), so a screen that
 * keeps it knows whether anything changed the poster's genres since it read them.
 */
export function latestLabelChangeId(db: Db, posterId: number): number | null {
  return (prepared(db, 'SELECT max(id) FROM label_changes WHERE poster_id = ? AND undone_at IS NULL').pluck().get(posterId) as number | null) ?? null;
}

function revert(db: Db, row: ChangeRow, reviewer: string | null): void {
  const at = nowIso();
  writeState(db, row.poster_id, parseState(row.before), reviewer, at);
  prepared(db, 'UPDATE label_changes SET undone_at = ? WHERE id = ?').run(at, row.id);
}

/** Undoes the poster's latest change that is not undone yet; returns it (now marked undone). */
export function undoLastLabelChange(db: Db, posterId: number, reviewer: string | null = null): LabelChange {
  return db.transaction(() => {
    requirePoster(db, posterId);
    const last = latestOpenChange(db, posterId);
    if (!last) throw new AppError('nothing-to-undo', `Poster ${posterId} has no label changes to undo.`);
    revert(db, last, reviewer);
    return changeById(db, last.id);
  })();
}

/**
 * Undoes one named change of a poster (a review's confirmation names the change it made), only while
 * it is the poster's latest: a change made since (a Library edit, a bulk action) is never taken back
 * in its place, and the named one is refused rather than undone under it.
 */
export function undoLabelChange(db: Db, posterId: number, changeId: number, reviewer: string | null = null): LabelChange {
  return db.transaction(() => {
    const poster = requirePoster(db, posterId);
    const row = prepared(db, 'SELECT * FROM label_changes WHERE id = ?').get(changeId) as ChangeRow | undefined;
    if (!row || row.poster_id !== posterId) throw new AppError('change-not-found', `Poster ${posterId} has no label change ${changeId}.`);
    const name = titleOrFile(poster) ?? `Poster ${posterId}`;
    if (row.undone_at !== null) throw new AppError('nothing-to-undo', `${name}: that change has already been undone.`);
    if (latestOpenChange(db, posterId)?.id !== row.id)
      throw new AppError(
        'changed-since',
        `${name} was changed again since (in the Library or another window), so this was not undone: take back the later change first, from the poster's history in the Library.`,
      );
    revert(db, row, reviewer);
    return changeById(db, row.id);
  })();
}

/**
 * Undoes one bulk action on every poster it changed. A poster changed again since keeps its later
 * change (undoing the bulk step there would throw that work away): it is counted as skipped.
 */
export function undoBatch(db: Db, batch: string, reviewer: string | null = null): { undone: number; skipped: number } {
  return db.transaction(() => {
    const rows = prepared(db, 'SELECT * FROM label_changes WHERE batch = ? AND undone_at IS NULL ORDER BY id').all(batch) as ChangeRow[];
    if (rows.length === 0) throw new AppError('nothing-to-undo', 'That action has already been undone, or changed nothing.');
    let undone = 0;
    for (const row of rows) {
      if (latestOpenChange(db, row.poster_id)?.id !== row.id) continue;
      revert(db, row, reviewer);
      undone++;
    }
    return { undone, skipped: rows.length - undone };
  })();
}

/** Genre names joined as in CSV cells and the command line. */
export const joinGenres = (names: readonly string[]): string => names.join(GENRE_SEPARATOR);
