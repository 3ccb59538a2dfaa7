/** The catalogue at a glance: posters by decade, genre and vendor, each split into reviewed and not. */
import { useTheme } from '@mui/material';
import { BarChart } from '@mui/x-charts/BarChart';
import type { Insights } from '../../../../shared/types';
import { ChartCard } from '../../components/ChartCard';
import { count } from '../../components/plural';
import { decadeLabel, pct, seriesColours } from './palette';

const TOP_VENDORS = 10;

export function ByDecade({ data }: { data: Insights['byDecade'] }) {
  const c = seriesColours(useTheme());
  const total = data.reduce((s, d) => s + d.posters, 0);
  return (
    <ChartCard
      testId="chart-by-decade"
      title="Posters by decade"
      description={`${count(total, 'poster')} in ${count(data.length, 'decade group')}, each split into reviewed and not reviewed.`}
      table={{
        columns: ['decade', 'posters', 'reviewed', 'share reviewed'],
        rows: data.map((d) => [decadeLabel(d.decade), d.posters, d.reviewed, pct(d.reviewed, d.posters)]),
      }}
      empty={total === 0 ? 'No posters yet: import a vendor folder.' : null}
    >
      <BarChart
        height={260}
        xAxis={[{ scaleType: 'band', data: data.map((d) => decadeLabel(d.decade)) }]}
        yAxis={[{ tickMinStep: 1 }]}
        series={[
          { data: data.map((d) => d.reviewed), label: 'reviewed', stack: 'all', color: c.main },
          { data: data.map((d) => d.posters - d.reviewed), label: 'not reviewed', stack: 'all', color: c.muted },
        ]}
        skipAnimation
      />
    </ChartCard>
  );
}

export function ByGenre({ data }: { data: Insights['byGenre'] }) {
  const c = seriesColours(useTheme());
  const shown = data.filter((g) => g.confirmed + g.suggested > 0);
  return (
    <ChartCard
      testId="chart-by-genre"
      title="Posters by genre"
      description="Confirmed: in a reviewed poster's genre set. Suggested: the model's genre, with staff's edits, on posters not reviewed yet. A poster counts once per genre it has."
      table={{ columns: ['genre', 'confirmed', 'suggested'], rows: data.map((g) => [g.genre, g.confirmed, g.suggested]) }}
      empty={shown.length === 0 ? 'No genres yet: posters get suggestions when they are imported.' : null}
    >
      <BarChart
        layout="horizontal"
        height={Math.max(160, 24 * shown.length + 70)}
        yAxis={[{ scaleType: 'band', data: shown.map((g) => g.genre), width: 120 }]}
        xAxis={[{ tickMinStep: 1 }]}
        series={[
          { data: shown.map((g) => g.confirmed), label: 'confirmed', stack: 'all', color: c.main },
          { data: shown.map((g) => g.suggested), label: 'suggested', stack: 'all', color: c.second },
        ]}
        skipAnimation
      />
    </ChartCard>
  );
}

export function ByVendor({ data }: { data: Insights['byVendor'] }) {
  const c = seriesColours(useTheme());
  const top = data.slice(0, TOP_VENDORS);
  const rest = data.slice(TOP_VENDORS);
  const rows = rest.length
    ? [
        ...top,
        { vendor: count(rest.length, 'more vendor'), posters: rest.reduce((s, v) => s + v.posters, 0), reviewed: rest.reduce((s, v) => s + v.reviewed, 0) },
      ]
    : top;
  const name = (v: string | null) => v ?? 'no vendor';
  return (
    <ChartCard
      testId="chart-by-vendor"
      title="Posters by vendor"
      description={`${count(data.length, 'vendor')}, largest first${rest.length ? `; the ${TOP_VENDORS} largest, the rest together` : ''}.`}
      table={{ columns: ['vendor', 'posters', 'reviewed'], rows: data.map((v) => [name(v.vendor), v.posters, v.reviewed]) }}
      empty={data.length === 0 ? 'No posters yet.' : null}
    >
      <BarChart
        layout="horizontal"
        height={Math.max(140, 28 * rows.length + 70)}
        yAxis={[{ scaleType: 'band', data: rows.map((v) => name(v.vendor)), width: 140 }]}
        xAxis={[{ tickMinStep: 1 }]}
        series={[
          { data: rows.map((v) => v.reviewed), label: 'reviewed', stack: 'all', color: c.main },
          { data: rows.map((v) => v.posters - v.reviewed), label: 'not reviewed', stack: 'all', color: c.muted },
        ]}
        skipAnimation
      />
    </ChartCard>
  );
}
