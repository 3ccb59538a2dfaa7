/** "Restore…" asks first: what will be replaced, and how the current state is kept. */
import { Button, Dialog, DialogActions, DialogContent, DialogContentText, DialogTitle } from '@mui/material';
import type { BackupInfo } from '../../../../shared/types';
import { count } from '../../components/plural';
import { describeBackup } from './format';

export function RestoreDialog({
  backup,
  damaged,
  now = null,
  onConfirm,
  onClose,
}: {
  backup: BackupInfo | null;
  damaged: boolean;
  /** What the catalogue holds now (not read from a damaged one): said beside what it will hold. */
  now?: { posters: number; reviewed: number } | null;
  onConfirm: (backup: BackupInfo) => void;
  onClose: () => void;
}) {
  return (
    <Dialog open={backup !== null} onClose={onClose} data-testid="restore-dialog">
      <DialogTitle>Restore this backup?</DialogTitle>
      <DialogContent>
        <DialogContentText sx={{ mb: 2 }}>{backup && describeBackup(backup)}</DialogContentText>
        {backup && now && !damaged && (
          <DialogContentText sx={{ mb: 2 }} data-testid="restore-now-and-after">
            Now the catalogue has {count(now.posters, 'poster')}, {now.reviewed} reviewed; after the restore it will have {count(backup.posters, 'poster')},{' '}
            {backup.reviewed} reviewed.
            {now.reviewed > backup.reviewed ? ` ${count(now.reviewed - backup.reviewed, 'review')} fewer.` : ''}
          </DialogContentText>
        )}
        <DialogContentText>
          The catalogue goes back to this backup: reviews, label history and model versions made after it are no longer in the catalogue.{' '}
          {damaged
            ? 'The damaged catalogue file is copied aside first; it is not deleted.'
            : 'The current state is backed up first, so you can restore it again if this was a mistake.'}{' '}
          Thumbnails and image features that are missing are then made again from the scans, in the background.
        </DialogContentText>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button variant="contained" color="warning" onClick={() => backup && onConfirm(backup)} data-testid="confirm-restore">
          Restore
        </Button>
      </DialogActions>
    </Dialog>
  );
}
