/** Import a vendor folder: progress with rate and ETA, cancel, then a report of bad files and duplicates; suggestions follow. */
import { useEffect, useState } from 'react';
import { Alert, Box, Button, Paper, Stack, Table, TableBody, TableCell, TableHead, TableRow, TextField, Typography } from '@mui/material';
import { isDesktop } from '../../api/images';
import { JobBar, useJob } from '../../components/jobs';

export function ImportScreen({ onImported }: { onImported: () => void }) {
  const [folder, setFolder] = useState('');
  const [vendor, setVendor] = useState('');
  const [jobId, setJobId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const progress = useJob(jobId, 'import');
  const summary = progress?.state !== 'running' ? progress?.result : undefined;
  const running = progress?.state === 'running';

  const start = async () => {
    setError(null);
    try {
      const { jobId: id } = await window.api.import.start({ folder: folder.trim(), vendor: vendor.trim() || undefined, tag: true });
      setJobId(id);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  // Once per finished import (not on every render: that refreshed the app in a loop).
  const finished = summary ? jobId : null;
  useEffect(() => {
    if (finished) onImported();
  }, [finished, onImported]);

  return (
    <Paper sx={{ p: 3 }}>
      <Typography variant="h5" gutterBottom>
        Import a vendor folder
      </Typography>
      <Typography color="text.secondary" sx={{ mb: 2 }}>
        Every JPEG under the folder (and its subfolders) is catalogued once; files already in the catalogue are skipped, near-duplicates are flagged, and each
        new poster gets genre suggestions.
      </Typography>
      <Stack direction="row" spacing={2} sx={{ mb: 2 }}>
        <TextField
          label="Folder"
          placeholder="/home/dealer/Vendors/acme-2026-11"
          value={folder}
          onChange={(e) => setFolder(e.target.value)}
          sx={{ flexGrow: 1 }}
          slotProps={{ htmlInput: { 'data-testid': 'import-folder' } }}
          onKeyDown={(e) => e.key === 'Enter' && folder.trim() && !running && void start()}
        />
        {isDesktop() && (
          <Button
            onClick={() =>
              void window.api.dialog.chooseFolder().then(
                (chosen) => chosen && setFolder(chosen),
                (e: Error) => setError(e.message),
              )
            }
          >
            Choose…
          </Button>
        )}
        <TextField label="Vendor" value={vendor} onChange={(e) => setVendor(e.target.value)} slotProps={{ htmlInput: { 'data-testid': 'import-vendor' } }} />
        <Button variant="contained" disabled={!folder.trim() || running} onClick={() => void start()}>
          Import
        </Button>
      </Stack>
      {error && <Alert severity="error">{error}</Alert>}
      <JobBar progress={progress} label="Importing" />
      {summary && (
        <Box data-testid="import-report">
          <Alert severity={summary.failed ? 'warning' : 'success'} sx={{ mb: 2 }}>
            {summary.status === 'cancelled' ? 'Import cancelled: ' : ''}
            {summary.imported} imported, {summary.alreadyPresent} already in the catalogue, {summary.nearDuplicates} near-duplicates, {summary.failed} failed —{' '}
            {summary.tagged} given genre suggestions ({summary.seconds.toFixed(1)} s).
          </Alert>
          {summary.failures.length > 0 && (
            <>
              <Typography variant="h6">Files not imported</Typography>
              <Table size="small">
                <TableHead>
                  <TableRow>
                    <TableCell>File</TableCell>
                    <TableCell>Reason</TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {summary.failures.map((f) => (
                    <TableRow key={f.file}>
                      <TableCell sx={{ fontFamily: 'monospace' }}>{f.file}</TableCell>
                      <TableCell>{f.reason}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </>
          )}
          {summary.nearDuplicates > 0 && (
            <Typography sx={{ mt: 2 }}>Near-duplicates are in the library under the “Near-duplicates” filter, each beside the poster it resembles.</Typography>
          )}
        </Box>
      )}
    </Paper>
  );
}
