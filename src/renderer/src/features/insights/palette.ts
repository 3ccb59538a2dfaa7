/** Series colours from the theme, so the charts follow light and dark like the rest of the app. */
import type { Theme } from '@mui/material';

export const seriesColours = (theme: Theme) => ({
  main: theme.palette.primary.main,
  second: theme.palette.secondary.main,
  muted: theme.palette.mode === 'light' ? '#b8aea2' : '#5f5a66',
  people: [theme.palette.primary.main, theme.palette.secondary.main, '#2e7d8c', '#6a4c93', '#8a9a5b', '#c56b3d'],
});

export const decadeLabel = (d: number | null) => (d === null ? 'year unknown' : `${d}s`);
export const pct = (part: number, whole: number) => (whole === 0 ? '—' : `${Math.round((100 * part) / whole)} %`);
