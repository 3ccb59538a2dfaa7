/** What is selected (and how much of it the filter hides), "select all N matching", and the bulk genre actions. */
import { useState } from 'react';
import { Button, Chip, Stack, TextField, Typography } from '@mui/material';
import type { Genre } from '../../../../shared/types';
import { genreMenuItems } from '../../components/FilterFields';

export function SelectionBar({
  count,
  hidden,
  allMatching,
  total,
  genres,
  onSelectAll,
  onClear,
  onBulk,
}: {
  count: number;
  hidden: number;
  allMatching: boolean;
  total: number;
  genres: Genre[];
  onSelectAll: () => void;
  onClear: () => void;
  onBulk: (action: 'add-genre' | 'remove-genre' | 'mark-reviewed', genre: string) => void;
}) {
  const [genre, setGenre] = useState('');
  if (count === 0) {
    return total > 0 ? (
      <Button size="small" onClick={onSelectAll} data-testid="select-all-matching">
        Select all {total} matching
      </Button>
    ) : null;
  }
  return (
    <Stack direction="row" spacing={1} sx={{ alignItems: 'center', minWidth: 0 }} data-testid="selection-bar">
      <Chip color="primary" label={allMatching ? `All ${count} matching selected` : `${count} selected`} onDelete={onClear} data-testid="selection-count" />
      {hidden > 0 && (
        <Typography variant="body2" data-testid="selection-hidden" sx={{ flexShrink: 0, fontWeight: 600 }}>
          ⚠ {hidden} hidden by the filter
        </Typography>
      )}
      {!allMatching && count < total && (
        <Button size="small" onClick={onSelectAll} data-testid="select-all-matching">
          Select all {total} matching
        </Button>
      )}
      <TextField select size="small" label="Genre" value={genre} onChange={(e) => setGenre(e.target.value)} sx={{ width: 130 }}>
        {genreMenuItems(genres)}
      </TextField>
      <Button size="small" disabled={!genre} onClick={() => onBulk('add-genre', genre)}>
        Add genre
      </Button>
      <Button size="small" disabled={!genre} onClick={() => onBulk('remove-genre', genre)}>
        Remove genre
      </Button>
      <Button size="small" variant="contained" onClick={() => onBulk('mark-reviewed', genre)}>
        Mark reviewed
      </Button>
    </Stack>
  );
}
