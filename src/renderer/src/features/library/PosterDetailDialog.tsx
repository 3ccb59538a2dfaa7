/**
 * One poster: its scan (zoomable, its crop adjusted in place), editable title/year/vendor, genres
 * edited in place, suggestions with their model version, its history with undo, near-duplicates
 * side by side (keep one, or "not a duplicate"), and previous/next through the library's order
 * (buttons, Alt+←/→, or ←/→ outside a text field; Z zooms, C adjusts the crop). The genres and their
 * Confirm stand beside the scan, on the first screen even at 1280×720: staff open a poster mostly to
 * check them. Leaving a poster (previous/next, Esc, Close) saves its unsaved title, year, vendor and
 * crop box first, as a cataloguer moving fast expects; what cannot be saved (a year that is not one)
 * keeps the poster open with the reason and a way to leave without it.
 */
import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { Alert, Box, Button, Chip, Dialog, DialogActions, DialogContent, DialogTitle, Stack, TextField, Typography } from '@mui/material';
import type { CropBox, Genre, Poster, PosterDetail } from '../../../../shared/types';
import { imageUrl } from '../../api/images';
import { SuggestionBasis } from '../../components/SuggestionBasis';
import { PosterCropSection } from './CropBoxEditor';
import { DetailHistory } from './DetailHistory';
import { ScanView } from './ScanView';
import { fileName, posterName } from '../../../../shared/posterName';

const inTextField = (target: EventTarget) => target instanceof HTMLElement && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA');

type Field = 'title' | 'year' | 'vendor';
const FIELDS: Field[] = ['title', 'year', 'vendor'];
type FieldText = Record<Field, string>;
/** The three fields as the catalogue has them, as text. */
const savedText = (p: Poster): FieldText => ({
  title: p.title ?? '',
  year: p.year?.toString() ?? '',
  vendor: p.vendor ?? '',
});
/**
 * The fields after a reload: one staff changed since `was` (what they were last loaded or saved
 * as) keeps the typing, even where the catalogue's value moved meanwhile (leaving saves it); the
 * others show the catalogue's `now`.
 */
const keepTyping = (edit: FieldText, was: FieldText, now: FieldText): FieldText => ({
  title: edit.title === was.title ? now.title : edit.title,
  year: edit.year === was.year ? now.year : edit.year,
  vendor: edit.vendor === was.vendor ? now.vendor : edit.vendor,
});
const isUndoKey = (e: KeyboardEvent) => (e.ctrlKey || e.metaKey) && !e.shiftKey && !e.altKey && e.key.toLowerCase() === 'z';

export function PosterDetailDialog({
  posterId,
  position,
  genres,
  onStep,
  onClose,
}: {
  /** null while the poster at this position is still loading. */
  posterId: number | null;
  position: { index: number; total: number };
  genres: Genre[];
  onStep: (delta: -1 | 1) => void;
  onClose: () => void;
}) {
  const [detail, setDetail] = useState<PosterDetail | null>(null);
  const [edit, setEdit] = useState<FieldText>({ title: '', year: '', vendor: '' });
  const [error, setError] = useState<string | null>(null);
  const [zoomed, setZoomed] = useState(false);
  /** The scan swapped for the crop editor; back to the scan on another poster, a save or Cancel. */
  const [cropping, setCropping] = useState(false);
  const adjustButton = useRef<HTMLButtonElement>(null);
  /** Leaving was stopped: why, and how to leave anyway (the unsaved changes dropped). */
  const [blocked, setBlocked] = useState<{ message: string; leave: () => void } | null>(null);
  const content = useRef<HTMLDivElement>(null);
  const shownId = useRef(posterId);
  shownId.current = posterId;
  const pendingCrop = useRef<{ posterId: number; box: CropBox | 'invalid' } | null>(null);
  const leaving = useRef(false);
  /** The fields as last loaded or saved, for the poster shown: a field that differs from them holds staff's typing. */
  const base = useRef<{ posterId: number; text: FieldText } | null>(null);
  /** Title/year/vendor edits saved while this poster is shown: Ctrl+Z in a field takes back only these. */
  const visitEdits = useRef(new Set<number>());
  /**
   * Loads started so far, per poster: only the latest for a poster is shown, as an earlier one may
   * predate a save. Per poster, so that a load started for a poster already left (a change answered
   * after Next) cannot make the shown poster's own answer look out of date.
   */
  const loads = useRef(new Map<number, number>());
  /** Shows the poster as the catalogue now has it, keeping what staff typed and did not save. */
  /**
   * The poster's latest label change as this window knows it, sent with a genre change so one made
   * elsewhere since is refused: from the last load, or from this window's own change just answered
   * (a second genre clicked before the reload must not be taken for someone else's change).
   */
  const knownChange = useRef<{ posterId: number; id: number | null } | null>(null);
  /** Genre changes one after another: each is sent knowing the one before's answer. */
  const genreTurn = useRef<Promise<unknown>>(Promise.resolve());
  const show = useCallback((d: PosterDetail) => {
    const was = base.current?.posterId === d.poster.id ? base.current.text : null;
    const now = savedText(d.poster);
    base.current = { posterId: d.poster.id, text: now };
    knownChange.current = { posterId: d.poster.id, id: d.labelChange };
    setDetail(d);
    setEdit((e) => (was ? keepTyping(e, was, now) : now));
  }, []);
  const load = useCallback(() => {
    if (posterId === null) return;
    const seq = (loads.current.get(posterId) ?? 0) + 1;
    loads.current.set(posterId, seq);
    window.api.posters.get({ id: posterId }).then(
      (d) => {
        // An answer for a poster already left (a save just before Next) must not fill this one's fields.
        if (d.poster.id !== shownId.current) return;
        if (seq === loads.current.get(d.poster.id)) show(d);
      },
      // A poster already left is not this one's problem: the poster shown loads itself.
      (e: Error) => {
        if (posterId === shownId.current) setError(e.message);
      },
    );
  }, [posterId, show]);
  useEffect(() => {
    setError(null);
    setBlocked(null);
    setZoomed(false);
    setCropping(false);
    visitEdits.current = new Set();
    load();
  }, [load]);
  // A change can remove the button that was pressed ("Not a duplicate", an undone row's Undo): the
  // focus then stays in the dialog, where the keys still work, instead of falling to the page.
  useEffect(() => {
    if (document.activeElement === document.body || document.activeElement === null) content.current?.focus({ preventScroll: true });
  }, [detail]);

  /** Runs a change, then shows the poster as it now is (or what went wrong). */
  /** A change to the poster shown; refused after staff went on to another poster, the refusal names the poster it was for. */
  const act = async (change: () => Promise<unknown>) => {
    const forId = posterId;
    const forPoster = detail?.poster.id === forId ? detail.poster : undefined;
    try {
      await change();
      if (shownId.current === forId) setError(null);
      load();
    } catch (e) {
      const message = (e as Error).message;
      setError(shownId.current === forId || !forPoster ? message : `${posterName(forPoster)}: ${message}`);
      // A refusal says the poster changed elsewhere: shown as it is now, the next press acts on that.
      if (shownId.current === forId) load();
    }
  };

  const p = detail && detail.poster.id === posterId ? detail.poster : undefined;
  const saved = p ? savedText(p) : null;
  const unsaved = saved ? FIELDS.filter((f) => edit[f] !== saved[f]) : [];

  /**
   * Saves the fields staff changed (the reason when it cannot: a year that is not one, or the
   * catalogue's refusal). Only those are sent: a field left alone is left alone in the catalogue
   * too, so this never puts back a value another window changed meanwhile. The next load shows
   * them as the catalogue keeps them and notes the edits made.
   */
  const saveFields = async (): Promise<string | null> => {
    if (!p || !detail) return null;
    const was = base.current?.posterId === p.id ? base.current.text : savedText(p);
    const changed = FIELDS.filter((f) => edit[f] !== was[f]);
    if (!changed.length) return null;
    const year = edit.year.trim() ? Number(edit.year) : null;
    if (changed.includes('year') && year !== null && (!Number.isInteger(year) || year < 1880 || year > 2100))
      return `"${edit.year}" is not a year between 1880 and 2100.`;
    const sent = { ...edit };
    try {
      const { editIds } = await window.api.posters.update({
        id: p.id,
        ...(changed.includes('title') && { title: edit.title || null }),
        ...(changed.includes('year') && { year }),
        ...(changed.includes('vendor') && { vendor: edit.vendor || null }),
        // What staff were shown for the fields they changed: changed since in another window, the save is refused, not put over it.
        expected: {
          ...(changed.includes('title') && { title: was.title || null }),
          ...(changed.includes('year') && { year: was.year.trim() ? Number(was.year) : null }),
          ...(changed.includes('vendor') && { vendor: was.vendor || null }),
        },
      });
      // What was sent is no longer typing: the reload may show it tidied (trimmed); what is typed after it stays.
      if (base.current?.posterId === p.id) base.current = { posterId: p.id, text: sent };
      // The catalogue names the edits this save recorded: Ctrl+Z takes back these, never another window's.
      if (shownId.current === p.id) for (const id of editIds) visitEdits.current.add(id);
      return null;
    } catch (e) {
      return (e as Error).message;
    }
  };
  const save = async () => {
    const problem = await saveFields();
    setError(problem);
    if (!problem) setBlocked(null);
    // Refused or not, the poster as the catalogue has it now (what was typed stays): saving again is then deliberate.
    load();
  };

  /** Goes to another poster or closes, saving this one's unsaved fields and crop box first; stays, saying why, when they cannot be saved. */
  const leave = async (go: () => void) => {
    if (leaving.current) return;
    leaving.current = true;
    try {
      const crop = p && pendingCrop.current?.posterId === p.id ? pendingCrop.current.box : null;
      const stay = (message: string) => setBlocked({ message, leave: go });
      let savedAny = false;
      if (unsaved.length) {
        const problem = await saveFields();
        if (problem) {
          load(); // as the catalogue has it now, the typing kept: saving again is deliberate
          return stay(`The ${unsaved.join(', ')} ${unsaved.length > 1 ? 'are' : 'is'} not saved: ${problem}`);
        }
        savedAny = true;
      }
      if (crop === 'invalid') return stay('The crop box is not saved: its angle is not a number of degrees between −45 and 45.');
      if (crop && p) {
        try {
          await window.api.posters.crop({ id: p.id, crop });
          savedAny = true;
        } catch (e) {
          return stay(`The crop box was not saved: ${(e as Error).message}`);
        }
      }
      go();
      // Past the first or last poster the poster stays: it is shown as saved. Where another poster
      // comes, the answer is for one already left and is dropped.
      if (savedAny) load();
    } finally {
      leaving.current = false;
    }
  };
  const step = (delta: -1 | 1) => void leave(() => onStep(delta));
  const close = () => void leave(onClose);

  /**
   * Ctrl+Z in a field that shows what the catalogue has takes back the field's last edit saved while
   * this poster is shown, so the two never disagree. It never reaches further back: an older edit
   * (perhaps another person's, days ago) is undone from the history, where it is seen.
   */
  const undoSaved = (field: Field) => (event: KeyboardEvent) => {
    if (!isUndoKey(event) || !p || !saved || edit[field] !== saved[field]) return; // unsaved typing: the field's own undo
    const last = detail?.edits.filter((x) => x.field === field && !x.undoneAt && visitEdits.current.has(x.id)).sort((a, b) => b.id - a.id)[0];
    if (!last) return; // nothing saved here on this visit: the field's own undo
    event.preventDefault();
    void act(() => window.api.posters.undoEdit({ editId: last.id }));
  };

  /** The editor in the scan's place, over the whole scan (not a zoomed part of it). */
  const adjustCrop = () => {
    setZoomed(false);
    setCropping(true);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.defaultPrevented) return; // handled inside (a crop corner's arrows)
    const text = inTextField(event.target);
    if ((event.key === 'ArrowLeft' || event.key === 'ArrowRight') && (event.altKey || !text)) {
      event.preventDefault();
      step(event.key === 'ArrowLeft' ? -1 : 1);
    } else if (event.key.toLowerCase() === 'z' && !text && !event.ctrlKey && !event.metaKey && !cropping) {
      setZoomed((z) => !z);
    } else if (event.key.toLowerCase() === 'c' && !text && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      adjustCrop();
    }
  };

  const current = new Set(detail?.current ?? []);
  return (
    <Dialog open onClose={close} maxWidth="lg" fullWidth onKeyDown={onKeyDown} aria-labelledby="poster-detail-title">
      <DialogTitle id="poster-detail-title" sx={{ display: 'flex', alignItems: 'center', gap: 1, py: 1 }}>
        <Box component="span" sx={{ flexGrow: 1, minWidth: 0, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
          {p ? `${p.title ?? (fileName(p.path) || `Poster ${p.id}`)}${p.year ? ` (${p.year})` : ''}` : 'Poster'}
        </Box>
        <Typography variant="body2" component="span" data-testid="detail-position">
          {position.index + 1} of {position.total}
        </Typography>
        <Button size="small" disabled={position.index === 0} onClick={() => step(-1)} aria-keyshortcuts="Alt+ArrowLeft">
          ‹ Previous
        </Button>
        <Button size="small" disabled={position.index >= position.total - 1} onClick={() => step(1)} aria-keyshortcuts="Alt+ArrowRight">
          Next ›
        </Button>
      </DialogTitle>
      <DialogContent dividers ref={content} tabIndex={-1} sx={{ outline: 'none' }} data-testid="detail-content">
        {error && (
          <Alert severity="error" sx={{ mb: 2 }}>
            {error}
          </Alert>
        )}
        {blocked && (
          <Alert
            severity="warning"
            sx={{ mb: 2 }}
            data-testid="detail-not-saved"
            action={
              <Button
                color="inherit"
                size="small"
                onClick={() => {
                  setBlocked(null);
                  blocked.leave();
                }}
              >
                Leave without saving
              </Button>
            }
          >
            {blocked.message}
          </Alert>
        )}
        {!p && !error && <Typography>Loading…</Typography>}
        {detail && p && (
          <Box sx={{ display: 'grid', gridTemplateColumns: 'minmax(180px, 2fr) minmax(0, 3fr)', gap: 2 }}>
            {/* The scan stays in view while the column beside it scrolls to the suggestions and history. */}
            <Box sx={{ minWidth: 0, position: 'sticky', top: 0, alignSelf: 'start' }}>
              {cropping ? (
                <PosterCropSection
                  posterId={p.id}
                  src={imageUrl(p.id)}
                  scanSize={{ width: p.width, height: p.height }}
                  crop={p.crop}
                  onChanged={(d) => {
                    if (d.poster.id !== shownId.current) return;
                    loads.current.set(d.poster.id, (loads.current.get(d.poster.id) ?? 0) + 1); // a load already asked for would predate this change
                    show(d);
                  }}
                  onPendingChange={(box) => {
                    pendingCrop.current = box ? { posterId: p.id, box } : null;
                  }}
                  onClose={() => {
                    setCropping(false);
                    // The keyboard goes back to where the editor was opened from, not to the page.
                    requestAnimationFrame(() => adjustButton.current?.focus());
                  }}
                />
              ) : (
                <ScanView
                  src={imageUrl(p.id)}
                  title={posterName(p)}
                  scanSize={{ width: p.width, height: p.height }}
                  crop={p.crop}
                  zoomed={zoomed}
                  onZoom={() => setZoomed((z) => !z)}
                  onAdjust={adjustCrop}
                  adjustRef={adjustButton}
                />
              )}
            </Box>
            <Box sx={{ minWidth: 0 }}>
              {detail.setAsideAt && (
                <Alert
                  severity="info"
                  sx={{ mb: 1 }}
                  action={
                    <Button color="inherit" size="small" onClick={() => void act(() => window.api.posters.restore({ posterId: p.id }))}>
                      Restore
                    </Button>
                  }
                >
                  Set aside as the copy not kept of a near-duplicate pair: hidden from the library, the export and review.
                </Alert>
              )}
              {/* A form: Enter in any of the three fields saves, as Save does. */}
              <Stack
                component="form"
                direction="row"
                useFlexGap
                spacing={1}
                sx={{ flexWrap: 'wrap', pt: 1, mb: 1 }}
                onSubmit={(e: React.FormEvent) => {
                  e.preventDefault();
                  void save();
                }}
              >
                <TextField
                  size="small"
                  label="Title"
                  value={edit.title}
                  onChange={(e) => setEdit({ ...edit, title: e.target.value })}
                  onKeyDown={undoSaved('title')}
                  sx={{ flex: '3 1 200px' }}
                />
                <TextField
                  size="small"
                  label="Year"
                  value={edit.year}
                  onChange={(e) => setEdit({ ...edit, year: e.target.value })}
                  onKeyDown={undoSaved('year')}
                  sx={{ flex: '0 0 96px' }}
                />
                <TextField
                  size="small"
                  label="Vendor"
                  value={edit.vendor}
                  onChange={(e) => setEdit({ ...edit, vendor: e.target.value })}
                  onKeyDown={undoSaved('vendor')}
                  sx={{ flex: '2 1 150px' }}
                />
                <Button type="submit">Save</Button>
              </Stack>
              {unsaved.length > 0 && (
                <Typography variant="caption" color="warning.main" component="div" sx={{ mb: 1 }} data-testid="detail-unsaved">
                  Not saved yet: {unsaved.join(', ')}. Enter saves; going to another poster or closing saves too.
                </Typography>
              )}
              <Typography variant="caption" color="text.secondary" component="div" sx={{ mb: 1, wordBreak: 'break-all' }}>
                {p.path} · {p.width}×{p.height}
              </Typography>

              <Typography variant="subtitle2" component="h3">
                {detail.labels ? 'Confirmed genres' : 'Genres (not reviewed yet: the suggestions with your changes)'}
              </Typography>
              <Box sx={{ mb: 1 }} data-testid="detail-genres">
                {genres
                  .filter((g) => !g.retired)
                  .map((g) => (
                    <Chip
                      key={g.id}
                      label={g.name}
                      size="small"
                      clickable
                      aria-pressed={current.has(g.name)}
                      color={current.has(g.name) ? 'primary' : 'default'}
                      variant={current.has(g.name) ? 'filled' : 'outlined'}
                      onClick={() => {
                        const present = !current.has(g.name);
                        const turn = genreTurn.current.then(() =>
                          act(async () => {
                            const known = knownChange.current?.posterId === p.id ? knownChange.current.id : detail.labelChange;
                            const change = await window.api.posters.setGenre({ posterId: p.id, genre: g.name, present, expected: { labelChange: known } });
                            if (change && knownChange.current?.posterId === p.id) knownChange.current = { posterId: p.id, id: change.id };
                          }),
                        );
                        genreTurn.current = turn;
                      }}
                      data-testid={`detail-genre-${g.name}`}
                      sx={{ mr: 0.5, mb: 0.5 }}
                    />
                  ))}
              </Box>
              {!detail.labels && (
                <Button
                  size="small"
                  variant="outlined"
                  sx={{ mb: 1 }}
                  // What was shown: refused when a colleague confirmed or changed the poster's genres since.
                  onClick={() =>
                    void act(() =>
                      window.api.labels.set({ posterId: p.id, genres: [...current], expected: { reviewedAt: p.reviewedAt, labelChange: detail.labelChange } }),
                    )
                  }
                >
                  Confirm these genres (mark reviewed)
                </Button>
              )}

              <Typography variant="subtitle2" component="h3">
                Suggestions {detail.suggestions[0] ? `(model ${detail.suggestions[0].modelVersion})` : '(none yet)'}
              </Typography>
              <SuggestionBasis basis={detail.basis} />
              <Box sx={{ mb: 1 }}>
                {detail.suggestions.map((s) => (
                  <Chip
                    key={s.genre}
                    label={`${s.genre} ${Math.round(s.probability * 100)}%`}
                    size="small"
                    variant={s.aboveThreshold ? 'filled' : 'outlined'}
                    sx={{ mr: 0.5, mb: 0.5 }}
                  />
                ))}
              </Box>

              {detail.duplicates.length > 0 && (
                <>
                  <Typography variant="subtitle2" component="h3">
                    Near-duplicates
                  </Typography>
                  <Stack direction="row" spacing={2} sx={{ mb: 1, flexWrap: 'wrap' }} useFlexGap>
                    {detail.duplicates.map((d) => {
                      // Named as staff know a poster (title or file name, vendor, year), not by its catalogue id.
                      const name = posterName(d);
                      const file = fileName(d.path);
                      return (
                        <Box key={d.id} sx={{ width: 200 }} data-testid={`duplicate-${d.id}`}>
                          <Box component="img" src={imageUrl(d.id)} alt={`Near-duplicate: ${name}`} sx={{ width: 200, height: 230, objectFit: 'contain' }} />
                          <Typography variant="body2" component="div" title={name} data-testid={`duplicate-${d.id}-name`} sx={{ wordBreak: 'break-word' }}>
                            {name}
                          </Typography>
                          {/* The two copies of a pair often share title, vendor and year: the file and its size tell them apart. */}
                          <Typography variant="caption" color="text.secondary" component="div" noWrap title={d.path}>
                            {d.title?.trim() ? `${file} · ` : ''}
                            {d.width}×{d.height}
                          </Typography>
                          {/* The buttons carry the copy's name: in capitals a file name would not read as the file it is. */}
                          <Stack sx={{ '& .MuiButton-root': { textTransform: 'none' } }}>
                            {/* A resolved pair says so where it was resolved, with the way back, instead of offering to resolve it again. */}
                            {detail.duplicatesSetAside?.includes(d.id) ? (
                              <>
                                <Typography variant="body2" color="text.secondary" data-testid={`duplicate-${d.id}-set-aside`}>
                                  Kept this poster; {name} is set aside.
                                </Typography>
                                <Button size="small" onClick={() => void act(() => window.api.posters.restore({ posterId: d.id }))}>
                                  Restore {name}
                                </Button>
                              </>
                            ) : detail.setAsideAt ? (
                              <Typography variant="body2" color="text.secondary" data-testid={`duplicate-${d.id}-kept`}>
                                {name} was kept; this poster is set aside.
                              </Typography>
                            ) : (
                              <>
                                <Button size="small" onClick={() => void act(() => window.api.posters.keepDuplicate({ keep: p.id, setAside: d.id }))}>
                                  Keep this poster, set {name} aside
                                </Button>
                                <Button size="small" onClick={() => void act(() => window.api.posters.keepDuplicate({ keep: d.id, setAside: p.id }))}>
                                  Keep {name}, set this aside
                                </Button>
                              </>
                            )}
                            <Button
                              size="small"
                              aria-label={`Not a duplicate: ${name}`}
                              onClick={() => void act(() => window.api.posters.notDuplicate({ posterId: p.id, otherId: d.id }))}
                            >
                              Not a duplicate
                            </Button>
                          </Stack>
                        </Box>
                      );
                    })}
                  </Stack>
                </>
              )}

              <Stack direction="row" sx={{ alignItems: 'center' }}>
                <Typography variant="subtitle2" component="h3" sx={{ flexGrow: 1 }}>
                  History
                </Typography>
                <Button
                  size="small"
                  disabled={!detail.history.some((h) => !h.undoneAt)}
                  // The latest change shown, by its id: a change made since elsewhere is never undone in its place.
                  onClick={() => void act(() => window.api.labels.undo({ posterId: p.id, changeId: detail.history.findLast((h) => !h.undoneAt)?.id }))}
                >
                  Undo last genre change
                </Button>
              </Stack>
              <DetailHistory
                history={detail.history}
                edits={detail.edits}
                pairEdits={detail.pairSetAside}
                names={new Map([...(detail.namedInEdits ?? []), ...detail.duplicates].map((d) => [d.id, posterName(d)]))}
                onUndoEdit={(editId) => void act(() => window.api.posters.undoEdit({ editId }))}
              />
            </Box>
          </Box>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={close}>Close</Button>
      </DialogActions>
    </Dialog>
  );
}
