/**
 * The review queue, keyboard first: one poster large, every genre a chip in a fixed place with a
 * fixed key (the model's probability a bar on it). Enter confirms and moves on; Space skips; X
 * keeps a poster for later ("unsure"); Backspace or Ctrl+Z takes back the last of those two; the
 * strip of just-confirmed posters goes back to one. A confirmation says what the reviewer was shown,
 * so one made on a poster someone else reviewed or edited meanwhile is refused, not written over theirs.
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
import { titleOrFile } from '../../../../shared/posterName';
import { ApiError } from '../../../../shared/ipc';
import type { Genre, PosterDetail, ReviewCounts, ReviewItem, ReviewOrder } from '../../../../shared/types';
import { imageUrl } from '../../api/images';
import { SuggestionBasis } from '../../components/SuggestionBasis';
import { GenreChips, type ChipSuggestion } from './GenreChips';
import { genreKeys, HELP, SKIP_KEY, UNSURE_KEY } from './keys';
import { RecentStrip, type Confirmed } from './RecentStrip';

/**
 * Posters fetched at a time; the next batch is fetched this many posters before the end of the last.
 * A window holds what it was handed from other Review windows (`review:queue`'s session): a small
 * batch keeps what one reviewer holds to the posters just ahead, so two reviewers finishing a queue
 * both have work to the end.
 */
const BATCH = 20;
const AHEAD = 10;

/**
 * This window's name to the catalogue's review leases, made once per page (or tab): what it is
 * handed is held from other windows' queues. getRandomValues, not randomUUID: the browser host may
 * be opened over plain HTTP from another computer, where randomUUID does not exist.
 */
const reviewSession = Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, '0')).join('');
/** This window is done with a poster (confirmed, skipped, kept for later): other windows may have it. Failing is harmless (the lease runs out). */
const release = (posterId: number): void => void window.api.review.release({ session: reviewSession, posterId }).catch(() => undefined);
// A window closed (or reloaded) lets go of its posters at once: a colleague's queue would otherwise
// show them as "being reviewed in another window" until the lease ran out.
window.addEventListener('pagehide', () => void window.api.review.release({ session: reviewSession }).catch(() => undefined));

/**
 * The confirmations of this session, kept while the reviewer is on another screen (undo goes on
 * working): the strip's posters, and the posters confirmed, newest last — a poster confirmed again
 * is in it again, so Backspace takes back the latest confirmation whichever poster it was.
 */
let sessionRecent: Confirmed[] = [];
/** What a confirmation says the reviewer was shown: the poster's review time and its latest label change (see `labels:set`). */
type Shown = { reviewedAt: string | null; labelChange: number | null };
/**
 * One review action of this session, newest last: Backspace takes back the latest, whichever kind.
 * A confirmation keeps the label change its save made — undo names that change, so it never takes
 * back a later one (a Library edit) in its place; unknown until the save is done (undo runs after
 * it, in turn), null when the save changed nothing — and what its save said was shown, which an
 * undo puts back, and whether it settled a poster kept for later ("unsure"), which an undo keeps for
 * later again. An "unsure" keeps which way the flag was set.
 */
type Action =
  { kind: 'confirm'; posterId: number; wasUnsure: boolean; change?: number | null; shown?: Shown } | { kind: 'unsure'; posterId: number; unsure: boolean };
let sessionActions: Action[] = [];
/**
 * Each poster as this screen last knew it (saved here, read back after a refusal, or in a queue
 * batch): what a confirmation says the reviewer was shown. A poster not in it: what its queue item
 * came with. Each is kept with the moment it was known (`sessionTick`): a batch asked for before a
 * save was answered cannot replace what that save left, and one asked for after it (showing a
 * Library edit made since) does.
 */
let sessionShown = new Map<number, Known>();
/** `own`: left by this session's own save or undo of the poster (the screen showed it as done at once). */
type Known = { shown: Shown; tick: number; own: boolean };
let sessionTick = 0;
const nowTick = (): number => ++sessionTick;
function know(posterId: number, shown: Shown, tick: number, own = false): void {
  if ((sessionShown.get(posterId)?.tick ?? -1) < tick) sessionShown.set(posterId, { shown, tick, own });
}
/**
 * Saves go to the catalogue one after another, in the order given; the screen moves on without
 * waiting. One line for the session, not for a screen: a Backspace after another screen and back
 * still waits for the save it takes back, whose change is known only once that save is done.
 */
let sessionSaves: Promise<unknown> = Promise.resolve();
function inTurn<T>(work: () => Promise<T>): Promise<T> {
  const done = sessionSaves.then(work);
  sessionSaves = done.catch(() => undefined);
  return done;
}
/**
 * What a save's answer needs a Review screen for (a refused confirmation shown as it is now, a failed
 * undo, its message): the screen open when the answer comes, which need not be the one that made the
 * save (the reviewer went to another screen and back meanwhile). None open: kept, newest last, and
 * shown by the next one once its queue is loaded — the reviewer must not believe it was saved.
 */
type OnScreen = (screen: Screen) => void;
interface Screen {
  showTheirs: (refused: ReviewItem, refusal: ApiError) => Promise<void>;
  showCurrent: (posterId: number) => Promise<void>;
  setError: React.Dispatch<React.SetStateAction<string | null>>;
  setQueue: React.Dispatch<React.SetStateAction<ReviewItem[]>>;
}
let sessionLate: OnScreen[] = [];
/** The Review screen open, if any: takes what a save's answer needs shown (see `sessionLate`). */
let openScreen: ((late: OnScreen) => void) | null = null;
function onScreen(late: OnScreen): void {
  if (openScreen) openScreen(late);
  else sessionLate.push(late);
}
/** The strip's posters, changed for the screen open if any, kept for the next one if none (see `sessionRecent`). */
let showRecent: ((r: Confirmed[]) => void) | null = null;
function setRecent(update: (r: Confirmed[]) => Confirmed[]): void {
  sessionRecent = update(sessionRecent);
  showRecent?.(sessionRecent);
}
/** After a restore: the confirmations were made on the catalogue that was replaced. */
export function forgetReviewSession(): void {
  sessionRecent = [];
  sessionActions = [];
  sessionShown = new Map();
  sessionLate = [];
  showRecent?.(sessionRecent);
}

/** A confirmation saved whose poster could not be taken out of the Unsure queue: `message` is why. */
class StillUnsure extends Error {
  constructor(cause: Error) {
    super(cause.message);
  }
}

const shownIn = (read: ReviewItem | PosterDetail): Shown => ({ reviewedAt: read.poster.reviewedAt, labelChange: read.labelChange });

/** A poster in a message, as staff know it: its title, else its scan's file name. */
const nameOf = (item: ReviewItem): string => titleOrFile(item.poster) ?? `Poster ${item.poster.id}`;

/** Why a poster changed elsewhere is not shown as it is now: reading it back (`posters:get`) failed. */
const notReadBack = (e: Error): string =>
  e instanceof ApiError && e.code === 'poster-not-found'
    ? 'it is no longer in the catalogue (restored from a backup since?).'
    : `it could not be shown as it is now (${e.message.replace(/\.$/, '')}).`;

/** Said on a poster another Review window holds too, handed out because nothing else is left (whichever confirmation comes second is refused). */
const heldElsewhereText = (held = 0): string => `${held > 1 ? `The ${held} posters left are` : 'This poster is'} being reviewed in another window too`;

/** A strip entry with its latest confirmation taken back: the set it was confirmed with before. */
const unconfirmed = (c: Confirmed): Confirmed => ({ ...c, genres: c.earlier?.at(-1) ?? c.genres, earlier: c.earlier?.slice(0, -1) });

const startOfToday = (): string => {
  const d = new Date();
  d.setHours(0, 0, 0, 0);
  return d.toISOString();
};

/**
 * Enter and Space belong to the focused control (a button, a menu), not to the review keys — except
 * the screen's own tab, where the focus rests after the one click that opened Review, and Enter on
 * a genre chip (Space toggles the chip; Enter still confirms the poster).
 */
const ownsKey = (target: EventTarget | null, key: string): boolean =>
  target instanceof Element &&
  target.closest('[role="tab"]') === null &&
  !(key === 'Enter' && target.closest('[data-enter-confirms]') !== null) &&
  target.closest('button, [role="button"], [role="option"], [role="combobox"], [role="menuitem"], a') !== null;

/** On a button pressed with the mouse: the focus stays where it was, so the screen's keys keep their meaning. */
const keepFocus = (e: React.MouseEvent): void => e.preventDefault();

export function ReviewScreen({ onChanged }: { onChanged?: () => void }) {
  const [order, setOrder] = useState<ReviewOrder>('uncertain');
  const [queue, setQueue] = useState<ReviewItem[]>([]);
  const [index, setIndex] = useState(0);
  /** Genres toggled on the poster shown, keyed by which poster that is (see `shownKey`): never carried to the next one. */
  const [edit, setEdit] = useState<{ key: string; genres: Set<string> } | null>(null);
  /** The whole vocabulary, retired genres included (they keep their place and key, unused). */
  const [vocabulary, setVocabulary] = useState<Genre[]>([]);
  const genres = useMemo(() => vocabulary.filter((g) => !g.retired), [vocabulary]);
  const [counts, setCounts] = useState<ReviewCounts>({ reviewed: 0, reviewedToday: 0, remaining: 0, unsure: 0 });
  /** Confirmed in this session, oldest first, each poster once: the undo stack and the strip. Kept while other screens are open. */
  const [recent, setRecentState] = useState<Confirmed[]>(() => sessionRecent);
  useEffect(() => {
    showRecent = setRecentState;
    setRecentState(sessionRecent); // changed by a save's answer between the first render and now
    return () => {
      if (showRecent === setRecentState) showRecent = null;
    };
  }, []);
  /** A just-confirmed poster opened again from the strip (Enter confirms its genres again, Esc returns). */
  const [revisit, setRevisit] = useState<Confirmed | null>(null);
  const [help, setHelp] = useState(false);
  /** The queue menu is closing: the focus it gives back to its button is let go (see the Queue field). */
  const queueClosing = useRef(false);
  const [error, setError] = useState<string | null>(null);
  /**
   * Not a failure, but something the reviewer must know before going on (a poster reviewed by someone
   * else), about the poster on screen (`key`, see `shownKey`): gone with it when another is shown.
   */
  const [notice, setNotice] = useState<{ key: string; text: string } | null>(null);
  const fail = (e: Error) => setError(e.message);
  /** A flag's answer has the catalogue's counts, not what other windows hold (only `review:counts` with this window's session). */
  const setFlagCounts = (c: ReviewCounts) => setCounts((was) => ({ ...c, heldElsewhere: was.heldElsewhere }));

  // One source for every figure: the counts come from one read, and the app's header is refreshed with them.
  const refreshCounts = useCallback(
    () =>
      window.api.review.counts({ since: startOfToday(), session: reviewSession }).then((c) => {
        setCounts(c);
        onChanged?.();
      }, fail),
    [onChanged],
  );
  useEffect(() => {
    window.api.genres.list().then(setVocabulary, fail);
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
  /** While a fresh queue loads, what a save's answer needs shown waits for it (see `sessionLate`): it would land in the queue before. */
  const loading = useRef(true);
  const screen = useRef<Screen | null>(null);
  const showLate = () => {
    if (loading.current || !screen.current) return;
    const late = sessionLate;
    sessionLate = [];
    for (const l of late) l(screen.current);
  };
  useEffect(() => {
    const take = (late: OnScreen) => {
      sessionLate.push(late);
      showLate();
    };
    openScreen = take;
    return () => {
      if (openScreen === take) openScreen = null;
    };
  }, []);
  const load = useCallback(() => {
    const at = ++generation.current;
    fetching.current = true;
    loading.current = true;
    // Nothing of the queue before stays on screen meanwhile: Enter must not confirm one of its posters.
    setQueue([]);
    setExhausted(false);
    setIndex(0);
    const asked = nowTick();
    window.api.review.queue({ order, limit: BATCH, session: reviewSession }).then(
      (q) => {
        if (at !== generation.current) return;
        for (const x of q) know(x.poster.id, shownIn(x), asked);
        // A poster undone earlier comes as the catalogue has it now (a Library edit since included), not as
        // the set it had been confirmed with: what is shown and what its confirmation says was shown agree.
        setRestored((r) => (r && q.some((x) => x.poster.id === r.posterId) ? null : r));
        fetching.current = false;
        setQueue(q);
        setExhausted(q.length < BATCH);
        setIndex(0);
        setRevisit(null);
        loading.current = false;
        showLate();
      },
      (e: Error) => {
        stopped(e);
        if (at !== generation.current) return;
        loading.current = false;
        showLate();
      },
    );
    void window.api.review.counts({ since: startOfToday(), session: reviewSession }).then(setCounts, fail);
  }, [order]);
  useEffect(load, [load]);
  // Near the end of what is loaded, the next batch: the posters held (skipped ones too) are left out.
  useEffect(() => {
    if (exhausted || fetching.current || queue.length === 0 || index < queue.length - AHEAD) return;
    const at = generation.current;
    fetching.current = true;
    const asked = nowTick();
    window.api.review.queue({ order, limit: BATCH, exclude: queue.map((q) => q.poster.id), session: reviewSession }).then((more) => {
      if (at !== generation.current) return;
      for (const x of more) know(x.poster.id, shownIn(x), asked);
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
  const [restored, setRestored] = useState<{ posterId: number; genres: string[] } | null>(null);
  const shownKey = item ? `${revisit ? 'again' : 'queue'}:${item.poster.id}` : '';
  // What the poster shows before any key: the set confirmed this session (or, after an undo, the
  // set that had been), else its current genres — the suggestions with any library edits.
  const initial = useMemo(() => {
    if (!item) return new Set<string>();
    const id = item.poster.id;
    const confirmed = recent.find((c) => c.item.poster.id === id)?.genres;
    return new Set(revisit?.genres ?? confirmed ?? (restored?.posterId === id ? restored.genres : undefined) ?? item.current);
  }, [item, revisit, restored, recent]);
  // A notice about another poster is not shown (this render) and let go (after it): skipped, ←/→, another queue.
  const noticeShown = notice?.key === shownKey ? notice.text : null;
  useEffect(() => setNotice((n) => (n?.key === shownKey ? n : null)), [shownKey]);
  // Worked out in the render, never by an effect after it: the chips and Enter can only ever see
  // the poster on screen with its own genres.
  const selected = edit?.key === shownKey ? edit.genres : initial;
  /** What is on screen, for the key handlers: a key pressed before the next render reads this. */
  const shown = useRef({ item, selected, revisit, key: shownKey, initial, queue, index, recent });
  shown.current = { item, selected, revisit, key: shownKey, initial, queue, index, recent };
  /** Leaves the poster on screen to the next render: a key pressed before it finds none. */
  const movingOn = () => {
    shown.current = { ...shown.current, item: undefined, key: '' };
  };
  const actions = useRef(sessionActions);
  const keys = useMemo(() => genreKeys(vocabulary), [vocabulary]);
  const keyOf = useMemo(() => new Map([...keys].map(([k, g]) => [g, k])), [keys]);
  const inVocabularyOrder = useCallback((set: Set<string>) => genres.map((g) => g.name).filter((g) => set.has(g)), [genres]);

  const toggle = useCallback((genre: string) => {
    const { key, initial: base } = shown.current;
    if (!key) return;
    setEdit((e) => {
      const next = new Set(e?.key === key ? e.genres : base);
      if (next.has(genre)) next.delete(genre);
      else next.add(genre);
      return { key, genres: next };
    });
  }, []);

  /**
   * Someone (else) reviewed a poster, or edited its genres in the Library, since it was shown here
   * (`refusal`: 'reviewed-since', in the catalogue's words for whose review it was, or 'edited-since'),
   * so this screen's confirmation was refused: the poster comes back with the genres it has now, to
   * go on from (Space) or to confirm again deliberately (Enter, now knowing them).
   */
  const showTheirs = useCallback(
    async (refused: ReviewItem, refusal: ApiError) => {
      const edited = refusal.code === 'edited-since';
      const id = refused.poster.id;
      const asked = nowTick();
      const now = await window.api.posters.get({ id });
      know(id, shownIn(now), asked);
      const theirs: ReviewItem = { ...refused, poster: now.poster, current: now.current, labelChange: now.labelChange, unsure: false };
      const { queue: held, index: at } = shown.current;
      movingOn();
      setEdit(null);
      setRevisit(null);
      setRestored({ posterId: id, genres: now.current });
      setRecent((r) => r.map((c) => (c.item.poster.id === id ? { ...c, item: theirs, genres: now.current } : c)));
      const where = held.findIndex((q) => q.poster.id === id);
      if (where >= 0) {
        setQueue((q) => q.map((x) => (x.poster.id === id ? theirs : x)));
        setIndex(where);
      } else setQueue((q) => [...q.slice(0, at), theirs, ...q.slice(at)]);
      setNotice({
        key: `queue:${id}`,
        text: edited
          ? `${nameOf(refused)} was edited in the Library while it was shown here, so yours was not saved: its genres as they are now are shown. Press Enter to confirm these (change them first if you disagree), or Space to go on.`
          : now.poster.reviewedAt === null
            ? `${nameOf(refused)}: someone else took its review back just now, so yours was not saved. It is shown as it is now: press Enter to confirm it, or Space to go on.`
            : // Whose review it was, in the catalogue's words: someone else's, or this reviewer's own in the Library.
              `${refusal.message} They are shown here: press Enter to confirm these (change them first if you disagree), or Space to go on.`,
      });
      void refreshCounts();
    },
    [refreshCounts],
  );

  const confirm = useCallback(() => {
    const { item: confirmed, selected: set, revisit: again } = shown.current;
    if (!confirmed) return;
    movingOn();
    setNotice(null);
    const id = confirmed.poster.id;
    const chosen = inVocabularyOrder(set);
    setEdit(null);
    // Confirmed is settled: no longer kept for later (the flag is cleared with the save below).
    const wasUnsure = confirmed.unsure && !again;
    const action: Action = { kind: 'confirm', posterId: id, wasUnsure };
    actions.current.push(action);
    sessionActions = actions.current;
    const settled = { ...confirmed, unsure: false };
    if (confirmed.unsure) setQueue((q) => q.map((x) => (x.poster.id === id ? settled : x)));
    // Once in the strip: confirmed again (from the strip, or after ←), it keeps its place there and
    // remembers the set before, which an undo brings back.
    setRecent((r) =>
      r.some((c) => c.item.poster.id === id)
        ? r.map((c) => (c.item.poster.id === id ? { ...c, genres: chosen, earlier: [...(c.earlier ?? []), c.genres] } : c))
        : [...r, { item: settled, genres: chosen }],
    );
    if (again) setRevisit(null);
    else setIndex((i) => i + 1);
    const pressed = nowTick();
    const atPress = sessionShown.get(id);
    inTurn(async () => {
      // What the reviewer was shown when Enter was pressed — or what this screen's own earlier save or
      // undo of the poster left, answered since (shown at once as done) — never a batch or read-back
      // that came after the key: a Library edit it brings was not seen when this confirmation was made.
      const now = sessionShown.get(id);
      const expected = (now?.own && now.tick > pressed ? now : atPress)?.shown ?? shownIn(confirmed);
      action.shown = expected;
      const change = await window.api.labels.set({ posterId: id, genres: chosen, expected });
      // Let go once saved, not at the key: until then another window's next batch could still be handed it.
      release(id);
      action.change = change?.id ?? null;
      if (change) know(id, { reviewedAt: change.newGenres === null ? null : change.changedAt, labelChange: change.id }, nowTick(), true);
      // Confirmed is settled: no longer kept for later. Refused, the confirmation still stands (and Backspace takes it back).
      if (wasUnsure)
        await window.api.review.flag({ posterId: id, unsure: false, since: startOfToday() }).catch((e: Error) => Promise.reject(new StillUnsure(e)));
    }).then(
      () => void refreshCounts(),
      (e: Error) => {
        if (e instanceof StillUnsure) {
          void refreshCounts();
          onScreen((screen) => {
            screen.setError(`${nameOf(confirmed)} is confirmed, but it is still kept for later in the Unsure queue: ${e.message}`);
            screen.setQueue((q) => q.map((x) => (x.poster.id === id ? { ...x, unsure: true } : x))); // as the catalogue has it
          });
          return;
        }
        const at = actions.current.lastIndexOf(action);
        if (at >= 0) actions.current.splice(at, 1);
        if (at >= 0) setRecent((r) => r.flatMap((c) => (c.item.poster.id !== id ? [c] : c.earlier?.length ? [unconfirmed(c)] : [])));
        // Told on the Review screen open now, or the next one opened: the reviewer may have left this one meanwhile.
        onScreen((screen) => {
          if (e instanceof ApiError && (e.code === 'reviewed-since' || e.code === 'edited-since'))
            screen
              .showTheirs(confirmed, e)
              .catch((r: Error) =>
                screen.setError(`${nameOf(confirmed)} was not saved: it was changed elsewhere since it was shown here, and ${notReadBack(r)}`),
              );
          else screen.setError(`${nameOf(confirmed)} was not saved: ${e.message}`);
        });
      },
    );
  }, [inVocabularyOrder, refreshCounts]);

  /** A poster's genres as they stand now (changed elsewhere), instead of what this screen last knew of them. */
  const showCurrent = useCallback(async (posterId: number) => {
    const asked = nowTick();
    const now = await window.api.posters.get({ id: posterId });
    know(posterId, shownIn(now), asked);
    const genres = now.current;
    setRestored({ posterId, genres });
    // The strip shows what stands: a poster no longer reviewed (its review taken back elsewhere) leaves it.
    setRecent((r) =>
      now.poster.reviewedAt === null ? r.filter((c) => c.item.poster.id !== posterId) : r.map((c) => (c.item.poster.id === posterId ? { ...c, genres } : c)),
    );
    setRevisit((v) => (v?.item.poster.id === posterId ? { ...v, genres } : v));
  }, []);

  screen.current = { showTheirs, showCurrent, setError, setQueue };

  // Takes back the latest review action of this session at once (the server's undo follows, in turn),
  // and goes back to that poster: a second Backspace takes back the one before.
  const undo = useCallback(() => {
    const { recent: strip, queue: held, index: at } = shown.current;
    const action = actions.current.pop();
    if (action === undefined) return;
    sessionActions = actions.current;
    const id = action.posterId;
    if (action.kind === 'unsure') {
      // The flag goes back the way it was, and so does the screen, to that poster.
      const where = held.findIndex((q) => q.poster.id === id);
      if (where >= 0) {
        movingOn();
        setEdit(null);
        setRevisit(null);
        setQueue((q) => q.map((x) => (x.poster.id === id ? { ...x, unsure: !action.unsure } : x)));
        setIndex(where);
      }
      inTurn(() => window.api.review.flag({ posterId: id, unsure: !action.unsure, since: startOfToday() })).then(setFlagCounts, (e: Error) =>
        onScreen((screen) => {
          screen.setError(e.message);
          screen.setQueue((q) => q.map((x) => (x.poster.id === id ? { ...x, unsure: action.unsure } : x)));
        }),
      );
      return;
    }
    const place = strip.findIndex((c) => c.item.poster.id === id);
    const entry = strip[place];
    if (!entry) return;
    movingOn();
    setEdit(null);
    if (entry.earlier?.length) {
      // A confirmation made again: the poster keeps the set confirmed before it, shown as just confirmed.
      const back = unconfirmed(entry);
      setRecent((r) => r.map((c) => (c.item.poster.id === id ? back : c)));
      setRevisit(back);
    } else {
      setRecent((r) => r.filter((c) => c.item.poster.id !== id));
      setRevisit(null);
      setRestored({ posterId: id, genres: entry.genres });
      // Kept for later before it was confirmed: kept for later again, in the Unsure queue too (the flag follows the undo below).
      const putBack = action.wasUnsure ? { ...entry.item, unsure: true } : entry.item;
      const where = held.findIndex((q) => q.poster.id === id);
      if (where >= 0) {
        setIndex(where);
        if (action.wasUnsure) setQueue((q) => q.map((x) => (x.poster.id === id ? { ...x, unsure: true } : x)));
      }
      // Not in this queue (another queue, or one loaded since): put back where the reviewer is.
      else setQueue((q) => [...q.slice(0, at), putBack, ...q.slice(at)]);
    }
    // The confirmation's own change, read once its save is done: a save that changed nothing has nothing to take back.
    let takenBack = false;
    inTurn(async () => {
      if (typeof action.change !== 'number') return;
      const undone = await window.api.labels.undo({ posterId: id, changeId: action.change });
      takenBack = true;
      // Undo writes the state before back, a confirmed one with the time of the undo; the poster's latest
      // change is again the one the confirmation was shown (the server refuses a confirmation on any other).
      know(id, { reviewedAt: undone.oldGenres === null ? null : undone.undoneAt, labelChange: action.shown?.labelChange ?? null }, nowTick(), true);
      if (action.wasUnsure && undone.oldGenres === null) await window.api.review.flag({ posterId: id, unsure: true, since: startOfToday() });
    }).then(
      () => void refreshCounts(),
      (e: Error) =>
        // Told on the Review screen open now, or the next one opened (see `onScreen`).
        onScreen((screen) => {
          // Not taken back (or not flagged again): the screen shows the poster not kept for later, as the catalogue has it.
          if (action.wasUnsure) screen.setQueue((q) => q.map((x) => (x.poster.id === id ? { ...x, unsure: false } : x)));
          const gone = e instanceof ApiError && (e.code === 'change-not-found' || e.code === 'poster-not-found');
          // Not taken back, so the confirmation stands: back on the strip where it was (as it is now, once read back below).
          if (!takenBack && !gone)
            setRecent((r) =>
              r.some((c) => c.item.poster.id === id) ? r.map((c) => (c.item.poster.id === id ? entry : c)) : r.toSpliced(Math.min(place, r.length), 0, entry),
            );
          // The change is gone (the catalogue was restored from a backup, here or in another window): nothing of it to take back.
          if (gone)
            screen.setError(
              `${nameOf(entry.item)}: that confirmation is no longer in the catalogue (restored from a backup since?), so there was nothing to undo.`,
            );
          else screen.setError(e.message);
          // Refused (changed since, or gone): the poster keeps what it has now, shown as it is, not as the set before the confirmation.
          if (e instanceof ApiError && (e.code === 'changed-since' || e.code === 'change-not-found'))
            screen.showCurrent(id).catch((r: Error) => screen.setError((was) => `${was ? `${was} ` : ''}${nameOf(entry.item)}: ${notReadBack(r)}`));
        }),
    );
  }, [refreshCounts]);

  const skip = useCallback(() => {
    if (revisit) setRevisit(null);
    else {
      const passed = shown.current.item;
      if (passed) release(passed.poster.id);
      setIndex((i) => Math.min(i + 1, queue.length));
    }
  }, [revisit, queue.length]);

  // At once, like a confirmation: the next keys belong to the next poster; the flag is saved in turn.
  const flagUnsure = useCallback(() => {
    const { item: flagged, revisit: again, queue: held } = shown.current;
    if (!flagged || again) return;
    const id = flagged.poster.id;
    const unsure = !flagged.unsure;
    const action: Action = { kind: 'unsure', posterId: id, unsure };
    actions.current.push(action);
    sessionActions = actions.current;
    setQueue((q) => q.map((x) => (x.poster.id === id ? { ...x, unsure } : x)));
    if (unsure) {
      movingOn();
      setIndex((i) => Math.min(i + 1, held.length));
      release(id);
    }
    inTurn(() => window.api.review.flag({ posterId: id, unsure, since: startOfToday() })).then(setFlagCounts, (e: Error) => {
      const at = actions.current.lastIndexOf(action);
      if (at >= 0) actions.current.splice(at, 1); // else undone already, the flag with it
      onScreen((screen) => {
        screen.setError(e.message);
        if (at >= 0) screen.setQueue((q) => q.map((x) => (x.poster.id === id ? { ...x, unsure: !unsure } : x)));
      });
    });
  }, []);

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
      if ((event.key === 'Enter' || event.key === SKIP_KEY) && ownsKey(event.target, event.key)) return;
      if (event.key === '?') {
        setHelp((h) => !h);
        event.preventDefault();
        return;
      }
      if (help) return; // the keys dialog has the keyboard until it closes
      const key = event.key.toLowerCase();
      const plain = !event.ctrlKey && !event.metaKey && !event.altKey;
      if (event.key === 'Enter') confirm();
      else if (event.key === 'Backspace' || (event.ctrlKey && key === 'z')) undo();
      else if (event.key === SKIP_KEY && plain) skip();
      else if (key === UNSURE_KEY && plain) flagUnsure();
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

  const banners = (
    <>
      {error && (
        <Alert severity="error" onClose={() => setError(null)} sx={{ mt: 2 }} data-testid="review-error">
          {error}
        </Alert>
      )}
      {noticeShown && (
        <Alert severity="warning" onClose={() => setNotice(null)} sx={{ mt: 2 }} data-testid="review-notice">
          {noticeShown}
        </Alert>
      )}
    </>
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
        <TextField
          select
          size="small"
          label="Queue"
          value={order}
          onChange={(e) => setOrder(e.target.value as ReviewOrder)}
          // Closed, the menu gives the keys back to the review (Enter would open it again). It hands the focus
          // back to its button as it closes; that is let go in the same task, so no key comes in between — a
          // deferred blur waited behind the new queue's render, and a quick Enter in that time reopened the menu.
          onFocus={(e) => {
            if (!queueClosing.current) return;
            queueClosing.current = false;
            e.target.blur();
          }}
          // Letters on the menu, open or closed, pick a queue by its first letter: never a genre's key as well.
          onKeyDown={(e) => e.key.length === 1 && e.key !== SKIP_KEY && e.stopPropagation()}
          slotProps={{
            select: {
              onClose: () => (queueClosing.current = true),
              MenuProps: { slotProps: { transition: { onExited: () => (queueClosing.current = false) } } },
            },
          }}
        >
          <MenuItem value="uncertain">Most uncertain first</MenuItem>
          <MenuItem value="decade">By decade</MenuItem>
          <MenuItem value="import">By import</MenuItem>
          <MenuItem value="unsure">Unsure, kept for later ({counts.unsure})</MenuItem>
        </TextField>
        <Typography color="text.secondary">Press ? for keys</Typography>
      </Stack>
      {!item ? (
        <Paper sx={{ p: 4 }} data-testid="review-end">
          {banners}
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
              alt={titleOrFile(item.poster) ?? `poster ${item.poster.id}`}
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
              {/* No title (a camera's or a catalogue number's file name): the file name, to find the sheet by. */}
              {item.poster.title ?? `Untitled: ${item.poster.path.split(/[\\/]/).pop() ?? ''}`} {item.poster.year ? `(${item.poster.year})` : ''}
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
              {/* A chip on the line that is there anyway: the genre chips below stay where they are on every poster. */}
              {item.heldElsewhere && !revisit && (
                <Chip size="small" variant="outlined" label={heldElsewhereText(counts.heldElsewhere)} data-testid="review-held-elsewhere" />
              )}
            </Stack>
            <SuggestionBasis basis={item.basis} />
            <GenreChips vocabulary={vocabulary} keyOf={keyOf} suggestions={suggestions} selected={selected} onToggle={toggle} />
            <Stack direction="row" spacing={1} sx={{ mt: 2 }}>
              {/* A mouse click leaves the focus where it was (as on the chips), so Enter still confirms and Space still skips. */}
              <Button variant="contained" onMouseDown={keepFocus} onClick={() => void confirm()}>
                {revisit ? 'Confirm again' : 'Confirm'} (Enter)
              </Button>
              <Button variant="outlined" onMouseDown={keepFocus} onClick={skip} data-testid="review-skip">
                {revisit ? 'Back to the queue (Esc)' : 'Skip (Space)'}
              </Button>
              {!revisit && (
                <Button variant="outlined" color="warning" onMouseDown={keepFocus} onClick={flagUnsure} data-testid="review-unsure-button">
                  {item.unsure ? 'Not unsure any more (X)' : 'Unsure: later (X)'}
                </Button>
              )}
            </Stack>
            {/* Beside the buttons it speaks of, not above the poster: a refusal never pushes the scan down out of the window. */}
            {banners}
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
