/**
 * Browsing the host's folders for the path pickers (the browser has no native dialog): a
 * folder's subfolders and the files that matter for the purpose (JPEG scans to import, CSV files
 * to export over), never any file's contents. Hidden entries are left out; symbolic links to
 * folders are shown as folders.
 */
import { readdir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, extname, join, parse } from 'node:path';
import type { BrowseResult, BrowsePurpose } from '../../shared/types';
import { AppError } from '../errors';
import { folderProblem, userPath } from './userPath';

const RELEVANT: Record<BrowsePurpose, readonly string[]> = {
  import: ['.jpg', '.jpeg'],
  export: ['.csv'],
};
/** A folder with more entries than this lists the first ones and says how many were left out. */
const MAX_ENTRIES = 2_000;

export async function browseFolder(path: string | undefined, purpose: BrowsePurpose): Promise<Omit<BrowseResult, 'recent'>> {
  const folder = path?.trim() ? userPath(path, 'a folder') : homedir();
  const info = await stat(folder).catch((error: unknown) => {
    throw new AppError('folder-unreadable', folderProblem(folder, error));
  });
  if (!info.isDirectory()) throw new AppError('not-a-folder', `${folder} is a file, not a folder.`);
  const dirents = await readdir(folder, { withFileTypes: true }).catch((error: unknown) => {
    throw new AppError('folder-unreadable', folderProblem(folder, error));
  });
  const folders: string[] = [];
  const files: string[] = [];
  for (const d of dirents) {
    if (d.name.startsWith('.')) continue;
    let isDir = d.isDirectory();
    let isFile = d.isFile();
    if (d.isSymbolicLink()) {
      const target = await stat(join(folder, d.name)).catch(() => null);
      isDir = target?.isDirectory() ?? false;
      isFile = target?.isFile() ?? false;
    }
    if (isDir) folders.push(d.name);
    else if (isFile && RELEVANT[purpose].includes(extname(d.name).toLowerCase())) files.push(d.name);
  }
  const byName = (a: string, b: string) => a.localeCompare(b, undefined, { numeric: true, sensitivity: 'base' });
  folders.sort(byName);
  files.sort(byName);
  const shownFolders = folders.slice(0, MAX_ENTRIES);
  const shownFiles = files.slice(0, Math.max(0, MAX_ENTRIES - shownFolders.length));
  const root = parse(folder).root;
  return {
    path: folder,
    parent: folder === root ? null : dirname(folder),
    home: homedir(),
    folders: shownFolders,
    files: shownFiles,
    fileCount: files.length,
    leftOut: folders.length + files.length - shownFolders.length - shownFiles.length,
  };
}
