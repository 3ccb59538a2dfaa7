/**
 * A compact bar per genre: how often the version got it right (its F1) on the reviewed posters
 * kept out of its training, with how many of them had the genre. Percentages, or with `exact` the
 * F1 to three decimals; the table always gives both.
 */
import { useTheme } from '@mui/material';
import { BarChart } from '@mui/x-charts/BarChart';
import type { MetricsSummary } from '../../../../shared/types';
import { ChartCard } from '../../components/ChartCard';
import { count } from '../../components/plural';
import { f3, MIN_SAMPLE, pct, score } from './metrics';

/** What the chart shows, and which of its bars stand on too few posters to read as more than rough. */
export function genreChartDescription(version: string, metrics: MetricsSummary): string {
  const genres = metrics.perGenre.filter((g) => g.support > 0);
  const few = genres.filter((g) => g.support < MIN_SAMPLE).length;
  return (
    `${version} checked on ${count(metrics.n, 'reviewed poster')} kept out of its training; beside each genre, how many of them staff gave it.` +
    (few
      ? ` ${few} of ${count(genres.length, 'genre')} ${few === 1 ? 'has' : 'have'} fewer than ${MIN_SAMPLE}: read ${few === 1 ? 'its bar' : 'their bars'} as rough.`
      : '')
  );
}

export function GenreF1Chart({ version, metrics, exact = false }: { version: string; metrics: MetricsSummary; exact?: boolean }) {
  const theme = useTheme();
  const genres = metrics.perGenre.filter((g) => g.support > 0);
  return (
    <ChartCard
      testId="genre-f1-chart"
      title={exact ? `F1 per genre: ${version}` : `How often each genre is right: ${version}`}
      description={genreChartDescription(version, metrics)}
      table={{ columns: ['genre', 'right', 'F1', 'posters with the genre'], rows: genres.map((g) => [g.genre, pct(g.f1), f3(g.f1), g.support]) }}
      empty={genres.length === 0 ? 'No validation poster has a confirmed genre yet.' : null}
    >
      <BarChart
        layout="horizontal"
        height={Math.max(120, 26 * genres.length + 50)}
        yAxis={[{ scaleType: 'band', data: genres.map((g) => `${g.genre} (${g.support})`), width: 150 }]}
        xAxis={[{ min: 0, max: 1, valueFormatter: (v: number) => score(v, exact) }]}
        series={[{ data: genres.map((g) => g.f1), label: exact ? 'F1' : 'right', valueFormatter: (v) => score(v, exact), color: theme.palette.primary.main }]}
        hideLegend
        skipAnimation
        margin={{ top: 4, right: 28, bottom: 4, left: 4 }}
      />
    </ChartCard>
  );
}
