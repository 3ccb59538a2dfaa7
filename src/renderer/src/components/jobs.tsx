/** Long work on screen: a job's progress with rate and ETA, a cancel button, and how it ended. */
import { useEffect, useState } from 'react';
import { Alert, Box, Button, LinearProgress, Stack, Typography } from '@mui/material';
import type { JobKind, JobProgress, ProgressUnit } from '../../../shared/types';
import { useOnline, useRestarted } from '../api/connection';
import { JOB_NAME } from '../../../shared/jobNames';
import { count } from './plural';

/** What a job stopped part-way (cancelled, or its host gone) left behind, said for each kind: some keep their work, some make nothing. */
const KEPT: Record<JobKind, string> = {
  import: 'The posters catalogued so far are kept.',
  tag: 'Posters already given suggestions keep them.',
  train: 'No new model version was made; the active model is unchanged.',
  retag: 'Posters not yet scored again keep their earlier suggestions.',
  export: 'No file was written.',
  rebuild: 'The thumbnails and features made so far are kept.',
};

/**
 * How a job ran out of its host: it stopped (cannot be reached), or it was started again, which a
 * running job never survives (its page is refused, or the new host no longer lists the job).
 */
export type HostLoss = 'stopped' | 'restarted';

/** Said in place of a running job whose host went away: it did not finish, and what of its work is kept. */
export const lostJobMessage = (kind: JobKind, loss: HostLoss): string =>
  `Poster Catalogue ${loss === 'stopped' ? 'stopped' : 'was restarted'} while ${JOB_NAME[kind]} was running, so it did not finish. ${KEPT[kind]}`;

/** The one narrowing from any job to a job of `kind`, checked at run time. */
const ofKind = <K extends JobKind>(p: JobProgress | undefined, kind: K): JobProgress<K> | null => (p?.kind === kind ? (p as unknown as JobProgress<K>) : null);

/**
 * The latest progress of one job of `kind` (null until its first event); its `result` is typed by the kind.
 * A running job the page lost its host under is shown as failed, saying so. A host started anew
 * never brings it back as running (with frozen numbers and a Cancel button): the page is refused
 * (restarted, for good), or its calls get through and the new host does not list the job (vanished,
 * for good). Only the same host answering again can: then the job did run on, and the host says so.
 */
export function useJob<K extends JobKind>(jobId: string | null, kind: K): JobProgress<K> | null {
  const [progress, setProgress] = useState<JobProgress<K> | null>(null);
  /** Known to be running, then no longer in the host's job list: a host started anew. */
  const [vanished, setVanished] = useState(false);
  useEffect(() => {
    setProgress(null);
    setVanished(false);
    if (!jobId) return undefined;
    let ended = false;
    let running = false;
    const off = window.api.events.onJobProgress((p) => {
      const mine = p.jobId === jobId ? ofKind(p, kind) : null;
      if (mine) {
        running = mine.state === 'running';
        ended = !running;
        setProgress(mine);
      }
    });
    // A job that ended before we subscribed is still listed for a while; so is one that ended
    // while the event stream was still connecting (its last event is lost): the list, read again
    // while the job runs, catches that end.
    const check = () => {
      if (ended) return;
      // This job alone: the list holds an hour of finished jobs, each with its whole result.
      window.api.jobs.get({ jobId }).then(
        (job) => {
          const found = ofKind(job ?? undefined, kind);
          if (ended) return;
          if (!found) {
            // Long finished, and nothing more to learn from it — unless it was running: a job is
            // listed for an hour after it ends, so one that is gone while running went with its host.
            ended = true;
            if (running) setVanished(true);
            return;
          }
          running = found.state === 'running';
          ended = !running;
          setProgress((p) => (p === null || (p.state === 'running' && found.state !== 'running') ? found : p));
        },
        () => undefined,
      );
    };
    check();
    const timer = setInterval(check, 2000);
    return () => {
      off();
      clearInterval(timer);
    };
  }, [jobId, kind]);
  const online = useOnline();
  const restarted = useRestarted();
  const loss: HostLoss | null = restarted || vanished ? 'restarted' : online ? null : 'stopped';
  return progress?.state === 'running' && loss ? { ...progress, state: 'failed', message: lostJobMessage(kind, loss) } : progress;
}

/** Seconds as a person says them: "45 s", "2 min 5 s", "1 h 20 min" (minutes are enough once it is hours). */
export function formatSeconds(s: number | null): string {
  if (s === null || !Number.isFinite(s)) return '…';
  // Rounded once, before splitting: 119.7 s is "2 min", never "1 min 60 s".
  const whole = Math.round(s);
  if (whole < 60) return `${whole} s`;
  if (whole < 3600) return whole % 60 === 0 ? `${whole / 60} min` : `${Math.floor(whole / 60)} min ${whole % 60} s`;
  const minutes = Math.round(whole / 60);
  return minutes % 60 === 0 ? `${minutes / 60} h` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** A measured duration: tenths below ten seconds, so a quick job does not read "0 s". */
export const formatDuration = (s: number): string => (s < 10 ? `${s.toFixed(1)} s` : formatSeconds(s));

/** What a cancel left behind, said for each kind of job. */
export const AFTER_CANCEL = Object.fromEntries(Object.entries(KEPT).map(([kind, kept]) => [kind, `Cancelled. ${kept}`])) as Record<JobKind, string>;

/** "120 of 900 posters", "0 of 1 step", in the unit the job counts in; before it has counted anything, that it is getting ready. */
export function countedSoFar(progress: JobProgress): string {
  if (progress.total <= 0 || progress.unit === null) return 'getting ready';
  return `${progress.done} of ${count(progress.total, progress.unit)}`;
}

/** Time left as measured: "estimating…" until known, never "0 s" while work remains, and said when it comes from the last run. */
export function timeLeft(progress: JobProgress): string {
  if (progress.total > 0 && progress.done >= progress.total) return '';
  if (progress.etaSeconds === null) return 'estimating time left…';
  const left = formatSeconds(Math.max(1, progress.etaSeconds));
  return progress.etaSource === 'previous-run' ? `about ${left} left (as measured last time)` : `${left} left`;
}

/**
 * How fast the work goes: "2.5 rounds a second", or for slow work (where that would read "0.0 rounds
 * a second") the time one takes, "about 40 s per round". Nothing before a rate is measured.
 */
export function speed(rate: number, unit: ProgressUnit): string {
  if (!(rate > 0) || !Number.isFinite(rate)) return '';
  return rate < 0.1 ? `about ${formatSeconds(1 / rate)} per ${unit}` : `${rate.toFixed(1)} ${unit}s a second`;
}

/**
 * `reported`: the screen shows its own report of how the job ended (the import's), so the bar does
 * not say "cancelled" a second time in other words.
 */
export function JobBar({ progress, label, reported = false }: { progress: JobProgress | null; label: string; reported?: boolean }) {
  if (!progress) return null;
  const running = progress.state === 'running';
  const percent = progress.state === 'succeeded' ? 100 : progress.total > 0 ? (100 * progress.done) / progress.total : 0;
  const took = progress.seconds !== undefined ? ` in ${formatDuration(progress.seconds)}` : '';
  const line = running
    ? [
        `${label}: ${countedSoFar(progress)}`,
        progress.unit !== null ? speed(progress.rate, progress.unit) : '',
        progress.total > 0 ? timeLeft(progress) : '',
        progress.message,
      ]
        .filter(Boolean)
        .join(' · ')
    : progress.state === 'succeeded'
      ? `${label}: done${took}`
      : progress.state === 'cancelled'
        ? `${label}: cancelled${took}`
        : `${label}: failed`;
  return (
    <Box sx={{ my: 2 }} data-testid={`job-${progress.kind}`} data-state={progress.state}>
      <Stack direction="row" spacing={2} sx={{ alignItems: 'center', mb: 1 }}>
        <Typography sx={{ flexGrow: 1 }} data-testid={`job-${progress.kind}-line`} aria-live="polite">
          {line}
        </Typography>
        {running && (
          <Button size="small" color="inherit" variant="outlined" onClick={() => void window.api.jobs.cancel({ jobId: progress.jobId })}>
            Cancel
          </Button>
        )}
      </Stack>
      <LinearProgress
        variant={running && progress.total === 0 ? 'indeterminate' : 'determinate'}
        value={Math.min(100, percent)}
        aria-label={`${label} progress`}
      />
      {/* The reason is said once, here, not again in the line above. */}
      {progress.state === 'failed' && (
        <Alert severity="error" sx={{ mt: 1 }}>
          {progress.message}
        </Alert>
      )}
      {progress.state === 'cancelled' && !reported && (
        <Alert severity="warning" sx={{ mt: 1 }}>
          {AFTER_CANCEL[progress.kind]}
        </Alert>
      )}
    </Box>
  );
}
