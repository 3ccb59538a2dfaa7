/** Import a vendor folder: chosen with the picker (or dropped on the desktop window), progress with measured rate and ETA, then a report. */
import { useEffect, useState, type DragEvent } from 'react';
import { Alert, Button, Paper, Stack, TextField, Typography } from '@mui/material';
import { isDesktop } from '../../api/images';
import { JobBar, useJob } from '../../components/jobs';
import { PathPicker } from '../../components/PathPicker';
import { ImportReport } from './ImportReport';

export function ImportScreen({ onImported }: { onImported: () => void }) {
  const [folder, setFolder] = useState('');
  const [vendor, setVendor] = useState('');
  const [jobId, setJobId] = useState<string | null>(null);
  /** The folder the current import reads, as given (the field may change meanwhile). */
  const [importing, setImporting] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [picking, setPicking] = useState(false);
  const [dragging, setDragging] = useState(false);
  const progress = useJob(jobId, 'import');
  const summary = progress?.state !== 'running' ? progress?.result : undefined;
  const running = progress?.state === 'running';

  const start = async () => {
    setError(null);
    try {
      const { jobId: id } = await window.api.import.start({ folder: folder.trim(), vendor: vendor.trim() || undefined, tag: true });
      setImporting(folder.trim());
      setJobId(id);
    } catch (e) {
      // Refused before any job began (a missing folder): said once, here, with no progress bar under it.
      setJobId(null);
      setError((e as Error).message);
    }
  };
  // Once per finished import (not on every render: that refreshed the app in a loop).
  const finished = summary ? jobId : null;
  useEffect(() => {
    if (finished) onImported();
  }, [finished, onImported]);

  // A folder dropped on the desktop window: Electron gives its path; a browser never gives one.
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    const file = event.dataTransfer.files[0];
    if (!file) return;
    const path = window.api.desktop?.pathForFile(file);
    if (path) {
      setFolder(path);
      setError(null);
    } else setError('A browser does not tell the page where a dropped folder is: use Browse… to choose it.');
  };

  return (
    <Paper
      sx={{ p: 3, outline: dragging ? '3px dashed' : 'none', outlineColor: 'primary.main' }}
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      <Typography variant="h5" component="h2" gutterBottom>
        Import a vendor folder
      </Typography>
      <Typography color="text.secondary" sx={{ mb: 2 }}>
        Every JPEG under the folder (and its subfolders) is catalogued once; files already in the catalogue are skipped, near-duplicates are flagged, and each
        new poster gets genre suggestions.{isDesktop() ? ' You can also drop the folder on this window.' : ''}
      </Typography>
      <Stack direction="row" spacing={2} sx={{ mb: 2 }}>
        <TextField
          label="Folder"
          placeholder="~/Vendors/acme-2026-11"
          value={folder}
          onChange={(e) => setFolder(e.target.value)}
          sx={{ flexGrow: 1 }}
          slotProps={{ htmlInput: { 'data-testid': 'import-folder' } }}
          onKeyDown={(e) => e.key === 'Enter' && folder.trim() && !running && void start()}
        />
        <Button variant="outlined" onClick={() => setPicking(true)} data-testid="import-browse">
          Browse…
        </Button>
        {isDesktop() && (
          <Button
            onClick={() =>
              void window.api.dialog.chooseFolder().then(
                (chosen) => chosen && setFolder(chosen),
                (e: Error) => setError(e.message),
              )
            }
          >
            System dialog…
          </Button>
        )}
        <TextField
          label="Vendor"
          value={vendor}
          onChange={(e) => setVendor(e.target.value)}
          slotProps={{ htmlInput: { 'data-testid': 'import-vendor' } }}
          onKeyDown={(e) => e.key === 'Enter' && folder.trim() && !running && void start()}
        />
        <Button variant="contained" disabled={!folder.trim() || running} onClick={() => void start()}>
          Import
        </Button>
      </Stack>
      {error && (
        <Alert severity="error" data-testid="import-error">
          {error}
        </Alert>
      )}
      {/* A folder with no scans is not an import "done in 0.0 s" of "0 files": it is said as such. */}
      {summary?.total === 0 && summary.status === 'succeeded' ? (
        <Alert severity="info" data-testid="import-empty">
          No JPEG scans were found in {importing}. Nothing was imported.
        </Alert>
      ) : (
        <>
          <JobBar progress={progress} label="Importing" reported={summary !== undefined} />
          {summary && <ImportReport summary={summary} tagging />}
        </>
      )}
      <PathPicker
        open={picking}
        purpose="import"
        mode="folder"
        start={folder.trim() || undefined}
        onClose={() => setPicking(false)}
        onChoose={(path) => {
          setPicking(false);
          setFolder(path);
          setError(null);
        }}
      />
    </Paper>
  );
}
