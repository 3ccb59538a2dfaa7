/**
 * The one home of onnxruntime-node: every session comes from here. It owns the choice of
 * execution provider (CUDA on Linux when its provider libraries are installed, DirectML on
 * Windows, CPU otherwise; POSTER_CATALOGUE_EP forces one), falls back provider by provider with
 * the reason recorded, and sets thread counts for the machine.
 */
import { availableParallelism } from 'node:os';
import * as ort from 'onnxruntime-node';
import { AppError, messageOf } from '../errors';

// onnxruntime logs its own error when a provider's libraries are missing; the fallback reason is
// reported through ProviderReport instead, so only fatal messages from it reach the console.
ort.env.logLevel = 'fatal';

export type ProviderName = 'cuda' | 'dml' | 'webgpu' | 'cpu';
export const PROVIDER_ENV = 'POSTER_CATALOGUE_EP';

export interface ProviderReport {
  /** What the sessions run on. */
  provider: ProviderName;
  /** Providers tried before it, with why each was not used. */
  fallbacks: { provider: ProviderName; reason: string }[];
}

export function preferredProviders(platform = process.platform, forced = process.env[PROVIDER_ENV]): ProviderName[] {
  if (forced) {
    const wanted = forced.toLowerCase() as ProviderName;
    if (!['cuda', 'dml', 'webgpu', 'cpu'].includes(wanted)) {
      throw new AppError('bad-provider', `${PROVIDER_ENV}=${forced} is not one of cuda, dml, webgpu, cpu.`);
    }
    return wanted === 'cpu' ? ['cpu'] : [wanted, 'cpu'];
  }
  if (platform === 'linux') return ['cuda', 'cpu'];
  if (platform === 'win32') return ['dml', 'cpu'];
  return ['cpu'];
}

/** Intra-op threads: every core on small machines, leaving one for decoding on larger ones. */
export function intraOpThreads(cores = availableParallelism()): number {
  return cores <= 2 ? cores : Math.min(cores - 1, 16);
}

export interface LoadedSession {
  session: ort.InferenceSession;
  report: ProviderReport;
}

/** Opens `model` on the best provider that accepts it. `what` names the model in messages. */
export async function createSession(
  model: string | Uint8Array,
  what: string,
  options: { providers?: ProviderName[]; threads?: number; spinning?: boolean } = {},
): Promise<LoadedSession> {
  const fallbacks: ProviderReport['fallbacks'] = [];
  for (const provider of options.providers ?? preferredProviders()) {
    try {
      const sessionOptions: ort.InferenceSession.SessionOptions = {
        executionProviders: [provider],
        graphOptimizationLevel: 'all',
        intraOpNumThreads: options.threads ?? intraOpThreads(),
        interOpNumThreads: 1,
        executionMode: 'sequential',
        // By default idle intra-op threads sleep instead of spinning: decoding shares these cores.
        extra: { session: { intra_op: { allow_spinning: options.spinning ? '1' : '0' } } },
        // onnxruntime prints its own error for a provider it cannot load; the reason is reported here instead.
        logSeverityLevel: provider === 'cpu' ? 2 : 4,
      };
      const session =
        typeof model === 'string' ? await ort.InferenceSession.create(model, sessionOptions) : await ort.InferenceSession.create(model, sessionOptions);
      return { session, report: { provider, fallbacks } };
    } catch (error) {
      const reason = messageOf(error).split('\n')[0] ?? 'unknown error';
      if (provider === 'cpu') throw new AppError('model-unloadable', `The ${what} cannot be loaded: ${reason}`);
      fallbacks.push({ provider, reason });
      console.warn(`[inference] ${provider} not used for the ${what}: ${reason}`);
    }
  }
  throw new AppError('model-unloadable', `The ${what} cannot be loaded: no execution provider accepted it.`);
}

export { ort };
