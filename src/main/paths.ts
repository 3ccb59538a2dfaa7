/** Where the catalogue lives. Mirrors Electron's app.getPath('userData') without importing electron. */
import { homedir } from 'node:os';
import { basename, dirname, extname, join, resolve } from 'node:path';

export const APP_NAME = 'Poster Catalogue';
export const DB_ENV = 'POSTER_CATALOGUE_DB';

export function userDataDir(): string {
  const home = homedir();
  switch (process.platform) {
    case 'win32':
      return join(process.env.APPDATA ?? join(home, 'AppData', 'Roaming'), APP_NAME);
    case 'darwin':
      return join(home, 'Library', 'Application Support', APP_NAME);
    default:
      return join(process.env.XDG_CONFIG_HOME ?? join(home, '.config'), APP_NAME);
  }
}

/** `--db PATH` wins, then $POSTER_CATALOGUE_DB, then the user-data folder. */
export function resolveDbPath(explicit?: string): string {
  const chosen = explicit ?? process.env[DB_ENV];
  return chosen ? resolve(chosen) : join(userDataDir(), 'catalogue.sqlite');
}

/** Thumbnails sit beside the database they belong to, so two catalogues in one folder never mix. */
export function thumbnailsDir(dbPath: string): string {
  return join(dirname(dbPath), `${basename(dbPath, extname(dbPath))}.thumbnails`);
}

/** Retrained genre models, beside the database like its thumbnails. */
export function modelVersionsDir(dbPath: string): string {
  return join(dirname(dbPath), `${basename(dbPath, extname(dbPath))}.models`);
}
