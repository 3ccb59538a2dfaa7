/**
 * One model version: its scores beside the version active when it was trained, per decade with
 * sample sizes, and its training counts. Scores read as plain percentages ("Genres right 43%");
 * with `exact`, as the technical figures (micro-F1 0.430).
 */
import { useState } from 'react';
import { Box, Button, Chip, Paper, Stack, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import type { MetricsSummary, ModelVersionInfo } from '../../../../shared/types';
import { HeadInputs } from '../../components/SuggestionBasis';
import { MIN_SAMPLE, pct, score, TermTip, termName } from './metrics';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { count } from '../../components/plural';

export const decadeName = (d: number | null) => (d === null ? 'All decades' : `${d}s`);

/** Better / worse in words and a sign as well as colour, so it reads without colour too. */
function Score({ value, other, exact }: { value: number; other?: number | undefined; exact: boolean }) {
  const sign = other === undefined || value === other ? '' : value > other ? ' ▲' : ' ▼';
  const color = other === undefined || value === other ? undefined : value > other ? 'success.main' : 'error.main';
  return (
    <TableCell sx={{ color }} aria-label={sign ? `${score(value, exact)}, ${value > (other ?? 0) ? 'better' : 'worse'}` : undefined}>
      {score(value, exact)}
      {sign}
    </TableCell>
  );
}

function Side({ label, m, other, exact }: { label: string; m: MetricsSummary; other?: MetricsSummary; exact: boolean }) {
  return (
    <TableRow>
      <TableCell>{label}</TableCell>
      <Score value={m.microF1} other={other?.microF1} exact={exact} />
      <Score value={m.macroF1} other={other?.macroF1} exact={exact} />
      <Score value={m.top3HitRate} other={other?.top3HitRate} exact={exact} />
      <TableCell>{m.n}</TableCell>
    </TableRow>
  );
}

/** A decade's score, or, under the minimum sample, the score marked as too few to judge. */
function DecadeScore({ m, n, min, exact }: { m: MetricsSummary; n: number; min: number; exact: boolean }) {
  if (n >= min) return <TableCell>{score(m.microF1, exact)}</TableCell>;
  return (
    <TableCell sx={{ color: 'text.secondary' }}>
      <s aria-hidden>{score(m.microF1, exact)}</s> <i>too few</i>
    </TableCell>
  );
}

const sameVersions = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

/**
 * Why activating `v` deserves a second thought: it scored below the version active when it was
 * trained, on the same reviewed validation posters. Null when it did not (or was never compared).
 * `activeNow`: the versions active now; when another has been activated since, the warning says
 * that the comparison was with the earlier one, not with what activating `v` would replace.
 */
export function activationWarning(v: ModelVersionInfo, activeNow: readonly string[] = v.activeAtTraining): string | null {
  if (!v.validation || v.validation.candidate.microF1 >= v.validation.active.microF1) return null;
  const was = v.activeAtTraining.join(', ') || 'the version active then';
  const replaced = v.activeAtTraining.length > 0 && !sameVersions(v.activeAtTraining, activeNow);
  return (
    `${v.version} was right less often than ${was} on the ${count(v.validation.candidate.n, 'reviewed poster')} it was checked on ` +
    `(${pct(v.validation.candidate.microF1)} of genres right against ${pct(v.validation.active.microF1)}). ` +
    (replaced
      ? `${was} was active when ${v.version} was trained; ${activeNow.join(', ') || 'another model'} is active now and was not compared with it.`
      : 'Its suggestions would likely get worse.')
  );
}

/** What a decade head did against the all-decades model, or why it was not tried. */
function decadeHeadSays(head: ModelVersionInfo['decades'][number] | undefined, exact: boolean): string {
  if (!head) return '—';
  if (head.status === 'too-few') {
    return exact
      ? `too few reviewed (${head.trainPosters}/${head.minTrain} training, ${head.validationPosters}/${head.minValidation} validation)`
      : `not tried: too few reviewed posters (${head.trainPosters} of ${head.minTrain} to learn from, ${head.validationPosters} of ${head.minValidation} to check on)`;
  }
  const [mine, all] = [score(head.candidate?.microF1, exact), score(head.allDecades?.microF1, exact)];
  if (exact) return `${head.status === 'kept' ? 'kept' : 'lost'}: ${mine} vs ${all}`;
  return `${head.status === 'kept' ? 'kept' : 'not used'}: ${mine} right against ${all} for the all-decades model`;
}

export function VersionCard({
  v,
  activeNow = v.activeAtTraining,
  onActivate,
  busy,
  exact = false,
}: {
  v: ModelVersionInfo;
  /** The versions active now: what this version's figures were not necessarily compared with. */
  activeNow?: readonly string[];
  onActivate: (version: string) => void;
  busy: boolean;
  exact?: boolean;
}) {
  const min = v.decades[0]?.minValidation ?? MIN_SAMPLE;
  const decades = v.perDecade.filter((d) => d.n > 0);
  const judged = decades.filter((d) => d.n >= min).length;
  const warning = activationWarning(v, activeNow);
  const [asking, setAsking] = useState(false);
  return (
    <Paper variant="outlined" component="section" aria-label={`Version ${v.version}`} sx={{ p: 2, mb: 2 }} data-testid={`version-${v.version}`}>
      <Stack direction="row" spacing={2} sx={{ alignItems: 'center', mb: 1 }}>
        <Typography variant="h6" component="h3">
          {v.version}
        </Typography>
        <Typography color="text.secondary">
          {decadeName(v.decade)} · {new Date(v.createdAt).toLocaleString()}
        </Typography>
        {v.active && <Chip label="active" color="success" size="small" />}
        <HeadInputs inputs={v.inputs} />
        {v.decade !== null && !v.kept && <Chip label="lost to the all-decades model: not used" size="small" />}
        <Box sx={{ flexGrow: 1 }} />
        {!v.active && (v.decade === null || v.kept) && (
          <Button size="small" variant="outlined" disabled={busy} onClick={() => (warning ? setAsking(true) : onActivate(v.version))}>
            {v.run === 0 ? 'Roll back to this' : 'Activate'}
          </Button>
        )}
      </Stack>
      <ConfirmDialog
        open={asking}
        id={`activate-warning-${v.version}`}
        title={`Activate ${v.version}, which scored lower?`}
        text={warning ?? ''}
        keep="Keep the active model"
        go="Activate anyway"
        onKeep={() => setAsking(false)}
        onGo={() => {
          setAsking(false);
          onActivate(v.version);
        }}
      />
      {v.validation ? (
        <Table size="small" sx={{ maxWidth: 720 }}>
          <TableHead>
            <TableRow>
              <TableCell>
                {exact
                  ? `on ${count(v.validation.candidate.n, 'reviewed validation poster')}`
                  : `checked on ${count(v.validation.candidate.n, 'reviewed poster')} kept out of its training`}
              </TableCell>
              <TableCell>
                <TermTip term="micro-F1" label={termName('micro-F1', exact)} />
              </TableCell>
              <TableCell>
                <TermTip term="macro-F1" label={termName('macro-F1', exact)} />
              </TableCell>
              <TableCell>
                <TermTip term="top-3 hit" label={termName('top-3 hit', exact)} />
              </TableCell>
              <TableCell>
                <TermTip term="n" label={termName('n', exact)} />
              </TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            <Side label={`${v.version} (this version)`} m={v.validation.candidate} other={v.validation.active} exact={exact} />
            <Side label={`${v.activeAtTraining.join(', ') || 'previous'} (active when trained)`} m={v.validation.active} exact={exact} />
          </TableBody>
        </Table>
      ) : v.shipped ? (
        <Typography data-testid={`shipped-${v.version}`}>
          {exact ? "Shipped model. On the research posters' validation split: " : 'Shipped model. Checked on research posters it did not learn from: '}
          <TermTip term="micro-F1" label={termName('micro-F1', exact)} /> {score(v.shipped.microF1, exact)},{' '}
          <TermTip term="macro-F1" label={termName('macro-F1', exact).toLowerCase()} /> {score(v.shipped.macroF1, exact)},{' '}
          <TermTip term="top-3 hit" label={termName('top-3 hit', exact).toLowerCase()} /> {score(v.shipped.top3HitRate, exact)}.
        </Typography>
      ) : null}
      {decades.length > 0 && (
        <>
          <Typography variant="body2" color="text.secondary" sx={{ mt: 1 }} data-testid={`decade-caution-${v.version}`}>
            Per decade, <TermTip term="micro-F1" label={termName('micro-F1', exact).toLowerCase()} />: a score on fewer than{' '}
            {count(min, exact ? 'validation poster' : 'checked poster')} is too few to judge and is struck through ({judged} of{' '}
            {count(decades.length, 'decade')} {judged === 1 || decades.length === 1 ? 'has' : 'have'} enough).
          </Typography>
          <Table size="small" sx={{ maxWidth: 720 }}>
            <TableHead>
              <TableRow>
                <TableCell>decade</TableCell>
                <TableCell>this version</TableCell>
                <TableCell>{v.activeAtTraining.join(', ') || 'previous'} (active when trained)</TableCell>
                <TableCell>{exact ? 'decade head' : 'own model for the decade'}</TableCell>
                <TableCell>
                  <TermTip term="n" label={termName('n', exact)} />
                </TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {decades.map((d) => {
                const head = v.decades.find((o) => o.decade === d.decade);
                return (
                  <TableRow key={String(d.decade)} data-testid={`decade-${v.version}-${d.decade ?? 'unknown'}`} data-judged={d.n >= min}>
                    <TableCell>{d.decade === null ? 'year unknown' : `${d.decade}s`}</TableCell>
                    <DecadeScore m={d.candidate} n={d.n} min={min} exact={exact} />
                    <DecadeScore m={d.active} n={d.n} min={min} exact={exact} />
                    <TableCell>{decadeHeadSays(head, exact)}</TableCell>
                    <TableCell>
                      {d.n}
                      {d.n < min ? ` of ${min} needed` : ''}
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        </>
      )}
      {v.counts && (
        <Typography variant="body2" color="text.secondary" sx={{ mt: 1 }}>
          {exact
            ? `Trained on ${count(v.counts.reviewed, 'reviewed poster')} (${v.counts.validation} held out) + ${count(v.counts.pool, 'base-pool poster')}. Positives per genre: `
            : `Learned from ${count(v.counts.reviewed, 'reviewed poster')} (${v.counts.validation} of them kept out to check it) and ${count(v.counts.pool, 'research poster')}. Examples of each genre (reviewed + research): `}
          {v.counts.perGenre.map((g) => `${g.genre} ${g.reviewed}+${g.pool}`).join(', ')}.
        </Typography>
      )}
    </Paper>
  );
}
