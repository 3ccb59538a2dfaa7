/**
 * What finding and cropping the poster adds, in CPU-ms per scan, measured in one process on the
 * same files: the import's decode (analyseJpeg) with detection against the same decode told to
 * use the whole scan, and the tag path's decode (decodeForModel) with the stored crop against
 * without. Interleaved, several rounds, the median difference: the machine's other load falls on
 * both sides alike. Scans with a margin are made at vendor size from the research posters.
 */
import { readFileSync } from 'node:fs';
import { analyseJpeg, decodeForModel, type SquareStrategy } from '../../src/main/media/media';
import { BEDS, CASTS, makeScanVariant } from './scanVariants';

const cpuMs = async (work: () => Promise<unknown>): Promise<number> => {
  const before = process.cpuUsage();
  await work();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
};

/** Vendor-size scans with a margin (the sheet 2250 px tall, skewed, warm, JPEG 85) of `sources`. */
export async function scansWithMargin(sources: string[]): Promise<Buffer[]> {
  const beds = Object.values(BEDS);
  const out: Buffer[] = [];
  for (const [i, source] of sources.entries()) {
    const { jpeg } = await makeScanVariant(readFileSync(source), {
      posterHeight: 2250,
      margins: { left: 0.03, top: 0.04, right: 0.05, bottom: 0.03 },
      bed: beds[i % beds.length] as [number, number, number],
      angle: ((i % 7) - 3) * 0.9,
      cast: CASTS.warm as [number, number, number],
      quality: 85,
      grain: i + 1,
    });
    out.push(jpeg);
  }
  return out;
}

/** Median over `rounds` of (with − without) CPU-ms per file. */
async function extraPerFile(
  files: Buffer[],
  withIt: (f: Buffer) => Promise<unknown>,
  without: (f: Buffer) => Promise<unknown>,
  rounds = 5,
): Promise<{ extra: number; base: number }> {
  const extras: number[] = [];
  const bases: number[] = [];
  for (let r = 0; r < rounds; r++) {
    let a = 0;
    let b = 0;
    for (const f of files) {
      // Alternating which goes first keeps caches and frequency changes from favouring one side.
      if (r % 2) {
        b += await cpuMs(() => without(f));
        a += await cpuMs(() => withIt(f));
      } else {
        a += await cpuMs(() => withIt(f));
        b += await cpuMs(() => without(f));
      }
    }
    extras.push((a - b) / files.length);
    bases.push(b / files.length);
  }
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[xs.length >> 1] as number;
  return { extra: median(extras), base: median(bases) };
}

/** The import side: detection (+ crop when found) on top of decode, thumbnail and hash. */
export async function importCropCost(files: Buffer[]): Promise<{ extra: number; base: number }> {
  return extraPerFile(
    files,
    (f) => analyseJpeg(f),
    (f) => analyseJpeg(f, null),
  );
}

/** The tag side: the stored crop applied before the model input is made (no detection there). */
export async function tagCropCost(files: Buffer[], strategy: SquareStrategy): Promise<{ extra: number; base: number }> {
  const crops = await Promise.all(files.map(async (f) => (await analyseJpeg(f)).crop));
  let i = 0;
  const index = new Map(files.map((f) => [f, i++]));
  return extraPerFile(
    files,
    (f) => decodeForModel(f, strategy, crops[index.get(f) as number] ?? null),
    (f) => decodeForModel(f, strategy, null),
  );
}
