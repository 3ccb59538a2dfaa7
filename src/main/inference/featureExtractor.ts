/**
 * The ResNet50 feature extractor: batches of uint8 RGB 224×224 inputs in, 2048-d features out.
 * Only the feature model runs here; the ImageNet classifier never enters the hot path. The model
 * runs in its own worker thread (featureWorker.ts), so decoding, database writes and the screens
 * carry on while a batch is in the model. On the CPU it is the int8 model where the CPU has int8
 * dot products (session.ts decides), on GPU providers the fp32 one. Both give features the same
 * head reads and the same cache holds (measured: docs/measurements.md, "int8 feature model").
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { AppError } from '../errors';
import { startWorker } from '../workers/workerEntry';
import type { FeatureReply, FeatureRequest, FeatureSessionOptions } from './featureWorker';
import { FEATURE_DIM, FEATURE_MODEL_FILE, FEATURE_MODEL_INT8_FILE, FEATURE_MODEL_VERSION, INPUT_SIZE, modelsDir } from './modelFiles';
import { cpuFeaturePrecision, type Precision, type PrecisionChoice, type ProviderReport } from './session';

const PIXELS = INPUT_SIZE * INPUT_SIZE * 3;

export class FeatureExtractor {
  readonly version = FEATURE_MODEL_VERSION;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (f: Float32Array) => void; reject: (e: Error) => void }>();
  private failure: Error | null = null;

  private constructor(
    private readonly worker: Worker,
    readonly report: ProviderReport,
    /** The precision of the model that runs, and why. */
    readonly precision: PrecisionChoice,
  ) {
    worker.on('message', (reply: FeatureReply) => {
      if (!('id' in reply) || reply.id === null) return;
      const waiter = this.waiting.get(reply.id);
      this.waiting.delete(reply.id);
      if ('features' in reply) waiter?.resolve(reply.features);
      else waiter?.reject(new AppError(reply.error.code, `The feature model failed: ${reply.error.message}`));
    });
    const stop = (error: Error) => {
      this.failure = error;
      for (const waiter of this.waiting.values()) waiter.reject(error);
      this.waiting.clear();
    };
    worker.on('error', (error) => stop(new AppError('inference-failed', `The feature model stopped: ${error.message}`)));
    worker.on('exit', (code) => stop(new AppError('inference-failed', `The feature model's worker has stopped (exit code ${code}).`)));
  }

  /** `precision` forces the CPU's model (benchmarks, research scripts); by default session.ts chooses. */
  static async open(options: FeatureSessionOptions & { precision?: Precision } = {}): Promise<FeatureExtractor> {
    const { precision: forced, ...sessionOptions } = options;
    const file = join(modelsDir(), FEATURE_MODEL_FILE);
    if (!existsSync(file)) {
      throw new AppError('model-missing', `The feature model ${file} is missing: run "npm run build:models" to build it.`);
    }
    let cpu = forced ? { precision: forced, reason: 'asked for by the caller' } : cpuFeaturePrecision();
    const int8File = join(modelsDir(), FEATURE_MODEL_INT8_FILE);
    if (cpu.precision === 'int8' && !existsSync(int8File)) {
      cpu = { precision: 'fp32', reason: `the int8 model ${int8File} is missing (npm run build:models builds it)` };
    }
    const worker = startWorker('featureWorker', import.meta.url);
    const report = await new Promise<ProviderReport>((resolve, reject) => {
      const onMessage = (reply: FeatureReply) => {
        worker.off('error', onError);
        worker.off('message', onMessage);
        if ('opened' in reply) resolve(reply.opened);
        else if ('error' in reply) reject(new AppError(reply.error.code, reply.error.message));
      };
      const onError = (error: Error) => {
        worker.off('message', onMessage);
        reject(new AppError('model-unloadable', `The feature model cannot be loaded: ${error.message}`));
      };
      worker.on('message', onMessage);
      worker.once('error', onError);
      worker.postMessage({ open: { file, cpuFile: cpu.precision === 'int8' ? int8File : file, options: sessionOptions } } satisfies FeatureRequest);
    }).catch(async (error: unknown) => {
      await worker.terminate();
      throw error;
    });
    const precision = report.provider === 'cpu' ? cpu : { precision: 'fp32' as const, reason: `${report.provider.toUpperCase()} runs the fp32 model` };
    return new FeatureExtractor(worker, report, precision);
  }

  /** One feature vector per input, in order. */
  async extract(inputs: Uint8Array[]): Promise<Float32Array[]> {
    if (inputs.length === 0) return [];
    if (this.failure) throw this.failure;
    const batch = new Uint8Array(inputs.length * PIXELS);
    inputs.forEach((input, i) => {
      if (input.length !== PIXELS) throw new AppError('bad-input', `model input ${i} has ${input.length} bytes, expected ${PIXELS}`);
      batch.set(input, i * PIXELS);
    });
    const id = this.nextId++;
    const data = await new Promise<Float32Array>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ id, pixels: batch, count: inputs.length } satisfies FeatureRequest, [batch.buffer]);
    });
    return inputs.map((_, i) => data.slice(i * FEATURE_DIM, (i + 1) * FEATURE_DIM));
  }

  async close(): Promise<void> {
    // Terminating the worker frees its session; a batch still in the model is rejected (on 'exit').
    await this.worker.terminate();
  }
}
