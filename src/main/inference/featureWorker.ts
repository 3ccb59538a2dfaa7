/**
 * Worker-thread entry for the feature model. onnxruntime-node runs a session synchronously on the
 * thread that calls it, so on the main thread every batch would freeze the event loop for a quarter
 * of a second: no file read, no decode handed to sharp, no database write, no IPC to the screens.
 * Here the model blocks only this thread. Messages: in { open }, { id, pixels, count }; out
 * { opened }, { id, features }, { id?, error }.
 */
import { parentPort } from 'node:worker_threads';
import { AppError, messageOf } from '../errors';
import { FEATURE_DIM, INPUT_SIZE } from './modelFiles';
import { createSession, ort, type ProviderName, type ProviderReport } from './session';

export interface FeatureSessionOptions {
  providers?: ProviderName[] | undefined;
  threads?: number | undefined;
  spinning?: boolean | undefined;
}

/** `cpuFile`: the model to run when the session lands on the CPU (the int8 one, where it is chosen). */
export type FeatureRequest = { open: { file: string; cpuFile: string; options: FeatureSessionOptions } } | { id: number; pixels: Uint8Array; count: number };
export type FeatureReply =
  { opened: ProviderReport } | { id: number; features: Float32Array } | { id: number | null; error: { code: string; message: string } };

const port = parentPort;
if (!port) throw new Error('featureWorker runs only as a worker thread');
let session: ort.InferenceSession | null = null;

const errorOf = (error: unknown) => ({ code: error instanceof AppError ? error.code : 'inference-failed', message: messageOf(error) });

port.on('message', (message: FeatureRequest) => {
  if ('open' in message) {
    const { file, cpuFile, options } = message.open;
    createSession(file, 'feature model', { ...options, cpuModel: cpuFile }).then(
      (loaded) => {
        session = loaded.session;
        port.postMessage({ opened: loaded.report } satisfies FeatureReply);
      },
      (error: unknown) => port.postMessage({ id: null, error: errorOf(error) } satisfies FeatureReply),
    );
    return;
  }
  const { id, pixels, count } = message;
  void (async () => {
    try {
      if (!session) throw new AppError('model-not-open', 'the feature model is not open');
      const out = await session.run({ pixels: new ort.Tensor('uint8', pixels, [count, INPUT_SIZE, INPUT_SIZE, 3]) });
      const data = out.features?.data as Float32Array;
      // A copy of exactly the batch's features, handed over without another copy.
      const features = data.slice(0, count * FEATURE_DIM);
      port.postMessage({ id, features } satisfies FeatureReply, [features.buffer as ArrayBuffer]);
    } catch (error) {
      port.postMessage({ id, error: errorOf(error) } satisfies FeatureReply);
    }
  })();
});
