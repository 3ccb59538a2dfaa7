/** At startup, when the catalogue failed its check: what happened, in plain words, and the newest sound backup to restore. */
import { Button, Dialog, DialogActions, DialogContent, DialogContentText, DialogTitle } from '@mui/material';
import type { CatalogueHealth } from '../../../../shared/types';
import { describeBackup } from './format';

export function DamagedCatalogueDialog({
  health,
  busy,
  onRestore,
  onClose,
}: {
  health: CatalogueHealth | null;
  busy: boolean;
  onRestore: (name: string) => void;
  onClose: () => void;
}) {
  const offer = health?.offer ?? null;
  return (
    <Dialog open={health?.damaged === true} onClose={onClose} data-testid="damaged-dialog">
      <DialogTitle>The catalogue file is damaged</DialogTitle>
      <DialogContent>
        <DialogContentText sx={{ mb: 2 }}>
          Part of {health?.dbPath} cannot be read (SQLite says: {health?.problems.slice(0, 2).join('; ')}). This happens after a power cut on a failing disk or
          when a sync tool writes half a file. It has been opened read-only, and the file as it was found is kept at {health?.keptAside[0] ?? '?'}.
        </DialogContentText>
        <DialogContentText>
          {offer
            ? `The newest backup that passes its check is from ${describeBackup(offer)} Restoring it copies the damaged file aside (it is not deleted) and brings the catalogue back as it was then.`
            : `No backup that passes its check was found in ${health?.backupsFolder}. The catalogue stays read-only; copy the file somewhere safe before trying anything else.`}
        </DialogContentText>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Not now</Button>
        {offer && (
          <Button variant="contained" color="warning" disabled={busy} onClick={() => onRestore(offer.name)} data-testid="restore-offer">
            Restore this backup
          </Button>
        )}
      </DialogActions>
    </Dialog>
  );
}
