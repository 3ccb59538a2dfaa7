/**
 * Model quality as staff see it: each retrained version on the reviewed validation posters of its
 * day (with how many there were), per genre and per decade, and where the model is least sure.
 */
import { useTheme } from '@mui/material';
import { BarChart } from '@mui/x-charts/BarChart';
import { LineChart } from '@mui/x-charts/LineChart';
import type { Insights, ModelVersionInfo } from '../../../../shared/types';
import { ChartCard } from '../../components/ChartCard';
import { f3, MIN_SAMPLE } from '../models/metrics';
import { decadeLabel, seriesColours } from './palette';

/** All-decades versions trained here, oldest first (the shipped model was measured on other posters). */
export const trainedRuns = (versions: ModelVersionInfo[]) =>
  versions.filter((v) => v.decade === null && v.validation).sort((a, b) => a.createdAt.localeCompare(b.createdAt));

const NO_RUNS = 'Shows after the first retraining: scores are measured on reviewed posters held out from training.';

export function QualityOverTime({ runs }: { runs: ModelVersionInfo[] }) {
  const c = seriesColours(useTheme());
  const label = (v: ModelVersionInfo) => `${v.version} (n=${v.validation?.candidate.n ?? 0})`;
  return (
    <ChartCard
      testId="chart-quality-over-time"
      title="Model quality by version"
      description={`micro-F1 and macro-F1 of each retrained version on the reviewed validation posters when it was trained (n: how many); ${runs.filter((v) => (v.validation?.candidate.n ?? 0) < MIN_SAMPLE).length} of ${runs.length} versions were measured on fewer than ${MIN_SAMPLE}.`}
      table={{
        columns: ['version', 'trained', 'micro-F1', 'macro-F1', 'top-3 hit', 'n'],
        rows: runs.map((v) => [
          v.version,
          new Date(v.createdAt).toLocaleString(),
          f3(v.validation?.candidate.microF1),
          f3(v.validation?.candidate.macroF1),
          f3(v.validation?.candidate.top3HitRate),
          v.validation?.candidate.n ?? 0,
        ]),
      }}
      empty={runs.length === 0 ? NO_RUNS : null}
    >
      <LineChart
        height={240}
        xAxis={[{ scaleType: 'point', data: runs.map(label) }]}
        yAxis={[{ min: 0, max: 1 }]}
        series={[
          { data: runs.map((v) => v.validation?.candidate.microF1 ?? null), label: 'micro-F1', color: c.main },
          { data: runs.map((v) => v.validation?.candidate.macroF1 ?? null), label: 'macro-F1', color: c.second },
        ]}
        skipAnimation
      />
    </ChartCard>
  );
}

export function QualityPerGenre({ runs }: { runs: ModelVersionInfo[] }) {
  const c = seriesColours(useTheme());
  const recent = runs.slice(-3);
  const latest = recent.at(-1)?.validation?.candidate;
  const genres = latest?.perGenre.filter((g) => g.support > 0) ?? [];
  const f1 = (v: ModelVersionInfo, genre: string) => v.validation?.candidate.perGenre.find((g) => g.genre === genre)?.f1 ?? null;
  return (
    <ChartCard
      testId="chart-quality-per-genre"
      title="F1 per genre"
      description={`The last ${recent.length} versions; beside each genre, how many of the latest version's ${latest?.n ?? 0} validation posters have it (under ${MIN_SAMPLE}: rough).`}
      table={{
        columns: ['genre', 'posters with it', ...recent.map((v) => v.version)],
        rows: genres.map((g) => [g.genre, g.support, ...recent.map((v) => f3(f1(v, g.genre)))]),
      }}
      empty={recent.length === 0 ? NO_RUNS : genres.length === 0 ? 'No validation poster has a confirmed genre yet.' : null}
    >
      <BarChart
        layout="horizontal"
        height={Math.max(160, 22 * recent.length * genres.length + 80)}
        yAxis={[{ scaleType: 'band', data: genres.map((g) => `${g.genre} (${g.support})`), width: 140 }]}
        xAxis={[{ min: 0, max: 1 }]}
        series={recent.map((v, i) => ({
          data: genres.map((g) => f1(v, g.genre)),
          label: v.version,
          color: [c.muted, c.second, c.main][i + 3 - recent.length],
          valueFormatter: (x: number | null) => f3(x),
        }))}
        skipAnimation
      />
    </ChartCard>
  );
}

export function QualityPerDecade({ runs }: { runs: ModelVersionInfo[] }) {
  const c = seriesColours(useTheme());
  const latest = runs.at(-1);
  const decades = latest?.perDecade.filter((d) => d.n > 0) ?? [];
  return (
    <ChartCard
      testId="chart-quality-per-decade"
      title={`micro-F1 per decade${latest ? `: ${latest.version}` : ''}`}
      description={`A score on fewer than ${MIN_SAMPLE} validation posters is drawn grey: too few to judge. n beside each decade.`}
      table={{
        columns: ['decade', 'micro-F1', 'n', 'judged'],
        rows: decades.map((d) => [decadeLabel(d.decade), f3(d.candidate.microF1), d.n, d.n >= MIN_SAMPLE ? 'yes' : `no (needs ${MIN_SAMPLE})`]),
      }}
      empty={!latest ? NO_RUNS : decades.length === 0 ? 'No validation poster has a known year yet.' : null}
    >
      <BarChart
        height={240}
        xAxis={[{ scaleType: 'band', data: decades.map((d) => `${decadeLabel(d.decade)} (n=${d.n})`) }]}
        yAxis={[{ min: 0, max: 1 }]}
        series={[
          { data: decades.map((d) => (d.n >= MIN_SAMPLE ? d.candidate.microF1 : null)), label: `n ≥ ${MIN_SAMPLE}`, stack: 'f1', color: c.main },
          { data: decades.map((d) => (d.n < MIN_SAMPLE ? d.candidate.microF1 : null)), label: 'too few to judge', stack: 'f1', color: c.muted },
        ]}
        skipAnimation
      />
    </ChartCard>
  );
}

const band = (b: Insights['uncertainty'][number]) =>
  b.from === null ? 'not tagged yet' : b.to === null ? `${b.from.toFixed(2)} or more` : `${b.from.toFixed(2)}–${b.to.toFixed(2)}`;

export function LeastSure({ data }: { data: Insights }) {
  const c = seriesColours(useTheme());
  const unreviewed = data.uncertainty.reduce((s, b) => s + b.posters, 0);
  const unsure = data.uncertainty[0]?.posters ?? 0;
  return (
    <ChartCard
      testId="chart-least-sure"
      title="Posters by distance from a threshold"
      description={`${unreviewed} posters not reviewed, by how close their most doubtful genre is to its threshold; ${unsure} are within 0.05 (least sure: the review queue's “most uncertain first” starts there). Per decade below.`}
      table={{
        columns: ['decade', 'not reviewed', 'within 0.05 of a threshold'],
        rows: data.unsureByDecade.map((d) => [decadeLabel(d.decade), d.unreviewed, d.unsure]),
      }}
      empty={unreviewed === 0 ? 'Every poster is reviewed.' : null}
    >
      <BarChart
        height={200}
        xAxis={[{ scaleType: 'band', data: data.uncertainty.map(band), label: 'distance from the nearest threshold' }]}
        yAxis={[{ tickMinStep: 1 }]}
        series={[{ data: data.uncertainty.map((b) => b.posters), label: 'posters', color: c.second }]}
        hideLegend
        skipAnimation
      />
      <BarChart
        height={200}
        xAxis={[{ scaleType: 'band', data: data.unsureByDecade.map((d) => decadeLabel(d.decade)) }]}
        yAxis={[{ tickMinStep: 1 }]}
        series={[
          { data: data.unsureByDecade.map((d) => d.unsure), label: 'within 0.05', stack: 'u', color: c.main },
          { data: data.unsureByDecade.map((d) => d.unreviewed - d.unsure), label: 'surer', stack: 'u', color: c.muted },
        ]}
        skipAnimation
      />
    </ChartCard>
  );
}
