/**
 * Changes to a poster's own facts — title, year, vendor — and to its near-duplicate standing:
 * "not a duplicate" (the pairing dropped) and "set aside" (the copy not kept of a pair: hidden from
 * the library, the export and the review queue, never deleted). Each is a row with the value before
 * and after, undoable one at a time; an undo that would overwrite a later change is refused.
 */
import type { PosterEdit } from '../../shared/types';
import { decadeOf } from '../../shared/genres';
import { titleOrFile } from '../../shared/posterName';
import type { Db } from '../db/open';
import { nowIso, prepared } from '../db/statements';
import { AppError } from '../errors';
import { requirePoster } from './labelRepository';

export type EditField = PosterEdit['field'];
type Value = string | number | null;

interface EditRow {
  id: number;
  poster_id: number;
  field: EditField;
  before: string;
  after: string;
  changed_at: string;
  reviewer: string | null;
  undone_at: string | null;
}

const FIELDS: readonly EditField[] = ['title', 'year', 'vendor', 'duplicate_of', 'set_aside_at'];

function parseValue(text: string): Value {
  const v = JSON.parse(text) as unknown;
  return typeof v === 'string' || typeof v === 'number' ? v : null;
}

const toEdit = (r: EditRow): PosterEdit => ({
  id: r.id,
  posterId: r.poster_id,
  field: r.field,
  before: parseValue(r.before),
  after: parseValue(r.after),
  changedAt: r.changed_at,
  reviewer: r.reviewer,
  undoneAt: r.undone_at,
});

function currentValue(db: Db, posterId: number, field: EditField): Value {
  if (!FIELDS.includes(field)) throw new AppError('invalid-field', `"${field}" is not a poster field that can be edited.`);
  return (prepared(db, `SELECT ${field} FROM posters WHERE id = ?`).pluck().get(posterId) as Value | undefined) ?? null;
}

function writeValue(db: Db, posterId: number, field: EditField, value: Value): void {
  if (field === 'year') prepared(db, 'UPDATE posters SET year = ?, decade = ? WHERE id = ?').run(value, decadeOf(value as number | null), posterId);
  else prepared(db, `UPDATE posters SET ${field} = ? WHERE id = ?`).run(value, posterId);
}

/** Sets one field and records the change; the same value records nothing (null). Call inside a transaction. */
export function editPosterField(db: Db, posterId: number, field: EditField, value: Value, reviewer: string | null = null): PosterEdit | null {
  requirePoster(db, posterId);
  const before = currentValue(db, posterId, field);
  if (before === value) return null;
  writeValue(db, posterId, field, value);
  const info = prepared(db, 'INSERT INTO poster_edits (poster_id, field, before, after, changed_at, reviewer) VALUES (?, ?, ?, ?, ?, ?)').run(
    posterId,
    field,
    JSON.stringify(before),
    JSON.stringify(value),
    nowIso(),
    reviewer,
  );
  return editById(db, Number(info.lastInsertRowid));
}

/** A poster in a message, as staff know it: its title, else its scan's file name. */
function named(db: Db, id: number): string {
  const row = prepared(db, 'SELECT title, path FROM posters WHERE id = ?').get(id) as { title: string | null; path: string } | undefined;
  return (row && titleOrFile(row)) ?? `poster ${id}`;
}

function editById(db: Db, id: number): PosterEdit {
  const row = prepared(db, 'SELECT * FROM poster_edits WHERE id = ?').get(id) as EditRow | undefined;
  if (!row) throw new AppError('edit-not-found', `There is no poster edit with id ${id}.`);
  return toEdit(row);
}

/**
 * The posters staff said are not a near-duplicate of `posterId` ("Not a duplicate", not undone),
 * either way round: an automatic re-link (a re-crop) must not pair them again.
 */
export function notDuplicatesOf(db: Db, posterId: number): Set<number> {
  const rows = prepared(
    db,
    `SELECT poster_id AS a, before AS b FROM poster_edits
      WHERE field = 'duplicate_of' AND after = 'null' AND undone_at IS NULL AND (poster_id = ? OR before = ?)`,
  ).all(posterId, JSON.stringify(posterId)) as { a: number; b: string }[];
  return new Set(rows.map((r) => (r.a === posterId ? Number(parseValue(r.b)) : r.a)));
}

/**
 * The set-aside changes (set aside, restored) of the posters `posterId` is or was in a near-duplicate
 * pair with, oldest first, undone ones included: the poster kept is told of the pair it resolved
 * without a row of its own. Paired means paired now, either way round, or until a "not a duplicate"
 * edit (on either poster) dropped it. A set-aside original with several copies shows in each copy's
 * history: the catalogue records which poster was set aside, not which of its copies staff looked at.
 */
export function pairSetAsideEdits(db: Db, posterId: number): PosterEdit[] {
  const rows = prepared(
    db,
    `SELECT * FROM poster_edits
      WHERE field = 'set_aside_at' AND poster_id != :id AND poster_id IN (
        SELECT id FROM posters WHERE duplicate_of = :id
        UNION SELECT duplicate_of FROM posters WHERE id = :id
        UNION SELECT poster_id FROM poster_edits WHERE field = 'duplicate_of' AND before = :json
        UNION SELECT CAST(before AS INTEGER) FROM poster_edits WHERE field = 'duplicate_of' AND poster_id = :id AND before != 'null')
      ORDER BY id`,
  ).all({ id: posterId, json: JSON.stringify(posterId) }) as EditRow[];
  return rows.map(toEdit);
}

/** A poster's edits, oldest first, undone ones included (marked). */
export function posterEdits(db: Db, posterId: number): PosterEdit[] {
  return (prepared(db, 'SELECT * FROM poster_edits WHERE poster_id = ? ORDER BY id').all(posterId) as EditRow[]).map(toEdit);
}

/**
 * Puts the value before edit `id` back and marks the edit undone. Refused when the field has been
 * changed since (undoing would throw that later change away) or the edit is already undone.
 */
export function undoPosterEdit(db: Db, id: number): PosterEdit {
  return db.transaction(() => {
    const edit = editById(db, id);
    if (edit.undoneAt) throw new AppError('nothing-to-undo', 'That change has already been undone.');
    const now = currentValue(db, edit.posterId, edit.field);
    if (now !== edit.after) {
      throw new AppError('changed-since', `The poster's ${edit.field.replace(/_at$|_of$/, '')} has been changed since; undo the later change first.`);
    }
    // Paired again only with a poster that is itself no copy: a copy of a copy (or two posters each the
    // other's copy) is a pairing no screen can show or resolve.
    if (edit.field === 'duplicate_of' && edit.before !== null) {
      const other = prepared(db, 'SELECT duplicate_of FROM posters WHERE id = ?').pluck().get(edit.before) as number | null | undefined;
      if (other !== null && other !== undefined)
        throw new AppError(
          'changed-since',
          `Not undone: ${named(db, Number(edit.before))}, the other of that pair, has since been paired as a near-duplicate of ${named(db, other)}. Resolve that pair first.`,
        );
      // Nor may this poster become a copy while other posters are its copies (C → this → other).
      const copy = prepared(db, 'SELECT id FROM posters WHERE duplicate_of = ? ORDER BY id LIMIT 1').pluck().get(edit.posterId) as number | undefined;
      if (copy !== undefined)
        throw new AppError(
          'changed-since',
          `Not undone: ${named(db, copy)} has since been paired as a near-duplicate of ${named(db, edit.posterId)}. Resolve that pair first.`,
        );
    }
    writeValue(db, edit.posterId, edit.field, edit.before);
    prepared(db, 'UPDATE poster_edits SET undone_at = ? WHERE id = ?').run(nowIso(), id);
    return editById(db, id);
  })();
}
