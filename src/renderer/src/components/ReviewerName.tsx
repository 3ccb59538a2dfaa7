/**
 * Who is working at this window: a name typed once and remembered on this computer. Every change
 * made here carries it (createApi adds it), so the history and Insights' confirmations per
 * reviewer say who did what instead of "unnamed".
 */
import { useState } from 'react';
import { Button, Dialog, DialogActions, DialogContent, DialogContentText, DialogTitle, TextField } from '@mui/material';
import { REVIEWER_STORAGE_KEY, storedReviewer } from '../../../shared/ipc';

export function ReviewerName() {
  const [name, setName] = useState<string | null>(() => storedReviewer());
  const [typed, setTyped] = useState<string | null>(null);
  /**
   * Closed, the dialog gives the keys back to the page, as the Review screen's Queue menu does: the
   * focus is let go rather than handed back to the button that opened it, where the Review screen's
   * next Enter would open this dialog again instead of confirming the poster.
   */
  const close = () => {
    if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
    setTyped(null);
  };
  const save = () => {
    if (typed === null) return; // already closed (a second Enter while it fades)
    const chosen = typed.trim().slice(0, 100);
    if (chosen) localStorage.setItem(REVIEWER_STORAGE_KEY, chosen);
    else localStorage.removeItem(REVIEWER_STORAGE_KEY);
    setName(chosen || null);
    close();
  };
  return (
    <>
      <Button color="inherit" size="small" sx={{ mr: 1, textTransform: 'none' }} onClick={() => setTyped(name ?? '')} data-testid="reviewer-name">
        {name ? `Reviewer: ${name}` : 'Who is reviewing?'}
      </Button>
      <Dialog open={typed !== null} onClose={close} disableRestoreFocus aria-labelledby="reviewer-title">
        <DialogTitle id="reviewer-title">Who is working at this computer?</DialogTitle>
        <DialogContent>
          <DialogContentText sx={{ mb: 2 }}>
            Confirmations and edits made here are recorded under this name, in each poster&apos;s history and in Insights. Leave it empty for none.
          </DialogContentText>
          <TextField
            autoFocus
            fullWidth
            label="Name"
            value={typed ?? ''}
            onChange={(e) => setTyped(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                save();
              }
            }}
            slotProps={{ htmlInput: { maxLength: 100, 'data-testid': 'reviewer-input' } }}
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={close}>Cancel</Button>
          <Button variant="contained" onClick={save}>
            Save
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
}
