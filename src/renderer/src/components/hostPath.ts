/** Paths as the host writes them ('/' on Linux and macOS, '\' on Windows), taken apart in the page. */

/** The folder and file name of a path. */
export function splitPath(path: string): { folder: string; name: string } {
  const at = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return at < 0 ? { folder: '', name: path } : { folder: path.slice(0, at) || path.slice(0, 1), name: path.slice(at + 1) };
}

export const joinPath = (folder: string, name: string): string =>
  `${folder.replace(/[\\/]+$/, '')}${folder.includes('\\') && !folder.includes('/') ? '\\' : '/'}${name}`;

/** The top of the disk a path is on: '/', a drive ('C:\'), or a Windows share ('\\server\share\'). */
export function rootOf(path: string): string {
  const drive = /^[A-Za-z]:[\\/]/.exec(path);
  if (drive) return drive[0];
  const share = /^\\\\[^\\]+\\[^\\]+\\?/.exec(path);
  if (share) return share[0].endsWith('\\') ? share[0] : `${share[0]}\\`;
  return '/';
}
