/**
 * Model quality as staff see it: each retrained version on the reviewed validation posters of its
 * day (with how many there were), per genre and per decade, and where the model is least sure.
 */
import { useTheme } from '@mui/material';
import { BarChart } from '@mui/x-charts/BarChart';
import { LineChart } from '@mui/x-charts/LineChart';
import type { Insights, ModelVersionInfo } from '../../../../shared/types';
import { ChartCard } from '../../components/ChartCard';
import { f3, MIN_SAMPLE, PLAIN, pct } from '../models/metrics';
import { count } from '../../components/plural';
import { decadeLabel, seriesColours } from './palette';

/** All-decades versions trained here, oldest first (the shipped model was measured on other posters). */
export const trainedRuns = (versions: ModelVersionInfo[]) =>
  versions.filter((v) => v.decade === null && v.validation).sort((a, b) => a.createdAt.localeCompare(b.createdAt));

/** A score for a dealer with the exact figure beside it: "43% (0.430)". */
const both = (x: number | undefined | null) => (x === undefined || x === null ? '—' : `${pct(x)} (${f3(x)})`);

const NO_RUNS = 'Shows after the first retraining: scores are measured on reviewed posters held out from training.';

export function QualityOverTime({ runs }: { runs: ModelVersionInfo[] }) {
  const c = seriesColours(useTheme());
  const few = runs.filter((v) => (v.validation?.candidate.n ?? 0) < MIN_SAMPLE).length;
  const label = (v: ModelVersionInfo) => `${v.version} (n=${v.validation?.candidate.n ?? 0})`;
  return (
    <ChartCard
      testId="chart-quality-over-time"
      title="Model quality by version"
      description={`How often each retrained version's suggestions matched what staff confirmed, on reviewed posters held out from its training (${PLAIN.n.toLowerCase()}: how many); ${few} of ${count(runs.length, 'version')} ${few === 1 || runs.length === 1 ? 'was' : 'were'} checked on fewer than ${MIN_SAMPLE}. Exact figures in brackets.`}
      table={{
        columns: ['version', 'trained', `${PLAIN['micro-F1']} (micro-F1)`, `${PLAIN['macro-F1']} (macro-F1)`, `${PLAIN['top-3 hit']} (top-3 hit)`, PLAIN.n],
        rows: runs.map((v) => [
          v.version,
          new Date(v.createdAt).toLocaleString(),
          both(v.validation?.candidate.microF1),
          both(v.validation?.candidate.macroF1),
          both(v.validation?.candidate.top3HitRate),
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
          { data: runs.map((v) => v.validation?.candidate.microF1 ?? null), label: PLAIN['micro-F1'], color: c.main, valueFormatter: both },
          { data: runs.map((v) => v.validation?.candidate.macroF1 ?? null), label: PLAIN['macro-F1'], color: c.second, valueFormatter: both },
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
      title="Right per genre"
      description={`How well ${recent.length === 1 ? 'the version' : `each of the last ${recent.length} versions`} finds each genre (its F1; exact figure in brackets); beside each genre, how many of the latest version's ${count(latest?.n ?? 0, 'checked poster')} have it (under ${MIN_SAMPLE}: rough).`}
      table={{
        columns: ['genre', 'posters with it', ...recent.map((v) => v.version)],
        rows: genres.map((g) => [g.genre, g.support, ...recent.map((v) => both(f1(v, g.genre)))]),
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
          valueFormatter: both,
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
      title={`${PLAIN['micro-F1']} per decade${latest ? `: ${latest.version}` : ''}`}
      description={`A score on fewer than ${MIN_SAMPLE} checked posters is drawn grey: too few to judge. n (posters checked) beside each decade; exact figures (micro-F1) in brackets.`}
      table={{
        columns: ['decade', `${PLAIN['micro-F1']} (micro-F1)`, PLAIN.n, 'judged'],
        rows: decades.map((d) => [decadeLabel(d.decade), both(d.candidate.microF1), d.n, d.n >= MIN_SAMPLE ? 'yes' : `no (needs ${MIN_SAMPLE})`]),
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
      description={`${count(unreviewed, 'poster')} not reviewed, by how close ${unreviewed === 1 ? 'its' : 'their'} most doubtful genre is to its threshold; ${unsure} ${unsure === 1 ? 'is' : 'are'} within 0.05 (least sure: the review queue's “most uncertain first” starts there). Per decade below.`}
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
