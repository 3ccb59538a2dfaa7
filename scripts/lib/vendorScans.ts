/**
 * Vendor-size scans for the benchmarks, made from the research posters in ../shared (never
 * shipped): 1500×2250 px upscales with scanner-like grain, cached in a folder between runs.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { SHARED_POSTERS } from './sharedPosters';

/** Interleaved in this order (not SOURCES' order): the scans already made stay valid. */
const SCAN_SOURCES = ['imdb-vintage', 'imdb-modern', 'movielens-1m'];

/** Runs fn over items with at most `width` at a time. */
export async function pool<T>(items: T[], width: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await fn(items[next++] as T);
    }),
  );
}

function sourcePosters(): string[] {
  const lists = SCAN_SOURCES.map((s) =>
    readdirSync(join(SHARED_POSTERS, s, 'images'))
      .sort()
      .map((f) => join(SHARED_POSTERS, s, 'images', f)),
  );
  const out: string[] = [];
  for (let i = 0; out.length < lists.reduce((n, l) => n + l.length, 0); i++) {
    for (const list of lists) if (i < list.length) out.push(list[i] as string);
  }
  return out;
}

/** A fixed table of film-grain noise, so every scan gets grain without a random draw per pixel. */
const GRAIN = (() => {
  const table = new Int8Array(1 << 20);
  let seed = 20261121;
  for (let i = 0; i < table.length; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    // Sum of two uniforms: a soft, roughly triangular grain of ±12 levels.
    table[i] = ((seed >>> 8) % 13) + ((seed >>> 20) % 13) - 12;
  }
  return table;
})();

/**
 * Vendor-size scans: 1500×2250 px upscaled from the research posters, with scanner-like grain
 * (without it an upscaled thumbnail compresses to far less than a real scan), JPEG quality 92:
 * 0.5–1.5 MB, as the issue describes vendors' files.
 */
export async function makeScans(dir: string, count: number): Promise<void> {
  if (!existsSync(SHARED_POSTERS)) {
    // A benchmark script's precondition, not a bug: say so plainly, without a stack trace.
    console.error(`Making vendor-size scans needs the research posters at ${SHARED_POSTERS} (they are not shipped with the product).`);
    process.exit(1);
  }
  mkdirSync(dir, { recursive: true });
  const have = new Set(readdirSync(dir));
  const sources = sourcePosters().slice(0, count);
  let made = 0;
  await pool(
    sources.map((s, i) => [s, i] as const),
    2,
    async ([source, i]) => {
      const name = `scan-${String(i).padStart(5, '0')}.jpg`;
      if (have.has(name)) return;
      const { data, info } = await sharp(source)
        .resize(1500, 2250, { fit: 'fill', kernel: 'cubic' })
        .removeAlpha()
        .toColourspace('srgb')
        .raw()
        .toBuffer({ resolveWithObject: true });
      const offset = (i * 7919) % GRAIN.length;
      for (let p = 0; p < data.length; p++) {
        const v = (data[p] as number) + (GRAIN[(p + offset) & (GRAIN.length - 1)] as number);
        data[p] = v < 0 ? 0 : v > 255 ? 255 : v;
      }
      const jpeg = await sharp(data, { raw: info }).jpeg({ quality: 92 }).toBuffer();
      writeFileSync(join(dir, name), jpeg);
      if (++made % 200 === 0) process.stderr.write(`  made ${made} scans\n`);
    },
  );
}
