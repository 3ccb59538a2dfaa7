/**
 * Tagging benchmark, measured in one run on vendor-size scans (made from the research posters on
 * first use, the same ones bench-import makes):
 *  (a) the feature model alone on ready inputs (uint8 224×224, already in memory), images/s;
 *  (b) the full import + tag pipeline (hash, decode, thumbnail, features, suggestions, database), images/s;
 * and the ratio b/a. Also the peak RSS of the pipeline run. Each measurement runs in its own process;
 * (a) is the better of onnxruntime with and without spinning intra-op threads, batch 8.
 *
 *   npm run bench:tag -- [--files 2000] [--scans bench-out/scans-2000]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { FeatureExtractor } from '../src/main/inference/featureExtractor';
import { decodeForModel } from '../src/main/media/media';
import { CatalogueService } from '../src/main/service';
import { makeScans } from './lib/vendorScans';

const { values } = parseArgs({
  options: {
    files: { type: 'string', default: '2000' },
    scans: { type: 'string' },
    child: { type: 'string' },
    db: { type: 'string' },
    rounds: { type: 'string', default: '3' },
    spinning: { type: 'boolean', default: false },
  },
});
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
    const extractor = await FeatureExtractor.open({ providers: ['cpu'], spinning: values.spinning });
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

function measure(mode: string, db?: string, spinning = false): Measured {
  const args = ['--import', 'tsx', import.meta.filename, '--child', mode, '--files', String(files), '--scans', scans];
  if (db) args.push('--db', db);
  if (spinning) args.push('--spinning');
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
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
  const model: number[] = [];
  const pipeline: number[] = [];
  let rss = 0;
  for (let round = 1; round <= Number(values.rounds); round++) {
    // The floor is the model at its best: with and without spinning threads, the faster of the two.
    const a = [measure('model', undefined, true), measure('model')].reduce((x, y) => (y.count / y.seconds > x.count / x.seconds ? y : x));
    const db = join(resolve('bench-out'), `tag-${round}.sqlite`);
    rmSync(db, { force: true });
    rmSync(db.replace(/\.sqlite$/, '.thumbnails'), { recursive: true, force: true });
    const b = measure('pipeline', db);
    model.push(a.count / a.seconds);
    pipeline.push(b.count / b.seconds);
    rss = Math.max(rss, b.maxRssMb);
    console.log(
      `round ${round}: (a) model alone ${(a.count / a.seconds).toFixed(1)} images/s; (b) import + tag ${(b.count / b.seconds).toFixed(1)} images/s; ` +
        `b/a ${(b.count / b.seconds / (a.count / a.seconds)).toFixed(3)}; pipeline peak RSS ${b.maxRssMb.toFixed(0)} MB`,
    );
    // Where the CPU goes: what the model costs per image at its best, and what the rest of the pipeline adds.
    const cores = availableParallelism();
    const ceiling = (cores * 1000) / b.cpuMsPerImage;
    console.log(
      `         CPU per image: model ${a.cpuMsPerImage.toFixed(1)} ms; import + tag ${b.cpuMsPerImage.toFixed(1)} ms ` +
        `(${(b.cpuMsPerImage - a.cpuMsPerImage).toFixed(1)} ms besides the model). With all ${cores} cores busy that CPU allows at most ` +
        `${ceiling.toFixed(1)} images/s, b/a ≤ ${(ceiling / (a.count / a.seconds)).toFixed(3)}.`,
    );
  }
  const a = Math.max(...model);
  const b = Math.max(...pipeline);
  console.log(`\n(a) feature model alone, ready inputs: ${a.toFixed(1)} images/s (best of ${model.length})`);
  console.log(`(b) full import + tag pipeline:       ${b.toFixed(1)} images/s (best of ${pipeline.length})`);
  console.log(`b/a:                                  ${(b / a).toFixed(3)}   (target ≥ 0.85)`);
  console.log(`peak RSS of the pipeline at ${Math.min(n, files)} posters: ${rss.toFixed(0)} MB`);
}

await main();
