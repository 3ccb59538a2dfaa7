/** A compact bar per genre: the version's F1 on the reviewed validation posters, with how many of them had the genre. */
import { useTheme } from '@mui/material';
import { BarChart } from '@mui/x-charts/BarChart';
import type { MetricsSummary } from '../../../../shared/types';
import { ChartCard } from '../../components/ChartCard';
import { f3, MIN_SAMPLE } from './metrics';

export function GenreF1Chart({ version, metrics }: { version: string; metrics: MetricsSummary }) {
  const theme = useTheme();
  const genres = metrics.perGenre.filter((g) => g.support > 0);
  const few = genres.filter((g) => g.support < MIN_SAMPLE).length;
  return (
    <ChartCard
      testId="genre-f1-chart"
      title={`F1 per genre: ${version}`}
      description={
        `${version} on ${metrics.n} reviewed validation posters; beside each genre, how many of them staff gave it.` +
        (few ? ` ${few} of ${genres.length} genres have fewer than ${MIN_SAMPLE}: read their bars as rough.` : '')
      }
      table={{ columns: ['genre', 'F1', 'posters with the genre'], rows: genres.map((g) => [g.genre, f3(g.f1), g.support]) }}
      empty={genres.length === 0 ? 'No validation poster has a confirmed genre yet.' : null}
    >
      <BarChart
        layout="horizontal"
        height={Math.max(120, 26 * genres.length + 50)}
        yAxis={[{ scaleType: 'band', data: genres.map((g) => `${g.genre} (${g.support})`), width: 150 }]}
        xAxis={[{ min: 0, max: 1 }]}
        series={[{ data: genres.map((g) => g.f1), label: 'F1', valueFormatter: (v) => f3(v), color: theme.palette.primary.main }]}
        hideLegend
        skipAnimation
        margin={{ top: 4, right: 16, bottom: 4, left: 4 }}
      />
    </ChartCard>
  );
}
