/**
 * The host was started again under this page: said once, app-wide, with the one thing that helps.
 * Only the browser host can be restarted under a page; in Electron this never shows.
 */
import { Alert, Button } from '@mui/material';
import { RESTARTED_MESSAGE, useRestarted } from '../api/connection';

export function HostRestarted() {
  const restarted = useRestarted();
  if (!restarted) return null;
  return (
    <Alert
      severity="error"
      sx={{ mb: 2 }}
      data-testid="restarted"
      role="alert"
      action={
        <Button color="inherit" size="small" sx={{ whiteSpace: 'nowrap' }} onClick={() => window.location.reload()}>
          Reload page
        </Button>
      }
    >
      {RESTARTED_MESSAGE}
    </Alert>
  );
}
