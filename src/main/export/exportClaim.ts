/**
 * One export per CSV file at a time, here and across processes: the app and the command line on
 * the same catalogue must not both write the shop's file, or the last rename silently replaces the
 * other person's export. Within this process a set of the files being written answers at once;
 * another process is seen through a lock file beside the CSV, created only if new ('wx'), holding
 * its writer's pid and host, and removed when the export ends. A crash leaves the lock behind: one
 * whose process is gone (on this host) is stale and taken over, so a file is never blocked forever.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync, realpathSync, rmSync, statSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { AppError, messageOf } from '../errors';
import { processAlive } from '../jobs/catalogueLock';

/**
 * The files exports in this process are writing now. Every window and browser tab shares this
 * process: a second export to the same file is refused instead of mixing two runs in one CSV.
 */
const writing = new Set<string>();

const HOST = hostname();

/** The lock beside `file` (its real path, so a linked folder finds the same lock). */
export const exportLockFile = (file: string): string => `${realFile(resolve(file))}.export-lock`;

/** What a lock file holds: who is writing, and a tag so that only its owner removes it. */
const lockHolder = z.object({ pid: z.number().int(), host: z.string(), tag: z.string(), startedAt: z.string() });
type LockHolder = z.infer<typeof lockHolder>;

/**
 * A lock file whose content is not (yet) whole: the holder is between creating and writing it, or
 * crashed there. Older than this, it is a crash's leftover.
 */
const HALF_WRITTEN_STALE_MS = 10_000;

/**
 * Claims `file` for one export until the returned release is called; refuses a file another
 * export, in this process or another, is writing.
 */
export function claimExportFile(file: string): () => void {
  const path = resolve(file);
  const key = fileKey(path);
  if (writing.has(key)) throw busy(path, 'another export');
  const releaseLock = takeLock(path);
  writing.add(key);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    writing.delete(key);
    releaseLock();
  };
}

function busy(path: string, who: string): AppError {
  return new AppError('export-busy', `${basename(path)} in ${dirname(path)} is being written by ${who}: wait for it to finish, or choose another file name.`);
}

function takeLock(path: string): () => void {
  const lock = exportLockFile(path);
  const mine: LockHolder = { pid: process.pid, host: HOST, tag: randomBytes(6).toString('hex'), startedAt: new Date().toISOString() };
  // A few tries: a stale lock is removed and the file created again, and another process may win that race.
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = openSync(lock, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new AppError('export-unwritable', `Cannot write ${path}: ${messageOf(error)}`);
      }
      const seen = readHolder(lock);
      if (seen === 'gone') continue; // released between our open and read: try again
      if (!isStale(seen, lock)) throw busy(path, describeOther(seen, lock));
      removeIfUnchanged(lock, seen);
      continue;
    }
    try {
      writeSync(fd, JSON.stringify(mine));
    } catch (error) {
      closeSync(fd);
      rmSync(lock, { force: true }); // an empty lock would hold the file for a while for nothing
      throw new AppError('export-unwritable', `Cannot write ${path}: ${messageOf(error)}`);
    }
    closeSync(fd);
    return () => removeIfUnchanged(lock, mine);
  }
  throw busy(path, 'another program (the command line or the app)');
}

/** The holder a lock file names; null when its content is not whole; 'gone' when it is no longer there. */
function readHolder(lock: string): LockHolder | null | 'gone' {
  let text: string;
  try {
    text = readFileSync(lock, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw new AppError('export-unwritable', `Cannot read ${lock}: ${messageOf(error)}`);
  }
  try {
    return lockHolder.safeParse(JSON.parse(text)).data ?? null;
  } catch {
    return null; // not whole: judged by its age
  }
}

/**
 * Whether a lock's writer is provably gone: a process on this host that no longer runs (or this
 * process, whose own exports are all in `writing`: its pid came back to a crashed writer's lock).
 * A writer on another host cannot be asked; its lock stands until removed.
 */
function isStale(holder: LockHolder | null, lock: string): boolean {
  if (holder === null) {
    try {
      return Date.now() - statSync(lock).mtimeMs > HALF_WRITTEN_STALE_MS;
    } catch {
      return true; // gone meanwhile
    }
  }
  if (holder.host !== HOST) return false;
  return holder.pid === process.pid || !processAlive(holder.pid);
}

/** Removes the lock only while it still holds what was read, so another process's fresh lock is never taken away. */
function removeIfUnchanged(lock: string, expected: LockHolder | null): void {
  const now = readHolder(lock);
  if (now === 'gone') return;
  if (expected === null ? now !== null : now === null || now.tag !== expected.tag) return;
  try {
    rmSync(lock, { force: true });
  } catch {
    // cannot be removed (permissions): the next export sees a dead writer and takes it over
  }
}

function describeOther(holder: LockHolder | null, lock: string): string {
  if (!holder) return 'another program (the command line or the app)';
  const where = holder.host === HOST ? `process ${holder.pid}` : `process ${holder.pid} on ${holder.host}`;
  const since = new Date(holder.startedAt).toLocaleTimeString();
  // On this host the process is alive, but its number may have gone to another program since a crash.
  const clear = ` (if nothing is exporting${holder.host === HOST ? '' : ' there'}, delete ${basename(lock)} beside it)`;
  return `another program (the command line or the app, ${where}, since ${since})${clear}`;
}

/**
 * One name for one file however it is reached: through a linked folder or a link to the file, and
 * in another case where the file system ignores case (Windows, macOS). The file may not exist yet.
 */
function fileKey(path: string): string {
  const real = realFile(path);
  return process.platform === 'win32' || process.platform === 'darwin' ? real.toLowerCase() : real;
}

function realFile(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    try {
      return join(realpathSync(dirname(path)), basename(path));
    } catch {
      return path;
    }
  }
}
