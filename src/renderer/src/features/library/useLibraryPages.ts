/**
 * The library's data: the total matching the filter and pages of posters fetched as the rows that
 * need them come into view (so 50,000 posters scroll like 50). `reset` starts again after a change.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ExportFilter, LibraryItem, LibrarySort } from '../../../../shared/types';

const PAGE = 120;

export function useLibraryPages(filter: ExportFilter, sort: LibrarySort, onError: (error: Error) => void) {
  const [total, setTotal] = useState<number | null>(null);
  const [pages, setPages] = useState<Map<number, LibraryItem[]>>(new Map());
  const loading = useRef(new Set<number>());
  const generation = useRef(0);
  const [range, setRange] = useState({ first: 0, last: 0 });

  const reset = useCallback(() => {
    const gen = ++generation.current;
    loading.current.clear();
    setPages(new Map());
    window.api.posters.search({ filter, sort, offset: 0, limit: 1 }).then((r) => gen === generation.current && setTotal(r.total), onError);
  }, [filter, sort, onError]);
  useEffect(reset, [reset]);

  // Fetch the pages the rows in view need.
  useEffect(() => {
    if (total === null) return;
    const gen = generation.current;
    for (let page = Math.floor(range.first / PAGE); page * PAGE < Math.min(range.last, total); page++) {
      if (pages.has(page) || loading.current.has(page)) continue;
      loading.current.add(page);
      window.api.posters.search({ filter, sort, offset: page * PAGE, limit: PAGE }).then((r) => {
        if (gen !== generation.current) return;
        setTotal(r.total);
        setPages((p) => new Map(p).set(page, r.items));
      }, onError);
    }
  }, [range, total, pages, filter, sort, onError]);

  const itemAt = useCallback((i: number): LibraryItem | undefined => pages.get(Math.floor(i / PAGE))?.[i % PAGE], [pages]);
  const need = useCallback((first: number, last: number) => setRange((r) => (r.first === first && r.last === last ? r : { first, last })), []);
  return { total, itemAt, need, reset };
}
