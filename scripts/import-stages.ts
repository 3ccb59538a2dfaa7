/**
 * Where the import's CPU goes, per vendor-size scan, stage by stage (the stages of importFolder,
 * each run alone on the same scans in one process): SHA-256, the one decode at thumbnail scale,
 * the thumbnail's JPEG encode, the perceptual hash, the model input. CPU time of the whole process
 * (libvips' threads included), averaged over the scans and --rounds.
 *
 *   npx tsx scripts/import-stages.ts [--scans bench-out/scans-2000] [--files 40] [--rounds 2]
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { analyseJpeg, decodeAnyImage, encodeThumbnail, modelInput } from '../src/main/media/media';
import { greyGrid, phashFromGrey } from '../src/main/media/phash';

const { values } = parseArgs({
  options: {
    scans: { type: 'string', default: join('bench-out', 'scans-2000') },
    files: { type: 'string', default: '40' },
    rounds: { type: 'string', default: '2' },
  },
});
const dir = resolve(values.scans as string);
const scans = readdirSync(dir)
  .filter((f) => f.endsWith('.jpg'))
  .sort()
  .slice(0, Number(values.files))
  .map((f) => readFileSync(join(dir, f)));

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const totals = new Map<string, number>();
async function stage(name: string, work: () => unknown): Promise<void> {
  const before = cpuMs();
  await work();
  totals.set(name, (totals.get(name) ?? 0) + cpuMs() - before);
}

for (let round = 0; round < Number(values.rounds); round++) {
  for (const data of scans) {
    await stage('sha256', () => createHash('sha256').update(data).digest('hex'));
    await stage('analyseJpeg: decode + thumbnail + phash (as the import runs it)', () => analyseJpeg(data));
    const pixels = await decodeAnyImage(data);
    await stage('  decode at thumbnail scale', () => decodeAnyImage(data));
    await stage('  thumbnail JPEG encode', () => encodeThumbnail(pixels));
    // For comparison: the encode as it was before issue 14, with optimised Huffman tables.
    await stage('  (thumbnail JPEG encode, optimised Huffman tables)', () =>
      sharp(pixels.data, { raw: { width: pixels.width, height: pixels.height, channels: pixels.channels } })
        .jpeg({ quality: 82 })
        .toBuffer(),
    );
    await stage('  perceptual hash', () => phashFromGrey(greyGrid(pixels.data, pixels.width, pixels.height, pixels.channels)));
    await stage('model input 224×224 (crop)', () => modelInput(pixels, 'crop'));
  }
}
const n = scans.length * Number(values.rounds);
console.log(`${scans.length} scans from ${dir}, ${values.rounds} rounds; CPU-ms per scan:`);
for (const [name, ms] of totals) console.log(`${(ms / n).toFixed(2).padStart(7)}  ${name}`);
