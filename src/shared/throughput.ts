/**
 * The throughput the Models screen reports: posters that went through the pipeline per second of
 * the whole run, from the run's own summary. A job's `rate` counts every item it stepped past, so
 * an import of a folder already in the catalogue (each file only hashed and skipped) used to show
 * as thousands of posters per second.
 */
import type { JobKind, JobProgress, JobResults } from './types';

export interface Throughput {
  kind: 'import' | 'tag';
  /** Posters decoded and scored (import: new posters and near-duplicates; tag: posters tagged). */
  posters: number;
  seconds: number;
  postersPerSecond: number;
}

/** What one finished import or tag run did, as posters per second; null when it worked on no poster. */
export function throughputOf(job: { [K in JobKind]: { kind: K; result?: JobResults[K] | undefined } }[JobKind]): Throughput | null {
  let posters: number;
  let seconds: number;
  if (job.kind === 'import' && job.result) {
    posters = job.result.imported + job.result.nearDuplicates;
    seconds = job.result.seconds;
  } else if (job.kind === 'tag' && job.result) {
    posters = job.result.tagged;
    seconds = job.result.seconds;
  } else return null;
  return posters > 0 && seconds > 0 ? { kind: job.kind, posters, seconds, postersPerSecond: posters / seconds } : null;
}

/** The last import or tag run that worked on any poster, as posters per second; null when none did. */
export function lastThroughput(jobs: JobProgress[]): Throughput | null {
  let last: Throughput | null = null;
  for (const job of jobs) last = throughputOf(job) ?? last;
  return last;
}
