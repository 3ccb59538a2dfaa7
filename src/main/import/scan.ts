/** Walks a vendor folder: every .jpg/.jpeg (any case), sidecar CSVs per folder, and what could not be read. */
import { opendir, realpath, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ImportFailure } from '../../shared/types';
import { messageOf } from '../errors';

export interface ScanResult {
  files: string[];
  /** Sidecar CSV paths by the folder they describe. */
  sidecars: Map<string, string[]>;
  failures: ImportFailure[];
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
  const result: ScanResult = { files: [], sidecars: new Map(), failures: [] };
  const visited = new Set<string>();
  const walk = async (dir: string): Promise<void> => {
    signal?.throwIfAborted();
    let real: string;
    try {
      real = await realpath(dir);
    } catch (error) {
      result.failures.push({ file: dir, reason: `folder cannot be read: ${reasonFor(error)}` });
      return;
    }
    if (visited.has(real)) {
      if (dir !== root) result.failures.push({ file: dir, reason: `symbolic link loop: leads back to ${real}` });
      return;
    }
    visited.add(real);
    let handle;
    try {
      handle = await opendir(dir);
    } catch (error) {
      result.failures.push({ file: dir, reason: `folder cannot be read: ${reasonFor(error)}` });
      return;
    }
    const subdirs: string[] = [];
    for await (const entry of handle) {
      const path = join(dir, entry.name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        try {
          const target = await stat(path);
          isDir = target.isDirectory();
          isFile = target.isFile();
        } catch (error) {
          if (JPEG.test(entry.name) || (error as NodeJS.ErrnoException).code === 'ELOOP') {
            result.failures.push({ file: path, reason: reasonFor(error) });
          }
          continue;
        }
      }
      if (isDir) subdirs.push(path);
      else if (isFile && JPEG.test(entry.name)) result.files.push(path);
      else if (isFile && CSV.test(entry.name)) {
        const list = result.sidecars.get(dirname(path)) ?? [];
        list.push(path);
        result.sidecars.set(dirname(path), list);
      } else if (JPEG.test(entry.name)) {
        result.failures.push({ file: path, reason: 'not a regular file' });
      }
    }
    for (const sub of subdirs.sort()) await walk(sub);
  };
  await walk(root);
  result.files.sort();
  return result;
}
