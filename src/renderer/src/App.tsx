import { useEffect, useState } from 'react';
import { Alert, AppBar, Box, Container, CssBaseline, Paper, ThemeProvider, Toolbar, Typography, createTheme } from '@mui/material';
import type { CatalogueStats } from '../../shared/types';

const theme = createTheme({ palette: { mode: 'light', primary: { main: '#7b2d26' } } });

/** A minimal window for now: what the catalogue holds. The real screens come with the UI issue. */
export function App() {
  const [stats, setStats] = useState<CatalogueStats | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    window.api.stats.get().then(setStats, (e: Error) => setError(e.message));
  }, []);
  return (
    <ThemeProvider theme={theme}>
      <CssBaseline />
      <AppBar position="static">
        <Toolbar>
          <Typography variant="h6">Poster Catalogue</Typography>
        </Toolbar>
      </AppBar>
      <Container sx={{ py: 4 }}>
        {error && <Alert severity="error">{error}</Alert>}
        {stats && (
          <Paper sx={{ p: 3 }}>
            <Typography variant="h5">{stats.posters} posters</Typography>
            <Typography color="text.secondary">
              {stats.reviewed} reviewed · {stats.nearDuplicates} near-duplicates · {stats.genres} genres
            </Typography>
            <Box sx={{ mt: 2 }}>
              {stats.posters === 0 && (
                <Typography>
                  The catalogue is empty. Import a vendor folder with <code>npm run cli -- import &lt;folder&gt;</code>.
                </Typography>
              )}
            </Box>
          </Paper>
        )}
      </Container>
    </ThemeProvider>
  );
}
