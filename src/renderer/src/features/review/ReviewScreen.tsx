/**
 * The review queue, keyboard first: one poster large, its suggestions as chips (best first, with
 * probabilities), every other genre one key away. Enter confirms and moves on; Backspace or
 * Ctrl+Z undoes the last confirmation.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  Alert,
  Box,
  Chip,
  Dialog,
  DialogContent,
  DialogTitle,
  MenuItem,
  Paper,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableRow,
  TextField,
  Typography,
} from '@mui/material';
import type { Genre, ReviewItem, ReviewOrder } from '../../../../shared/types';
import { imageUrl } from '../../api/images';
import { SuggestionBasis } from '../../components/SuggestionBasis';
import { genreKeys, HELP } from './keys';

const startOfToday = (): string => {
  const d = new Date();
  d.setHours(0, 0, 0, 0);
  return d.toISOString();
};

export function ReviewScreen() {
  const [order, setOrder] = useState<ReviewOrder>('uncertain');
  const [queue, setQueue] = useState<ReviewItem[]>([]);
  const [index, setIndex] = useState(0);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [genres, setGenres] = useState<Genre[]>([]);
  const [counts, setCounts] = useState({ reviewedToday: 0, remaining: 0 });
  const [confirmed, setConfirmed] = useState<number[]>([]);
  const [help, setHelp] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const fail = (e: Error) => setError(e.message);

  const refreshCounts = useCallback(() => window.api.review.counts({ since: startOfToday() }).then(setCounts, fail), []);
  useEffect(() => {
    window.api.genres.list().then((g) => setGenres(g.filter((x) => !x.retired)), fail);
  }, []);
  useEffect(() => {
    window.api.review.queue({ order, limit: 200 }).then((q) => {
      setQueue(q);
      setIndex(0);
    }, fail);
    void refreshCounts();
  }, [order, refreshCounts]);

  const item = queue[index];
  /** After an undo, the set that had been confirmed, shown again instead of the model's suggestions. */
  const restored = useRef<{ posterId: number; genres: string[] } | null>(null);
  useEffect(() => {
    const back = restored.current?.posterId === item?.poster.id ? restored.current?.genres : undefined;
    restored.current = null;
    // The poster's current genres: the suggestions with any edits staff made in the library.
    setSelected(new Set(back ?? item?.current ?? []));
  }, [item]);
  const keys = useMemo(() => genreKeys(genres.map((g) => g.name)), [genres]);
  const keyOf = useMemo(() => new Map([...keys].map(([k, g]) => [g, k])), [keys]);

  const confirm = useCallback(async () => {
    if (!item) return;
    try {
      await window.api.labels.set({ posterId: item.poster.id, genres: [...selected] });
      setConfirmed((c) => [...c, item.poster.id]);
      setIndex((i) => i + 1);
      void refreshCounts();
    } catch (e) {
      fail(e as Error);
    }
  }, [item, selected, refreshCounts]);

  const undo = useCallback(async () => {
    const last = confirmed.at(-1);
    if (last === undefined) return;
    try {
      const undone = await window.api.labels.undo({ posterId: last });
      restored.current = { posterId: last, genres: undone.newGenres ?? [] };
      setConfirmed((c) => c.slice(0, -1));
      const at = queue.findIndex((q) => q.poster.id === last);
      if (at >= 0) setIndex(at);
      void refreshCounts();
    } catch (e) {
      fail(e as Error);
    }
  }, [confirmed, queue, refreshCounts]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.target instanceof HTMLInputElement || event.target instanceof HTMLTextAreaElement) return;
      const key = event.key.toLowerCase();
      if (event.key === '?') setHelp((h) => !h);
      else if (event.key === 'Enter') void confirm();
      else if (event.key === 'Backspace' || (event.ctrlKey && key === 'z')) void undo();
      else if (event.key === 'ArrowRight') setIndex((i) => Math.min(i + 1, queue.length));
      else if (event.key === 'ArrowLeft') setIndex((i) => Math.max(i - 1, 0));
      else if (!event.ctrlKey && !event.metaKey && !event.altKey && keys.has(key)) {
        const genre = keys.get(key) as string;
        setSelected((s) => {
          const next = new Set(s);
          if (next.has(genre)) next.delete(genre);
          else next.add(genre);
          return next;
        });
      } else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [confirm, undo, keys, queue.length]);

  const probability = new Map(item?.suggestions.map((s) => [s.genre, s.probability]) ?? []);
  const ordered = [...genres].sort((a, b) => (probability.get(b.name) ?? -1) - (probability.get(a.name) ?? -1));

  return (
    <Box>
      <Stack direction="row" spacing={3} sx={{ alignItems: 'center', mb: 2 }}>
        <Typography variant="h5" sx={{ flexGrow: 1 }}>
          Review
        </Typography>
        <Typography data-testid="review-counts">
          {counts.reviewedToday} reviewed today · {counts.remaining} remaining
        </Typography>
        <TextField select size="small" label="Order" value={order} onChange={(e) => setOrder(e.target.value as ReviewOrder)}>
          <MenuItem value="uncertain">Most uncertain first</MenuItem>
          <MenuItem value="decade">By decade</MenuItem>
          <MenuItem value="import">By import</MenuItem>
        </TextField>
        <Typography color="text.secondary">Press ? for keys</Typography>
      </Stack>
      {error && (
        <Alert severity="error" onClose={() => setError(null)} sx={{ mb: 2 }}>
          {error}
        </Alert>
      )}
      {!item ? (
        <Paper sx={{ p: 4 }}>
          <Typography variant="h6">Nothing left to review here.</Typography>
          <Typography color="text.secondary">Import a vendor folder, or pick another order. Backspace undoes the last confirmation.</Typography>
        </Paper>
      ) : (
        <Stack direction="row" spacing={3}>
          <Paper sx={{ p: 1, flex: '0 0 auto' }}>
            <img
              src={imageUrl(item.poster.id)}
              alt={item.poster.title ?? `poster ${item.poster.id}`}
              style={{ height: '70vh', maxWidth: '45vw', objectFit: 'contain', display: 'block' }}
            />
          </Paper>
          <Box sx={{ flex: 1 }}>
            <Typography variant="h6" data-testid="review-title">
              {item.poster.title ?? 'Untitled'} {item.poster.year ? `(${item.poster.year})` : ''}
            </Typography>
            <Typography color="text.secondary" sx={{ mb: 2 }}>
              {item.poster.vendor} · poster {index + 1} of {queue.length} in this queue
            </Typography>
            <Stack direction="row" sx={{ flexWrap: 'wrap', gap: 1 }}>
              {ordered.map((g) => {
                const p = probability.get(g.name);
                const on = selected.has(g.name);
                return (
                  <Chip
                    key={g.id}
                    data-testid={`genre-${g.name}`}
                    aria-pressed={on}
                    variant={on ? 'filled' : 'outlined'}
                    sx={on ? { bgcolor: 'primary.main', color: 'primary.contrastText', fontWeight: 600, '&:hover': { bgcolor: 'primary.dark' } } : undefined}
                    label={`${keyOf.get(g.name) ?? ''}  ${g.name}${p === undefined ? '' : ` ${Math.round(p * 100)}%`}`}
                    onClick={() =>
                      setSelected((s) => {
                        const next = new Set(s);
                        if (on) next.delete(g.name);
                        else next.add(g.name);
                        return next;
                      })
                    }
                  />
                );
              })}
            </Stack>
            <SuggestionBasis basis={item.basis} />
          </Box>
        </Stack>
      )}
      <Dialog open={help} onClose={() => setHelp(false)}>
        <DialogTitle>Review keys</DialogTitle>
        <DialogContent>
          <Table size="small">
            <TableBody>
              {HELP.map(([k, what]) => (
                <TableRow key={k}>
                  <TableCell sx={{ fontWeight: 600 }}>{k}</TableCell>
                  <TableCell>{what}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </DialogContent>
      </Dialog>
    </Box>
  );
}
