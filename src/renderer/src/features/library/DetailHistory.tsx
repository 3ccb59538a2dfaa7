/**
 * A poster's history in one table: genre changes (undo the latest) and title/year/vendor/near-duplicate
 * edits (each undoable), with — on the poster kept of a near-duplicate pair — the other's being set
 * aside (an edit of the other poster, undoable from here too: undone, the other is back).
 */
import { Button, Table, TableBody, TableCell, TableRow } from '@mui/material';
import type { GenreEdits, LabelChange, PosterEdit } from '../../../../shared/types';

/** A label state in words: the confirmed set, or "not reviewed" with staff's edits on the suggestions. */
function describeState(genres: string[] | null, edits: GenreEdits | null): string {
  if (genres !== null) return genres.join(', ') || 'no genres';
  const changes = [...(edits?.add ?? []).map((g) => `+${g}`), ...(edits?.remove ?? []).map((g) => `−${g}`)];
  return changes.length ? `not reviewed (${changes.join(' ')})` : 'not reviewed';
}

const FIELD_WORDS: Record<PosterEdit['field'], string> = {
  title: 'Title',
  year: 'Year',
  vendor: 'Vendor',
  duplicate_of: 'Near-duplicate of',
  set_aside_at: 'Set aside',
};

/** `names`: the posters the near-duplicate changes name, as staff know them; one deleted since is named by its id. */
function describeValue(edit: PosterEdit, value: PosterEdit['before'], names: ReadonlyMap<number, string>): string {
  if (value === null || value === '') return edit.field === 'set_aside_at' ? 'in the catalogue' : edit.field === 'duplicate_of' ? 'not a duplicate' : '(none)';
  if (edit.field === 'set_aside_at') return 'set aside';
  if (edit.field === 'duplicate_of') return names.get(Number(value)) ?? `poster ${value}`;
  return String(value);
}

/** A near-duplicate's being set aside or restored, told on the poster kept: "Kept over Vertigo (Acme, 1958), which was set aside". */
function describePair(edit: PosterEdit, names: ReadonlyMap<number, string>): string {
  const name = names.get(edit.posterId) ?? `poster ${edit.posterId}`;
  return edit.after === null ? `${name}, its near-duplicate, is back in the catalogue` : `Kept over ${name}, which was set aside`;
}

/** Undo, named by the change it takes back: a screen reader (and a hover) hears which of the Undo buttons this is. */
function UndoButton({ what, onClick }: { what: string; onClick: () => void }) {
  return (
    <Button size="small" aria-label={`Undo ${what}`} title={`Undo ${what}`} onClick={onClick}>
      Undo
    </Button>
  );
}

export function DetailHistory({
  history,
  edits,
  pairEdits = [],
  names = new Map(),
  onUndoEdit,
}: {
  history: LabelChange[];
  edits: PosterEdit[];
  /** The set-aside changes of the posters it was paired with (edits of those posters). */
  pairEdits?: PosterEdit[];
  names?: ReadonlyMap<number, string>;
  onUndoEdit: (id: number) => void;
}) {
  const describe = (edit: PosterEdit, value: PosterEdit['before']) => describeValue(edit, value, names);
  type Row = { key: string; at: string; label?: LabelChange; edit?: PosterEdit; pair?: PosterEdit };
  const rows: Row[] = [
    ...history.map((h) => ({ key: `l${h.id}`, at: h.changedAt, label: h })),
    ...edits.map((e) => ({ key: `e${e.id}`, at: e.changedAt, edit: e })),
    ...pairEdits.map((e) => ({ key: `p${e.id}`, at: e.changedAt, pair: e })),
  ].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  return (
    <Table size="small" data-testid="detail-history">
      <TableBody>
        {rows.length === 0 && (
          <TableRow>
            <TableCell>No changes yet.</TableCell>
          </TableRow>
        )}
        {rows.map((r) => {
          const undone = r.label?.undoneAt ?? r.edit?.undoneAt ?? r.pair?.undoneAt;
          return (
            <TableRow key={r.key} sx={undone ? { '& td': { color: 'text.secondary' } } : undefined}>
              <TableCell>{new Date(r.at).toLocaleString()}</TableCell>
              {r.pair ? (
                <>
                  <TableCell colSpan={2}>{describePair(r.pair, names)}</TableCell>
                  <TableCell>
                    {r.pair.reviewer ?? ''}
                    {undone ? ' · undone' : <UndoButton what={describePair(r.pair, names)} onClick={() => onUndoEdit((r.pair as PosterEdit).id)} />}
                  </TableCell>
                </>
              ) : r.label ? (
                <>
                  <TableCell>Genres: {describeState(r.label.oldGenres, r.label.oldEdits)}</TableCell>
                  <TableCell>→ {describeState(r.label.newGenres, r.label.newEdits)}</TableCell>
                  <TableCell>
                    {r.label.reviewer ?? ''}
                    {r.label.batch ? ' · bulk action' : ''}
                    {undone ? ' · undone' : ''}
                  </TableCell>
                </>
              ) : (
                r.edit && (
                  <>
                    <TableCell>
                      {FIELD_WORDS[r.edit.field]}: {describe(r.edit, r.edit.before)}
                    </TableCell>
                    <TableCell>→ {describe(r.edit, r.edit.after)}</TableCell>
                    <TableCell>
                      {r.edit.reviewer ?? ''}
                      {undone ? (
                        ' · undone'
                      ) : (
                        <UndoButton
                          what={`${FIELD_WORDS[r.edit.field]}: ${describe(r.edit, r.edit.before)} → ${describe(r.edit, r.edit.after)}`}
                          onClick={() => onUndoEdit((r.edit as PosterEdit).id)}
                        />
                      )}
                    </TableCell>
                  </>
                )
              )}
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
