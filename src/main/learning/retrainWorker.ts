/**
 * Worker-thread entry: runs retrain() off the main thread, so imports, tagging and the screens
 * never stall while a model trains. Messages: in { input }, { cancel }; out { progress }, { result }, { error }.
 */
import { parentPort } from 'node:worker_threads';
import type { ProgressUnit } from '../../shared/types';
import { messageOf } from '../errors';
import { Gemm } from '../training/gemm';
import { loadBasePool } from '../training/basePool';
import { retrain, type RetrainInput } from '../training/retrain';
import { transformFeatures } from '../training/trainHead';

/** The base pool travels as a file name: the worker reads it itself. */
export type WorkerRequest = { input: RetrainRequest; poolFile: string | null } | { cancel: true };

/** The retraining's input but the pool; `poolNamesNow`: the pool's genre names (lower case) → the catalogue's names now, where renamed. */
export type RetrainRequest = Omit<RetrainInput, 'pool'> & { featureKey: string; poolNamesNow: Record<string, string> };
export type WorkerReply =
  | { progress: { done: number; total: number; unit: ProgressUnit; message: string } }
  | { result: Awaited<ReturnType<typeof retrain>> }
  | { error: string; cancelled: boolean };

const port = parentPort;
if (!port) throw new Error('retrainWorker runs only as a worker thread');
const controller = new AbortController();

port.on('message', (message: WorkerRequest) => {
  if ('cancel' in message) {
    controller.abort(new Error('cancelled'));
    return;
  }
  void (async () => {
    const gemm = await Gemm.open();
    try {
      const { input, poolFile } = message;
      const loaded = poolFile ? loadBasePool(poolFile) : null;
      // The pool's genres by the names the catalogue gives them now (a renamed genre keeps its examples).
      const pool = loaded && { ...loaded, genres: loaded.genres.map((name) => input.poolNamesNow[name.toLowerCase()] ?? name) };
      if (pool && `${pool.featureModel}:${pool.strategy}` !== input.featureKey) {
        throw new Error(`the base pool ${poolFile} holds ${pool.featureModel}:${pool.strategy} features; this catalogue uses ${input.featureKey}`);
      }
      // Reviewed features arrive raw from the cache; the base pool is stored transformed.
      const reviewed = {
        ...input.reviewed,
        features: transformFeatures(input.reviewed.features, input.parent.weights.dim, input.parent.weights.featureTransform),
      };
      const result = await retrain(
        { ...input, pool, reviewed },
        gemm,
        (done, total, unit, msg) => port.postMessage({ progress: { done, total, unit, message: msg } } satisfies WorkerReply),
        controller.signal,
      );
      port.postMessage({ result } satisfies WorkerReply);
    } catch (error) {
      port.postMessage({ error: messageOf(error), cancelled: controller.signal.aborted } satisfies WorkerReply);
    } finally {
      await gemm.close();
    }
  })();
});
