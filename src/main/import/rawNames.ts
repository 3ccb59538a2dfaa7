/**
 * File names that are not valid UTF-8 (`caf\xe9.jpg` from an old Windows share, written in
 * Latin-1/Windows-1252). Node turns such bytes into U+FFFD when it reads a folder as text, so the
 * name it gives cannot be opened again. We read folders as bytes, open files by their bytes, and
 * store a displayable name: a component that is not UTF-8 is decoded as Windows-1252 (a superset of
 * Latin-1 for printable text), using the WHATWG decoder Node ships, not a table of our own.
 */
import { access } from 'node:fs/promises';
import { sep } from 'node:path';

const utf8 = new TextDecoder('utf-8', { fatal: true });
const cp1252 = new TextDecoder('windows-1252');

/** Each of the 256 bytes decodes to its own character in WHATWG's windows-1252, so the map reverses exactly. */
const toCp1252Byte = new Map<string, number>(Array.from({ length: 256 }, (_, b) => [cp1252.decode(Uint8Array.of(b)), b]));

/** A name for display and storage; `raw` is true when the bytes were not UTF-8. */
export function displayName(bytes: Buffer): { name: string; raw: boolean } {
  try {
    return { name: utf8.decode(bytes), raw: false };
  } catch {
    return { name: cp1252.decode(bytes), raw: true };
  }
}

/** The Windows-1252 bytes of a name made by displayName, or null if it has characters outside that code page. */
function cp1252Bytes(name: string): Buffer | null {
  const bytes: number[] = [];
  for (const ch of name) {
    const b = toCp1252Byte.get(ch);
    if (b === undefined) return null;
    bytes.push(b);
  }
  return Buffer.from(bytes);
}

const exists = (path: string | Buffer): Promise<boolean> =>
  access(path).then(
    () => true,
    () => false,
  );

/**
 * What to open for a stored path: the path itself when it exists, else the same path with its
 * non-ASCII components tried as Windows-1252 bytes, one component at a time (a UTF-8 folder can
 * hold a Latin-1 file). Falls back to the stored path, so the caller's error says what is missing.
 */
export async function openablePath(stored: string): Promise<string | Buffer> {
  if (await exists(stored)) return stored;
  const parts = stored.split(sep);
  let prefix = Buffer.from(parts[0] ?? '');
  for (const part of parts.slice(1)) {
    const asUtf8 = Buffer.concat([prefix, Buffer.from(sep), Buffer.from(part)]);
    const bytes = /[^\x20-\x7e]/.test(part) ? cp1252Bytes(part) : null;
    const asCp1252 = bytes && Buffer.concat([prefix, Buffer.from(sep), bytes]);
    if (await exists(asUtf8)) prefix = asUtf8;
    else if (asCp1252 && (await exists(asCp1252))) prefix = asCp1252;
    else return stored;
  }
  return prefix;
}
