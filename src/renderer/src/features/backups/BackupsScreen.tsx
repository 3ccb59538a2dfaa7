/**
 * Backups: where they are, the list (date, reason, posters, reviews, size), Back up now, Restore…
 * with confirmation, and the catalogue's integrity check (quick at open, full on demand).
 */
import { useEffect, useState } from 'react';
import { Alert, Box, Button, Chip, LinearProgress, Paper, Stack, Table, TableBody, TableCell, TableHead, TableRow, TextField, Typography } from '@mui/material';
import type { BackupInfo, CatalogueHealth } from '../../../../shared/types';
import { JobBar, useJob } from '../../components/jobs';
import { formatBytes, reasonLabel } from './format';
import { RestoreDialog } from './RestoreDialog';
import { visuallyHidden } from '../../components/visuallyHidden';
import { useBackups } from './useBackups';
import { count } from '../../components/plural';
import { ConfirmDialog } from '../../components/ConfirmDialog';

export function BackupTable({
  backups,
  onRestore,
  onDelete,
  busy = false,
}: {
  backups: BackupInfo[];
  onRestore: (b: BackupInfo) => void;
  /** Offers Delete… beside Restore… (not where a damaged catalogue is being rescued). */
  onDelete?: (b: BackupInfo) => void;
  /** A backup, restore, check, move or delete under way: no restore or delete can start beside it. */
  busy?: boolean;
}) {
  if (backups.length === 0) return <Typography color="text.secondary">No backups yet.</Typography>;
  return (
    <Table size="small" data-testid="backup-list">
      <TableHead>
        <TableRow>
          <TableCell>Date</TableCell>
          <TableCell>Reason</TableCell>
          <TableCell align="right">Posters</TableCell>
          <TableCell align="right">Reviewed</TableCell>
          <TableCell align="right">Label changes</TableCell>
          <TableCell align="right">Model versions</TableCell>
          <TableCell align="right">Size</TableCell>
          <TableCell>
            <Box component="span" sx={visuallyHidden}>
              {onDelete ? 'Restore or delete' : 'Restore'}
            </Box>
          </TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {backups.map((b) => (
          <TableRow key={b.name} data-testid="backup-row" title={b.path}>
            <TableCell>{new Date(b.createdAt).toLocaleString()}</TableCell>
            <TableCell>{reasonLabel[b.reason]}</TableCell>
            <TableCell align="right">{b.posters}</TableCell>
            <TableCell align="right">{b.reviewed}</TableCell>
            <TableCell align="right">{b.labelChanges}</TableCell>
            <TableCell align="right">{b.modelVersions}</TableCell>
            <TableCell align="right">{formatBytes(b.bytes)}</TableCell>
            <TableCell align="right">
              <Stack direction="row" spacing={1} sx={{ justifyContent: 'flex-end' }}>
                <Button size="small" variant="outlined" disabled={busy} onClick={() => onRestore(b)}>
                  Restore…
                </Button>
                {onDelete && (
                  <Button
                    size="small"
                    color="warning"
                    disabled={busy}
                    onClick={() => onDelete(b)}
                    aria-label={`Delete the backup of ${new Date(b.createdAt).toLocaleString()}`}
                  >
                    Delete…
                  </Button>
                )}
              </Stack>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function HealthLine({ health }: { health: CatalogueHealth }) {
  if (health.damaged) {
    return (
      <Alert severity="error" sx={{ mt: 2 }} data-testid="catalogue-health">
        The catalogue is damaged ({health.problems.slice(0, 2).join('; ')}). It is open read-only.{' '}
        {health.offer ? 'Restore the newest undamaged backup below.' : 'No undamaged backup was found.'}
      </Alert>
    );
  }
  return (
    <Typography sx={{ mt: 1 }} color="text.secondary" data-testid="catalogue-health">
      <Chip label="No damage found" color="success" size="small" sx={{ mr: 1 }} />
      The catalogue file was checked {health.check === 'full' ? 'in full, page by page' : 'quickly'} and is in order (
      {new Date(health.checkedAt).toLocaleString()}){health.check === 'full' ? '' : '; Full check reads every page'}.
    </Typography>
  );
}

/** Where backups go: typed, as in the browser the import folder is (another disk, a network share). */
export function FolderField({ folder, disabled, onChoose }: { folder: string | null; disabled: boolean; onChoose: (folder: string | null) => void }) {
  const [typed, setTyped] = useState(folder ?? '');
  useEffect(() => setTyped(folder ?? ''), [folder]);
  return (
    <Stack direction="row" spacing={1} sx={{ mt: 2, alignItems: 'center' }}>
      <TextField
        size="small"
        label="Backup folder"
        value={typed}
        onChange={(e) => setTyped(e.target.value)}
        sx={{ flexGrow: 1 }}
        slotProps={{ htmlInput: { 'data-testid': 'backups-folder-input' } }}
      />
      <Button variant="outlined" disabled={disabled || !typed.trim() || typed.trim() === folder} onClick={() => onChoose(typed.trim())}>
        Keep backups here
      </Button>
      <Button disabled={disabled} onClick={() => onChoose(null)}>
        Beside the catalogue
      </Button>
    </Stack>
  );
}

/** What deleting a backup loses, said before it is done: most of all when it is the newest one left. */
function deleteQuestion(backup: BackupInfo, all: BackupInfo[]): string {
  const what = `The backup of ${new Date(backup.createdAt).toLocaleString()} (${reasonLabel[backup.reason]}: ${count(backup.posters, 'poster')}, ${backup.reviewed} reviewed, ${formatBytes(backup.bytes)}) is deleted from the disk. This cannot be undone.`;
  if (all.length === 1) return `${what} It is the only backup of this catalogue.`;
  const next = all[1];
  return all[0]?.name === backup.name && next
    ? `${what} It is the newest backup; the newest left will be that of ${new Date(next.createdAt).toLocaleString()}.`
    : what;
}

export function BackupsScreen({ onRestored }: { onRestored: () => void }) {
  const b = useBackups();
  const [asking, setAsking] = useState<BackupInfo | null>(null);
  const [deleting, setDeleting] = useState<BackupInfo | null>(null);
  /** The catalogue's counts as the restore question opens, to say them beside the backup's. */
  const [now, setNow] = useState<{ posters: number; reviewed: number } | null>(null);
  useEffect(() => {
    setNow(null);
    if (asking && !b.health?.damaged) window.api.stats.get().then(setNow, () => setNow(null));
  }, [asking, b.health?.damaged]);
  const rebuild = useJob(b.lastRestore?.rebuildJobId ?? null, 'rebuild');
  const restore = async (backup: BackupInfo) => {
    setAsking(null);
    if (await b.restore(backup.name)) onRestored();
  };
  return (
    <Paper sx={{ p: 3 }}>
      <Stack direction="row" spacing={2} sx={{ alignItems: 'center' }}>
        <Typography variant="h5" component="h2" sx={{ flexGrow: 1 }}>
          Backups
        </Typography>
        <Button variant="outlined" onClick={() => void b.fullCheck()} disabled={b.busy !== null}>
          Full check
        </Button>
        <Button variant="contained" onClick={() => void b.backUpNow()} disabled={b.busy !== null || b.health?.damaged === true}>
          Back up now
        </Button>
      </Stack>
      <Typography sx={{ mt: 1 }} data-testid="backups-folder">
        Kept in <b>{b.folder ?? '…'}</b>: the catalogue (reviews, label history, suggestions) and the retrained model files. Thumbnails and image features are
        left out; they are made again from the scans. Taken before every upgrade, after imports and retraining, and once a day. Kept: every backup you made with
        Back up now (until you delete it), every automatic one of the last 48 hours, then the newest of each of the last 7 days and 4 weeks, and those from
        before an upgrade for a year.
      </Typography>
      <FolderField folder={b.folder} disabled={b.busy !== null} onChoose={(f) => void b.setFolder(f)} />
      {b.health && <HealthLine health={b.health} />}
      {b.health?.lastBackupError && (
        <Alert severity="warning" sx={{ mt: 2 }}>
          {b.health.lastBackupError}
        </Alert>
      )}
      {b.busy && <LinearProgress sx={{ mt: 2 }} aria-label="Working on the backups" />}
      {b.error && (
        <Alert severity="error" sx={{ mt: 2 }} data-testid="backups-error">
          {b.error}
        </Alert>
      )}
      {b.lastBackup && (
        <Alert severity="success" sx={{ mt: 2 }} data-testid="backup-result">
          Backed up and verified: {count(b.lastBackup.posters, 'poster')}, {b.lastBackup.reviewed} reviewed ({formatBytes(b.lastBackup.bytes)}).
        </Alert>
      )}
      {b.lastRestore && (
        <Alert severity="success" sx={{ mt: 2 }} data-testid="restore-result">
          Restored the backup of {new Date(b.lastRestore.restored.createdAt).toLocaleString()}: {count(b.lastRestore.posters, 'poster')},{' '}
          {b.lastRestore.reviewed} reviewed.{' '}
          {b.lastRestore.previous.backup
            ? 'The state before the restore is the newest "Before a restore" backup: restore it to undo.'
            : `The damaged file is kept at ${b.lastRestore.previous.keptAside[0] ?? '?'}.`}
        </Alert>
      )}
      <JobBar progress={rebuild} label="Making missing thumbnails and image features again from the scans" />
      <Box sx={{ mt: 2 }}>
        <BackupTable backups={b.backups} busy={b.busy !== null} onRestore={setAsking} onDelete={b.health?.damaged ? undefined : setDeleting} />
      </Box>
      <RestoreDialog backup={asking} damaged={b.health?.damaged === true} now={now} onClose={() => setAsking(null)} onConfirm={(x) => void restore(x)} />
      <ConfirmDialog
        open={deleting !== null}
        id="confirm-delete-backup"
        title="Delete this backup?"
        text={deleting ? deleteQuestion(deleting, b.backups) : ''}
        keep="Keep it"
        go="Delete"
        onKeep={() => setDeleting(null)}
        onGo={() => {
          const doomed = deleting;
          setDeleting(null);
          if (doomed) void b.remove(doomed.name);
        }}
      />
    </Paper>
  );
}
