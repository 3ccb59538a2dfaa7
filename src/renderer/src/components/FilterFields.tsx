/** The catalogue filter (genre, decade, reviewed, confidence, vendor, near-duplicates, title), shared by the library and the export. */
import { Checkbox, FormControlLabel, MenuItem, TextField } from '@mui/material';
import type { ExportFilter, Genre } from '../../../shared/types';

const DECADES = Array.from({ length: 14 }, (_, i) => 1890 + i * 10);

/** One menu item per genre in use (retired genres are not offered), for a select TextField. */
export function genreMenuItems(genres: Genre[]) {
  return genres
    .filter((g) => !g.retired)
    .map((g) => (
      <MenuItem key={g.id} value={g.name}>
        {g.name}
      </MenuItem>
    ));
}

export function FilterFields({
  filter,
  onChange,
  genres,
  search = true,
}: {
  filter: ExportFilter;
  onChange: (f: ExportFilter) => void;
  genres: Genre[];
  search?: boolean;
}) {
  const set = (patch: Partial<ExportFilter>) => onChange({ ...filter, ...patch });
  return (
    <>
      {search && (
        <TextField
          size="small"
          label="Title"
          value={filter.search ?? ''}
          onChange={(e) => set({ search: e.target.value || undefined })}
          sx={{ minWidth: 180 }}
        />
      )}
      <TextField
        select
        size="small"
        label="Genre"
        value={filter.genre ?? ''}
        onChange={(e) => set({ genre: e.target.value || undefined })}
        sx={{ minWidth: 150 }}
      >
        <MenuItem value="">Any genre</MenuItem>
        {genreMenuItems(genres)}
      </TextField>
      <TextField
        select
        size="small"
        label="Decade"
        value={filter.decade ?? ''}
        onChange={(e) => set({ decade: e.target.value === '' ? undefined : Number(e.target.value) })}
        sx={{ minWidth: 120 }}
      >
        <MenuItem value="">Any decade</MenuItem>
        {DECADES.map((d) => (
          <MenuItem key={d} value={d}>
            {d}s
          </MenuItem>
        ))}
      </TextField>
      <TextField
        select
        size="small"
        label="Status"
        value={filter.status ?? ''}
        onChange={(e) => set({ status: (e.target.value || undefined) as ExportFilter['status'] })}
        sx={{ minWidth: 140 }}
      >
        <MenuItem value="">All</MenuItem>
        <MenuItem value="reviewed">Reviewed</MenuItem>
        <MenuItem value="unreviewed">Not reviewed</MenuItem>
      </TextField>
      <TextField
        select
        size="small"
        label="Confidence"
        value={filter.confidence ?? ''}
        onChange={(e) => set({ confidence: (e.target.value || undefined) as ExportFilter['confidence'] })}
        sx={{ minWidth: 140 }}
      >
        <MenuItem value="">Any</MenuItem>
        <MenuItem value="low">Low (unsure)</MenuItem>
        <MenuItem value="medium">Medium</MenuItem>
        <MenuItem value="high">High</MenuItem>
      </TextField>
      <TextField
        size="small"
        label="Vendor"
        value={filter.vendor ?? ''}
        onChange={(e) => set({ vendor: e.target.value || undefined })}
        sx={{ minWidth: 140 }}
      />
      <FormControlLabel
        control={<Checkbox checked={filter.duplicates ?? false} onChange={(e) => set({ duplicates: e.target.checked || undefined })} />}
        label="Near-duplicates"
      />
    </>
  );
}
