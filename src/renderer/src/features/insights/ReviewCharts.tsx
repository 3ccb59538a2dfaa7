/** Review progress (reviewed so far, day by day) and staff throughput (confirmations per day and reviewer). */
import { useTheme } from '@mui/material';
import { BarChart } from '@mui/x-charts/BarChart';
import { LineChart } from '@mui/x-charts/LineChart';
import type { Insights } from '../../../../shared/types';
import { ChartCard } from '../../components/ChartCard';
import { count } from '../../components/plural';
import { pct, seriesColours } from './palette';

const short = (day: string) => new Date(`${day}T12:00:00Z`).toLocaleDateString(undefined, { day: 'numeric', month: 'short', timeZone: 'UTC' });
const who = (r: string | null) => r ?? 'unnamed';

export function Progress({ data }: { data: Insights }) {
  const c = seriesColours(useTheme());
  return (
    <ChartCard
      testId="chart-progress"
      title="Review progress"
      description={`${data.reviewed} of ${count(data.posters, 'poster')} reviewed (${pct(data.reviewed, data.posters)}); the line is the reviewed total at the end of each of the last ${data.days.length} days.`}
      table={{ columns: ['day', 'reviewed at the day’s end'], rows: data.days.map((d) => [d.day, d.reviewedTotal]) }}
      empty={data.posters === 0 ? 'Nothing to review yet.' : null}
    >
      <LineChart
        height={240}
        xAxis={[{ scaleType: 'point', data: data.days.map((d) => short(d.day)) }]}
        yAxis={[{ min: 0, max: Math.max(data.posters, 1), tickMinStep: 1 }]}
        series={[{ data: data.days.map((d) => d.reviewedTotal), label: 'reviewed', color: c.main, showMark: false, area: true }]}
        hideLegend
        skipAnimation
      />
    </ChartCard>
  );
}

export function Throughput({ data }: { data: Insights['days'] }) {
  const c = seriesColours(useTheme());
  const reviewers = [...new Set(data.flatMap((d) => d.confirmed.map((x) => x.reviewer)))];
  const total = data.reduce((s, d) => s + d.confirmed.reduce((t, x) => t + x.count, 0), 0);
  const busiest = Math.max(0, ...data.map((d) => d.confirmed.reduce((t, x) => t + x.count, 0)));
  return (
    <ChartCard
      testId="chart-throughput"
      title="Confirmations per day"
      description={`${count(total, 'confirmation')} in the last ${data.length} days by ${count(reviewers.length, 'reviewer')} (most in one day: ${busiest}); undone ones do not count.`}
      table={{
        columns: ['day', ...reviewers.map(who)],
        rows: data.map((d) => [d.day, ...reviewers.map((r) => d.confirmed.find((x) => x.reviewer === r)?.count ?? 0)]),
      }}
      empty={total === 0 ? `No poster confirmed in the last ${data.length} days.` : null}
    >
      <BarChart
        height={240}
        xAxis={[{ scaleType: 'band', data: data.map((d) => short(d.day)) }]}
        yAxis={[{ tickMinStep: 1 }]}
        series={reviewers.map((r, i) => ({
          data: data.map((d) => d.confirmed.find((x) => x.reviewer === r)?.count ?? 0),
          label: who(r),
          stack: 'day',
          color: c.people[i % c.people.length],
        }))}
        skipAnimation
      />
    </ChartCard>
  );
}
