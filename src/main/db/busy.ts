/**
 * Another process writing the same catalogue (the desktop app and a command-line import) holds
 * SQLite's write lock for a moment. Statements wait only BUSY_TIMEOUT_MS blocking (open.ts); here
 * the wait goes on asynchronously, so the event loop — IPC, progress, the screens — keeps running.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '../errors';

export const isBusy = (error: unknown): boolean => {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_SNAPSHOT' || code === 'SQLITE_LOCKED';
};

/** Runs `work` (a whole transaction: a busy one is rolled back and can run again) until it is not busy, up to `patienceMs`. */
export async function withBusyRetry<T>(work: () => T, patienceMs = 30_000, signal?: AbortSignal): Promise<T> {
  const deadline = performance.now() + patienceMs;
  for (let wait = 20; ; wait = Math.min(500, wait * 2)) {
    try {
      return work();
    } catch (error) {
      if (!isBusy(error)) throw error;
      if (performance.now() > deadline) {
        throw new AppError('catalogue-busy', `The catalogue stayed busy for ${Math.round(patienceMs / 1000)} s: another process is writing to it. Try again.`);
      }
      await sleep(wait, undefined, signal ? { signal } : undefined);
    }
  }
}
