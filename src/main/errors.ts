/** An error meant for a person: a stable code for the UI and a message naming the thing and the reason. */
export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/**
 * What the operating system's refusals mean, in words: Node's own message ("ENOSPC: no space left
 * on device, write") is for programmers, and the caller already names the file.
 */
const SYSTEM_REASONS: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the disk is read-only',
  ENOENT: 'the file or folder is not there',
  ENOTDIR: 'part of the path is not a folder',
  EISDIR: 'it is a folder, not a file',
  EEXIST: 'it already exists',
  EBUSY: 'it is in use by another program',
  EMFILE: 'too many files are open at once',
  ENAMETOOLONG: 'the name is too long',
  EIO: 'the disk could not be read or written (input/output error)',
};

/** The message of anything thrown, without a stack trace; an operating system's refusal in words. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) {
    const { code, syscall, path, dest } = error as NodeJS.ErrnoException & { dest?: string; address?: string };
    // A file's refusal only: a network one (listen, connect) keeps Node's message, which names the address.
    const reason = syscall && code && !('address' in error) ? SYSTEM_REASONS[code] : undefined;
    if (!reason) return error.message;
    // Both paths where Node gave two (a copy, a rename): either may be the one refused, and a caller may name neither.
    return path ? `${reason} (${dest ? `${path} → ${dest}` : path})` : reason;
  }
  return String(error);
}
