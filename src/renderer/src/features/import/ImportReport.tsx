/**
 * What an import did, with its figures' relation written out: every file is exactly one of new,
 * near-duplicate, already in the catalogue, or failed; new posters and near-duplicates are both
 * catalogued, and each catalogued poster was either given genre suggestions or is listed as not.
 */
import { Alert, Box, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import type { ImportSummary } from '../../../../shared/types';
import { formatDuration } from '../../components/jobs';
import { count as n } from '../../components/plural';

function Figure({ id, children }: { id: string; children: React.ReactNode }) {
  return <span data-testid={`import-${id}`}>{children}</span>;
}

export function ImportReport({ summary, tagging }: { summary: ImportSummary; tagging: boolean }) {
  const catalogued = summary.imported + summary.nearDuplicates;
  const notSuggested = catalogued - summary.tagged;
  const cancelled = summary.status === 'cancelled';
  const sameAsInRun = summary.sameAsInRun ?? [];
  // A cancelled (or failed) import stops between files: the rest were never read.
  const notReached = summary.status === 'succeeded' ? 0 : Math.max(0, summary.total - catalogued - summary.alreadyPresent - summary.failed);
  return (
    <Box data-testid="import-report">
      <Alert severity={summary.failed || summary.tagFailures.length || summary.earlier.failures.length ? 'warning' : 'success'} sx={{ mb: 2 }}>
        <Typography sx={{ fontWeight: 600 }}>
          {cancelled ? 'Import cancelled — what was done is kept. ' : ''}
          <Figure id="files">{n(summary.total, 'file')}</Figure> in <Figure id="seconds">{formatDuration(summary.seconds)}</Figure>{' '}
          {cancelled ? '(from start until it was cancelled)' : '(from start to the last suggestion)'}:
        </Typography>
        <Box component="ul" sx={{ m: 0, pl: 3 }}>
          <li>
            <Figure id="catalogued">{n(catalogued, 'poster')}</Figure> catalogued: <Figure id="new">{summary.imported} imported as new</Figure> +{' '}
            <Figure id="near">{n(summary.nearDuplicates, 'near-duplicate')}</Figure> of posters already here
          </li>
          <li>
            <Figure id="present">{summary.alreadyPresent - sameAsInRun.length} already in the catalogue</Figure>, skipped
          </li>
          {sameAsInRun.length > 0 && (
            <li>
              <Figure id="same-as-in-run">{n(sameAsInRun.length, 'file')} identical to another file of this import</Figure>, skipped (listed below; the other is
              catalogued)
            </li>
          )}
          <li>
            <Figure id="failed">{summary.failed} failed</Figure>, not imported{summary.failed ? ' (listed below)' : ''}
          </li>
          {notReached > 0 && (
            <li>
              <Figure id="not-reached">{n(notReached, 'file')} not reached</Figure>: import the folder again to catalogue them (files already in the catalogue
              are skipped)
            </li>
          )}
          {tagging && (
            <li>
              of the {n(catalogued, 'catalogued poster')}, <Figure id="suggested">{summary.tagged}</Figure> given genre suggestions
              {notSuggested > 0 && (
                <Figure id="not-suggested">
                  {cancelled
                    ? `, ${notSuggested} still being given theirs when the import was cancelled: that goes on in the background`
                    : `, ${notSuggested} not${summary.tagFailures.length ? ' (listed below)' : ''}`}
                </Figure>
              )}
            </li>
          )}
          {summary.earlier.tagged + summary.earlier.failures.length > 0 && (
            <li>
              <Figure id="earlier">
                {n(summary.earlier.tagged, 'poster')} catalogued earlier but left without suggestions (an import stopped by a crash, or closed before they were
                made) given theirs now{summary.earlier.failures.length ? `; ${summary.earlier.failures.length} could not be (listed below)` : ''}
              </Figure>
            </li>
          )}
        </Box>
      </Alert>
      {summary.failures.length + sameAsInRun.length + summary.tagFailures.length + summary.earlier.failures.length > 0 && (
        <>
          <Typography variant="h6" component="h3">
            Files not imported or without suggestions
          </Typography>
          <Table size="small">
            <TableHead>
              <TableRow>
                <TableCell>File</TableCell>
                <TableCell>Reason</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {[
                ...summary.failures,
                ...sameAsInRun.map((f) => ({ file: f.file, reason: `skipped: the same file as ${f.sameAs}, which is catalogued` })),
                ...summary.tagFailures.map((f) => ({ ...f, reason: `catalogued, but no suggestions: ${f.reason}` })),
                ...summary.earlier.failures.map((f) => ({ ...f, reason: `catalogued earlier, still no suggestions: ${f.reason}` })),
              ].map((f) => (
                <TableRow key={f.file}>
                  <TableCell sx={{ fontFamily: 'monospace', wordBreak: 'break-all' }}>{f.file}</TableCell>
                  <TableCell>{f.reason}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </>
      )}
      {summary.sidecarWarnings.length > 0 && (
        <Alert severity="warning" sx={{ mt: 2 }} data-testid="import-sidecar-warnings">
          {summary.sidecarWarnings.length === 1 ? 'The sidecar file (titles and years) had a problem' : 'The sidecar files (titles and years) had problems'};
          the posters were still imported:
          <Box component="ul" sx={{ m: 0, pl: 3 }}>
            {summary.sidecarWarnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </Box>
        </Alert>
      )}
      {summary.nearDuplicates > 0 && (
        <Typography sx={{ mt: 2 }}>Near-duplicates are in the library under the “Near-duplicates” filter, each beside the poster it resembles.</Typography>
      )}
    </Box>
  );
}
