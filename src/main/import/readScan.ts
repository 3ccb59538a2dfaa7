/**
 * Reads one scan for import, refusing what is plainly not a poster before reading it all: a file
 * too large for any scan, or one whose first bytes are not a JPEG's. Without this a 1 GB file
 * named `.jpg` was read whole (and several at once) only to be refused by the decoder.
 */
import { open } from 'node:fs/promises';
import { notJpegReason } from '../media/media';

/** Bounds memory at files-in-flight × this; well above a JPEG within the 150-megapixel decode limit at any usual quality. */
export const MAX_SCAN_BYTES = 256 * 1024 * 1024;
/** Enough of the head for the format's signature and for saying what a wrong file holds instead. */
const HEAD_BYTES = 64 * 1024;

const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MB`;

/** The file's bytes, or why it is not imported. Errors opening it (missing, permission) are thrown as they are. */
export async function readScan(path: string | Buffer): Promise<{ data: Buffer } | { reason: string }> {
  const handle = await open(path, 'r');
  try {
    const info = await handle.stat();
    if (!info.isFile()) return { reason: 'not a regular file' };
    if (info.size === 0) return { reason: 'empty file (0 bytes)' };
    const head = Buffer.alloc(Math.min(HEAD_BYTES, info.size));
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    // Every JPEG starts with SOI (FF D8) followed by another marker (FF).
    if (bytesRead < 3 || head[0] !== 0xff || head[1] !== 0xd8 || head[2] !== 0xff) return { reason: await notJpegReason(head.subarray(0, bytesRead)) };
    if (info.size > MAX_SCAN_BYTES) return { reason: `file is ${mb(info.size)}, over the ${mb(MAX_SCAN_BYTES)} limit for one scan; not read` };
    if (bytesRead === info.size) return { data: head };
    return { data: await handle.readFile() };
  } finally {
    await handle.close();
  }
}
