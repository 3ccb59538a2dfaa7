/**
 * The library: a virtualised grid of whole-poster thumbnails, one compact row of filters and sort,
 * a bar for the selection and its bulk genre actions, and the poster's detail. Usable from the
 * keyboard alone: Tab reaches the grid; arrows, Home/End and Page Up/Down move; Shift extends;
 * Space toggles; Ctrl+A selects every poster matching the filter; Esc clears; Enter opens.
 */
import { useCallback, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import { Alert, Box, Button, MenuItem, Paper, Slider, Stack, TextField, Typography } from '@mui/material';
import type { ExportFilter, Genre, LibrarySort } from '../../../../shared/types';
import { FilterFields } from '../../components/FilterFields';
import { PosterDetailDialog } from './PosterDetailDialog';
import { PosterGrid, type GridGeometry } from './PosterGrid';
import { SelectionBar } from './SelectionBar';
import { useLibraryPages } from './useLibraryPages';
import { useSelection } from './useSelection';
import { count } from '../../components/plural';
import { isOffline } from '../../api/connection';

const THUMB_KEY = 'library.thumbnailWidth';
const THUMB = { min: 96, max: 280, initial: 132 };

function storedThumbWidth(): number {
  const n = Number(localStorage.getItem(THUMB_KEY));
  return Number.isFinite(n) && n >= THUMB.min && n <= THUMB.max ? n : THUMB.initial;
}

export function LibraryScreen({ genres, onChanged }: { genres: Genre[]; onChanged: () => void }) {
  const [filter, setFilter] = useState<ExportFilter>({});
  const [sort, setSort] = useState<LibrarySort>('imported');
  const [message, setMessage] = useState<{ severity: 'error' | 'success'; text: string; batch?: string } | null>(null);
  // A lost host is said once, by the app-wide banner, not again here in other words.
  const onError = useCallback((e: Error) => !isOffline(e) && setMessage({ severity: 'error', text: e.message }), []);
  const { total, itemAt, need, reset } = useLibraryPages(filter, sort, onError);
  const selection = useSelection(filter, total, onError);
  const [active, setActive] = useState<number | null>(null);
  /** Shift+arrows: the selection before the range, and where the range starts. */
  const range = useRef<{ anchor: number; base: Set<number>; to?: number } | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  const [thumbWidth, setThumbWidth] = useState(storedThumbWidth);
  const geometry = useRef<GridGeometry>({ columns: 1, rowsInView: 1 });
  const onGeometry = useCallback((g: GridGeometry) => {
    geometry.current = g;
  }, []);

  const changeFilter = (f: ExportFilter) => {
    setFilter(f);
    setActive(null);
    range.current = null;
  };

  /** The ids at positions a…b: from the pages loaded, or asked of the catalogue when the range runs past them. */
  const idsBetween = async (a: number, b: number): Promise<number[]> => {
    const [first, last] = [Math.min(a, b), Math.max(a, b)];
    const ids: number[] = [];
    for (let k = first; k <= last; k++) {
      const it = itemAt(k);
      if (!it) return window.api.posters.idsAt({ filter, sort, offset: first, limit: Math.min(last - first + 1, 50_000) });
      ids.push(it.id);
    }
    return ids;
  };

  const toggle = (i: number) => {
    const item = itemAt(i);
    if (!item) return;
    const ids = new Set(selection.ids);
    if (ids.has(item.id)) ids.delete(item.id);
    else ids.add(item.id);
    selection.set(ids);
    range.current = { anchor: i, base: ids };
  };

  const extendTo = (i: number) => {
    const r = range.current ?? { anchor: active ?? i, base: new Set(selection.ids) };
    range.current = r;
    idsBetween(r.anchor, i).then(
      // A later key press or click has moved on: its own range wins.
      (ids) => range.current === r && r.to === i && selection.set([...r.base, ...ids]),
      onError,
    );
    r.to = i;
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (total === null || total === 0) return;
    const { columns, rowsInView } = geometry.current;
    const at = active ?? 0;
    const moves: Record<string, number> = {
      ArrowRight: at + 1,
      ArrowLeft: at - 1,
      ArrowDown: at + columns,
      ArrowUp: at - columns,
      PageDown: at + columns * rowsInView,
      PageUp: at - columns * rowsInView,
      Home: 0,
      End: total - 1,
    };
    const ctrl = event.ctrlKey || event.metaKey;
    if (event.key in moves && !ctrl && !event.altKey) {
      event.preventDefault();
      const next = Math.max(0, Math.min(total - 1, moves[event.key] as number));
      if (event.shiftKey) extendTo(next);
      else range.current = null;
      setActive(next);
    } else if (event.key === ' ') {
      event.preventDefault();
      toggle(at);
      setActive(at);
    } else if (ctrl && event.key.toLowerCase() === 'a') {
      event.preventDefault();
      range.current = null; // a Shift range still being fetched must not replace "all matching"
      selection.selectAllMatching();
    } else if (event.key === 'Escape') {
      if (selection.count > 0) {
        event.preventDefault();
        selection.clear();
        range.current = null;
      }
    } else if (event.key === 'Enter') {
      event.preventDefault();
      if (itemAt(at)) setOpen(at);
    }
  };

  const onCellClick = (i: number, event: MouseEvent) => {
    const item = itemAt(i);
    if (!item) return;
    if (event.shiftKey) extendTo(i);
    else if (event.ctrlKey || event.metaKey) toggle(i);
    else {
      selection.set([item.id]);
      range.current = { anchor: i, base: new Set() };
    }
    setActive(i);
  };

  const bulk = async (action: 'add-genre' | 'remove-genre' | 'mark-reviewed', genre: string) => {
    try {
      const s = selection.selection;
      // "All matching" carries the number the person saw: refused if the filter means other posters by now.
      const target = s.kind === 'ids' ? { ids: [...s.ids] } : { filter: s.filter, expectedCount: s.total };
      const { changed, batch, leftUnsure, leftUntagged } = await window.api.posters.bulk({ ...target, action, genre: genre || undefined });
      const what =
        action === 'mark-reviewed'
          ? 'marked reviewed with their current genres'
          : `${action === 'add-genre' ? 'given' : 'without'} ${genre} (other genres unchanged; posters not reviewed stay not reviewed)`;
      const left = [
        leftUnsure ? `${count(leftUnsure, 'poster')} flagged unsure ${leftUnsure === 1 ? 'was' : 'were'} left for Review` : '',
        leftUntagged
          ? `${count(leftUntagged, 'poster')} the model never tagged ${leftUntagged === 1 ? 'was' : 'were'} left as ${leftUntagged === 1 ? 'it was' : 'they were'}`
          : '',
      ].filter(Boolean);
      setMessage({
        severity: 'success',
        text: `${count(changed, 'poster')} ${what}.${left.length ? ` ${left.join('; ')}.` : ''} Undo takes this back for all of them.`,
        batch,
      });
      reset();
      onChanged();
    } catch (e) {
      onError(e as Error);
    }
  };

  const undoBulk = async (batch: string) => {
    try {
      const { undone, skipped } = await window.api.labels.undoBulk({ batch });
      setMessage({
        severity: 'success',
        text: `Undone on ${count(undone, 'poster')}${skipped ? `; ${skipped} changed again since keep their later change` : ''}.`,
      });
      reset();
      onChanged();
    } catch (e) {
      onError(e as Error);
    }
  };

  const filtered = Object.values(filter).some((v) => v !== undefined);
  const openItem = open === null ? undefined : itemAt(open);
  return (
    <Box>
      <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'nowrap', alignItems: 'center', mb: 1 }} data-testid="library-filters">
        <FilterFields filter={filter} onChange={changeFilter} genres={genres} />
        <TextField
          select
          size="small"
          label="Sort"
          value={sort}
          onChange={(e) => {
            setSort(e.target.value as LibrarySort);
            setActive(null);
          }}
          sx={{ width: 164, flexShrink: 0 }}
        >
          <MenuItem value="imported">Newest import</MenuItem>
          <MenuItem value="title">Title</MenuItem>
          <MenuItem value="year">Year</MenuItem>
          <MenuItem value="vendor">Vendor</MenuItem>
          <MenuItem value="reviewed">Latest reviewed</MenuItem>
          <MenuItem value="uncertain">Least certain</MenuItem>
        </TextField>
      </Stack>
      <Stack direction="row" spacing={2} sx={{ alignItems: 'center', minHeight: 40, mb: 1 }}>
        <Typography data-testid="library-total" sx={{ flexShrink: 0 }}>
          {total === null ? '' : count(total, 'poster')}
        </Typography>
        <SelectionBar
          count={selection.count}
          hidden={selection.hidden}
          allMatching={selection.selection.kind === 'filter'}
          total={total ?? 0}
          genres={genres}
          onSelectAll={() => {
            range.current = null;
            selection.selectAllMatching();
          }}
          onClear={() => {
            range.current = null;
            selection.clear();
          }}
          onBulk={(action, genre) => void bulk(action, genre)}
        />
        <Box sx={{ flexGrow: 1 }} />
        <Typography variant="body2" id="thumb-size-label" sx={{ flexShrink: 0 }}>
          Size
        </Typography>
        <Slider
          size="small"
          min={THUMB.min}
          max={THUMB.max}
          step={8}
          value={thumbWidth}
          onChange={(_e, v) => {
            setThumbWidth(v as number);
            localStorage.setItem(THUMB_KEY, String(v));
          }}
          aria-labelledby="thumb-size-label"
          getAriaValueText={(v) => `${v} pixels wide`}
          data-testid="thumb-size"
          sx={{ width: 120, flexShrink: 0 }}
        />
      </Stack>
      {message && (
        <Alert
          severity={message.severity}
          onClose={() => setMessage(null)}
          sx={{ mb: 1, py: 0 }}
          action={
            message.batch && (
              <Button color="inherit" size="small" data-testid="bulk-undo" onClick={() => void undoBulk(message.batch as string)}>
                Undo
              </Button>
            )
          }
        >
          {message.text}
        </Alert>
      )}
      {total === 0 ? (
        <Paper sx={{ p: 4, textAlign: 'center' }}>
          <Typography variant="h6" component="p">
            {filtered ? 'No poster matches these filters.' : 'The catalogue is empty.'}
          </Typography>
          <Typography color="text.secondary">{filtered ? 'Clear a filter to see more.' : 'Import a vendor folder on the Import screen to begin.'}</Typography>
        </Paper>
      ) : (
        <PosterGrid
          total={total ?? 0}
          itemAt={itemAt}
          thumbWidth={thumbWidth}
          active={active}
          isSelected={selection.isSelected}
          showNearest={sort === 'uncertain'}
          onNeed={need}
          onGeometry={onGeometry}
          onKeyDown={onKeyDown}
          onCellClick={onCellClick}
          onCellOpen={setOpen}
          onFocusGrid={(firstInView) => setActive((a) => a ?? firstInView)}
        />
      )}
      {open !== null && (
        <PosterDetailDialog
          posterId={openItem?.id ?? null}
          position={{ index: open, total: total ?? 0 }}
          genres={genres}
          onStep={(delta) => {
            const next = Math.max(0, Math.min((total ?? 1) - 1, open + delta));
            setOpen(next);
            setActive(next);
          }}
          onClose={() => {
            setOpen(null);
            reset();
            onChanged();
          }}
        />
      )}
    </Box>
  );
}
