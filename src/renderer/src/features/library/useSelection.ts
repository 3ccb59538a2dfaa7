/**
 * The library's selection: either chosen posters (ids), or "every poster matching the filter"
 * (Ctrl+A / "select all N matching"), which bulk actions resolve below the door. A selection of
 * ids survives a filter change; `hidden` says how many of it the filter no longer shows.
 */
import { useEffect, useState } from 'react';
import type { ExportFilter } from '../../../../shared/types';

export type Selection = { kind: 'ids'; ids: Set<number> } | { kind: 'filter'; filter: ExportFilter; total: number };

const NONE: Selection = { kind: 'ids', ids: new Set() };

export function useSelection(filter: ExportFilter, total: number | null, onError: (error: Error) => void) {
  const [selection, setSelection] = useState<Selection>(NONE);
  const [hidden, setHidden] = useState(0);

  // "All matching" means the filter it was made with: a new filter ends it.
  useEffect(() => setSelection((s) => (s.kind === 'filter' && s.filter !== filter ? NONE : s)), [filter]);

  useEffect(() => {
    if (selection.kind !== 'ids' || selection.ids.size === 0) {
      setHidden(0);
      return;
    }
    let live = true;
    window.api.posters.countSelected({ filter, ids: [...selection.ids] }).then((matching) => live && setHidden(selection.ids.size - matching), onError);
    return () => {
      live = false;
    };
  }, [selection, filter, total, onError]);

  const count = selection.kind === 'ids' ? selection.ids.size : selection.total;
  return {
    selection,
    count,
    hidden,
    isSelected: (id: number) => (selection.kind === 'ids' ? selection.ids.has(id) : true),
    ids: selection.kind === 'ids' ? selection.ids : new Set<number>(),
    set: (ids: Iterable<number>) => setSelection({ kind: 'ids', ids: new Set(ids) }),
    selectAllMatching: () => total !== null && total > 0 && setSelection({ kind: 'filter', filter, total }),
    clear: () => setSelection(NONE),
  };
}
