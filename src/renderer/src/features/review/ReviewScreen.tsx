/**
 * The review queue, keyboard first: one poster large, every genre a chip in a fixed place with a
 * fixed key (the model's probability a bar on it). Enter confirms and moves on; Space skips; X
 * keeps a poster for later ("unsure"); Backspace or Ctrl+Z undoes the last confirmation; the strip
 * of just-confirmed posters goes back to one.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  Alert,
  Box,
  Button,
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
import type { Genre, ReviewCounts, ReviewItem, ReviewOrder } from '../../../../shared/types';
import { imageUrl } from '../../api/images';
import { SuggestionBasis } from '../../components/SuggestionBasis';
import { GenreChips, type ChipSuggestion } from './GenreChips';
import { genreKeys, HELP, SKIP_KEY, UNSURE_KEY } from './keys';
import { RecentStrip, type Confirmed } from './RecentStrip';

/** Posters fetched at a time; the next batch is fetched this many posters before the end of the last. */
const BATCH = 200;
const AHEAD = 20;

const startOfToday = (): string => {
  const d = new Date();
  d.setHours(0, 0, 0, 0);
  return d.toISOString();
};

/**
 * Enter and Space belong to the focused control (a button, a menu), not to the review keys — except
 * the screen's own tab, where the focus rests after the one click that opened Review.
 */
const ownsKey = (target: EventTarget | null): boolean =>
  target instanceof Element &&
  target.closest('[role="tab"]') === null &&
  target.closest('button, [role="button"], [role="option"], [role="combobox"], [role="menuitem"], a') !== null;

export function ReviewScreen({ onChanged }: { onChanged?: () => void }) {
  const [order, setOrder] = useState<ReviewOrder>('uncertain');
  const [queue, setQueue] = useState<ReviewItem[]>([]);
  const [index, setIndex] = useState(0);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [genres, setGenres] = useState<Genre[]>([]);
  const [counts, setCounts] = useState<ReviewCounts>({ reviewed: 0, reviewedToday: 0, remaining: 0, unsure: 0 });
  /** Confirmed in this session, oldest first: the undo stack and the strip. */
  const [recent, setRecent] = useState<Confirmed[]>([]);
  /** A just-confirmed poster opened again from the strip (Enter confirms its genres again, Esc returns). */
  const [revisit, setRevisit] = useState<Confirmed | null>(null);
  const [help, setHelp] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const fail = (e: Error) => setError(e.message);

  // One source for every figure: the counts come from one read, and the app's header is refreshed with them.
  const refreshCounts = useCallback(
    () =>
      window.api.review.counts({ since: startOfToday() }).then((c) => {
        setCounts(c);
        onChanged?.();
      }, fail),
    [onChanged],
  );
  useEffect(() => {
    window.api.genres.list().then((g) => setGenres(g.filter((x) => !x.retired)), fail);
  }, []);
  /** Whether the last batch was the queue's last (fewer than BATCH came back). */
  const [exhausted, setExhausted] = useState(false);
  /** Bumped by each fresh load, so a batch fetched for an earlier queue is dropped. */
  const generation = useRef(0);
  const fetching = useRef(false);
  const stopped = (e: Error) => {
    fetching.current = false;
    fail(e);
  };
  const load = useCallback(() => {
    const at = ++generation.current;
    fetching.current = true;
    window.api.review.queue({ order, limit: BATCH }).then((q) => {
      if (at !== generation.current) return;
      fetching.current = false;
      setQueue(q);
      setExhausted(q.length < BATCH);
      setIndex(0);
      setRevisit(null);
    }, stopped);
    void window.api.review.counts({ since: startOfToday() }).then(setCounts, fail);
  }, [order]);
  useEffect(load, [load]);
  // Near the end of what is loaded, the next batch: the posters held (skipped ones too) are left out.
  useEffect(() => {
    if (exhausted || fetching.current || queue.length === 0 || index < queue.length - AHEAD) return;
    const at = generation.current;
    fetching.current = true;
    window.api.review.queue({ order, limit: BATCH, exclude: queue.map((q) => q.poster.id) }).then((more) => {
      if (at !== generation.current) return;
      fetching.current = false;
      setQueue((q) => [...q, ...more]);
      setExhausted(more.length < BATCH);
    }, stopped);
  }, [index, queue, exhausted, order]);

  const item = revisit?.item ?? queue[index];
  /** Passed over in this queue with neither a confirmation nor the unsure flag: ← goes back to them. */
  const skipped = useMemo(() => {
    const confirmed = new Set(recent.map((c) => c.item.poster.id));
    return queue.slice(0, index).filter((q) => !q.unsure && !confirmed.has(q.poster.id)).length;
  }, [queue, index, recent]);
  /** After an undo, the set that had been confirmed, shown again instead of the model's suggestions. */
  const restored = useRef<{ posterId: number; genres: string[] } | null>(null);
  useEffect(() => {
    const back = restored.current?.posterId === item?.poster.id ? restored.current?.genres : undefined;
    restored.current = null;
    // The poster's current genres: the suggestions with any edits staff made in the library.
    setSelected(new Set(revisit?.genres ?? back ?? item?.current ?? []));
  }, [item, revisit]);
  const keys = useMemo(() => genreKeys(genres.map((g) => g.name)), [genres]);
  const keyOf = useMemo(() => new Map([...keys].map(([k, g]) => [g, k])), [keys]);
  const inVocabularyOrder = useCallback((set: Set<string>) => genres.map((g) => g.name).filter((g) => set.has(g)), [genres]);

  const toggle = useCallback(
    (genre: string) =>
      setSelected((s) => {
        const next = new Set(s);
        if (next.has(genre)) next.delete(genre);
        else next.add(genre);
        return next;
      }),
    [],
  );

  const confirm = useCallback(async () => {
    if (!item) return;
    const chosen = inVocabularyOrder(selected);
    try {
      await window.api.labels.set({ posterId: item.poster.id, genres: chosen });
      // Confirmed is settled: no longer kept for later.
      if (item.unsure && !revisit) await window.api.review.flag({ posterId: item.poster.id, unsure: false, since: startOfToday() });
      if (revisit) {
        setRecent((r) => r.map((c) => (c.item.poster.id === item.poster.id ? { ...c, genres: chosen } : c)));
        setRevisit(null);
      } else {
        setRecent((r) => [...r, { item, genres: chosen }]);
        setIndex((i) => i + 1);
      }
      void refreshCounts();
    } catch (e) {
      fail(e as Error);
    }
  }, [item, selected, revisit, inVocabularyOrder, refreshCounts]);

  const undo = useCallback(async () => {
    const last = recent.at(-1);
    if (!last) return;
    const id = last.item.poster.id;
    try {
      const undone = await window.api.labels.undo({ posterId: id });
      setRevisit(null);
      if (undone.oldGenres !== null) {
        // A confirmation made again from the strip: the poster keeps the set confirmed before it.
        const before = undone.oldGenres;
        setRecent((r) => r.map((c) => (c.item.poster.id === id ? { ...c, genres: before } : c)));
      } else {
        restored.current = { posterId: id, genres: undone.newGenres ?? [] };
        setRecent((r) => r.slice(0, -1));
        const at = queue.findIndex((q) => q.poster.id === id);
        if (at >= 0) setIndex(at);
      }
      void refreshCounts();
    } catch (e) {
      fail(e as Error);
    }
  }, [recent, queue, refreshCounts]);

  const skip = useCallback(() => {
    if (revisit) setRevisit(null);
    else setIndex((i) => Math.min(i + 1, queue.length));
  }, [revisit, queue.length]);

  const flagUnsure = useCallback(async () => {
    if (!item || revisit) return;
    const unsure = !item.unsure;
    try {
      setCounts(await window.api.review.flag({ posterId: item.poster.id, unsure, since: startOfToday() }));
      setQueue((q) => q.map((x) => (x.poster.id === item.poster.id ? { ...x, unsure } : x)));
      if (unsure) setIndex((i) => Math.min(i + 1, queue.length));
    } catch (e) {
      fail(e as Error);
    }
  }, [item, revisit, queue.length]);

  const openRecent = useCallback(
    (posterId: number) => {
      setRevisit(recent.find((c) => c.item.poster.id === posterId) ?? null);
      // The review keys again, not the strip's button: Enter confirms the poster opened.
      if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
    },
    [recent],
  );

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.target instanceof HTMLInputElement || event.target instanceof HTMLTextAreaElement) return;
      if ((event.key === 'Enter' || event.key === SKIP_KEY) && ownsKey(event.target)) return;
      if (event.key === '?') {
        setHelp((h) => !h);
        event.preventDefault();
        return;
      }
      if (help) return; // the keys dialog has the keyboard until it closes
      const key = event.key.toLowerCase();
      const plain = !event.ctrlKey && !event.metaKey && !event.altKey;
      if (event.key === 'Enter') void confirm();
      else if (event.key === 'Backspace' || (event.ctrlKey && key === 'z')) void undo();
      else if (event.key === SKIP_KEY && plain) skip();
      else if (key === UNSURE_KEY && plain) void flagUnsure();
      else if (event.key === 'Escape' && revisit) setRevisit(null);
      else if (event.key === 'ArrowRight') skip();
      else if (event.key === 'ArrowLeft') setIndex((i) => Math.max(i - 1, 0));
      else if (plain && keys.has(key)) toggle(keys.get(key) as string);
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [confirm, undo, skip, flagUnsure, toggle, keys, revisit, help]);

  const suggestions = useMemo(
    () => new Map<string, ChipSuggestion>(item?.suggestions.map((s) => [s.genre, { probability: s.probability, aboveThreshold: s.aboveThreshold }]) ?? []),
    [item],
  );

  return (
    <Box>
      <Stack direction="row" spacing={3} useFlexGap sx={{ alignItems: 'center', mb: 2, flexWrap: 'wrap' }}>
        <Typography variant="h5" component="h2" sx={{ flexGrow: 1 }}>
          Review
        </Typography>
        <Typography data-testid="review-counts" data-reviewed={counts.reviewed}>
          {counts.reviewedToday} reviewed today · {counts.remaining} remaining
        </Typography>
        <Typography data-testid="review-unsure" color="text.secondary">
          {counts.unsure} unsure
        </Typography>
        <TextField select size="small" label="Queue" value={order} onChange={(e) => setOrder(e.target.value as ReviewOrder)}>
          <MenuItem value="uncertain">Most uncertain first</MenuItem>
          <MenuItem value="decade">By decade</MenuItem>
          <MenuItem value="import">By import</MenuItem>
          <MenuItem value="unsure">Unsure, kept for later ({counts.unsure})</MenuItem>
        </TextField>
        <Typography color="text.secondary">Press ? for keys</Typography>
      </Stack>
      {error && (
        <Alert severity="error" onClose={() => setError(null)} sx={{ mb: 2 }}>
          {error}
        </Alert>
      )}
      {!item ? (
        <Paper sx={{ p: 4 }} data-testid="review-end">
          {!exhausted ? (
            <Typography variant="h6" component="p">
              Loading the next posters…
            </Typography>
          ) : (order === 'unsure' ? counts.unsure : counts.remaining) > 0 && queue.length > 0 ? (
            <>
              <Typography variant="h6" component="p">
                You have been through this queue.
              </Typography>
              <Typography color="text.secondary" sx={{ mb: 2 }}>
                {order === 'unsure'
                  ? `${counts.unsure} kept for later ${counts.unsure === 1 ? 'is' : 'are'} still unreviewed.`
                  : `${counts.remaining} ${counts.remaining === 1 ? 'poster is' : 'posters are'} still unreviewed: skipped, kept for later, or imported since the queue was loaded.`}{' '}
                Backspace undoes the last confirmation.
              </Typography>
              {/* Focused, so Enter goes round again. */}
              <Button variant="contained" autoFocus onClick={load} data-testid="review-again">
                Go through the queue again
              </Button>
            </>
          ) : (
            <>
              <Typography variant="h6" component="p">
                {order === 'unsure' ? 'No poster is kept for later.' : 'Nothing left to review here.'}
              </Typography>
              <Typography color="text.secondary">Import a vendor folder, or pick another queue. Backspace undoes the last confirmation.</Typography>
            </>
          )}
          <RecentStrip recent={recent} showing={null} onOpen={openRecent} />
        </Paper>
      ) : (
        <Stack direction="row" spacing={3}>
          <Paper sx={{ p: 1, flex: '0 0 auto' }}>
            <img
              src={imageUrl(item.poster.id)}
              alt={item.poster.title ?? `poster ${item.poster.id}`}
              // A fixed box (a one-sheet's proportions), whatever the scan's shape: the chips beside it never move between posters.
              style={{
                height: 'calc(100vh - 200px)',
                minHeight: 320,
                width: 'min(42vw, max(216px, calc((100vh - 200px) * 0.675)))',
                objectFit: 'contain',
                display: 'block',
              }}
            />
          </Paper>
          <Box sx={{ flex: 1, minWidth: 0 }}>
            <Typography variant="h6" component="p" data-testid="review-title">
              {item.poster.title ?? 'Untitled'} {item.poster.year ? `(${item.poster.year})` : ''}
            </Typography>
            <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mb: 2 }}>
              <Typography color="text.secondary">
                {item.poster.vendor}
                {revisit
                  ? ' · confirmed just now: change its genres and press Enter, or Esc to go on'
                  : skipped > 0
                    ? ` · ${skipped} skipped in this queue (← goes back)`
                    : ''}
              </Typography>
              {item.unsure && !revisit && <Chip size="small" color="warning" label="Unsure, kept for later" data-testid="unsure-flag" />}
            </Stack>
            <SuggestionBasis basis={item.basis} />
            <GenreChips genres={genres} keyOf={keyOf} suggestions={suggestions} selected={selected} onToggle={toggle} />
            <Stack direction="row" spacing={1} sx={{ mt: 2 }}>
              <Button variant="contained" onClick={() => void confirm()}>
                {revisit ? 'Confirm again' : 'Confirm'} (Enter)
              </Button>
              <Button variant="outlined" onClick={skip} data-testid="review-skip">
                {revisit ? 'Back to the queue (Esc)' : 'Skip (Space)'}
              </Button>
              {!revisit && (
                <Button variant="outlined" color="warning" onClick={() => void flagUnsure()} data-testid="review-unsure-button">
                  {item.unsure ? 'Not unsure any more (X)' : 'Unsure: later (X)'}
                </Button>
              )}
            </Stack>
            <RecentStrip recent={recent} showing={revisit?.item.poster.id ?? null} onOpen={openRecent} />
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
