/** One poster: large image, editable title/year/vendor, suggestions with their model version, label history with undo, near-duplicates side by side. */
import { useCallback, useEffect, useState } from 'react';
import {
  Alert,
  Box,
  Button,
  Chip,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableRow,
  TextField,
  Typography,
} from '@mui/material';
import type { GenreEdits, PosterDetail } from '../../../../shared/types';
import { imageUrl } from '../../api/images';
import { SuggestionBasis } from '../../components/SuggestionBasis';
import { PosterCropSection } from './CropBoxEditor';

/** A label state in words: the confirmed set, or "not reviewed" with staff's edits on the suggestions. */
function describeState(genres: string[] | null, edits: GenreEdits | null): string {
  if (genres !== null) return genres.join(', ') || 'no genres';
  const changes = [...(edits?.add ?? []).map((g) => `+${g}`), ...(edits?.remove ?? []).map((g) => `−${g}`)];
  return changes.length ? `not reviewed (${changes.join(' ')})` : 'not reviewed';
}

export function PosterDetailDialog({ posterId, onClose }: { posterId: number; onClose: () => void }) {
  const [detail, setDetail] = useState<PosterDetail | null>(null);
  const [edit, setEdit] = useState({ title: '', year: '', vendor: '' });
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    window.api.posters.get({ id: posterId }).then(
      (d) => {
        setDetail(d);
        setEdit({ title: d.poster.title ?? '', year: d.poster.year?.toString() ?? '', vendor: d.poster.vendor ?? '' });
      },
      (e: Error) => setError(e.message),
    );
  }, [posterId]);
  useEffect(load, [load]);

  const save = async () => {
    const year = edit.year.trim() ? Number(edit.year) : null;
    if (year !== null && (!Number.isInteger(year) || year < 1880 || year > 2100)) {
      setError(`"${edit.year}" is not a year between 1880 and 2100.`);
      return;
    }
    try {
      await window.api.posters.update({ id: posterId, title: edit.title || null, year, vendor: edit.vendor || null });
      setError(null);
      load();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const undo = async () => {
    try {
      await window.api.labels.undo({ posterId });
      load();
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const p = detail?.poster;
  return (
    <Dialog open onClose={onClose} maxWidth="lg" fullWidth>
      <DialogTitle>{p ? `${p.title ?? `Poster #${p.id}`}${p.year ? ` (${p.year})` : ''}` : 'Poster'}</DialogTitle>
      <DialogContent>
        {error && (
          <Alert severity="error" sx={{ mb: 2 }}>
            {error}
          </Alert>
        )}
        {detail && p && (
          <Stack direction="row" spacing={3}>
            <Box component="img" src={imageUrl(p.id)} alt={p.title ?? ''} sx={{ width: 380, maxHeight: '70vh', objectFit: 'contain', flexShrink: 0 }} />
            <Box sx={{ flexGrow: 1, minWidth: 0 }}>
              <Stack direction="row" spacing={1} sx={{ mb: 2 }}>
                <TextField size="small" label="Title" value={edit.title} onChange={(e) => setEdit({ ...edit, title: e.target.value })} sx={{ flexGrow: 1 }} />
                <TextField size="small" label="Year" value={edit.year} onChange={(e) => setEdit({ ...edit, year: e.target.value })} sx={{ width: 90 }} />
                <TextField size="small" label="Vendor" value={edit.vendor} onChange={(e) => setEdit({ ...edit, vendor: e.target.value })} />
                <Button onClick={() => void save()}>Save</Button>
              </Stack>
              <Typography variant="caption" color="text.secondary" component="div" sx={{ mb: 1, wordBreak: 'break-all' }}>
                {p.path} · {p.width}×{p.height}
              </Typography>
              <PosterCropSection posterId={p.id} src={imageUrl(p.id)} crop={p.crop} onChanged={load} />
              <Typography variant="subtitle2">{detail.labels ? 'Confirmed genres' : 'Not reviewed yet'}</Typography>
              <Box sx={{ mb: 2 }}>
                {detail.labels?.map((g) => (
                  <Chip key={g} label={g} color="success" size="small" sx={{ mr: 0.5 }} />
                ))}
              </Box>
              <Typography variant="subtitle2">Suggestions {detail.suggestions[0] ? `(model ${detail.suggestions[0].modelVersion})` : '(none yet)'}</Typography>
              <SuggestionBasis basis={detail.basis} />
              <Box sx={{ mb: 2 }}>
                {[...detail.suggestions]
                  .sort((a, b) => b.probability - a.probability)
                  .map((s) => (
                    <Chip
                      key={s.genre}
                      label={`${s.genre} ${Math.round(s.probability * 100)}%`}
                      size="small"
                      variant={s.aboveThreshold ? 'filled' : 'outlined'}
                      color={s.aboveThreshold ? 'primary' : 'default'}
                      sx={{ mr: 0.5, mb: 0.5 }}
                    />
                  ))}
              </Box>
              <Stack direction="row" sx={{ alignItems: 'center' }}>
                <Typography variant="subtitle2" sx={{ flexGrow: 1 }}>
                  Label history
                </Typography>
                <Button size="small" disabled={!detail.history.some((h) => !h.undoneAt)} onClick={() => void undo()}>
                  Undo last change
                </Button>
              </Stack>
              <Table size="small">
                <TableBody>
                  {detail.history.length === 0 && (
                    <TableRow>
                      <TableCell>No label changes yet.</TableCell>
                    </TableRow>
                  )}
                  {[...detail.history].reverse().map((h) => (
                    <TableRow key={h.id} sx={h.undoneAt ? { opacity: 0.55 } : undefined}>
                      <TableCell>{new Date(h.changedAt).toLocaleString()}</TableCell>
                      <TableCell>{describeState(h.oldGenres, h.oldEdits)}</TableCell>
                      <TableCell>→ {describeState(h.newGenres, h.newEdits)}</TableCell>
                      <TableCell>
                        {h.reviewer ?? ''}
                        {h.batch ? ' · bulk action' : ''}
                        {h.undoneAt ? ' · undone' : ''}
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
              {detail.duplicates.length > 0 && (
                <>
                  <Typography variant="subtitle2" sx={{ mt: 2 }}>
                    Near-duplicates
                  </Typography>
                  <Stack direction="row" spacing={2}>
                    {detail.duplicates.map((d) => (
                      <Box key={d.id} sx={{ width: 160 }}>
                        <Box component="img" src={imageUrl(d.id)} alt="" sx={{ width: 160, height: 230, objectFit: 'contain' }} />
                        <Typography variant="caption" component="div" noWrap>
                          #{d.id} {d.title ?? ''} · {d.width}×{d.height}
                        </Typography>
                      </Box>
                    ))}
                  </Stack>
                </>
              )}
            </Box>
          </Stack>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Close</Button>
      </DialogActions>
    </Dialog>
  );
}
