/**
 * The base pool: the posters the default head was trained on, as features (square root + L2
 * normalised, 8 bits per value with one scale per dimension) and labels, shipped beside the
 * default head. Retraining mixes it with the dealer's reviewed posters, so corrections refine the
 * default model instead of replacing it with one learned from a few hundred posters. No image
 * ships: only 2048 numbers per poster, and its title (short text, for the head's title part).
 *
 * File layout (little-endian): "PCBP" | u32 header length | header JSON | f32 scale[dim] |
 * u8 features[n·dim] | u8 labels[n·g] | u8 known[n·g] (g = header.genres.length).
 */
import { readFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { AppError, messageOf } from '../errors';

export const BASE_POOL_FILE = 'base-pool.bin.gz';
const MAGIC = 'PCBP';

export interface BasePoolHeader {
  featureModel: string;
  strategy: string;
  transform: 'sqrt-l2';
  n: number;
  dim: number;
  /** Genre names (the catalogue's vocabulary plus source genres such as Film-Noir). */
  genres: string[];
  /** Per poster: decade (e.g. 1950) or null. */
  decades: (number | null)[];
  /** Per poster: its title (source habits removed: no alternative titles in parentheses), for the head's title part; absent in pools built before heads read titles. */
  titles?: (string | null)[];
  /** Per poster: 1 = the default head's validation split (used to calibrate thresholds), 0 = training. */
  validation: number[];
  /** Positive training examples per genre (training split): how far a genre is from being learned. */
  positives: Record<string, number>;
}

export interface BasePool extends BasePoolHeader {
  /** n × dim, transformed features. */
  features: Float32Array;
  labels: Uint8Array;
  known: Uint8Array;
}

export function poolPositives(pool: Omit<BasePool, 'features' | 'positives'>): Record<string, number> {
  const g = pool.genres.length;
  return Object.fromEntries(
    pool.genres.map((genre, j) => [
      genre,
      pool.validation.reduce((s, v, i) => s + (v === 0 && pool.labels[i * g + j] === 1 && pool.known[i * g + j] === 1 ? 1 : 0), 0),
    ]),
  );
}

export function encodeBasePool(pool: Omit<BasePool, 'positives'>): Buffer {
  const { features, labels, known, ...rest } = pool;
  const header: BasePoolHeader = { ...rest, positives: poolPositives(pool) };
  const { n, dim } = header;
  const scale = new Float32Array(dim);
  for (let i = 0; i < features.length; i++) scale[i % dim] = Math.max(scale[i % dim] as number, features[i] as number);
  const q = new Uint8Array(n * dim);
  for (let i = 0; i < q.length; i++) {
    const s = scale[i % dim] as number;
    q[i] = s > 0 ? Math.round(((features[i] as number) / s) * 255) : 0;
  }
  const json = Buffer.from(JSON.stringify(header));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(json.length);
  return gzipSync(Buffer.concat([Buffer.from(MAGIC), length, json, Buffer.from(scale.buffer), q, labels, known]), { level: 9 });
}

function parseHeader(buf: Buffer): { header: BasePoolHeader; length: number } {
  if (buf.subarray(0, 4).toString() !== MAGIC) throw new Error('not a base pool file');
  const length = buf.readUInt32LE(4);
  return { header: JSON.parse(buf.subarray(8, 8 + length).toString()) as BasePoolHeader, length };
}

export function decodeBasePool(bytes: Uint8Array, what: string): BasePool {
  try {
    const buf = gunzipSync(bytes);
    const { header, length } = parseHeader(buf);
    const { n, dim } = header;
    const g = header.genres.length;
    let at = 8 + length;
    const scale = new Float32Array(buf.buffer.slice(buf.byteOffset + at, buf.byteOffset + at + dim * 4));
    at += dim * 4;
    if (buf.length !== at + n * dim + 2 * n * g) throw new Error(`${buf.length} bytes where ${at + n * dim + 2 * n * g} were expected`);
    if (header.titles && header.titles.length !== n) throw new Error(`${header.titles.length} titles for ${n} posters`);
    const features = new Float32Array(n * dim);
    for (let i = 0; i < features.length; i++) features[i] = ((buf[at + i] as number) / 255) * (scale[i % dim] as number);
    at += n * dim;
    const labels = Uint8Array.from(buf.subarray(at, at + n * g));
    const known = Uint8Array.from(buf.subarray(at + n * g, at + 2 * n * g));
    return { ...header, features, labels, known };
  } catch (error) {
    throw new AppError('base-pool-invalid', `The base training pool ${what} cannot be read: ${messageOf(error)}`);
  }
}

function readPoolFile(file: string): Uint8Array {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new AppError('base-pool-missing', `The base training pool ${file} cannot be read: ${messageOf(error)}`);
  }
}

export function loadBasePool(file: string): BasePool {
  return decodeBasePool(readPoolFile(file), file);
}

/** Only the header (genres, counts): what the models view needs, without expanding 94 MB of features. */
export function readBasePoolHeader(file: string): BasePoolHeader {
  try {
    return parseHeader(gunzipSync(readPoolFile(file))).header;
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('base-pool-invalid', `The base training pool ${file} cannot be read: ${messageOf(error)}`);
  }
}
