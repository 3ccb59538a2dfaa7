/**
 * Paths typed or chosen by a person. `~` is their home folder (as a shell would have it); a
 * relative path is refused, because the screens have no "current folder" a person could know
 * (it used to land in the application's folder). The command line resolves relative paths
 * against its own working folder before they reach the service.
 */
import { homedir } from 'node:os';
import { isAbsolute, join, normalize } from 'node:path';
import { AppError } from '../errors';

/** `~` and `~/…` (or `~\…`) from the home folder; anything else unchanged. */
export function expandHome(path: string): string {
  const trimmed = path.trim();
  if (trimmed === '~') return homedir();
  if (trimmed.startsWith('~/') || trimmed.startsWith('~\\')) return join(homedir(), trimmed.slice(2));
  return trimmed;
}

/** An absolute, normalised path from what a person gave, or a clear error naming `what`. */
export function userPath(path: string, what: string): string {
  const expanded = expandHome(path);
  if (!expanded) throw new AppError('path-required', `Choose ${what}.`);
  if (!isAbsolute(expanded)) {
    throw new AppError(
      'path-not-absolute',
      `"${path.trim()}" is not a full path: choose ${what} with Browse…, or type it from the top (such as ~/Vendors/acme or /home/dealer/Vendors/acme).`,
    );
  }
  return normalize(expanded);
}

/** Why a folder cannot be used, in words, from the error its stat or read gave. */
export function folderProblem(folder: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return `The folder ${folder} does not exist.`;
  if (code === 'ENOTDIR') return `${folder} is not a folder (part of it is a file).`;
  if (code === 'EACCES' || code === 'EPERM') return `The folder ${folder} cannot be read: permission denied.`;
  if (code === 'ELOOP') return `The folder ${folder} is a symbolic link loop.`;
  return `The folder ${folder} cannot be read (${code ?? String(error)}).`;
}
