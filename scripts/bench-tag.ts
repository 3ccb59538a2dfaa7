/**
 * Tagging benchmark, measured in one run on vendor-size scans (made from the research posters on
 * first use, the same ones bench-import makes):
 *  (a)  the fp32 feature model alone on ready inputs (uint8 224×224, already in memory), images/s;
 *  (a′) the int8 feature model alone, the same way;
 *  (b)  the full import + tag pipeline (hash, decode, thumbnail, features, suggestions, database) with
 *       the int8 model (--pipeline fp32 runs it with the fp32 model instead), images/s;
 * and the ratios b/a and b/a′, the CPU-ms per image of each, and the peak RSS of the pipeline run.
 * Each measurement runs in its own process; a and a′ are the better of onnxruntime with and without
 * spinning intra-op threads, batch 8, on the CPU provider.
 *
 * Last, the CPU-ms per scan that cropping the poster (its stored box) adds to the tag path's decode,
 * on vendor-size scans with a margin (scripts/lib/cropCost.ts); on the import path the model input
 * is made from the cropped pixels bench:import already counts.
 *
 *   npm run bench:tag -- [--files 2000] [--scans bench-out/scans-2000] [--rounds 3] [--pipeline int8|fp32]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { FeatureExtractor } from '../src/main/inference/featureExtractor';
import { PROVIDER_ENV, type Precision } from '../src/main/inference/session';
import { decodeForModel } from '../src/main/media/media';
import { CatalogueService } from '../src/main/service';
import { readHeadFile, readHeadInfo } from '../src/main/inference/genreHead';
import { modelsDir } from '../src/main/inference/modelFiles';
import { DEFAULT_HEAD_FILE } from '../src/main/tagging/tagger';
import type { SquareStrategy } from '../src/main/media/media';
import { tagCropCost, scansWithMargin } from './lib/cropCost';
import { loadSharedPosters } from './lib/sharedPosters';
import { makeScans } from './lib/vendorScans';

const { values } = parseArgs({
  options: {
    files: { type: 'string', default: '2000' },
    'crop-sample': { type: 'string', default: '60' },
    scans: { type: 'string' },
    child: { type: 'string' },
    db: { type: 'string' },
    rounds: { type: 'string', default: '3' },
    spinning: { type: 'boolean', default: false },
    precision: { type: 'string', default: 'int8' },
    pipeline: { type: 'string', default: 'int8' },
  },
});
const precisionOf = (value: string | undefined): Precision => (value === 'fp32' ? 'fp32' : 'int8');
const files = Number(values.files);
const scans = resolve(values.scans ?? join('bench-out', `scans-${files}`));

async function child(mode: string): Promise<void> {
  const list = readdirSync(scans)
    .filter((f) => f.endsWith('.jpg'))
    .sort()
    .slice(0, files);
  let seconds: number;
  let count = list.length;
  let cpu0 = process.cpuUsage();
  if (mode === 'model') {
    // Ready inputs: 64 real posters decoded up front, fed round-robin in batches of 8 (as the tagger batches).
    const extractor = await FeatureExtractor.open({ providers: ['cpu'], spinning: values.spinning, precision: precisionOf(values.precision) });
    const inputs = await Promise.all(list.slice(0, 64).map(async (f) => decodeForModel(await readFile(join(scans, f)), 'crop')));
    await extractor.extract(inputs.slice(0, 8)); // warm-up
    count = Math.min(list.length, 800);
    cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (let done = 0; done < count; done += 8) {
      await extractor.extract(Array.from({ length: Math.min(8, count - done) }, (_, k) => inputs[(done + k) % inputs.length] as Uint8Array));
    }
    seconds = (performance.now() - t0) / 1000;
    await extractor.close();
  } else {
    const service = CatalogueService.open(values.db);
    await service.tagger(); // model loading is start-up, not throughput
    cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const summary = await service.startImport({ folder: scans, tag: true }).promise;
    seconds = (performance.now() - t0) / 1000;
    if (summary.tagged !== summary.imported + summary.nearDuplicates) {
      throw new Error(`tagged ${summary.tagged} of ${summary.imported + summary.nearDuplicates} imported posters`);
    }
    count = summary.tagged;
    await service.close();
  }
  // CPU time of every thread of the process (main, worker, onnxruntime's and libvips' pools).
  const cpu = process.cpuUsage(cpu0);
  const cpuMsPerImage = (cpu.user + cpu.system) / 1000 / count;
  console.log(JSON.stringify({ count, seconds, cpuMsPerImage, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
}

interface Measured {
  count: number;
  seconds: number;
  cpuMsPerImage: number;
  maxRssMb: number;
}

function measure(mode: string, precision: Precision, db?: string, spinning = false): Measured {
  const args = ['--import', 'tsx', import.meta.filename, '--child', mode, '--files', String(files), '--scans', scans, '--precision', precision];
  if (db) args.push('--db', db);
  if (spinning) args.push('--spinning');
  // The pipeline takes its model the way the application does: the session factory, here forced to the CPU and the precision.
  const env = { ...process.env, [PROVIDER_ENV]: `cpu-${precision}` };
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 24, env });
  if (r.status !== 0) throw new Error(`${mode} run failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1) as string);
}

async function main(): Promise<void> {
  if (values.child) return child(values.child);
  if (!values.scans) {
    console.log(`Making ${files} vendor-size scans in ${scans} (cached between runs; bench:import uses the same)…`);
    await makeScans(scans, files);
  } else if (!existsSync(scans)) {
    console.error(`${scans} is missing.`);
    process.exit(1);
  }
  const n = readdirSync(scans).filter((f) => f.endsWith('.jpg')).length;
  console.log(`${Math.min(n, files)} vendor-size scans in ${scans}`);
  const pipelinePrecision = precisionOf(values.pipeline);
  const best = { a: 0, a8: 0, b: 0 };
  let rss = 0;
  const rate = (m: Measured) => m.count / m.seconds;
  // The floor is the model at its best: with and without spinning threads, the faster of the two.
  const modelAlone = (precision: Precision) =>
    [measure('model', precision, undefined, true), measure('model', precision)].reduce((x, y) => (rate(y) > rate(x) ? y : x));
  for (let round = 1; round <= Number(values.rounds); round++) {
    const a = modelAlone('fp32');
    const a8 = modelAlone('int8');
    const db = join(resolve('bench-out'), `tag-${round}.sqlite`);
    rmSync(db, { force: true });
    rmSync(db.replace(/\.sqlite$/, '.thumbnails'), { recursive: true, force: true });
    const b = measure('pipeline', pipelinePrecision, db);
    best.a = Math.max(best.a, rate(a));
    best.a8 = Math.max(best.a8, rate(a8));
    best.b = Math.max(best.b, rate(b));
    rss = Math.max(rss, b.maxRssMb);
    console.log(
      `round ${round}: (a) fp32 model alone ${rate(a).toFixed(1)} images/s; (a′) int8 model alone ${rate(a8).toFixed(1)} images/s; ` +
        `(b) import + tag (${pipelinePrecision}) ${rate(b).toFixed(1)} images/s; b/a ${(rate(b) / rate(a)).toFixed(3)}; b/a′ ${(rate(b) / rate(a8)).toFixed(3)}; ` +
        `pipeline peak RSS ${b.maxRssMb.toFixed(0)} MB`,
    );
    // Where the CPU goes: what the model costs per image at its best, and what the rest of the pipeline adds.
    const cores = availableParallelism();
    const pipelineModel = pipelinePrecision === 'int8' ? a8 : a;
    const ceiling = (cores * 1000) / b.cpuMsPerImage;
    console.log(
      `         CPU per image: fp32 model ${a.cpuMsPerImage.toFixed(1)} ms; int8 model ${a8.cpuMsPerImage.toFixed(1)} ms; import + tag ${b.cpuMsPerImage.toFixed(1)} ms ` +
        `(${(b.cpuMsPerImage - pipelineModel.cpuMsPerImage).toFixed(1)} ms besides the ${pipelinePrecision} model). With all ${cores} cores busy that CPU allows at most ` +
        `${ceiling.toFixed(1)} images/s, b/a ≤ ${(ceiling / rate(a)).toFixed(3)}, b/a′ ≤ ${(ceiling / rate(a8)).toFixed(3)}.`,
    );
  }
  const rounds = Number(values.rounds);
  console.log(`\n(a)  fp32 feature model alone, ready inputs: ${best.a.toFixed(1)} images/s (best of ${rounds})`);
  console.log(`(a′) int8 feature model alone, ready inputs: ${best.a8.toFixed(1)} images/s (best of ${rounds})`);
  console.log(`(b)  full import + tag pipeline, ${pipelinePrecision}:     ${best.b.toFixed(1)} images/s (best of ${rounds})`);
  console.log(`b/a:  ${(best.b / best.a).toFixed(3)}   (target ≥ 1.0: import + tag faster than the fp32 model alone)`);
  console.log(`b/a′: ${(best.b / best.a8).toFixed(3)}`);
  console.log(`peak RSS of the pipeline at ${Math.min(n, files)} posters: ${rss.toFixed(0)} MB`);

  const sample = Number(values['crop-sample']);
  if (sample > 0) {
    const head = readHeadInfo(readHeadFile(join(modelsDir(), DEFAULT_HEAD_FILE)), DEFAULT_HEAD_FILE);
    const strategy = (head.training.strategy as SquareStrategy | undefined) ?? 'squash';
    const margin = await scansWithMargin(
      loadSharedPosters()
        .slice(0, sample)
        .map((p) => p.path),
    );
    const cost = await tagCropCost(margin, strategy);
    console.log(
      `cropping the poster on the tag path, extra CPU-ms per scan (median of 5 interleaved rounds over ${sample} scans with a margin): ` +
        `+${cost.extra.toFixed(2)} ms on ${cost.base.toFixed(1)} ms (decode + model input, ${strategy})`,
    );
  }
}

await main();
