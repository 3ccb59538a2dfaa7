/**
 * The catalogue filter (title, genres with any/all, decade, reviewed, confidence, vendor, which
 * posters to show), shared by the library and the export: both send it to the same SQL.
 */
import { ListSubheader, MenuItem, TextField, ToggleButton, ToggleButtonGroup } from '@mui/material';
import { CONFIDENCE_BANDS, type ExportFilter, type Genre } from '../../../shared/types';

const DECADES = Array.from({ length: 14 }, (_, i) => 1890 + i * 10);
const odds = (x: number) => Math.exp(x).toFixed(1);

/** How the confidence bands are defined, in words (also in the README). */
export const CONFIDENCE_HELP =
  `For each genre the model compares the poster's odds with the odds at that genre's own threshold. ` +
  `Low: some genre is within ${odds(CONFIDENCE_BANDS.lowBelow)}× of its threshold's odds (a coin toss). ` +
  `High: every genre is at least ${odds(CONFIDENCE_BANDS.highFrom)}× away. Medium: in between. ` +
  `Thresholds come with each model version, so the bands mean the same after a retrain.`;

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

type Show = 'catalogue' | 'duplicates' | 'set-aside';

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
  const chosen = [...(filter.genre ? [filter.genre] : []), ...(filter.genres ?? [])];
  const show: Show = filter.setAside ? 'set-aside' : filter.duplicates ? 'duplicates' : 'catalogue';
  return (
    <>
      {search && (
        <TextField
          size="small"
          label="Title"
          value={filter.search ?? ''}
          onChange={(e) => set({ search: e.target.value || undefined })}
          sx={{ flex: '1 1 120px', minWidth: 96 }}
          slotProps={{ htmlInput: { 'data-testid': 'filter-title' } }}
        />
      )}
      <TextField
        select
        size="small"
        label="Genres"
        value={chosen}
        onChange={(e) => {
          const value = e.target.value as unknown as string[] | string;
          const list = typeof value === 'string' ? value.split(',') : value;
          set({ genre: undefined, genres: list.length ? list : undefined });
        }}
        sx={{ width: 150, flexShrink: 0 }}
        slotProps={{ select: { multiple: true, renderValue: (v) => (v as string[]).join(', ') } }}
      >
        {genreMenuItems(genres)}
      </TextField>
      <ToggleButtonGroup
        size="small"
        exclusive
        value={filter.genreMode ?? 'any'}
        onChange={(_e, v: 'any' | 'all' | null) => v && set({ genreMode: v === 'any' ? undefined : v })}
        aria-label="Posters with any or all of the chosen genres"
        disabled={chosen.length < 2}
        sx={{ height: 40, flexShrink: 0 }}
      >
        <ToggleButton value="any" sx={{ px: 1 }}>
          Any
        </ToggleButton>
        <ToggleButton value="all" sx={{ px: 1 }}>
          All
        </ToggleButton>
      </ToggleButtonGroup>
      <TextField
        select
        size="small"
        label="Decade"
        value={filter.decade ?? ''}
        onChange={(e) => set({ decade: e.target.value === '' ? undefined : Number(e.target.value) })}
        sx={{ width: 108, flexShrink: 0 }}
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
        sx={{ width: 120, flexShrink: 0 }}
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
        sx={{ width: 136, flexShrink: 0 }}
        title={CONFIDENCE_HELP}
      >
        <ListSubheader sx={{ maxWidth: 340, lineHeight: 1.4, py: 1, whiteSpace: 'normal', fontWeight: 400 }} data-testid="confidence-help">
          {CONFIDENCE_HELP}
        </ListSubheader>
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
        sx={{ flex: '1 1 100px', minWidth: 90 }}
      />
      <TextField
        select
        size="small"
        label="Show"
        value={show}
        onChange={(e) => {
          const v = e.target.value as Show;
          set({ duplicates: v === 'duplicates' || undefined, setAside: v === 'set-aside' || undefined });
        }}
        sx={{ width: 150, flexShrink: 0 }}
      >
        <MenuItem value="catalogue">All posters</MenuItem>
        <MenuItem value="duplicates">Near-duplicates</MenuItem>
        <MenuItem value="set-aside">Set aside</MenuItem>
      </TextField>
    </>
  );
}
