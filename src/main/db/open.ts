/** The one place better-sqlite3 is opened: pragmas, schema-version guard, migrations. */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { AppError, messageOf } from '../errors';
import { LATEST_SCHEMA_VERSION, migrations } from './migrations/index';

export type Db = Database.Database;

/** How long one statement waits, blocking, for another process's write lock. */
export const BUSY_TIMEOUT_MS = 100;

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Applies, in one transaction, every migration above the current version (up to `target`). */
export function migrate(db: Db, target = LATEST_SCHEMA_VERSION): void {
  const current = schemaVersion(db);
  const pending = migrations.filter((m) => m.version > current && m.version <= target);
  if (pending.length === 0) return;
  db.transaction(() => {
    for (const m of pending) {
      db.exec(m.sql);
      m.up?.(db);
      db.pragma(`user_version = ${m.version}`);
    }
  })();
}

function refuseNewer(path: string): void {
  let probe: Db | undefined;
  try {
    probe = new Database(path, { readonly: true, fileMustExist: true });
    const version = schemaVersion(probe);
    if (version > LATEST_SCHEMA_VERSION) {
      throw new AppError(
        'db-too-new',
        `The catalogue ${path} was written by a newer Poster Catalogue (schema version ${version}; ` +
          `this version understands up to ${LATEST_SCHEMA_VERSION}). It was left untouched: update the application to open it.`,
      );
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    const code = (error as { code?: string }).code;
    if (code === 'SQLITE_CANTOPEN') return; // a new catalogue: created below
    throw new AppError('db-unreadable', `The catalogue ${path} cannot be opened: ${messageOf(error)}`);
  } finally {
    probe?.close();
  }
}

/** Opens (creating if needed) the catalogue at `path`, migrated to the latest schema. */
export function openDatabase(path: string, options: { migrateTo?: number } = {}): Db {
  mkdirSync(dirname(path), { recursive: true });
  refuseNewer(path);
  let db: Db;
  try {
    db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
    // Short: a write that meets another process's write fails fast instead of freezing this
    // thread; callers retry asynchronously (withBusyRetry, dispatch).
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  } catch (error) {
    throw new AppError('db-unreadable', `The catalogue ${path} cannot be opened: ${messageOf(error)}`);
  }
  migrate(db, options.migrateTo);
  return db;
}
