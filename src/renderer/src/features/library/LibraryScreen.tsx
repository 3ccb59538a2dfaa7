/**
 * The library: a virtualised grid of thumbnails (only the rows on screen are in the DOM, pages of
 * posters are fetched as they scroll into view, so 50,000 posters scroll like 50), filters, title
 * search, sort, and multi-select with bulk genre actions.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { Alert, Box, Button, Chip, MenuItem, Paper, Stack, TextField, Typography } from '@mui/material';
import type { ExportFilter, Genre, LibraryItem, LibrarySort } from '../../../../shared/types';
import { thumbnailUrl } from '../../api/images';
import { FilterFields, genreMenuItems } from '../../components/FilterFields';
import { PosterDetailDialog } from './PosterDetailDialog';

const CELL_W = 176;
const CELL_H = 300;
const PAGE = 120;

export function LibraryScreen({ genres, onChanged }: { genres: Genre[]; onChanged: () => void }) {
  const [filter, setFilter] = useState<ExportFilter>({});
  const [sort, setSort] = useState<LibrarySort>('imported');
  const [total, setTotal] = useState<number | null>(null);
  const [pages, setPages] = useState<Map<number, LibraryItem[]>>(new Map());
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [anchor, setAnchor] = useState<number | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  const [bulkGenre, setBulkGenre] = useState('');
  /** `batch`: the bulk action the message reports, which its Undo button takes back for every poster at once. */
  const [message, setMessage] = useState<{ severity: 'error' | 'success'; text: string; batch?: string } | null>(null);
  const [view, setView] = useState({ top: 0, width: 1200, height: 600 });
  const scroller = useRef<HTMLDivElement>(null);
  const loading = useRef(new Set<number>());
  const generation = useRef(0);

  const reset = useCallback(() => {
    generation.current++;
    loading.current.clear();
    setPages(new Map());
    setTotal(null);
    window.api.posters.search({ filter, sort, offset: 0, limit: 1 }).then(
      (r) => setTotal(r.total),
      (e: Error) => setMessage({ severity: 'error', text: e.message }),
    );
  }, [filter, sort]);
  useEffect(reset, [reset]);

  useEffect(() => {
    const measure = () => {
      const el = scroller.current;
      if (el) setView({ top: el.scrollTop, width: el.clientWidth, height: el.clientHeight });
    };
    measure();
    window.addEventListener('resize', measure);
    return () => window.removeEventListener('resize', measure);
  }, []);

  const columns = Math.max(1, Math.floor(view.width / CELL_W));
  const rows = total === null ? 0 : Math.ceil(total / columns);
  const firstRow = Math.max(0, Math.floor(view.top / CELL_H) - 2);
  const lastRow = Math.min(rows, Math.ceil((view.top + view.height) / CELL_H) + 2);
  const firstIndex = firstRow * columns;
  const lastIndex = Math.min(total ?? 0, lastRow * columns);

  // Fetch the pages the visible rows need.
  useEffect(() => {
    if (total === null) return;
    const gen = generation.current;
    for (let page = Math.floor(firstIndex / PAGE); page * PAGE < lastIndex; page++) {
      if (pages.has(page) || loading.current.has(page)) continue;
      loading.current.add(page);
      window.api.posters.search({ filter, sort, offset: page * PAGE, limit: PAGE }).then(
        (r) => {
          if (gen !== generation.current) return;
          setPages((p) => new Map(p).set(page, r.items));
        },
        (e: Error) => setMessage({ severity: 'error', text: e.message }),
      );
    }
  }, [firstIndex, lastIndex, total, pages, filter, sort]);

  const itemAt = (i: number) => pages.get(Math.floor(i / PAGE))?.[i % PAGE];
  const click = (i: number, item: LibraryItem, event: React.MouseEvent) => {
    if (event.shiftKey && anchor !== null) {
      const ids = new Set(selected);
      for (let k = Math.min(anchor, i); k <= Math.max(anchor, i); k++) {
        const it = itemAt(k);
        if (it) ids.add(it.id);
      }
      setSelected(ids);
    } else if (event.ctrlKey || event.metaKey) {
      const ids = new Set(selected);
      if (ids.has(item.id)) ids.delete(item.id);
      else ids.add(item.id);
      setSelected(ids);
      setAnchor(i);
    } else {
      setSelected(new Set([item.id]));
      setAnchor(i);
    }
  };

  const bulk = async (action: 'add-genre' | 'remove-genre' | 'mark-reviewed') => {
    try {
      const { changed, batch } = await window.api.posters.bulk({ ids: [...selected], action, genre: bulkGenre || undefined });
      const what =
        action === 'mark-reviewed'
          ? 'marked reviewed with their current genres'
          : `${action === 'add-genre' ? 'given' : 'without'} ${bulkGenre} (other genres unchanged; posters not reviewed stay not reviewed)`;
      setMessage({ severity: 'success', text: `${changed} posters ${what}. Undo takes this back for all of them.`, batch });
      reset();
      onChanged();
    } catch (e) {
      setMessage({ severity: 'error', text: (e as Error).message });
    }
  };

  const undoBulk = async (batch: string) => {
    try {
      const { undone, skipped } = await window.api.labels.undoBulk({ batch });
      setMessage({
        severity: 'success',
        text: `Undone on ${undone} posters${skipped ? `; ${skipped} changed again since keep their later change` : ''}.`,
      });
      onChanged();
    } catch (e) {
      setMessage({ severity: 'error', text: (e as Error).message });
    }
  };

  const cells = [];
  for (let i = firstIndex; i < lastIndex; i++) {
    const item = itemAt(i);
    const row = Math.floor(i / columns);
    const col = i % columns;
    cells.push(
      <Box
        key={i}
        sx={{ position: 'absolute', top: row * CELL_H, left: col * CELL_W, width: CELL_W - 8, height: CELL_H - 8, p: 0.5 }}
        onClick={(e) => item && click(i, item, e)}
        onDoubleClick={() => item && setOpen(item.id)}
        data-testid={item ? `poster-${item.id}` : undefined}
      >
        {item ? (
          <Paper
            variant="outlined"
            sx={{ height: '100%', overflow: 'hidden', cursor: 'pointer', borderWidth: 2, borderColor: selected.has(item.id) ? 'primary.main' : 'divider' }}
          >
            <Box
              component="img"
              src={thumbnailUrl(item)}
              alt={item.title ?? `poster ${item.id}`}
              loading="lazy"
              sx={{ width: '100%', height: 200, objectFit: 'cover', display: 'block' }}
            />
            <Box sx={{ p: 0.75 }}>
              <Typography variant="body2" noWrap title={item.title ?? ''}>
                {item.title ?? `#${item.id}`} {item.year ? `(${item.year})` : ''}
              </Typography>
              <Typography variant="caption" color={item.reviewed ? 'success.main' : 'text.secondary'} noWrap component="div">
                {item.reviewed ? '✓ ' : ''}
                {item.genres.join(', ') || 'no genres'}
                {item.duplicateOf ? ' · near-duplicate' : ''}
              </Typography>
            </Box>
          </Paper>
        ) : (
          <Paper variant="outlined" sx={{ height: '100%', opacity: 0.4 }} />
        )}
      </Box>,
    );
  }

  return (
    <Box>
      <Stack direction="row" spacing={2} useFlexGap sx={{ flexWrap: 'wrap', alignItems: 'center', mb: 2 }}>
        <FilterFields filter={filter} onChange={setFilter} genres={genres} />
        <TextField select size="small" label="Sort" value={sort} onChange={(e) => setSort(e.target.value as LibrarySort)} sx={{ minWidth: 150 }}>
          <MenuItem value="imported">Newest import</MenuItem>
          <MenuItem value="title">Title</MenuItem>
          <MenuItem value="year">Year</MenuItem>
          <MenuItem value="uncertain">Least certain</MenuItem>
        </TextField>
        <Typography data-testid="library-total">{total === null ? '' : `${total} posters`}</Typography>
      </Stack>
      {selected.size > 0 && (
        <Paper sx={{ p: 1.5, mb: 2 }}>
          <Stack direction="row" spacing={2} sx={{ alignItems: 'center' }}>
            <Chip label={`${selected.size} selected`} onDelete={() => setSelected(new Set())} />
            <TextField select size="small" label="Genre" value={bulkGenre} onChange={(e) => setBulkGenre(e.target.value)} sx={{ minWidth: 160 }}>
              {genreMenuItems(genres)}
            </TextField>
            <Button disabled={!bulkGenre} onClick={() => void bulk('add-genre')}>
              Add genre
            </Button>
            <Button disabled={!bulkGenre} onClick={() => void bulk('remove-genre')}>
              Remove genre
            </Button>
            <Button variant="contained" onClick={() => void bulk('mark-reviewed')}>
              Mark reviewed
            </Button>
          </Stack>
        </Paper>
      )}
      {message && (
        <Alert
          severity={message.severity}
          onClose={() => setMessage(null)}
          sx={{ mb: 2 }}
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
          <Typography variant="h6">
            {Object.values(filter).some((v) => v !== undefined) ? 'No poster matches these filters.' : 'The catalogue is empty.'}
          </Typography>
          <Typography color="text.secondary">
            {Object.values(filter).some((v) => v !== undefined) ? 'Clear a filter to see more.' : 'Import a vendor folder on the Import screen to begin.'}
          </Typography>
        </Paper>
      ) : (
        <Box
          ref={scroller}
          data-testid="library-grid"
          tabIndex={0}
          role="region"
          aria-label="Posters"
          onScroll={(e) => setView((v) => ({ ...v, top: (e.target as HTMLDivElement).scrollTop }))}
          sx={{ height: 'calc(100vh - 230px)', minHeight: 320, overflowY: 'auto', position: 'relative' }}
        >
          <Box sx={{ height: rows * CELL_H, position: 'relative' }}>{cells}</Box>
        </Box>
      )}
      {open !== null && (
        <PosterDetailDialog
          posterId={open}
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
