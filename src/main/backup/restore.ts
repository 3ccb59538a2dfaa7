/**
 * Restoring a backup into the live catalogue. The backup is written into the catalogue's own file by
 * SQLite's backup API, as one transaction (a crash half-way leaves the previous state), so the
 * connection every adapter holds stays valid and sees the restored catalogue at once. What it
 * replaces is kept first: a sound catalogue gets a "pre-restore" backup (so a restore can itself be
 * undone); a damaged one is copied aside byte for byte, never deleted.
 */
import { closeSync, copyFileSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, statSync, truncateSync } from 'node:fs';
import { basename, dirname, extname, join, resolve, sep } from 'node:path';
import type { BackupInfo } from '../../shared/types';
import { LATEST_SCHEMA_VERSION } from '../db/migrations/index';
import { openCopy, type Db } from '../db/open';
import { AppError, messageOf } from '../errors';
import { modelVersionsDir } from '../paths';
import { BACKUP_DB_FILE, createBackup, readManifest, verifyBackup } from './backupStore';

function copyDurably(from: string, to: string): void {
  const temp = `${to}.${process.pid}.tmp`;
  copyFileSync(from, temp);
  const fd = openSync(temp, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, to);
}

/**
 * Copies a damaged catalogue (and its write-ahead log) aside, byte for byte, as
 * `<name>.damaged-<time it was last written>.sqlite`: once per state of the file, so opening the
 * same damaged catalogue again does not copy it again.
 */
export function keepAside(dbPath: string): string[] {
  const files = ['', '-wal'].filter((suffix) => existsSync(dbPath + suffix) && (suffix === '' || statSync(dbPath + suffix).size > 0));
  const written = new Date(Math.max(...files.map((suffix) => statSync(dbPath + suffix).mtimeMs)));
  const base = join(dirname(dbPath), `${basename(dbPath, extname(dbPath))}.damaged-${written.toISOString().replace(/[-:.]/g, '')}${extname(dbPath)}`);
  return files.map((suffix) => {
    const target = base + suffix;
    if (!existsSync(target) || statSync(target).size !== statSync(dbPath + suffix).size) copyDurably(dbPath + suffix, target);
    return target;
  });
}

/** Puts the backup's model-version files back where the restored catalogue expects them (inside `<catalogue>.models/` only). */
function restoreModels(dbPath: string, backup: BackupInfo): void {
  const own = modelVersionsDir(dbPath);
  for (const m of readManifest(backup.path).models) {
    const target = resolve(m.file).startsWith(own + sep) ? resolve(m.file) : join(own, basename(m.file));
    mkdirSync(dirname(target), { recursive: true });
    copyDurably(join(backup.path, m.copy), target);
  }
}

// Everything in one backup step: no other write of this process can land half-way through the restore.
const wholeInOneStep = (): number => 0x7fffffff;

const code = (error: unknown): string | undefined => (error as { code?: string }).code;

export interface RestoreOptions {
  /** The live catalogue failed its check: copy it aside instead of backing it up. */
  damaged: boolean;
  /** Where the pre-restore backup goes. */
  folder: string;
}

export async function restoreInto(
  db: Db,
  dbPath: string,
  backup: BackupInfo,
  options: RestoreOptions,
): Promise<{ backup: BackupInfo | null; keptAside: string[] }> {
  const problems = verifyBackup(backup);
  if (problems.length)
    throw new AppError('backup-damaged', `The backup ${backup.name} does not pass its check (${problems.slice(0, 3).join('; ')}); choose another.`);
  if (backup.schemaVersion > LATEST_SCHEMA_VERSION) {
    throw new AppError(
      'backup-too-new',
      `The backup ${backup.name} was written by a newer Poster Catalogue (schema ${backup.schemaVersion}); update the application to restore it.`,
    );
  }
  let previous: { backup: BackupInfo | null; keptAside: string[] };
  try {
    previous = options.damaged
      ? { backup: null, keptAside: keepAside(dbPath) }
      : { backup: await createBackup(db, dbPath, { reason: 'pre-restore', folder: options.folder }), keptAside: [] };
  } catch (error) {
    throw new AppError('restore-refused', `The current catalogue could not be kept before restoring, so nothing was restored: ${messageOf(error)}`);
  }
  restoreModels(dbPath, backup);

  const source = openCopy(join(backup.path, BACKUP_DB_FILE), { readonly: true });
  let truncated = false;
  try {
    try {
      await source.backup(dbPath, { progress: wholeInOneStep });
    } catch (error) {
      // A file whose header is gone is not a database SQLite will write into; it was copied aside above.
      if (!options.damaged || !['SQLITE_NOTADB', 'SQLITE_CORRUPT'].includes(code(error) ?? '')) throw error;
      for (const suffix of ['-wal', '-shm']) rmSync(dbPath + suffix, { force: true });
      truncateSync(dbPath, 0);
      truncated = true;
      await source.backup(dbPath, { progress: wholeInOneStep });
    }
  } catch (error) {
    const kept = truncated ? `the damaged catalogue is kept at ${previous.keptAside[0] ?? '?'}` : 'the catalogue was not changed';
    throw new AppError('restore-failed', `Restoring ${backup.name} into ${dbPath} failed: ${messageOf(error)}; ${kept}.`);
  } finally {
    source.close();
  }
  // The restored file is a one-file (rollback-journal) database; the live connection goes back to normal.
  db.pragma('query_only = OFF');
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  return previous;
}
