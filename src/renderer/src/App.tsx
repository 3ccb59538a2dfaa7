import { useEffect, useState } from 'react';
import { Alert, AppBar, Box, Container, CssBaseline, Paper, Tab, Tabs, ThemeProvider, Toolbar, Typography, createTheme } from '@mui/material';
import { ReviewScreen } from './features/review/ReviewScreen';
import type { CatalogueStats } from '../../shared/types';

const theme = createTheme({ palette: { mode: 'light', primary: { main: '#7b2d26' } } });

/** The overview and the review queue; the other screens come with the UI issue. */
export function App() {
  const [screen, setScreen] = useState<'overview' | 'review'>('overview');
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
          <Typography variant="h6" sx={{ mr: 4 }}>
            Poster Catalogue
          </Typography>
          <Tabs value={screen} onChange={(_e, v: 'overview' | 'review') => setScreen(v)} textColor="inherit" indicatorColor="secondary">
            <Tab value="overview" label="Overview" />
            <Tab value="review" label="Review" />
          </Tabs>
        </Toolbar>
      </AppBar>
      <Container maxWidth={false} sx={{ py: 3 }}>
        {screen === 'review' && <ReviewScreen />}
        {error && <Alert severity="error">{error}</Alert>}
        {screen === 'overview' && stats && (
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
