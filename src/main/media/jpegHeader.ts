/**
 * Reads a JPEG's frame size and EXIF orientation straight from its markers: no decoder, no
 * libvips pipeline. Returns null when the bytes are not a JPEG or its header is unreadable.
 */
export interface JpegHeader {
  width: number;
  height: number;
  /** EXIF orientation 1–8 (1 when absent). */
  orientation: number;
}

function exifOrientation(buf: Buffer, start: number, end: number): number {
  // APP1: "Exif\0\0" then a TIFF header: byte order, 42, offset of IFD0.
  if (end - start < 14 || buf.toString('latin1', start, start + 6) !== 'Exif\0\0') return 1;
  const tiff = start + 6;
  const little = buf.toString('latin1', tiff, tiff + 2) === 'II';
  const u16 = (o: number) => (little ? buf.readUInt16LE(o) : buf.readUInt16BE(o));
  const u32 = (o: number) => (little ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
  const ifd = tiff + u32(tiff + 4);
  if (ifd + 2 > end) return 1;
  const entries = u16(ifd);
  for (let i = 0; i < entries; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > end) return 1;
    if (u16(entry) === 0x0112) {
      const value = u16(entry + 8);
      return value >= 1 && value <= 8 ? value : 1;
    }
  }
  return 1;
}

export function readJpegHeader(buf: Buffer): JpegHeader | null {
  if (buf.length < 4 || buf[0] !== 0xff || buf[1] !== 0xd8) return null;
  let orientation = 1;
  let i = 2;
  try {
    while (i + 4 <= buf.length) {
      if (buf[i] !== 0xff) return null;
      const marker = buf[i + 1] as number;
      if (marker === 0xff) {
        i++; // fill byte
        continue;
      }
      if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
        i += 2;
        continue;
      }
      const length = buf.readUInt16BE(i + 2);
      const segment = i + 4;
      if (marker === 0xe1) orientation = exifOrientation(buf, segment, Math.min(buf.length, i + 2 + length));
      // SOF0–SOF15, except DHT (C4), JPG (C8) and DAC (CC).
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        const height = buf.readUInt16BE(segment + 1);
        const width = buf.readUInt16BE(segment + 3);
        return width > 0 && height > 0 ? { width, height, orientation } : null;
      }
      if (marker === 0xda || marker === 0xd9) return null; // image data before any frame header
      i += 2 + length;
    }
  } catch {
    return null; // a length ran past the end of the buffer
  }
  return null;
}
