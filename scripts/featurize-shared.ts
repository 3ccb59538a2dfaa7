/**
 * Research tool: featurises every poster in ../shared/datasets/posters with each square strategy,
 * into .cache/features/<strategy>.f32 (+ index.json), for training the default head and choosing
 * the strategy by validation F1. Decoding overlaps inference. The features are the fp32 model's
 * (what the default head is trained on); --precision int8 writes the int8 model's into
 * .cache/features/<strategy>.int8.f32 instead, for comparing the two (scripts/measure-int8.ts).
 * --scans featurises each poster turned into a vendor's scan (scripts/lib/scanVariants.ts: bed,
 * skew, lamp, grain, JPEG 85; one scan per poster, drawn from its place in the data set) and
 * found in it as the import does, into <strategy>.scan.f32: for training a head on scans as well
 * (`train:default -- --augment crop.scan --evaluate crop.scan`, docs/measurements.md).
 *
 *   npm run featurize:shared -- [--strategies squash,crop,letterbox] [--precision fp32|int8] [--scans]
 */
import { closeSync, existsSync, mkdirSync, openSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { FeatureExtractor } from '../src/main/inference/featureExtractor';
import { findPoster } from '../src/main/media/findPoster';
import { decodeAnyImage, modelInput, posterOf, type SquareStrategy } from '../src/main/media/media';
import { makeScanVariant, scanOptions } from './lib/scanVariants';
import { messageOf } from '../src/main/errors';
import { loadSharedPosters, SHARED_POSTERS } from './lib/sharedPosters';

const { values } = parseArgs({
  options: {
    strategies: { type: 'string', default: 'squash,crop,letterbox' },
    precision: { type: 'string', default: 'fp32' },
    scans: { type: 'boolean', default: false },
  },
});
const precision = values.precision === 'int8' ? 'int8' : 'fp32';
const strategies = (values.strategies ?? '').split(',') as SquareStrategy[];
const out = resolve(import.meta.dirname, '..', '.cache', 'features');
const BATCH = 16;

async function main(): Promise<void> {
  if (!existsSync(SHARED_POSTERS)) {
    console.error(`featurize-shared needs the research posters at ${SHARED_POSTERS}.`);
    process.exit(1);
  }
  mkdirSync(out, { recursive: true });
  const posters = loadSharedPosters();
  writeFileSync(join(out, 'index.json'), JSON.stringify(posters.map((p) => ({ source: p.source, file: p.file }))));
  // The research features are always the named precision, whatever this machine's default would be.
  const extractor = await FeatureExtractor.open(precision === 'int8' ? { providers: ['cpu'], precision } : { precision });
  console.log(`${posters.length} posters; provider ${extractor.report.provider}, ${extractor.precision.precision}`);
  if (extractor.precision.precision !== precision) throw new Error(`asked for ${precision} features, got ${extractor.precision.precision}`);
  for (const strategy of strategies) {
    const name = `${strategy}${precision === 'int8' ? '.int8' : ''}${values.scans ? '.scan' : ''}`;
    const target = join(out, `${name}.f32`);
    if (existsSync(target)) {
      console.log(`${target} exists; skipped`);
      continue;
    }
    const failures: { file: string; reason: string }[] = [];
    const fd = openSync(`${target}.tmp`, 'w');
    const started = performance.now();
    let next = 0;
    const decodeBatch = async (): Promise<Uint8Array[]> => {
      const items = posters.slice(next, next + BATCH);
      next += items.length;
      const first = next - items.length;
      return Promise.all(
        items.map(async (p, k) => {
          try {
            const file = await readFile(p.path);
            if (!values.scans) return await modelInput(await decodeAnyImage(file), strategy);
            // Seeds apart from measure-scans' (which draws by validation index), so no scan is shared.
            const scan = await decodeAnyImage((await makeScanVariant(file, scanOptions(1_000_000 + first + k))).jpeg);
            const found = findPoster(scan);
            return await modelInput(posterOf(scan, found.crop, found.margin), strategy);
          } catch (error) {
            // Kept in place (all-zero input) so rows stay aligned; training skips the listed failures.
            failures.push({ file: p.path, reason: messageOf(error) });
            return new Uint8Array(224 * 224 * 3);
          }
        }),
      );
    };
    let pending = decodeBatch();
    for (let done = 0; done < posters.length;) {
      const inputs = await pending;
      pending = next < posters.length ? decodeBatch() : Promise.resolve([]);
      const features = await extractor.extract(inputs);
      for (const f of features) writeSync(fd, new Uint8Array(f.buffer, f.byteOffset, f.byteLength));
      done += inputs.length;
      if (done % 800 < BATCH) {
        const rate = done / ((performance.now() - started) / 1000);
        process.stderr.write(`${strategy}: ${done}/${posters.length} (${rate.toFixed(1)}/s)\n`);
      }
    }
    closeSync(fd);
    renameSync(`${target}.tmp`, target);
    writeFileSync(join(out, `${name}.failures.json`), JSON.stringify(failures, null, 1));
    console.log(`${strategy}: ${((performance.now() - started) / 1000).toFixed(0)} s, ${failures.length} undecodable`);
  }
  await extractor.close();
}

await main();
