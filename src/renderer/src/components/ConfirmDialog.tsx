/**
 * A question before something that cannot be taken back lightly: keeping things as they are has the
 * focus (Enter keeps), the risky choice is named for what it does.
 */
import { Button, Dialog, DialogActions, DialogContent, DialogContentText, DialogTitle } from '@mui/material';

export function ConfirmDialog({
  open,
  id,
  title,
  text,
  keep,
  go,
  onKeep,
  onGo,
}: {
  open: boolean;
  /** Names the title (aria-labelledby) and the test ids: `${id}` on the risky button, `${id}-text` on the text. */
  id: string;
  title: string;
  text: string;
  keep: string;
  go: string;
  onKeep: () => void;
  onGo: () => void;
}) {
  return (
    <Dialog open={open} onClose={onKeep} aria-labelledby={`${id}-title`}>
      <DialogTitle id={`${id}-title`}>{title}</DialogTitle>
      <DialogContent>
        <DialogContentText data-testid={`${id}-text`}>{text}</DialogContentText>
      </DialogContent>
      <DialogActions>
        <Button onClick={onKeep} autoFocus>
          {keep}
        </Button>
        <Button color="warning" variant="contained" onClick={onGo} data-testid={id}>
          {go}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
