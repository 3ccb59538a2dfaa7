/**
 * Owns long work: each job is an async function taking { signal, onProgress }. The manager keeps
 * the state machine, maps cancel to the AbortController and throttles progress events to listeners.
 */
import { randomUUID } from 'node:crypto';
import type { JobKind, JobProgress, JobResults, ProgressUnit } from '../../shared/types';
import { messageOf } from '../errors';
import { ProgressMeter, type FollowOn } from './progress';

export interface JobContext {
  signal: AbortSignal;
  /** `done` of `total`, counted in `unit`s: the job says what it counts, so no screen has to guess. */
  onProgress(done: number, total: number, unit: ProgressUnit, message?: string, then?: FollowOn): void;
  /** Nothing counted yet (waiting for another process, scanning a folder): only what it is doing. */
  onProgress(done: 0, total: 0, unit: null, message: string): void;
}

export type JobListener = (progress: JobProgress) => void;

interface RunningJob {
  controller: AbortController;
  progress: JobProgress;
  lastEmit: number;
}

/** How long a finished job stays in the list (its progress is a few hundred bytes). */
export const FINISHED_LISTED_MS = 60 * 60_000;

export class JobManager {
  private readonly jobs = new Map<string, RunningJob>();
  private readonly listeners = new Set<JobListener>();

  constructor(
    private readonly throttleMs = 200,
    private readonly tickMs = 1_000,
  ) {}

  subscribe(listener: JobListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  list(): JobProgress[] {
    return [...this.jobs.values()].map((j) => ({ ...j.progress }));
  }

  /** One job, as `list` has it (null: not listed). */
  get(jobId: string): JobProgress | null {
    const job = this.jobs.get(jobId);
    return job ? { ...job.progress } : null;
  }

  cancel(jobId: string): boolean {
    const job = this.jobs.get(jobId);
    if (!job || job.progress.state !== 'running') return false;
    job.controller.abort(new Error('cancelled'));
    return true;
  }

  /**
   * Starts `work`; the promise settles with its result (or rejects with its error) when it ends.
   * `expectedSeconds`: what an earlier run of this job measured, scaled to this one (the ETA until
   * this run has its own measurement). `measureEta: false`: the job's steps are too uneven for a
   * rate to say the time left, so only that earlier measurement is given.
   */
  start<K extends JobKind>(
    kind: K,
    work: (ctx: JobContext) => Promise<JobResults[K]>,
    outcome?: (result: JobResults[K]) => JobProgress['state'],
    options: { expectedSeconds?: number | null; measureEta?: boolean } = {},
  ) {
    const jobId = randomUUID();
    const controller = new AbortController();
    const startedAt = performance.now();
    const meter = new ProgressMeter(undefined, undefined, options.expectedSeconds ?? null, options.measureEta ?? true);
    let then: FollowOn | undefined;
    const job: RunningJob = {
      controller,
      lastEmit: 0,
      progress: {
        jobId,
        kind,
        state: 'running',
        done: 0,
        total: 0,
        unit: null,
        rate: 0,
        etaSeconds: null,
        etaSource: null,
        seconds: 0,
        message: '',
      } as JobProgress,
    };
    this.jobs.set(jobId, job);
    const measure = (): void => {
      Object.assign(job.progress, meter.update(job.progress.done, job.progress.total, then), { seconds: (performance.now() - startedAt) / 1000 });
    };
    const onProgress = (done: number, total: number, unit: ProgressUnit | null, message?: string, follow?: FollowOn): void => {
      Object.assign(job.progress, { done, total, unit });
      then = follow;
      measure();
      if (message !== undefined) job.progress.message = message;
      const t = performance.now();
      if (t - job.lastEmit >= this.throttleMs) {
        job.lastEmit = t;
        this.emit(job.progress);
      }
    };
    // Time passes while nothing is reported (a slow item, a wait): the rate and ETA are measured
    // again each second, so a stuck job loses its ETA instead of keeping a stale one.
    const tick = setInterval(() => {
      measure();
      job.lastEmit = performance.now();
      this.emit(job.progress);
    }, this.tickMs);
    tick.unref();
    const finish = (state: JobProgress['state'], message?: string): void => {
      clearInterval(tick);
      job.progress.state = state;
      job.progress.seconds = (performance.now() - startedAt) / 1000;
      job.progress.etaSeconds = null;
      job.progress.etaSource = null;
      // What the job was doing last ("Finishing genre suggestions") is no longer true once it ended.
      job.progress.message = message ?? '';
      this.emit(job.progress);
      // Finished jobs stay listed so a screen that polls still sees how they ended — long enough for
      // a page in a background tab, whose timers the browser slows to once a minute: a job missing
      // from the list while it was running is read there as a host started anew.
      setTimeout(() => this.jobs.delete(jobId), FINISHED_LISTED_MS).unref();
    };
    const promise = work({ signal: controller.signal, onProgress }).then(
      (result) => {
        job.progress.result = result;
        finish(outcome ? outcome(result) : controller.signal.aborted ? 'cancelled' : 'succeeded');
        return result;
      },
      (error: unknown) => {
        finish(controller.signal.aborted ? 'cancelled' : 'failed', messageOf(error));
        throw error;
      },
    );
    return { jobId, promise };
  }

  private emit(progress: JobProgress): void {
    for (const listener of this.listeners) listener({ ...progress });
  }
}
