/** Export the catalogue as CSV for the shop: filters, a preview count, Save-as (asking before replacing a file), progress, then where it is. */
import { useEffect, useState } from 'react';
import { Alert, Box, Button, Checkbox, FormControlLabel, Paper, Stack, TextField, Typography } from '@mui/material';
import { ApiError } from '../../../../shared/ipc';
import type { ExportFilter, ExportPreview, Genre } from '../../../../shared/types';
import { isDesktop } from '../../api/images';
import { PathPicker } from '../../components/PathPicker';
import { EXPORT_COLUMN_NAMES } from '../../../../shared/exportColumns';
import { FilterFields } from '../../components/FilterFields';
import { JobBar, useJob } from '../../components/jobs';
import { count as plural } from '../../components/plural';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ExportColumns } from './ExportColumns';

/** What in the export the shop may not expect, each with where to change it; nothing when all is plain. */
export function ExportCaveats({ preview }: { preview: ExportPreview }) {
  const lines = [
    preview.unreviewed > 0 &&
      `${plural(preview.unreviewed, 'poster')} not reviewed: ${preview.unreviewed === 1 ? 'its genres are' : 'their genres are'} the model's suggestions (Status: Reviewed exports only confirmed genres).`,
    preview.untitled > 0 && `${plural(preview.untitled, 'poster')} without a title (give ${preview.untitled === 1 ? 'it one' : 'them one'} in the Library).`,
    preview.noGenres > 0 &&
      `${plural(preview.noGenres, 'poster')} with no genre: the shop cannot file ${preview.noGenres === 1 ? 'it' : 'them'} under one (give ${preview.noGenres === 1 ? 'it' : 'them'} genres in Review or the Library).`,
    preview.pairedCopies > 0 &&
      `${plural(preview.pairedCopies, 'poster')} in near-duplicate pairs nobody has resolved: both copies of each are exported (resolve them in the Library: Show, Near-duplicates).`,
  ].filter((l): l is string => typeof l === 'string');
  if (lines.length === 0) return null;
  return (
    <Alert severity="info" sx={{ mb: 2 }} data-testid="export-caveats">
      Of these:
      <Box component="ul" sx={{ m: 0, pl: 3 }}>
        {lines.map((l) => (
          <li key={l}>{l}</li>
        ))}
      </Box>
    </Alert>
  );
}

/** The file and the CSV's form, kept between visits to the screen and runs of the application: the shop's export is made the same way each time. */
const SETTINGS_KEY = 'export.settings';
interface Settings {
  file: string;
  bom: boolean;
  formulaGuard: boolean;
  columns: string[];
}
function storedSettings(): Settings {
  const fallback: Settings = { file: '', bom: false, formulaGuard: true, columns: [...EXPORT_COLUMN_NAMES] };
  try {
    const read = JSON.parse(localStorage.getItem(SETTINGS_KEY) ?? 'null') as Partial<Settings> | null;
    if (!read || typeof read !== 'object') return fallback;
    const columns = Array.isArray(read.columns) ? read.columns.filter((c) => (EXPORT_COLUMN_NAMES as readonly string[]).includes(c)) : fallback.columns;
    return {
      file: typeof read.file === 'string' ? read.file : fallback.file,
      bom: typeof read.bom === 'boolean' ? read.bom : fallback.bom,
      formulaGuard: typeof read.formulaGuard === 'boolean' ? read.formulaGuard : fallback.formulaGuard,
      columns: columns.length ? columns : fallback.columns,
    };
  } catch {
    return fallback; // not JSON (edited by hand): the defaults
  }
}

export function ExportScreen({ genres }: { genres: Genre[] }) {
  const [filter, setFilter] = useState<ExportFilter>({});
  const [preview, setPreview] = useState<ExportPreview | null>(null);
  const count = preview?.rows ?? null;
  const [stored] = useState(storedSettings);
  const [file, setFile] = useState(stored.file);
  const [bom, setBom] = useState(stored.bom);
  /** A leading ' before = + - @, so a spreadsheet does not run a cell; a shop's importer would keep it ("'-30-"). */
  const [formulaGuard, setFormulaGuard] = useState(stored.formulaGuard);
  const [columns, setColumns] = useState<Set<string>>(new Set(stored.columns));
  useEffect(() => {
    localStorage.setItem(SETTINGS_KEY, JSON.stringify({ file, bom, formulaGuard, columns: [...columns] } satisfies Settings));
  }, [file, bom, formulaGuard, columns]);
  const [jobId, setJobId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  /** Save-as picker: 'save' to choose the file, 'show' to show where the export went (the browser's "show in folder"). */
  const [picker, setPicker] = useState<'save' | 'show' | null>(null);
  /** The file exists: replacing it waits for a yes. */
  const [replace, setReplace] = useState<string | null>(null);
  const progress = useJob(jobId, 'export');
  const done = progress?.state === 'succeeded' ? (progress.result ?? null) : null;

  useEffect(() => {
    window.api.export.preview({ filter }).then(setPreview, (e: Error) => setError(e.message));
  }, [filter]);

  /** The Export button and Enter in the file field start an export under the same conditions. */
  const canStart = Boolean(file.trim()) && Boolean(count) && columns.size > 0 && progress?.state !== 'running';

  const start = async (overwrite = false) => {
    setError(null);
    setReplace(null);
    try {
      setJobId(
        (
          await window.api.export.start({
            file: file.trim(),
            filter,
            bom,
            formulaGuard,
            columns: EXPORT_COLUMN_NAMES.filter((c) => columns.has(c)),
            overwrite,
          })
        ).jobId,
      );
    } catch (e) {
      setJobId(null);
      if (e instanceof ApiError && e.code === 'file-exists') setReplace(e.message);
      else setError((e as Error).message);
    }
  };
  const showInFolder = async (path: string) => {
    if (!isDesktop()) return setPicker('show');
    try {
      await window.api.files.reveal({ path });
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <Paper sx={{ p: 3 }}>
      <Typography variant="h5" component="h2" gutterBottom>
        Export for the shop
      </Typography>
      <Typography color="text.secondary" sx={{ mb: 2 }}>
        One row per poster, with the columns ticked below in this order; under each is its header in the CSV file.
      </Typography>
      <Stack direction="row" spacing={2} useFlexGap sx={{ flexWrap: 'wrap', mb: 2, alignItems: 'center' }}>
        <FilterFields filter={filter} onChange={setFilter} genres={genres} />
      </Stack>
      <ExportColumns chosen={columns} onChange={setColumns} />
      <Typography sx={{ mb: 2 }} data-testid="export-count">
        {count === null ? 'Counting…' : count === 0 ? 'No poster matches these filters.' : `${plural(count, 'poster')} will be exported.`}
      </Typography>
      {preview && <ExportCaveats preview={preview} />}
      <Stack direction="row" spacing={2} sx={{ alignItems: 'center' }}>
        <TextField
          label="CSV file"
          placeholder="/home/dealer/shop/catalogue.csv"
          value={file}
          onChange={(e) => setFile(e.target.value)}
          sx={{ flexGrow: 1 }}
          slotProps={{ htmlInput: { 'data-testid': 'export-file' } }}
          onKeyDown={(e) => e.key === 'Enter' && canStart && void start()}
        />
        <Button variant="outlined" onClick={() => setPicker('save')} data-testid="export-save-as">
          Save as…
        </Button>
        <FormControlLabel control={<Checkbox checked={bom} onChange={(e) => setBom(e.target.checked)} />} label="For Excel (BOM)" />
        <FormControlLabel
          control={<Checkbox checked={formulaGuard} onChange={(e) => setFormulaGuard(e.target.checked)} data-testid="export-formula-guard" />}
          label="Safe for spreadsheets"
          title="Puts ' before a cell that starts with = + - or @, so a spreadsheet shows it instead of running it as a formula. Turn off for a shop importer, which would keep the ' (a title such as -30- would read '-30-)."
        />
        <Button variant="contained" disabled={!canStart} onClick={() => void start()}>
          Export
        </Button>
      </Stack>
      {error && (
        <Alert severity="error" sx={{ mt: 2 }}>
          {error}
        </Alert>
      )}
      <JobBar progress={progress} label="Exporting" />
      {done && (
        <Alert
          severity="success"
          data-testid="export-done"
          action={
            <Button color="inherit" size="small" onClick={() => void showInFolder(done.file)} data-testid="export-show">
              Show in folder
            </Button>
          }
        >
          Exported {plural(done.rows, 'poster')} to {done.file}
        </Alert>
      )}
      <ConfirmDialog
        open={replace !== null}
        id="export-replace"
        title="Replace the file?"
        text={`${replace ?? ''} Replacing it cannot be undone.`}
        keep="Keep it"
        go="Replace"
        onKeep={() => setReplace(null)}
        onGo={() => void start(true)}
      />
      <PathPicker
        open={picker !== null}
        purpose="export"
        mode={picker === 'show' ? 'show' : 'save'}
        start={picker === 'show' && done ? done.file : file.trim() || undefined}
        onClose={() => setPicker(null)}
        onChoose={(path) => {
          if (picker === 'save') setFile(path);
          setPicker(null);
        }}
      />
    </Paper>
  );
}
