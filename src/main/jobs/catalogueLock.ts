/**
 * One long job of a kind per catalogue, across processes: the desktop app and a command-line
 * import, or two imports, queue behind each other instead of sweeping each other's work away. The
 * lock lives in the catalogue (catalogue_locks) with the holder's pid, host and a heartbeat; a
 * holder is dead — and its lock free — when its process is gone (same host) or its heartbeat stopped.
 */
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { deleteLock, readLock, touchLock, writeLock, type LockHolder } from '../catalogue/lockRepository';
import { withBusyRetry } from '../db/busy';
import type { Db } from '../db/open';
import { AppError } from '../errors';

export type LockName = 'import' | 'train';

const HEARTBEAT_MS = 5_000;
/** A holder silent this long is dead even if a process with its pid exists (pid reuse, another host). */
const STALE_MS = 60_000;
const POLL_MS = 500;

const HOST = hostname();

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether `holder` is provably dead: only then may its lock, its runs or its files be swept. */
export function holderIsDead(holder: LockHolder, now = Date.now()): boolean {
  if (now - Date.parse(holder.heartbeatAt) > STALE_MS) return true;
  return holder.host === HOST && holder.pid !== process.pid && !processAlive(holder.pid);
}

/** The live holder of `name`, or undefined when the lock is free (or held by a dead process). */
export function liveHolder(db: Db, name: LockName): LockHolder | undefined {
  const holder = readLock(db, name);
  return holder && !holderIsDead(holder) ? holder : undefined;
}

export function describeHolder(holder: LockHolder): string {
  const where = holder.host === HOST ? `process ${holder.pid}` : `process ${holder.pid} on ${holder.host}`;
  return `${holder.detail ?? `a ${holder.name}`} is already running in ${where} since ${new Date(holder.startedAt).toLocaleString()}`;
}

export interface HeldLock {
  release(): void;
}

/**
 * Takes the lock, waiting (without blocking the event loop) while a live process holds it;
 * `onWait` hears why. Cancelling the job while it waits ends the wait.
 */
export async function acquireLock(db: Db, name: LockName, detail: string, signal: AbortSignal, onWait: (message: string) => void): Promise<HeldLock> {
  const take = db.transaction((): LockHolder | null => {
    const holder = readLock(db, name);
    if (holder && !holderIsDead(holder) && !(holder.pid === process.pid && holder.host === HOST)) return holder;
    writeLock(db, { name, pid: process.pid, host: HOST, detail });
    return null;
  });
  for (;;) {
    if (signal.aborted) throw new AppError('cancelled', `Cancelled while waiting: ${detail}.`);
    const holder = await withBusyRetry(() => take.immediate(), 30_000, signal);
    if (!holder) break;
    onWait(`Waiting: ${describeHolder(holder)}.`);
    await sleep(POLL_MS, undefined, { signal }).catch(() => undefined);
  }
  const beat = setInterval(() => {
    try {
      touchLock(db, name, process.pid, HOST);
    } catch {
      // busy this time: the next beat comes long before the lock would look stale
    }
  }, HEARTBEAT_MS);
  beat.unref();
  let released = false;
  return {
    release(): void {
      if (released) return;
      released = true;
      clearInterval(beat);
      // The first try runs now; if another process is writing, it goes on in the background. A lock
      // left behind (the process ended first) belongs to a dead pid, which the next taker sees.
      withBusyRetry(() => deleteLock(db, name, process.pid, HOST)).catch(() => undefined);
    },
  };
}
