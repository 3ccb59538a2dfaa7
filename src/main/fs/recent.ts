/**
 * Recent folders, per catalogue and per purpose (the vendor folders imported from, the folders
 * exported to), newest first: the pickers offer them so a person rarely browses from the top.
 */
import { z } from 'zod';
import type { BrowsePurpose } from '../../shared/types';
import { getSetting, setSetting } from '../catalogue/modelRepository';
import type { Db } from '../db/open';

const KEEP = 8;
const stored = z.array(z.string());

const key = (purpose: BrowsePurpose) => `recent.${purpose}`;

export function recentFolders(db: Db, purpose: BrowsePurpose): string[] {
  const raw = getSetting(db, key(purpose));
  if (raw === undefined) return [];
  try {
    const parsed = stored.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : [];
  } catch {
    return []; // a damaged entry only loses the list, never the operation
  }
}

export function rememberFolder(db: Db, purpose: BrowsePurpose, folder: string): void {
  const list = [folder, ...recentFolders(db, purpose).filter((f) => f !== folder)].slice(0, KEEP);
  setSetting(db, key(purpose), JSON.stringify(list));
}
