import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, AppBar, Box, Container, CssBaseline, IconButton, Tab, Tabs, ThemeProvider, Toolbar, Tooltip, Typography, createTheme } from '@mui/material';
import type { CatalogueStats, Genre } from '../../shared/types';
import { BackupsScreen } from './features/backups/BackupsScreen';
import { DamagedCatalogueDialog } from './features/backups/DamagedCatalogueDialog';
import { useDamagedCatalogue } from './features/backups/useBackups';
import { ExportScreen } from './features/export/ExportScreen';
import { ImportScreen } from './features/import/ImportScreen';
import { LibraryScreen } from './features/library/LibraryScreen';
import { ModelsScreen } from './features/models/ModelsScreen';
import { ReviewScreen } from './features/review/ReviewScreen';

type Screen = 'import' | 'library' | 'review' | 'models' | 'export' | 'backups';
type Mode = 'light' | 'dark';

/** Poster-shop colours: oxblood and cream by day, the same on charcoal by night. */
function makeTheme(mode: Mode) {
  return createTheme({
    palette:
      mode === 'light'
        ? { mode, primary: { main: '#7b2d26' }, secondary: { main: '#c9a227' }, background: { default: '#f7f3ea', paper: '#fffdf8' } }
        : { mode, primary: { main: '#e08a7e' }, secondary: { main: '#e2c15a' }, background: { default: '#17171a', paper: '#222227' } },
    shape: { borderRadius: 8 },
    typography: { fontFamily: 'system-ui, "Segoe UI", Roboto, sans-serif' },
  });
}

export function App() {
  const [screen, setScreen] = useState<Screen>('library');
  const [mode, setMode] = useState<Mode>(() => (localStorage.getItem('theme') === 'dark' ? 'dark' : 'light'));
  const theme = useMemo(() => makeTheme(mode), [mode]);
  const [stats, setStats] = useState<CatalogueStats | null>(null);
  const [genres, setGenres] = useState<Genre[]>([]);
  const [error, setError] = useState<string | null>(null);
  const refresh = useCallback(() => {
    window.api.stats.get().then(setStats, (e: Error) => setError(e.message));
    window.api.genres.list().then(setGenres, (e: Error) => setError(e.message));
  }, []);
  useEffect(refresh, [refresh]);
  // After a restore every screen starts again from the restored catalogue.
  const [epoch, setEpoch] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);
  const restored = useCallback(() => {
    setError(null);
    refresh();
    setEpoch((e) => e + 1);
  }, [refresh]);
  const damaged = useDamagedCatalogue((summary) => {
    restored();
    setNotice(
      `The catalogue is back as it was on ${new Date(summary.restored.createdAt).toLocaleString()}: ${summary.posters} posters, ${summary.reviewed} reviewed. ` +
        `The damaged file is kept at ${summary.previous.keptAside[0] ?? '?'}.`,
    );
  }, setError);
  useEffect(() => {
    if (stats?.posters === 0) setScreen('import');
  }, [stats?.posters === 0]);
  const toggleMode = () => {
    const next = mode === 'light' ? 'dark' : 'light';
    localStorage.setItem('theme', next);
    setMode(next);
  };
  return (
    <ThemeProvider theme={theme}>
      <CssBaseline />
      <AppBar position="static" enableColorOnDark>
        <Toolbar>
          <Typography variant="h6" sx={{ mr: 4 }}>
            Poster Catalogue
          </Typography>
          <Tabs value={screen} onChange={(_e, v: Screen) => setScreen(v)} textColor="inherit" indicatorColor="secondary" sx={{ flexGrow: 1 }}>
            <Tab value="import" label="Import" />
            <Tab value="library" label="Library" />
            <Tab value="review" label="Review" />
            <Tab value="models" label="Models" />
            <Tab value="export" label="Export" />
            <Tab value="backups" label="Backups" />
          </Tabs>
          {stats && (
            <Typography variant="body2" sx={{ mr: 2 }} data-testid="header-stats">
              {stats.posters} posters · {stats.reviewed} reviewed
            </Typography>
          )}
          <Tooltip title={mode === 'light' ? 'Dark theme' : 'Light theme'}>
            <IconButton color="inherit" onClick={toggleMode} aria-label="toggle theme" data-testid="theme-toggle">
              {mode === 'light' ? '☾' : '☀'}
            </IconButton>
          </Tooltip>
        </Toolbar>
      </AppBar>
      <Container maxWidth={false} sx={{ py: 3 }}>
        {error && (
          <Alert severity="error" onClose={() => setError(null)} sx={{ mb: 2 }}>
            {error}
          </Alert>
        )}
        {notice && (
          <Alert severity="success" onClose={() => setNotice(null)} sx={{ mb: 2 }} data-testid="restored-notice">
            {notice}
          </Alert>
        )}
        <DamagedCatalogueDialog health={damaged.health} busy={damaged.busy} onRestore={(name) => void damaged.restore(name)} onClose={damaged.dismiss} />
        <Box key={epoch}>
          {screen === 'import' && <ImportScreen onImported={refresh} />}
          {screen === 'library' && <LibraryScreen genres={genres} onChanged={refresh} />}
          {screen === 'review' && <ReviewScreen onChanged={refresh} />}
          {screen === 'models' && <ModelsScreen />}
          {screen === 'export' && <ExportScreen genres={genres} />}
          {screen === 'backups' && <BackupsScreen onRestored={refresh} />}
        </Box>
      </Container>
    </ThemeProvider>
  );
}
