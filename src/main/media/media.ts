/**
 * The one home of sharp: every decode, resize and encode goes through here, with concurrency,
 * cache and safety limits set in one place.
 */
import sharp, { type OutputInfo, type Sharp } from 'sharp';
import { INPUT_SIZE } from '../inference/modelFiles';
import { messageOf } from '../errors';
import { bedColour, findPoster, type CropBox } from './findPoster';
import { correctLamp, type Rgb } from './lamp';
import { readJpegHeader } from './jpegHeader';
import { greyGrid, layoutFromGrey, phashFromGrey } from './phash';

/** Decompression-bomb guard: 150 megapixels is far above any real scan (a 600 dpi one-sheet is ~100 MP). */
export const MAX_INPUT_PIXELS = 150_000_000;
export const THUMBNAIL_SIZE = 320;

// Each file is decoded once, so libvips' operation cache would only hold memory.
sharp.cache(false);
// Several files are in flight at once; one libvips thread per image avoids oversubscribing the cores.
sharp.concurrency(1);

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
  /** The poster's brightness in an 8×8 grid: the near-duplicate check's second cue (phash.ts sameLayout). */
  layout: Uint8Array;
  /** The poster's pixels at thumbnail size (cropped and straightened), from which the model input is made without decoding again. */
  pixels: RawImage;
  /** Where the poster is in the scan; null when the scan is used whole. */
  crop: CropBox | null;
}

/** Which part of the scan is the poster: found now, given (detected earlier or drawn by staff), or the whole scan (null). */
export type CropChoice = 'detect' | CropBox | null;

export interface RawImage {
  data: Buffer;
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
}

/** How a tall poster becomes the model's square input. */
export type SquareStrategy = 'squash' | 'crop' | 'letterbox';
/** The feature model's input side, from the one place that defines it. */
export const MODEL_INPUT_SIZE = INPUT_SIZE;

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

/** Why a file that is not a usable JPEG header was refused: sharp is asked only on this failure path. */
async function refuse(input: Buffer): Promise<never> {
  let format: string | undefined;
  try {
    // Header only: safe without a pixel limit.
    format = (await sharp(input, { limitInputPixels: false }).metadata()).format;
  } catch {
    // Starts as a JPEG does (FF D8 FF), then nothing a decoder can read: damaged, not another kind of file.
    if (input.length >= 3 && input[0] === 0xff && input[1] === 0xd8 && input[2] === 0xff) {
      throw new MediaError('corrupt', 'damaged JPEG: it starts as a JPEG, but no readable header follows');
    }
    throw new MediaError('not-image', 'not an image file (no JPEG or other image data found)');
  }
  if (format === 'jpeg') throw new MediaError('corrupt', 'corrupt JPEG header (no readable frame size)');
  throw new MediaError('not-jpeg', `not a JPEG: the file holds ${String(format).toUpperCase()} data`);
}

/** Why a file whose first bytes (`head`) are not a JPEG's was refused, from those bytes alone (import reads no more of it). */
export async function notJpegReason(head: Buffer): Promise<string> {
  try {
    await refuse(head);
  } catch (error) {
    if (error instanceof MediaError) return error.reason;
  }
  return 'not a JPEG';
}

/** Checks format and pixel count from the header before any decoding starts; returns display size. */
async function probe(input: Buffer): Promise<{ width: number; height: number }> {
  const header = readJpegHeader(input) ?? (await refuse(input));
  const { width, height, orientation } = header;
  if (width * height > MAX_INPUT_PIXELS) {
    throw new MediaError(
      'too-large',
      `image is ${width}×${height} (${Math.round((width * height) / 1e6)} MP), over the ${MAX_INPUT_PIXELS / 1e6} MP limit (possible decompression bomb)`,
    );
  }
  return orientation >= 5 ? { width: height, height: width } : { width, height };
}

/**
 * Decodes a JPEG once (EXIF orientation honoured), finds the poster in it (or takes the crop
 * given), and makes the thumbnail and perceptual hash from the poster alone.
 */
export async function analyseJpeg(input: Buffer, cropChoice: CropChoice = 'detect'): Promise<AnalysedImage> {
  if (input.length === 0) throw new MediaError('empty', 'empty file (0 bytes)');
  const { width, height } = await probe(input);
  let small: { data: Buffer; info: OutputInfo };
  try {
    small = await decoder(input).raw().toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw describeDecodeFailure(input, error instanceof Error ? error.message : String(error));
  }
  const { width: w, height: h, channels } = small.info;
  const decoded: RawImage = { data: small.data, width: w, height: h, channels };
  const detection = cropChoice === 'detect' ? findPoster(decoded) : null;
  const crop = detection ? detection.crop : (cropChoice as CropBox | null);
  const poster = posterOf(decoded, crop, detection?.margin);
  const thumbnail = await encodeThumbnail(poster);
  const pixels = new Uint8Array(poster.data.buffer, poster.data.byteOffset, poster.data.length);
  const grey = greyGrid(pixels, poster.width, poster.height, poster.channels);
  return {
    width,
    height,
    thumbnail,
    phash: phashFromGrey(grey),
    layout: layoutFromGrey(grey),
    pixels: poster,
    crop,
  };
}

/**
 * The poster in decoded scan pixels: cut out as `crop` says, with the lamp's cast taken out against
 * the bed's colour (lamp.ts); the whole scan, as it is, without a crop. `bed`: already known (from
 * the detection), else read from the scan's outer ring.
 */
export function posterOf(decoded: RawImage, crop: CropBox | null, bed?: Rgb | null): RawImage {
  if (!crop) return decoded;
  return correctLamp(applyCrop(decoded, crop), bed ?? bedColour(decoded));
}

/**
 * Catmull-Rom weights of the four pixels around a sample, for the sample's offset past the second
 * in 1/256 steps (a 256th of a pixel is far below what a JPEG keeps): four per step.
 */
const CUBIC = (() => {
  const table = new Float64Array(257 * 4);
  for (let i = 0; i <= 256; i++) {
    const f = i / 256;
    const f2 = f * f;
    const f3 = f2 * f;
    table.set([-0.5 * f3 + f2 - 0.5 * f, 1.5 * f3 - 2.5 * f2 + 1, -1.5 * f3 + 2 * f2 + 0.5 * f, 0.5 * f3 - 0.5 * f2], i * 4);
  }
  return table;
})();

/**
 * The poster's pixels from decoded scan pixels: the scan turned about its centre by the crop's
 * angle and the box cut out, in one pass that samples only the box. Bicubic (Catmull-Rom), not
 * bilinear: the cut is near the scan's own scale, where bilinear blurs every pixel that falls
 * between two, and the model saw that (micro-F1 of cropped scans −0.014 against −0.011 bicubic,
 * docs/measurements.md). sharp's `rotate` then `extract` needs two pipelines (the turned canvas's
 * size places the box) and was slower. The box is in fractions of the scan, so any decode size
 * gives the same poster.
 */
export function applyCrop(image: RawImage, crop: CropBox): RawImage {
  const { data, width: w, height: h, channels: ch } = image;
  const outW = Math.max(1, Math.round(crop.width * w));
  const outH = Math.max(1, Math.round(crop.height * h));
  const out = Buffer.alloc(outW * outH * ch);
  // Output pixel (x, y) sits at (x0 + x, y0 + y) in the turned frame, measured from the centre;
  // turning back by −angle finds it in the scan.
  const rad = (-crop.angle * Math.PI) / 180;
  const cos = Math.cos(rad);
  const sin = Math.sin(rad);
  const x0 = (crop.left - 0.5) * w + 0.5;
  const y0 = (crop.top - 0.5) * h + 0.5;
  const cx = w / 2 - 0.5;
  const cy = h / 2 - 0.5;
  const stride = w * ch;
  let o = 0;
  for (let y = 0; y < outH; y++) {
    const ty = y0 + y;
    for (let x = 0; x < outW; x++) {
      const tx = x0 + x;
      const sx = Math.min(w - 1, Math.max(0, cx + tx * cos - ty * sin));
      const sy = Math.min(h - 1, Math.max(0, cy + tx * sin + ty * cos));
      const ix = sx | 0;
      const iy = sy | 0;
      const fx = ((sx - ix) * 256 + 0.5) << 2;
      const fy = ((sy - iy) * 256 + 0.5) << 2;
      const wx0 = CUBIC[fx] as number;
      const wx1 = CUBIC[fx + 1] as number;
      const wx2 = CUBIC[fx + 2] as number;
      const wx3 = CUBIC[fx + 3] as number;
      const wy0 = CUBIC[fy] as number;
      const wy1 = CUBIC[fy + 1] as number;
      const wy2 = CUBIC[fy + 2] as number;
      const wy3 = CUBIC[fy + 3] as number;
      // The four columns and rows around the sample, the scan's edge repeated beyond it.
      const c0 = (ix > 0 ? ix - 1 : 0) * ch;
      const c1 = ix * ch;
      const c2 = (ix + 1 < w ? ix + 1 : w - 1) * ch;
      const c3 = (ix + 2 < w ? ix + 2 : w - 1) * ch;
      const r0 = (iy > 0 ? iy - 1 : 0) * stride;
      const r1 = iy * stride;
      const r2 = (iy + 1 < h ? iy + 1 : h - 1) * stride;
      const r3 = (iy + 2 < h ? iy + 2 : h - 1) * stride;
      for (let k = 0; k < ch; k++) {
        const a0 = r0 + k;
        const a1 = r1 + k;
        const a2 = r2 + k;
        const a3 = r3 + k;
        const v =
          ((data[a0 + c0] as number) * wx0 + (data[a0 + c1] as number) * wx1 + (data[a0 + c2] as number) * wx2 + (data[a0 + c3] as number) * wx3) * wy0 +
          ((data[a1 + c0] as number) * wx0 + (data[a1 + c1] as number) * wx1 + (data[a1 + c2] as number) * wx2 + (data[a1 + c3] as number) * wx3) * wy1 +
          ((data[a2 + c0] as number) * wx0 + (data[a2 + c1] as number) * wx1 + (data[a2 + c2] as number) * wx2 + (data[a2 + c3] as number) * wx3) * wy2 +
          ((data[a3 + c0] as number) * wx0 + (data[a3 + c1] as number) * wx1 + (data[a3 + c2] as number) * wx2 + (data[a3 + c3] as number) * wx3) * wy3;
        const rounded = Math.round(v);
        out[o++] = rounded < 0 ? 0 : rounded > 255 ? 255 : rounded;
      }
    }
  }
  return { data: out, width: outW, height: outH, channels: ch };
}

/** The thumbnail file from already-decoded thumbnail-size pixels. */
export function encodeThumbnail(image: RawImage): Promise<Buffer> {
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels: image.channels } })
    .jpeg(THUMBNAIL_JPEG)
    .toBuffer();
}

/** Decodes any image sharp reads (not only JPEG) to thumbnail-size pixels: for research data sets. */
export async function decodeAnyImage(input: Buffer): Promise<RawImage> {
  const { data, info } = await decoder(input).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

/**
 * The 8×8 brightness layout (phash.ts `layoutFromGrey`) of a thumbnail file: for a poster imported
 * before layouts were kept. The thumbnail is made from the same poster pixels as the hash.
 */
export async function layoutOfThumbnail(file: string): Promise<Buffer> {
  const { data, info } = await sharp(file, { failOn: 'truncated', limitInputPixels: MAX_INPUT_PIXELS }).raw().toBuffer({ resolveWithObject: true });
  return Buffer.from(layoutFromGrey(greyGrid(data, info.width, info.height, info.channels)));
}

/** The model's input, uint8 RGB 224×224×3, from already-decoded pixels. */
export async function modelInput(image: RawImage, strategy: SquareStrategy): Promise<Uint8Array> {
  const fit = strategy === 'squash' ? 'fill' : strategy === 'crop' ? 'cover' : 'contain';
  const data = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: image.channels } })
    .resize(MODEL_INPUT_SIZE, MODEL_INPUT_SIZE, { fit, position: 'centre', background: { r: 0, g: 0, b: 0 } })
    .toColourspace('srgb')
    .removeAlpha()
    .raw()
    .toBuffer();
  if (data.length !== MODEL_INPUT_SIZE * MODEL_INPUT_SIZE * 3) throw new MediaError('corrupt', 'unexpected pixel layout after decoding');
  return new Uint8Array(data.buffer, data.byteOffset, data.length);
}

/** Decoding with shrink-on-load to thumbnail size, EXIF orientation applied. */
function decoder(input: Buffer): Sharp {
  return sharp(input, { failOn: 'truncated', limitInputPixels: MAX_INPUT_PIXELS, sequentialRead: true })
    .rotate()
    .resize({ width: THUMBNAIL_SIZE, height: THUMBNAIL_SIZE, fit: 'inside', withoutEnlargement: true });
}

/**
 * Standard Huffman tables rather than optimised ones: 1.92 instead of 2.20 CPU-ms per thumbnail
 * (scripts/import-stages.ts) for 3% more bytes (17.6 → 18.2 KB per 213×320 thumbnail). Small, but
 * with the int8 model the import side is what bounds import + tag (README, "Benchmarks").
 */
const THUMBNAIL_JPEG = { quality: 82, optimiseCoding: false };

/** Decode and thumbnail, nothing else: the import's core, and what its benchmark calls the floor. */
export async function thumbnailOnly(input: Buffer): Promise<Buffer> {
  return decoder(input).jpeg(THUMBNAIL_JPEG).toBuffer();
}

/** The thumbnail of a poster cropped as given (null: the whole scan, as `thumbnailOnly`). */
export async function thumbnailOf(input: Buffer, crop: CropBox | null): Promise<Buffer> {
  if (!crop) return thumbnailOnly(input);
  return encodeThumbnail(posterOf(await decodeAnyImage(input), crop));
}

/**
 * A poster file straight to model input, through the same thumbnail-size decode (and the same
 * crop) the import uses, so features are identical whichever way a poster reached the model.
 */
export async function decodeForModel(input: Buffer, strategy: SquareStrategy, crop: CropBox | null = null): Promise<Uint8Array> {
  if (input.length === 0) throw new MediaError('empty', 'empty file (0 bytes)');
  try {
    const decoded = await decodeAnyImage(input);
    return await modelInput(posterOf(decoded, crop), strategy);
  } catch (error) {
    if (error instanceof MediaError) throw error;
    throw describeDecodeFailure(input, messageOf(error));
  }
}

/** For tests and benchmarks: re-encode an image at another size/quality, as another vendor's scan would be. */
export async function rescanJpeg(input: Buffer, options: { width?: number; height?: number; quality: number; orientation?: number }): Promise<Buffer> {
  let pipeline = sharp(input).resize({ width: options.width, height: options.height, fit: 'fill' }).jpeg({ quality: options.quality });
  if (options.orientation) pipeline = pipeline.withMetadata({ orientation: options.orientation });
  return pipeline.toBuffer();
}
