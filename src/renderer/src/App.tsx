import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Alert, AppBar, Box, Container, CssBaseline, IconButton, Tab, Tabs, ThemeProvider, Toolbar, Tooltip, Typography, createTheme } from '@mui/material';
import type { CatalogueStats, Genre } from '../../shared/types';
import { BackupsScreen } from './features/backups/BackupsScreen';
import { DamagedCatalogueDialog } from './features/backups/DamagedCatalogueDialog';
import { useDamagedCatalogue } from './features/backups/useBackups';
import { ExportScreen } from './features/export/ExportScreen';
import { ImportScreen } from './features/import/ImportScreen';
import { InsightsScreen } from './features/insights/InsightsScreen';
import { LibraryScreen } from './features/library/LibraryScreen';
import { ModelsScreen } from './features/models/ModelsScreen';
import { forgetReviewSession, ReviewScreen } from './features/review/ReviewScreen';
import { SuggestGenresBanner } from './features/import/SuggestGenresBanner';
import { isOffline, OFFLINE_MESSAGE, useOnline } from './api/connection';
import { visuallyHidden } from './components/visuallyHidden';
import { count } from './components/plural';
import { ReviewerName } from './components/ReviewerName';
import { HostRestarted } from './components/HostRestarted';

/** How often the header's counts are read again while the window is shown: another process (the command line) may import meanwhile. */
const STATS_POLL_MS = 15_000;

type Screen = 'import' | 'library' | 'review' | 'models' | 'insights' | 'export' | 'backups';
type Mode = 'light' | 'dark';

/** The tabs, in order: each is a screen with its own h1 (read out when the screen changes). */
const SCREENS: { value: Screen; label: string }[] = [
  { value: 'import', label: 'Import' },
  { value: 'library', label: 'Library' },
  { value: 'review', label: 'Review' },
  { value: 'models', label: 'Models' },
  { value: 'insights', label: 'Insights' },
  { value: 'export', label: 'Export' },
  { value: 'backups', label: 'Backups' },
];

const TAB_KEYS = new Set(['ArrowLeft', 'ArrowRight', 'Home', 'End']);

/**
 * Keys pressed in the tab strip that belong to it: arrows (move between tabs), and Enter or Space
 * on a tab not yet selected (open that screen). Screens with shortcuts (Review's arrows and Enter)
 * listen on the window and would otherwise act too — or cancel the tab's activation. Enter on the
 * selected tab still reaches the screen, so a reviewer who clicked Review can confirm with Enter.
 */
function keepTabKeys(event: React.KeyboardEvent): void {
  const target = event.target as HTMLElement;
  const opensTab = (event.key === 'Enter' || event.key === ' ') && target.getAttribute('role') === 'tab' && target.getAttribute('aria-selected') !== 'true';
  if (TAB_KEYS.has(event.key) || opensTab) event.stopPropagation();
}

/**
 * Poster-shop colours: oxblood and cream by day, the same on charcoal by night. The app bar stays
 * oxblood in both (the dark theme's light primary would turn it salmon under white text). Focus is
 * a 3 px ring with at least 3:1 contrast against what surrounds it (WCAG 2.4.13); in the app bar it
 * is white, and inside the tabs it is drawn within the tab, which the tab strip would otherwise clip.
 */
function makeTheme(mode: Mode) {
  const ring = mode === 'light' ? '#1d4ed8' : '#ffd166';
  const appBar = mode === 'light' ? '#7b2d26' : '#4a1d18';
  const focusRing = { outline: `3px solid ${ring}`, outlineOffset: 2 };
  return createTheme({
    palette:
      mode === 'light'
        ? {
            mode,
            primary: { main: '#7b2d26' },
            secondary: { main: '#c9a227' },
            // MUI's default warning orange is 2.8:1 on this background as text; this one is 5.4:1.
            warning: { main: '#a34a00' },
            background: { default: '#f7f3ea', paper: '#fffdf8' },
          }
        : {
            mode,
            primary: { main: '#e08a7e' },
            secondary: { main: '#e2c15a' },
            // MUI's default error red is 4.3:1 on this paper as text; this one is 5.6:1.
            error: { main: '#f77066' },
            background: { default: '#17171a', paper: '#222227' },
          },
    shape: { borderRadius: 8 },
    typography: { fontFamily: 'system-ui, "Segoe UI", Roboto, sans-serif' },
    components: {
      MuiCssBaseline: { styleOverrides: { ':focus-visible': focusRing } },
      MuiButtonBase: { styleOverrides: { root: { '&.Mui-focusVisible': focusRing } } },
      MuiAppBar: {
        styleOverrides: {
          root: { backgroundColor: appBar, color: '#fff', '& .MuiButtonBase-root.Mui-focusVisible, & :focus-visible': { outlineColor: '#fff' } },
        },
      },
      MuiTab: {
        styleOverrides: {
          // MUI dims unselected inherit-coloured tabs to 70 % opacity: 4.4:1 on oxblood, under WCAG's 4.5:1.
          textColorInherit: { opacity: 0.88, '&.Mui-selected': { opacity: 1 } },
          root: { '&.Mui-focusVisible': { outlineOffset: -4 } },
        },
      },
    },
  });
}

export function App() {
  const [screen, setScreen] = useState<Screen>('library');
  const [mode, setMode] = useState<Mode>(() => (localStorage.getItem('theme') === 'dark' ? 'dark' : 'light'));
  const theme = useMemo(() => makeTheme(mode), [mode]);
  const [stats, setStats] = useState<CatalogueStats | null>(null);
  const [genres, setGenres] = useState<Genre[]>([]);
  const [error, setError] = useState<string | null>(null);
  const online = useOnline();
  // A lost host is said once, in the banner below, not again by every call that failed.
  const fail = useCallback((e: Error) => !isOffline(e) && setError(e.message), []);
  const refresh = useCallback(() => {
    window.api.stats.get().then(setStats, fail);
    window.api.genres.list().then(setGenres, fail);
  }, [fail]);
  useEffect(refresh, [refresh]);
  // Jobs running here (any screen's, or a CLI-started one this host runs): the counts change when one ends.
  const running = useRef(new Map<string, string>());
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const off = window.api.events.onJobProgress((p) => {
      const was = running.current.has(p.jobId);
      if (p.state === 'running') running.current.set(p.jobId, p.kind);
      else running.current.delete(p.jobId);
      setBusy([...running.current.values()].some((kind) => kind === 'import' || kind === 'tag' || kind === 'rebuild'));
      if (was && p.state !== 'running') refresh();
    });
    // The command line may import into the same catalogue: read the counts again when the window
    // is looked at again, and every little while when it is shown.
    const whenShown = () => document.visibilityState === 'visible' && refresh();
    window.addEventListener('focus', whenShown);
    document.addEventListener('visibilitychange', whenShown);
    const poll = setInterval(whenShown, STATS_POLL_MS);
    // A call that failed because the host is gone is already said by the banner: not an uncaught error too.
    const quiet = (event: PromiseRejectionEvent) => isOffline(event.reason) && event.preventDefault();
    window.addEventListener('unhandledrejection', quiet);
    return () => {
      off();
      window.removeEventListener('focus', whenShown);
      document.removeEventListener('visibilitychange', whenShown);
      clearInterval(poll);
      window.removeEventListener('unhandledrejection', quiet);
    };
  }, [refresh]);
  // Back from a lost connection: what changed meanwhile.
  useEffect(() => {
    if (online) refresh();
  }, [online, refresh]);
  // After a restore every screen starts again from the restored catalogue.
  const [epoch, setEpoch] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);
  const restored = useCallback(() => {
    forgetReviewSession(); // its confirmations and undo were made on the catalogue before the restore
    setError(null);
    refresh();
    setEpoch((e) => e + 1);
  }, [refresh]);
  // Restored from the Backups screen: its own result stays on screen (no new epoch), but Review's
  // session goes all the same — its undo and strip name changes the restore took away.
  const restoredHere = useCallback(() => {
    forgetReviewSession();
    refresh();
  }, [refresh]);
  const damaged = useDamagedCatalogue((summary) => {
    restored();
    setNotice(
      `The catalogue is back as it was on ${new Date(summary.restored.createdAt).toLocaleString()}: ${count(summary.posters, 'poster')}, ${summary.reviewed} reviewed. ` +
        `The damaged file is kept at ${summary.previous.keptAside[0] ?? '?'}.`,
    );
  }, setError);
  useEffect(() => {
    if (stats?.posters === 0) setScreen('import');
  }, [stats?.posters === 0]);
  const title = SCREENS.find((s) => s.value === screen)?.label ?? '';
  useEffect(() => {
    document.title = `${title} · Poster Catalogue`;
  }, [title]);
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
          <Typography variant="h6" component="div" sx={{ mr: 4 }}>
            Poster Catalogue
          </Typography>
          <Box component="nav" aria-label="Screens" sx={{ flexGrow: 1, minWidth: 0 }} onKeyDown={keepTabKeys}>
            <Tabs
              value={screen}
              onChange={(_e, v: Screen) => setScreen(v)}
              textColor="inherit"
              indicatorColor="secondary"
              variant="scrollable"
              scrollButtons={false}
            >
              {SCREENS.map((s) => (
                <Tab
                  key={s.value}
                  value={s.value}
                  label={s.label}
                  id={`tab-${s.value}`}
                  aria-controls="screen"
                  // Review's keys (arrows, Enter) work on the whole window: opened by a click, the tab lets go
                  // of the focus, or the arrows would move between tabs. From the keyboard the focus stays.
                  onClick={(e) => s.value === 'review' && e.detail > 0 && e.currentTarget.blur()}
                />
              ))}
            </Tabs>
          </Box>
          <ReviewerName />
          {stats && (
            <Typography variant="body2" sx={{ mr: 2 }} data-testid="header-stats">
              {count(stats.posters, 'poster')} · {stats.reviewed} reviewed
            </Typography>
          )}
          <Tooltip title={mode === 'light' ? 'Dark theme' : 'Light theme'}>
            <IconButton
              color="inherit"
              onClick={toggleMode}
              aria-label={mode === 'light' ? 'Switch to the dark theme' : 'Switch to the light theme'}
              data-testid="theme-toggle"
            >
              {mode === 'light' ? '☾' : '☀'}
            </IconButton>
          </Tooltip>
        </Toolbar>
      </AppBar>
      <Container component="main" maxWidth={false} sx={{ py: 3 }}>
        {/* Hidden: the selected tab already shows the screen's name. */}
        <Typography variant="h1" sx={visuallyHidden} data-testid="screen-title">
          {title}
        </Typography>
        {!online && (
          <Alert severity="error" sx={{ mb: 2 }} data-testid="offline" role="alert">
            {OFFLINE_MESSAGE}
          </Alert>
        )}
        {stats && online && <SuggestGenresBanner without={stats.withoutSuggestions} busy={busy || stats.importRunning} onDone={refresh} />}
        <HostRestarted />
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
        <Box key={epoch} role="tabpanel" id="screen" aria-labelledby={`tab-${screen}`}>
          {screen === 'import' && <ImportScreen onImported={refresh} />}
          {screen === 'library' && <LibraryScreen genres={genres} onChanged={refresh} />}
          {screen === 'review' && <ReviewScreen onChanged={refresh} />}
          {screen === 'models' && <ModelsScreen />}
          {screen === 'insights' && <InsightsScreen />}
          {screen === 'export' && <ExportScreen genres={genres} />}
          {screen === 'backups' && <BackupsScreen onRestored={restoredHere} />}
        </Box>
      </Container>
    </ThemeProvider>
  );
}
