/**
 * Where a catalogue's backups go: `backups/` beside it, or a folder the user chose (another disk),
 * remembered in `<name>.backups.json` beside the catalogue — outside the database, so a damaged
 * catalogue still knows where its backups are. $POSTER_CATALOGUE_BACKUPS overrides both.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { z } from 'zod';
import { AppError, messageOf } from '../errors';

export const BACKUPS_ENV = 'POSTER_CATALOGUE_BACKUPS';

const settingsSchema = z.object({ folder: z.string().min(1).optional() });

export const catalogueName = (dbPath: string): string => basename(dbPath, extname(dbPath));
const settingsFile = (dbPath: string): string => join(dirname(dbPath), `${catalogueName(dbPath)}.backups.json`);
export const defaultBackupsFolder = (dbPath: string): string => join(dirname(dbPath), 'backups');

function chosenFolder(dbPath: string): string | undefined {
  const file = settingsFile(dbPath);
  if (!existsSync(file)) return undefined;
  let parsed;
  try {
    parsed = settingsSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  } catch (error) {
    throw new AppError('backup-settings', `${file} cannot be read: ${messageOf(error)}. Fix or delete it.`);
  }
  if (!parsed.success) throw new AppError('backup-settings', `${file} is not a backup setting: ${parsed.error.issues[0]?.message ?? 'bad shape'}.`);
  return parsed.data.folder;
}

/**
 * Makes the backups folder if it is not there, but only its last level: a folder on a disk that is
 * not connected (`/media/usb/poster-backups` with no `/media/usb`) is refused, or the backups meant
 * for another disk would quietly land on this one.
 */
export function ensureBackupsFolder(folder: string): void {
  const target = resolve(folder);
  if (existsSync(target)) return;
  const parent = dirname(target);
  if (!existsSync(parent)) throw new Error(`${parent} does not exist (is its disk connected?)`);
  mkdirSync(target);
}

export function backupsFolder(dbPath: string): string {
  const fromEnv = process.env[BACKUPS_ENV];
  if (fromEnv) return resolve(fromEnv);
  const chosen = chosenFolder(dbPath);
  return chosen ? resolve(dirname(dbPath), chosen) : defaultBackupsFolder(dbPath);
}

/** Remembers the folder (null: back to `backups/` beside the catalogue) once it can be written to; written atomically. */
export function chooseBackupsFolder(dbPath: string, folder: string | null): string {
  if (folder) {
    const probe = join(resolve(folder), `.write-test-${process.pid}`);
    try {
      ensureBackupsFolder(folder);
      writeFileSync(probe, '');
      rmSync(probe);
    } catch (error) {
      throw new AppError('backup-folder', `Backups cannot be kept in ${resolve(folder)}: ${messageOf(error)}. Nothing was changed.`);
    }
  }
  const file = settingsFile(dbPath);
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(folder ? { folder: resolve(folder) } : {}, null, 2)}\n`);
  renameSync(temp, file);
  return backupsFolder(dbPath);
}

/** Every folder that may hold this catalogue's backups: the current one, and `backups/` beside it if another was chosen. */
export function foldersToList(dbPath: string): string[] {
  return [...new Set([backupsFolder(dbPath), defaultBackupsFolder(dbPath)])];
}
