/** Starts the retraining worker and turns its messages into a promise, progress and cancel. */
import { AppError } from '../errors';
import type { JobContext } from '../jobs/jobManager';
import type { RetrainResult } from '../training/retrain';
import { startWorker } from '../workers/workerEntry';
import type { RetrainRequest, WorkerReply, WorkerRequest } from './retrainWorker';

export function runRetrainWorker(input: RetrainRequest, poolFile: string | null, job: JobContext): Promise<RetrainResult> {
  if (job.signal.aborted) return Promise.reject(new AppError('cancelled', 'Retraining was cancelled.'));
  const worker = startWorker('retrainWorker', import.meta.url);
  return new Promise<RetrainResult>((resolve, reject) => {
    const onAbort = () => worker.postMessage({ cancel: true } satisfies WorkerRequest);
    job.signal.addEventListener('abort', onAbort, { once: true });
    const finish = (settle: () => void) => {
      job.signal.removeEventListener('abort', onAbort);
      void worker.terminate();
      settle();
    };
    worker.on('message', (reply: WorkerReply) => {
      if ('progress' in reply) job.onProgress(reply.progress.done, reply.progress.total, reply.progress.unit, reply.progress.message);
      else if ('result' in reply) finish(() => resolve(reply.result));
      else
        finish(() =>
          reject(
            reply.cancelled ? new AppError('cancelled', 'Retraining was cancelled.') : new AppError('training-failed', `Retraining failed: ${reply.error}`),
          ),
        );
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
