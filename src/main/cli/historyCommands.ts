/**
 * A poster's history on the command line: its genre changes and its title, year, vendor and
 * near-duplicate edits, one line each in the order they were made, and the undo of either kind.
 * The poster kept of a near-duplicate pair shows the other's being set aside (an edit of the other).
 */
import { GENRE_SEPARATOR } from '../../shared/genres';
import { posterName } from '../../shared/posterName';
import type { LabelChange, PosterEdit } from '../../shared/types';
import { AppError } from '../errors';
import type { CatalogueService } from '../service';

const by = (reviewer: string | null): string => (reviewer ? ` by ${reviewer}` : '');
const undone = (at: string | null): string => (at ? `  (undone ${at})` : '');

/** One genre change in words: `poster 1: (not reviewed) → Horror|Thriller  <when> by ana`; `field` names it among other kinds. */
export function printChange(change: LabelChange | null, posterId: number, field = ''): void {
  if (!change) {
    console.log(`poster ${posterId}: unchanged`);
    return;
  }
  const edits = (e: LabelChange['oldEdits']) =>
    e && (e.add.length || e.remove.length) ? `(not reviewed; ${[...e.add.map((g) => `+${g}`), ...e.remove.map((g) => `-${g}`)].join(' ')})` : '(not reviewed)';
  const show = (g: string[] | null, e: LabelChange['oldEdits']) => (g === null ? edits(e) : g.length ? g.join(GENRE_SEPARATOR) : '(no genre)');
  console.log(
    `poster ${change.posterId}: ${field}${show(change.oldGenres, change.oldEdits)} → ${show(change.newGenres, change.newEdits)}  ${change.changedAt}` +
      `${by(change.reviewer)}${undone(change.undoneAt)}`,
  );
}

const FIELD_WORDS: Record<PosterEdit['field'], string> = {
  title: 'title',
  year: 'year',
  vendor: 'vendor',
  duplicate_of: 'near-duplicate of',
  set_aside_at: 'set aside',
};

function describeValue(field: PosterEdit['field'], value: PosterEdit['before']): string {
  if (value === null || value === '') {
    if (field === 'set_aside_at') return 'in the catalogue';
    if (field === 'duplicate_of') return 'not a duplicate';
    return `(no ${field})`;
  }
  if (field === 'set_aside_at') return 'set aside';
  if (field === 'duplicate_of') return `poster ${value}`;
  return field === 'year' ? String(value) : `"${value}"`;
}

/** One title, year, vendor or near-duplicate edit in words, with the id "undo --edit" takes. */
export function describeEdit(edit: PosterEdit): string {
  return (
    `poster ${edit.posterId}: ${FIELD_WORDS[edit.field]} ${describeValue(edit.field, edit.before)} → ${describeValue(edit.field, edit.after)}` +
    `  ${edit.changedAt}${by(edit.reviewer)}${undone(edit.undoneAt)}  [edit ${edit.id}]`
  );
}

/**
 * A near-duplicate's being set aside or restored, seen from poster `keptId` of its pair:
 * `poster 1: kept over poster 2, Vertigo (Acme, 1958), which was set aside  <when> by ana  [edit 7]`.
 */
export function describePairEdit(edit: PosterEdit, keptId: number, name: string): string {
  const other = `poster ${edit.posterId}, ${name}`;
  const what = edit.after === null ? `near-duplicate ${other} is back in the catalogue` : `kept over ${other}, which was set aside`;
  return `poster ${keptId}: ${what}  ${edit.changedAt}${by(edit.reviewer)}${undone(edit.undoneAt)}  [edit ${edit.id}]`;
}

export type HistoryEntry = (LabelChange & { kind: 'genres' }) | (PosterEdit & { kind: 'edit' }) | (PosterEdit & { kind: 'pair'; name: string });

/** Every kind of change, oldest first (the detail view's history shows the same, newest first). */
export function historyCommand(posterId: number, service: CatalogueService): HistoryEntry[] {
  const { library } = service;
  const detail = library.poster(posterId);
  const names = new Map((detail.namedInEdits ?? []).map((p) => [p.id, posterName(p)]));
  const entries: HistoryEntry[] = [
    ...library.history(posterId).map((change) => ({ ...change, kind: 'genres' as const })),
    ...detail.edits.map((edit) => ({ ...edit, kind: 'edit' as const })),
    ...(detail.pairSetAside ?? []).map((edit) => ({ ...edit, kind: 'pair' as const, name: names.get(edit.posterId) ?? `poster ${edit.posterId}` })),
  ].sort((a, b) => (a.changedAt < b.changedAt ? -1 : a.changedAt > b.changedAt ? 1 : 0));
  if (entries.length === 0) console.log(`poster ${posterId} has no changes`);
  for (const entry of entries) {
    if (entry.kind === 'genres') printChange(entry, posterId, 'genres ');
    else if (entry.kind === 'pair') console.log(describePairEdit(entry, posterId, entry.name));
    else console.log(describeEdit(entry));
  }
  return entries;
}

/**
 * Takes back one title, year, vendor or near-duplicate edit of the poster (its id from "history"),
 * or the setting aside of the near-duplicate it was kept over, which its history lists too.
 */
export async function undoEditCommand(posterId: number, given: string, service: CatalogueService): Promise<PosterEdit> {
  const editId = /^\d+$/.test(given) ? Number(given) : NaN;
  const detail = service.library.poster(posterId);
  const edit = [...detail.edits, ...(detail.pairSetAside ?? [])].find((e) => e.id === editId);
  if (!edit) throw new AppError('edit-not-found', `Poster ${posterId} has no edit ${given}: "history ${posterId}" lists its edits, each with [edit ID].`);
  const taken = await service.undoPosterEdit(edit.id);
  console.log('undone:');
  console.log(describeEdit(taken));
  return taken;
}
