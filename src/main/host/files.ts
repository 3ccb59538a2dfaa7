/**
 * Files the browser host serves: only regular files, only inside their folder, never through a
 * symbolic link, and a malformed path is a 400, never an exception.
 */
import { constants } from 'node:fs';
import { open, realpath, type FileHandle } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join } from 'node:path';
import { pipeline } from 'node:stream';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};
export const mimeOf = (file: string): string => MIME[extname(file).toLowerCase()] ?? 'application/octet-stream';

/** A request target split into decoded path segments and its query, or null when it is not a well-formed origin-form target. */
export function parseTarget(raw: string | undefined): { segments: string[]; query: URLSearchParams } | null {
  // Only origin-form ("/path?query"): absolute-form (`GET http://[ HTTP/1.1`), `*` and `//host` are refused.
  if (!raw || !raw.startsWith('/') || raw.startsWith('//')) return null;
  const q = raw.indexOf('?');
  const path = q < 0 ? raw : raw.slice(0, q);
  const segments: string[] = [];
  for (const part of path.split('/').slice(1)) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(part);
    } catch {
      return null; // a bad percent-escape (%E0%A4%A)
    }
    // A segment is a name: no separators, no NUL, no way up.
    if (/[/\\\0]/.test(decoded) || decoded === '.' || decoded === '..') return null;
    segments.push(decoded);
  }
  let query: URLSearchParams;
  try {
    query = new URLSearchParams(q < 0 ? '' : raw.slice(q + 1));
  } catch {
    return null;
  }
  return { segments, query };
}

/** The real path of a folder we serve from, resolved once so a symlinked catalogue folder still works. */
export const servedRoot = (dir: string): Promise<string | null> => realpath(dir).catch(() => null);

const NOFOLLOW = constants.O_NOFOLLOW ?? 0;

/**
 * Opens `segments` under `root` only if every step is a real directory or file: the resolved path
 * must equal the joined one (no symbolic link anywhere below root), and the last step is opened
 * without following a link, so swapping in a link after the check does not help either.
 */
export async function openInside(root: string, segments: string[]): Promise<FileHandle | null> {
  if (segments.length === 0 || segments.some((s) => s === '')) return null;
  const path = join(root, ...segments);
  const real = await realpath(path).catch(() => null);
  if (real !== path) return null;
  return openRegular(path, true);
}

/** Opens a regular file (not a folder, device or FIFO), or null. */
export async function openRegular(path: string | Buffer, noFollow: boolean): Promise<FileHandle | null> {
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | (noFollow ? NOFOLLOW : 0));
  } catch {
    return null;
  }
  const info = await handle.stat().catch(() => null);
  if (!info?.isFile()) {
    await handle.close();
    return null;
  }
  return handle;
}

/** Streams an open file and closes it; HEAD gets the headers only. */
export async function sendHandle(
  req: IncomingMessage,
  res: ServerResponse,
  handle: FileHandle,
  type: string,
  headers: Record<string, string> = {},
): Promise<void> {
  let size: number;
  try {
    ({ size } = await handle.stat());
  } catch {
    await handle.close().catch(() => undefined);
    res.destroy();
    return;
  }
  // The page may have gone while the file was being opened (a thumbnail scrolled past, a closed
  // tab): its 'close' has been and gone, so nothing would ever end a stream started now.
  if (req.method === 'HEAD' || res.destroyed) {
    await handle.close();
    if (!res.destroyed) res.writeHead(200, { 'content-type': type, 'content-length': String(size), ...headers }).end();
    return;
  }
  res.writeHead(200, { 'content-type': type, 'content-length': String(size), ...headers });
  // pipeline ends the file (and closes its handle) however the response ends, cut off included.
  pipeline(handle.createReadStream(), res, () => undefined);
}
