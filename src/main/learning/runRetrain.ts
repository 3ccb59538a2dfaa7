/** Starts the retraining worker and turns its messages into a promise, progress and cancel. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AppError } from '../errors';
import type { JobContext } from '../jobs/jobManager';
import type { RetrainInput, RetrainResult } from '../training/retrain';
import type { WorkerReply, WorkerRequest } from './retrainWorker';

/** Built: out/main/retrainWorker.js beside the bundle; from source (tests, CLI under tsx): the .ts file through tsx. */
function workerEntry(): { file: string; execArgv: string[] } {
  const here = dirname(fileURLToPath(import.meta.url));
  const built = join(here, 'retrainWorker.js');
  if (existsSync(built)) return { file: built, execArgv: [] };
  return { file: join(here, 'retrainWorker.ts'), execArgv: ['--import', 'tsx'] };
}

export function runRetrainWorker(input: Omit<RetrainInput, 'pool'> & { featureKey: string }, poolFile: string | null, job: JobContext): Promise<RetrainResult> {
  if (job.signal.aborted) return Promise.reject(new AppError('cancelled', 'Retraining was cancelled.'));
  const { file, execArgv } = workerEntry();
  const worker = new Worker(file, { execArgv });
  return new Promise<RetrainResult>((resolve, reject) => {
    const onAbort = () => worker.postMessage({ cancel: true } satisfies WorkerRequest);
    job.signal.addEventListener('abort', onAbort, { once: true });
    const finish = (settle: () => void) => {
      job.signal.removeEventListener('abort', onAbort);
      void worker.terminate();
      settle();
    };
    worker.on('message', (reply: WorkerReply) => {
      if ('progress' in reply) job.onProgress(reply.progress.done, reply.progress.total, reply.progress.message);
      else if ('result' in reply) finish(() => resolve(reply.result));
      else finish(() => reject(reply.cancelled ? new AppError('cancelled', 'Retraining was cancelled.') : new AppError('training-failed', `Retraining failed: ${reply.error}`)));
    });
    worker.on('error', (error) => finish(() => reject(new AppError('training-failed', `Retraining failed: ${error.message}`))));
    worker.on('exit', (code) => {
      if (code !== 0) reject(new AppError('training-failed', `The retraining worker stopped (exit code ${code}).`));
    });
    worker.postMessage({ input, poolFile } satisfies WorkerRequest, transferable(input.reviewed.features));
  });
}

/** Hands the reviewed features to the worker instead of copying them. */
function transferable(a: Float32Array): ArrayBuffer[] {
  return a.buffer instanceof ArrayBuffer && a.byteLength === a.buffer.byteLength ? [a.buffer] : [];
}
