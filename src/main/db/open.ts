/** The one place better-sqlite3 is opened: pragmas, schema-version guard, migrations. */
import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { AppError, messageOf } from '../errors';
import { LATEST_SCHEMA_VERSION, migrations, type Migration } from './migrations/index';

export type Db = Database.Database;

/** How long one statement waits, blocking, for another process's write lock. */
export const BUSY_TIMEOUT_MS = 100;

/** What the quick check at open found wrong with a catalogue (null when it is sound). */
export interface Damage {
  /** SQLite's own words: the first lines of PRAGMA quick_check, or the error opening it. */
  problems: string[];
  /** Copies of the file as it was found, made before it was opened for anything but the check. */
  keptAside: string[];
}

/** Text for forgiving comparisons: lower case, accents dropped ("Mädchen" matches "madchen"). */
export const foldText = (text: string): string => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/** SQL functions every catalogue connection has: `fold(text)` (foldText) for the library's filters. */
function registerFunctions(db: Db): void {
  db.function('fold', { deterministic: true }, (value: unknown) => (typeof value === 'string' ? foldText(value) : value));
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Applies, in one transaction, every migration above the current version (up to `target`). */
export function migrate(
  db: Db,
  target = LATEST_SCHEMA_VERSION,
  list: readonly Migration[] = migrations,
  beforeMigrating?: (from: number, to: number) => void,
): void {
  const current = schemaVersion(db);
  const pending = list.filter((m) => m.version > current && m.version <= target);
  if (pending.length === 0) return;
  // A catalogue that already holds something is copied first; the copy failing stops the upgrade.
  if (current > 0) beforeMigrating?.(current, (pending.at(-1) as Migration).version);
  db.transaction(() => {
    for (const m of pending) {
      db.exec(m.sql);
      m.up?.(db);
      db.pragma(`user_version = ${m.version}`);
    }
  })();
}

/**
 * The catalogue's folder and file must be writable: SQLite writes its journal beside the file, and
 * without it a sound catalogue read as damaged ("could not be copied aside", "readonly database").
 */
function requireWritable(path: string): void {
  const folder = dirname(path);
  try {
    mkdirSync(folder, { recursive: true });
  } catch (error) {
    throw new AppError('db-unwritable', `The folder ${folder} for the catalogue cannot be made: ${messageOf(error)}.`);
  }
  const problems = [
    [folder, 'its folder cannot be written to (SQLite keeps its journal beside the catalogue)'],
    ...(existsSync(path) ? [[path, 'the file is read-only']] : []),
  ] as const;
  for (const [target, why] of problems) {
    try {
      accessSync(target, constants.W_OK);
    } catch {
      throw new AppError('db-unwritable', `The catalogue ${path} cannot be opened: ${why}. Copy it to a folder you can write to, or change the permissions.`);
    }
  }
}

/**
 * Looks at the file read-only before anything writes to it: refuses a newer schema untouched, and
 * runs SQLite's quick check (every page read and its b-tree structure checked; measured 0.5 s for a
 * 350 MB catalogue of feature vectors on the 2-core CI machine).
 */
function probe(path: string): Damage | null {
  let reader: Db | undefined;
  try {
    reader = new Database(path, { readonly: true, fileMustExist: true });
    const version = schemaVersion(reader);
    if (version > LATEST_SCHEMA_VERSION) {
      throw new AppError(
        'db-too-new',
        `The catalogue ${path} was written by a newer Poster Catalogue (schema version ${version}; ` +
          `this version understands up to ${LATEST_SCHEMA_VERSION}). It was left untouched: update the application to open it.`,
      );
    }
    const problems = (reader.pragma('quick_check(20)', { simple: false }) as { quick_check: string }[]).map((r) => r.quick_check);
    return problems.length === 1 && problems[0] === 'ok' ? null : { problems, keptAside: [] };
  } catch (error) {
    if (error instanceof AppError) throw error;
    const code = (error as { code?: string }).code;
    if (code === 'SQLITE_CANTOPEN') return null; // a new catalogue: created below
    return { problems: [messageOf(error)], keptAside: [] };
  } finally {
    reader?.close();
  }
}

export interface OpenOptions {
  migrateTo?: number;
  /** The migrations to apply (tests inject a failing one). */
  migrations?: readonly Migration[];
  /** Called before migrating a catalogue that holds data; it throwing stops the upgrade, the file untouched. */
  beforeMigrating?: (db: Db, from: number, to: number) => void;
  /**
   * Called with a damaged file before it is opened: closing a connection lets SQLite checkpoint a
   * write-ahead log into the file, so the caller copies the file as found aside first.
   */
  keepAside?: (path: string) => string[];
}

/**
 * Opens the catalogue, or, when its quick check fails, the damaged file in query-only mode (nothing
 * is written to it; it is read where SQLite still can) with what is wrong, so the caller can say so
 * and offer a backup. A newer schema is still refused.
 */
export function openCatalogue(path: string, options: OpenOptions = {}): { db: Db; damage: Damage | null } {
  requireWritable(path);
  const damage = probe(path);
  if (damage) {
    try {
      damage.keptAside = options.keepAside?.(path) ?? [];
    } catch (error) {
      throw new AppError('db-damaged', `The catalogue ${path} is damaged and could not be copied aside before opening it: ${messageOf(error)}.`);
    }
    let db: Db;
    try {
      // Read-write at the file level, so that a restore can write into this same connection's file
      // and the connection (held by every adapter) carries on; query_only refuses every write
      // meanwhile. SQLite may still checkpoint a committed write-ahead log into the file when this
      // connection closes, which is why the file as found was copied aside above.
      db = new Database(path, { fileMustExist: true });
      db.pragma('query_only = ON');
      db.pragma('busy_timeout = 5000');
      registerFunctions(db);
    } catch (error) {
      throw new AppError('db-unreadable', `The catalogue ${path} cannot be opened: ${messageOf(error)}`);
    }
    return { db, damage };
  }
  return { db: openSound(path, options), damage: null };
}

function openSound(path: string, options: OpenOptions): Db {
  let db: Db;
  try {
    db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
    // Short: a write that meets another process's write fails fast instead of freezing this
    // thread; callers retry asynchronously (withBusyRetry, dispatch).
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    registerFunctions(db);
  } catch (error) {
    throw new AppError('db-unreadable', `The catalogue ${path} cannot be opened: ${messageOf(error)}`);
  }
  try {
    const before = options.beforeMigrating;
    migrate(db, options.migrateTo, options.migrations, before && ((from, to) => before(db, from, to)));
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/** Opens (creating if needed) the catalogue at `path`, migrated to the latest schema; a damaged one is refused with what is wrong. */
export function openDatabase(path: string, options: OpenOptions = {}): Db {
  const { db, damage } = openCatalogue(path, options);
  if (damage) {
    db.close();
    throw new AppError('db-damaged', `The catalogue ${path} cannot be opened: it is damaged (${damage.problems.slice(0, 3).join('; ')}).`);
  }
  return db;
}

/**
 * A plain connection to a file that is not the live catalogue — a backup being written, verified or
 * restored from: no pragmas, no migrations.
 */
export function openCopy(path: string, options: { readonly?: boolean } = {}): Db {
  return new Database(path, { readonly: options.readonly ?? false, fileMustExist: true });
}
