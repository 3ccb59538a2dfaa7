/**
 * The one home of sharp: every decode, resize and encode goes through here, with concurrency,
 * cache and safety limits set in one place.
 */
import sharp, { type Metadata, type OutputInfo } from 'sharp';
import { PHASH_SIZE, phashFromGrey } from './phash';

/** Decompression-bomb guard: 150 megapixels is far above any real scan (a 600 dpi one-sheet is ~100 MP). */
export const MAX_INPUT_PIXELS = 150_000_000;
export const THUMBNAIL_SIZE = 320;

// Each file is decoded once, so libvips' operation cache would only hold memory.
sharp.cache(false);

/** A file that is not a usable JPEG; `reason` is written for a person. */
export class MediaError extends Error {
  constructor(
    readonly code: 'not-jpeg' | 'not-image' | 'too-large' | 'corrupt' | 'empty',
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'MediaError';
  }
}

export interface AnalysedImage {
  /** Dimensions as displayed, after EXIF orientation. */
  width: number;
  height: number;
  thumbnail: Buffer;
  phash: string;
}

/** A complete JPEG ends with the EOI marker (FF D9), perhaps followed by a little padding. */
function endsWithEoi(input: Buffer): boolean {
  const tail = input.subarray(Math.max(0, input.length - 1024));
  return tail.lastIndexOf(Buffer.from([0xff, 0xd9])) >= 0;
}

/**
 * libvips' error text is process-wide and can be lost when several decodes fail at once, so the
 * reason is read from the bytes where possible rather than from the message.
 */
function describeDecodeFailure(input: Buffer, message: string): MediaError {
  const m = message.toLowerCase();
  if (!endsWithEoi(input) || m.includes('premature end') || m.includes('truncated')) {
    return new MediaError('corrupt', 'truncated JPEG: the file ends before the image data does');
  }
  return new MediaError('corrupt', `corrupt JPEG data (${message.split('\n')[0]})`);
}

/** Reads the header only: checks format and pixel count before any decoding starts. */
async function probe(input: Buffer): Promise<{ width: number; height: number }> {
  let meta: Metadata;
  try {
    // Header only: safe without a pixel limit, and it lets the reason name the claimed size.
    meta = await sharp(input, { limitInputPixels: false }).metadata();
  } catch {
    throw new MediaError('not-image', 'not an image file (no JPEG or other image data found)');
  }
  if (meta.format !== 'jpeg') {
    throw new MediaError('not-jpeg', `not a JPEG: the file holds ${String(meta.format).toUpperCase()} data`);
  }
  const { width, height } = meta;
  if (!width || !height) throw new MediaError('corrupt', 'JPEG header has no dimensions');
  if (width * height > MAX_INPUT_PIXELS) {
    throw new MediaError(
      'too-large',
      `image is ${width}×${height} (${Math.round((width * height) / 1e6)} MP), over the ${MAX_INPUT_PIXELS / 1e6} MP limit (possible decompression bomb)`,
    );
  }
  const rotated = (meta.orientation ?? 1) >= 5;
  return rotated ? { width: height, height: width } : { width, height };
}

/** Decodes a JPEG once (EXIF orientation honoured) into a thumbnail and a perceptual hash. */
export async function analyseJpeg(input: Buffer): Promise<AnalysedImage> {
  if (input.length === 0) throw new MediaError('empty', 'empty file (0 bytes)');
  const { width, height } = await probe(input);
  let small: { data: Buffer; info: OutputInfo };
  try {
    small = await sharp(input, { failOn: 'truncated', limitInputPixels: MAX_INPUT_PIXELS, sequentialRead: true })
      .rotate()
      .resize({ width: THUMBNAIL_SIZE, height: THUMBNAIL_SIZE, fit: 'inside', withoutEnlargement: true })
      .raw()
      .toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw describeDecodeFailure(input, error instanceof Error ? error.message : String(error));
  }
  const raw = { raw: { width: small.info.width, height: small.info.height, channels: small.info.channels } };
  const [thumbnail, grey] = await Promise.all([
    sharp(small.data, raw).jpeg({ quality: 82 }).toBuffer(),
    sharp(small.data, raw).greyscale().resize(PHASH_SIZE, PHASH_SIZE, { fit: 'fill' }).raw().toBuffer(),
  ]);
  return { width, height, thumbnail, phash: phashFromGrey(new Uint8Array(grey.buffer, grey.byteOffset, grey.length)) };
}

/** What the import benchmark calls its floor: decode and thumbnail, nothing else. */
export async function thumbnailOnly(input: Buffer): Promise<Buffer> {
  return sharp(input, { failOn: 'truncated', limitInputPixels: MAX_INPUT_PIXELS, sequentialRead: true })
    .rotate()
    .resize({ width: THUMBNAIL_SIZE, height: THUMBNAIL_SIZE, fit: 'inside', withoutEnlargement: true })
    .jpeg({ quality: 82 })
    .toBuffer();
}

/** For tests and benchmarks: re-encode an image at another size/quality, as another vendor's scan would be. */
export async function rescanJpeg(
  input: Buffer,
  options: { width?: number; height?: number; quality: number; orientation?: number },
): Promise<Buffer> {
  let pipeline = sharp(input).resize({ width: options.width, height: options.height, fit: 'fill' }).jpeg({ quality: options.quality });
  if (options.orientation) pipeline = pipeline.withMetadata({ orientation: options.orientation });
  return pipeline.toBuffer();
}
