/** Walks a vendor folder: every .jpg/.jpeg (any case), sidecar CSVs per folder, and what could not be read. */
import { readdir, realpath, stat } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import type { ImportFailure } from '../../shared/types';
import { messageOf } from '../errors';
import { displayName } from './rawNames';

export interface ScanResult {
  files: string[];
  /** Sidecar CSV paths by the folder they describe. */
  sidecars: Map<string, string[]>;
  failures: ImportFailure[];
  /**
   * The bytes to open for a path whose name (or a folder's) is not UTF-8: `files` and `sidecars`
   * hold a displayable name (see rawNames.ts), which is not the name on disk.
   */
  rawPaths: Map<string, Buffer>;
}

const JPEG = /\.jpe?g$/i;
const CSV = /\.csv$/i;

function reasonFor(error: unknown): string {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'ELOOP':
      return 'symbolic link loop';
    case 'ENOENT':
      return 'broken symbolic link (its target does not exist)';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    default:
      return messageOf(error);
  }
}

export async function scanFolder(root: string, signal?: AbortSignal): Promise<ScanResult> {
  const result: ScanResult = { files: [], sidecars: new Map(), failures: [], rawPaths: new Map() };
  const visited = new Set<string>();
  // Folders are read as bytes: a name that is not UTF-8 would otherwise come back with U+FFFD in
  // it, a name that no longer opens the file.
  const walk = async (dir: string, rawDir: Buffer, needsRaw: boolean): Promise<void> => {
    signal?.throwIfAborted();
    let real: string;
    try {
      real = (await realpath(rawDir, { encoding: 'buffer' })).toString('hex');
    } catch (error) {
      result.failures.push({ file: dir, reason: `folder cannot be read: ${reasonFor(error)}` });
      return;
    }
    if (visited.has(real)) {
      if (dir !== root) result.failures.push({ file: dir, reason: `symbolic link loop: leads back to ${displayName(Buffer.from(real, 'hex')).name}` });
      return;
    }
    visited.add(real);
    let entries;
    try {
      entries = await readdir(rawDir, { withFileTypes: true, encoding: 'buffer' });
    } catch (error) {
      result.failures.push({ file: dir, reason: `folder cannot be read: ${reasonFor(error)}` });
      return;
    }
    const subdirs: { path: string; raw: Buffer; needsRaw: boolean }[] = [];
    for (const entry of entries) {
      const { name, raw } = displayName(entry.name);
      const path = join(dir, name);
      const rawPath = Buffer.concat([rawDir, Buffer.from(sep), entry.name]);
      const viaBytes = needsRaw || raw;
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        try {
          const target = await stat(rawPath);
          isDir = target.isDirectory();
          isFile = target.isFile();
        } catch (error) {
          if (JPEG.test(name) || (error as NodeJS.ErrnoException).code === 'ELOOP') {
            result.failures.push({ file: path, reason: reasonFor(error) });
          }
          continue;
        }
      }
      if (isDir) subdirs.push({ path, raw: rawPath, needsRaw: viaBytes });
      else if (isFile && (JPEG.test(name) || CSV.test(name))) {
        if (viaBytes) result.rawPaths.set(path, rawPath);
        if (JPEG.test(name)) result.files.push(path);
        else {
          const list = result.sidecars.get(dirname(path)) ?? [];
          list.push(path);
          result.sidecars.set(dirname(path), list);
        }
      } else if (JPEG.test(name)) {
        result.failures.push({ file: path, reason: 'not a regular file' });
      }
    }
    subdirs.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    for (const sub of subdirs) await walk(sub.path, sub.raw, sub.needsRaw);
  };
  await walk(root, Buffer.from(root), false);
  result.files.sort();
  return result;
}
