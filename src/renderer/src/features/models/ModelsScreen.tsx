/**
 * The genre models: what is active (overall and per decade), each version's metrics beside the
 * version active when it was trained (same validation posters), training counts, retrain with
 * progress, activate and roll back, genres that need more examples, and the execution provider.
 */
import { useCallback, useEffect, useState } from 'react';
import { Alert, Box, Button, Chip, FormControlLabel, Paper, Stack, Switch, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import type { InferenceStatus, JobProgress, MetricsSummary, ModelsOverview, ModelVersionInfo } from '../../../../shared/types';
import { JobBar, useJob } from '../../components/jobs';
import { HeadInputs } from '../../components/SuggestionBasis';

const f3 = (x: number | undefined) => (x === undefined ? '—' : x.toFixed(3));
const decadeName = (d: number | null) => (d === null ? 'All decades' : `${d}s`);

function Side({ label, m, other }: { label: string; m: MetricsSummary; other?: MetricsSummary }) {
  const better = (a: number, b?: number) => (b === undefined ? undefined : a > b ? 'success.main' : a < b ? 'error.main' : undefined);
  return (
    <TableRow>
      <TableCell>{label}</TableCell>
      <TableCell sx={{ color: better(m.microF1, other?.microF1) }}>{f3(m.microF1)}</TableCell>
      <TableCell sx={{ color: better(m.macroF1, other?.macroF1) }}>{f3(m.macroF1)}</TableCell>
      <TableCell sx={{ color: better(m.top3HitRate, other?.top3HitRate) }}>{f3(m.top3HitRate)}</TableCell>
      <TableCell>{m.n}</TableCell>
    </TableRow>
  );
}

function VersionCard({ v, onActivate }: { v: ModelVersionInfo; onActivate: (version: string) => void }) {
  return (
    <Paper variant="outlined" sx={{ p: 2, mb: 2 }} data-testid={`version-${v.version}`}>
      <Stack direction="row" spacing={2} sx={{ alignItems: 'center', mb: 1 }}>
        <Typography variant="h6">{v.version}</Typography>
        <Typography color="text.secondary">
          {decadeName(v.decade)} · {new Date(v.createdAt).toLocaleString()}
        </Typography>
        {v.active && <Chip label="active" color="success" size="small" />}
        <HeadInputs inputs={v.inputs} />
        {v.decade !== null && !v.kept && <Chip label="lost to the all-decades model: not used" size="small" />}
        <Box sx={{ flexGrow: 1 }} />
        {!v.active && (v.decade === null || v.kept) && (
          <Button size="small" variant="outlined" onClick={() => onActivate(v.version)}>
            {v.run === 0 ? 'Roll back to this' : 'Activate'}
          </Button>
        )}
      </Stack>
      {v.validation ? (
        <Table size="small" sx={{ maxWidth: 640 }}>
          <TableHead>
            <TableRow>
              <TableCell>on {v.validation.candidate.n} reviewed validation posters</TableCell>
              <TableCell>micro-F1</TableCell>
              <TableCell>macro-F1</TableCell>
              <TableCell>top-3 hit</TableCell>
              <TableCell>n</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            <Side label={`${v.version} (this version)`} m={v.validation.candidate} other={v.validation.active} />
            <Side label={`${v.activeAtTraining.join(', ') || 'previous'} (active when trained)`} m={v.validation.active} />
          </TableBody>
        </Table>
      ) : v.shipped ? (
        <Typography>
          Shipped model. On the research posters' validation split: micro-F1 {f3(v.shipped.microF1)}, macro-F1 {f3(v.shipped.macroF1)}, top-3 hit{' '}
          {f3(v.shipped.top3HitRate)}.
        </Typography>
      ) : null}
      {v.perDecade.some((d) => d.n > 0) && (
        <Table size="small" sx={{ maxWidth: 640, mt: 1 }}>
          <TableHead>
            <TableRow>
              <TableCell>decade</TableCell>
              <TableCell>this version</TableCell>
              <TableCell>active when trained</TableCell>
              <TableCell>decade head</TableCell>
              <TableCell>n</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {v.perDecade
              .filter((d) => d.n > 0)
              .map((d) => {
                const head = v.decades.find((o) => o.decade === d.decade);
                return (
                  <TableRow key={String(d.decade)}>
                    <TableCell>{d.decade === null ? 'year unknown' : `${d.decade}s`}</TableCell>
                    <TableCell>{f3(d.candidate.microF1)}</TableCell>
                    <TableCell>{f3(d.active.microF1)}</TableCell>
                    <TableCell>
                      {!head
                        ? '—'
                        : head.status === 'too-few'
                          ? `too few reviewed (${head.trainPosters}/${head.minTrain} training, ${head.validationPosters}/${head.minValidation} validation)`
                          : `${head.status === 'kept' ? 'kept' : 'lost'}: ${f3(head.candidate?.microF1)} vs ${f3(head.allDecades?.microF1)}`}
                    </TableCell>
                    <TableCell>{d.n}</TableCell>
                  </TableRow>
                );
              })}
          </TableBody>
        </Table>
      )}
      {v.counts && (
        <Typography variant="body2" color="text.secondary" sx={{ mt: 1 }}>
          Trained on {v.counts.reviewed} reviewed posters ({v.counts.validation} held out) + {v.counts.pool} base-pool posters. Positives per genre:{' '}
          {v.counts.perGenre.map((g) => `${g.genre} ${g.reviewed}+${g.pool}`).join(', ')}.
        </Typography>
      )}
    </Paper>
  );
}

export function ModelsScreen() {
  const [overview, setOverview] = useState<ModelsOverview | null>(null);
  const [status, setStatus] = useState<InferenceStatus | null>(null);
  const [lastRate, setLastRate] = useState<JobProgress | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const [retagId, setRetagId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const progress = useJob(jobId, 'train');
  const retag = useJob(retagId, 'retag');
  const trained = progress?.state === 'succeeded' ? (progress.result ?? null) : null;
  const fail = (e: Error) => setError(e.message);

  const load = useCallback(() => {
    window.api.models.list().then(setOverview, fail);
    window.api.inference.status().then(setStatus, fail);
    window.api.jobs.list().then((jobs) => setLastRate(jobs.filter((j) => (j.kind === 'tag' || j.kind === 'import') && j.rate > 0).at(-1) ?? null), fail);
  }, []);
  useEffect(load, [load]);
  useEffect(() => {
    if (progress && progress.state !== 'running') load();
  }, [progress?.state, load]);
  useEffect(() => {
    if (retag && retag.state !== 'running') load();
  }, [retag?.state, load]);

  const act = async (what: Promise<{ jobId: string }>) => {
    setError(null);
    try {
      setRetagId((await what).jobId);
      load();
    } catch (e) {
      fail(e as Error);
    }
  };
  const retrain = async () => {
    setError(null);
    try {
      setJobId((await window.api.models.train({})).jobId);
    } catch (e) {
      fail(e as Error);
    }
  };
  const needing = overview?.genres.filter((g) => g.needs > 0) ?? [];
  return (
    <Box>
      <Paper sx={{ p: 3, mb: 2 }}>
        <Stack direction="row" spacing={2} sx={{ alignItems: 'center' }}>
          <Typography variant="h5" sx={{ flexGrow: 1 }}>
            Genre models
          </Typography>
          <Button variant="contained" onClick={() => void retrain()} disabled={progress?.state === 'running'}>
            Retrain on reviewed posters
          </Button>
          <Button variant="outlined" onClick={() => void act(window.api.models.rollback())}>
            Roll back
          </Button>
        </Stack>
        {status && (
          <Typography sx={{ mt: 1 }} data-testid="provider">
            Running on <b>{status.provider.toUpperCase()}</b>
            {status.fallbacks.length > 0 && ` (${status.fallbacks.map((f) => `${f.provider} not used: ${f.reason}`).join('; ')})`} · feature model{' '}
            {status.featureModel} ({status.squareStrategy}, <span data-testid="feature-precision">{status.featurePrecision}</span>: {status.precisionReason}) ·{' '}
            {lastRate ? `last ${lastRate.kind} ran at ${lastRate.rate.toFixed(1)} posters/s` : 'throughput shows after the next import or tag run'}
          </Typography>
        )}
        {overview && (
          <Typography sx={{ mt: 1 }} data-testid="active-models">
            Active: {overview.active.map((a) => `${a.version} (${decadeName(a.decade)})`).join(', ')} · {overview.reviewed} reviewed posters
          </Typography>
        )}
        {overview && (
          <FormControlLabel
            control={
              <Switch checked={overview.autoActivate} onChange={(e) => void window.api.models.autoActivate({ on: e.target.checked }).then(load, fail)} />
            }
            label="Activate a new version automatically when it beats the active one"
          />
        )}
        {error && <Alert severity="error">{error}</Alert>}
        <JobBar progress={progress} label="Retraining" />
        <JobBar progress={retag} label="Re-tagging unreviewed posters" />
        {trained && (
          <Alert severity={trained.wins ? 'success' : 'info'} data-testid="train-result">
            v{trained.run} trained on {trained.reviewed} reviewed posters in {trained.seconds.toFixed(1)} s: {trained.wins ? 'it beats' : 'it does not beat'}{' '}
            the active model on the validation posters (micro-F1 {f3(trained.candidate?.microF1)} vs {f3(trained.active?.microF1)}).
            {trained.activated ? ` Activated ${trained.activated}.` : ''}
          </Alert>
        )}
        {needing.length > 0 && (
          <Typography sx={{ mt: 2 }} data-testid="genres-needing">
            Not learned yet: {needing.map((g) => `${g.genre} needs ${g.needs} more reviewed example${g.needs === 1 ? '' : 's'}`).join(' · ')}
          </Typography>
        )}
        {overview?.reviewed === 0 && (
          <Typography sx={{ mt: 2 }} color="text.secondary">
            Nothing to learn from yet: review posters on the Review screen; every confirmed poster becomes training data.
          </Typography>
        )}
      </Paper>
      {overview?.versions.map((v) => (
        <VersionCard key={v.version} v={v} onActivate={(version) => void act(window.api.models.activate({ version }))} />
      ))}
    </Box>
  );
}
