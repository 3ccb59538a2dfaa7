/**
 * The genre models: what is active (overall and per decade), each version's metrics beside the
 * version active when it was trained (same validation posters), training counts, retrain with
 * progress, activate and roll back (back through the activation log), genres that need more
 * examples, the execution provider in plain words, and a compact chart of F1 per genre. Buttons
 * that have nothing to do are disabled, and say why. Everything leads with words a dealer uses
 * ("Genres right 43%", "fast 8-bit mode"); one switch shows the exact figures and technical terms
 * (micro-F1 0.430, int8 and why) for whoever wants them.
 */
import { useState } from 'react';
import { Alert, Box, Button, FormControlLabel, Paper, Stack, Switch, Typography } from '@mui/material';
import type { ModelsOverview } from '../../../../shared/types';
import { JobBar } from '../../components/jobs';
import { count } from '../../components/plural';
import { GenreF1Chart } from './GenreF1Chart';
import { lastRunWords, Provider } from './Provider';
import { fewKeptOutText, trainResultText } from './trainResult';
import { useModels } from './useModels';
import { decadeName, VersionCard } from './VersionCard';

/** The version whose per-genre scores to chart: the active all-decades version if it was trained here, else the newest run. */
function chartedVersion(overview: ModelsOverview) {
  const active = overview.versions.find((v) => v.active && v.decade === null && v.validation);
  return active ?? overview.versions.find((v) => v.decade === null && v.validation) ?? null;
}

export function ModelsScreen() {
  const m = useModels();
  /** Exact figures and technical terms (micro-F1 0.430, int8) instead of plain words and percentages. */
  const [exact, setExact] = useState(false);
  const { overview, train, retag } = m;
  const training = train?.state === 'running';
  const switching = retag?.state === 'running';
  const trained = train?.state === 'succeeded' ? (train.result ?? null) : null;
  const fewKeptOut = trained ? fewKeptOutText(trained) : null;
  const retrainReason = training ? 'Retraining is running: wait for it or cancel it.' : (overview?.nothingToTrain ?? null);
  const rollbackTo = overview?.rollbackTo ?? null;
  const current = overview?.active.map((a) => a.version).join(', ');
  const rollbackReason = !overview
    ? null
    : switching
      ? 'Switching models: wait for the re-tagging to finish.'
      : rollbackTo
        ? null
        : `Nothing earlier to roll back to: ${current || 'no model'} is the first model this catalogue has used.`;
  const needing = overview?.genres.filter((g) => g.needs > 0) ?? [];
  const charted = overview && chartedVersion(overview);
  const rate = lastRunWords(m.lastRate);
  return (
    <Box>
      <Paper sx={{ p: 3, mb: 2 }}>
        <Stack direction="row" spacing={2} sx={{ alignItems: 'flex-start' }}>
          <Typography variant="h5" component="h2" sx={{ flexGrow: 1 }}>
            Genre models
          </Typography>
          <Stack sx={{ alignItems: 'flex-end', maxWidth: 420 }}>
            <Button variant="contained" onClick={() => void m.retrain()} disabled={!overview || retrainReason !== null} aria-describedby="retrain-reason">
              Retrain on reviewed posters
            </Button>
            <Typography variant="caption" color="text.secondary" id="retrain-reason" data-testid="retrain-reason" sx={{ textAlign: 'right' }}>
              {retrainReason}
            </Typography>
          </Stack>
          <Stack sx={{ alignItems: 'flex-end', maxWidth: 320 }}>
            <Button
              variant="outlined"
              data-testid="rollback"
              onClick={m.rollback}
              disabled={rollbackReason !== null || !overview}
              aria-describedby="rollback-reason"
            >
              {rollbackTo ? `Roll back to ${rollbackTo.versions.join(', ')}` : 'Roll back'}
            </Button>
            <Typography variant="caption" color="text.secondary" id="rollback-reason" data-testid="rollback-reason" sx={{ textAlign: 'right' }}>
              {rollbackReason}
            </Typography>
          </Stack>
        </Stack>
        {m.status && <Provider status={m.status} rate={rate} exact={exact} />}
        {overview && (
          <Typography sx={{ mt: 1 }} data-testid="active-models">
            Active: {overview.active.map((a) => `${a.version} (${decadeName(a.decade)})`).join(', ')} · {count(overview.reviewed, 'reviewed poster')}
          </Typography>
        )}
        {overview && (
          <FormControlLabel
            control={<Switch checked={overview.autoActivate} onChange={(e) => m.setAutoActivate(e.target.checked)} />}
            label="Activate a new version automatically when it beats the active one"
          />
        )}
        {overview && (
          <FormControlLabel
            control={<Switch checked={exact} onChange={(e) => setExact(e.target.checked)} data-testid="exact-figures" />}
            label="Show exact figures and technical terms"
          />
        )}
        {m.error && <Alert severity="error">{m.error}</Alert>}
        {m.rolledBack && overview && (
          <Alert severity="success" data-testid="rollback-result" sx={{ mt: 1 }}>
            Rolled back to {m.rolledBack.join(', ')}.{' '}
            {rollbackTo ? `Roll back again to return to ${rollbackTo.versions.join(', ')}.` : 'Nothing earlier is left to roll back to.'}
          </Alert>
        )}
        <JobBar progress={train} label="Retraining" />
        <JobBar progress={retag} label="Re-tagging unreviewed posters" />
        {trained && (
          <Alert severity={trained.wins ? 'success' : 'info'} data-testid="train-result">
            {trainResultText(
              trained,
              overview?.versions.find((v) => v.decade === null && v.run === trained.run),
              overview?.active.map((a) => a.version) ?? [],
              exact,
            )}
          </Alert>
        )}
        {fewKeptOut && (
          <Typography variant="body2" color="text.secondary" sx={{ mt: 1 }} data-testid="train-few">
            {fewKeptOut}
          </Typography>
        )}
        {needing.length > 0 && (
          <Typography sx={{ mt: 2 }} data-testid="genres-needing">
            Not learned yet: {needing.map((g) => `${g.genre} needs ${count(g.needs, 'more reviewed example')}`).join(' · ')}
          </Typography>
        )}
      </Paper>
      {charted?.validation ? (
        <Box sx={{ mb: 2, maxWidth: 760 }}>
          <GenreF1Chart version={charted.version} metrics={charted.validation.candidate} exact={exact} />
        </Box>
      ) : (
        overview && (
          <Typography color="text.secondary" sx={{ mb: 2 }} data-testid="genre-f1-none">
            How often each genre is right shows after the first retraining: it is measured on your reviewed posters (the shipped model's figures are from the
            research posters).
          </Typography>
        )
      )}
      {overview?.versions.map((v) => (
        <VersionCard key={v.version} v={v} activeNow={overview.active.map((a) => a.version)} busy={switching} onActivate={m.activate} exact={exact} />
      ))}
    </Box>
  );
}
