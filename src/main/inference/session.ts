/**
 * The one home of onnxruntime-node: every session comes from here. It owns the choice of
 * execution provider (CUDA on Linux when its provider libraries are installed, DirectML on
 * Windows, CPU otherwise; POSTER_CATALOGUE_EP forces one), falls back provider by provider with
 * the reason recorded, sets thread counts for the machine, and chooses the feature model's
 * precision on the CPU: int8 where the CPU has int8 dot-product instructions (x86 VNNI, Arm dot
 * product), fp32 elsewhere and on every GPU provider.
 */
import { readFileSync } from 'node:fs';
import { arch, availableParallelism } from 'node:os';
import * as ort from 'onnxruntime-node';
import { AppError, messageOf } from '../errors';

// onnxruntime logs its own error when a provider's libraries are missing; the fallback reason is
// reported through ProviderReport instead, so only fatal messages from it reach the console.
ort.env.logLevel = 'fatal';

export type ProviderName = 'cuda' | 'dml' | 'webgpu' | 'cpu';
export const PROVIDER_ENV = 'POSTER_CATALOGUE_EP';
/** What POSTER_CATALOGUE_EP accepts: a provider, or the CPU with the feature model's precision forced. */
const FORCED = ['cuda', 'dml', 'webgpu', 'cpu', 'cpu-fp32', 'cpu-int8'];

export type Precision = 'fp32' | 'int8';
export interface PrecisionChoice {
  precision: Precision;
  /** Why, for a person: shown by `stats` and the Models screen. */
  reason: string;
}

export interface ProviderReport {
  /** What the sessions run on. */
  provider: ProviderName;
  /** Providers tried before it, with why each was not used. */
  fallbacks: { provider: ProviderName; reason: string }[];
}

export function preferredProviders(platform = process.platform, forced = process.env[PROVIDER_ENV]): ProviderName[] {
  if (forced) {
    const wanted = forced.toLowerCase();
    if (!FORCED.includes(wanted)) throw new AppError('bad-provider', `${PROVIDER_ENV}=${forced} is not one of ${FORCED.join(', ')}.`);
    return wanted.startsWith('cpu') ? ['cpu'] : [wanted as ProviderName, 'cpu'];
  }
  if (platform === 'linux') return ['cuda', 'cpu'];
  if (platform === 'win32') return ['dml', 'cpu'];
  return ['cpu'];
}

/**
 * The int8 dot-product instructions that make the int8 model fast, or null. onnxruntime's u8s8
 * kernels also run on x86-64 without VNNI, through 16-bit multiply-add sequences that onnxruntime's
 * own documentation warns can saturate, at a speed not measured here (no such CPU was at hand):
 * such CPUs keep the fp32 model rather than guess.
 */
export function int8DotProduct(platform = process.platform, cpuArch = arch(), cpuinfo = readCpuinfo()): string | null {
  if (platform === 'darwin' && cpuArch === 'arm64') return 'Arm dot product (Apple silicon)';
  if (cpuinfo === null) return null;
  const flags = new Set(
    cpuinfo
      .split('\n')
      .filter((line) => /^(flags|features)\s*:/i.test(line))
      .flatMap((line) =>
        line
          .slice(line.indexOf(':') + 1)
          .trim()
          .split(/\s+/),
      ),
  );
  if (flags.has('avx512_vnni')) return 'AVX-512 VNNI';
  if (flags.has('avx_vnni')) return 'AVX-VNNI';
  if (flags.has('asimddp')) return 'Arm dot product';
  return null;
}

function readCpuinfo(): string | null {
  try {
    return process.platform === 'linux' ? readFileSync('/proc/cpuinfo', 'utf8') : null;
  } catch {
    return null;
  }
}

/** The feature model's precision when it runs on the CPU (GPU providers always run fp32). */
export function cpuFeaturePrecision(forced = process.env[PROVIDER_ENV], dotProduct = int8DotProduct()): PrecisionChoice {
  const wanted = forced?.toLowerCase();
  if (wanted === 'cpu-fp32' || wanted === 'cpu-int8') {
    return { precision: wanted === 'cpu-int8' ? 'int8' : 'fp32', reason: `forced by ${PROVIDER_ENV}=${forced}` };
  }
  if (dotProduct) return { precision: 'int8', reason: `the CPU has ${dotProduct}` };
  return {
    precision: 'fp32',
    reason: 'no int8 dot-product instructions (VNNI, Arm dot product) detected on this CPU, so the int8 model would not be faster',
  };
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
  options: { providers?: ProviderName[]; threads?: number; spinning?: boolean; cpuModel?: string | Uint8Array } = {},
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
      // The CPU may get another file of the same network (the int8 feature model).
      const file = provider === 'cpu' && options.cpuModel !== undefined ? options.cpuModel : model;
      const session =
        typeof file === 'string' ? await ort.InferenceSession.create(file, sessionOptions) : await ort.InferenceSession.create(file, sessionOptions);
      return { session, report: { provider, fallbacks } };
    } catch (error) {
      const reason = messageOf(error).split('\n')[0] ?? 'unknown error';
      if (provider === 'cpu') throw new AppError('model-unloadable', `The ${what} cannot be loaded: ${reason}`);
      fallbacks.push({ provider, reason });
      // Said where the provider is shown (stats, the Models screen); printed as well only when it was asked for by name,
      // since on a machine without CUDA or DirectML the fallback is the normal case, not news on every command.
      if (process.env[PROVIDER_ENV]) console.warn(`[inference] ${provider} not used for the ${what}: ${reason}`);
    }
  }
  throw new AppError('model-unloadable', `The ${what} cannot be loaded: no execution provider accepted it.`);
}

export { ort };
