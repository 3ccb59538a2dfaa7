/**
 * Import benchmark: the full import (hash, decode, thumbnail, perceptual hash, database) against
 * its floor (sharp decoding and thumbnailing the same files, nothing else), measured in one run,
 * on realistic vendor-size scans made from the research posters in ../shared. Also the peak RSS of
 * an import of `--files` and of `--big` files, to show memory stays flat as folders grow.
 *
 * Last, the CPU-ms per scan that finding the poster (margin, skew) adds to the import's one decode,
 * on these no-margin scans and on vendor-size scans with a margin (scripts/lib/cropCost.ts).
 *
 *   npm run bench:import -- [--files 2000] [--big 10000] [--out bench-out] [--concurrency 4] [--crop-sample 60]
 */
import { spawnSync } from 'node:child_process';
import { linkSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { defaultImportConcurrency } from '../src/main/import/importFolder';
import { CatalogueService } from '../src/main/service';
import { thumbnailOnly } from '../src/main/media/media';
import { importCropCost, scansWithMargin } from './lib/cropCost';
import { loadSharedPosters } from './lib/sharedPosters';
import { makeScans, pool } from './lib/vendorScans';

const { values } = parseArgs({
  options: {
    files: { type: 'string', default: '2000' },
    big: { type: 'string', default: '10000' },
    out: { type: 'string', default: 'bench-out' },
    concurrency: { type: 'string' },
    'crop-sample': { type: 'string', default: '60' },
    child: { type: 'string' },
    dir: { type: 'string' },
    db: { type: 'string' },
  },
});
const concurrency = values.concurrency ? Number(values.concurrency) : defaultImportConcurrency();
/** The floor is given its best bounded concurrency, so the ratio is not flattered by a poor floor. */
const FLOOR_CONCURRENCY = [4, 6, 8];
const ROUNDS = 3;

/** Child process: one measurement, printed as a JSON line. */
async function child(mode: string, dir: string): Promise<void> {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.jpg'))
    .map((f) => join(dir, f));
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  if (mode === 'floor') {
    await pool(files, concurrency, async (f) => {
      await thumbnailOnly(await readFile(f));
    });
  } else {
    const service = CatalogueService.open(values.db);
    const { promise } = service.startImport({ folder: dir, concurrency });
    const summary = await promise;
    service.close();
    if (summary.failed > 0) throw new Error(`${summary.failed} files failed: ${summary.failures[0]?.reason}`);
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const usage = process.resourceUsage();
  console.log(JSON.stringify({ files: files.length, seconds, cpuSeconds, maxRssMb: usage.maxRSS / 1024 }));
}

function measure(mode: string, dir: string, db?: string, width = concurrency): { files: number; seconds: number; cpuSeconds: number; maxRssMb: number } {
  const args = ['--import', 'tsx', import.meta.filename, '--child', mode, '--dir', dir, '--concurrency', String(width)];
  if (db) args.push('--db', db);
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`${mode} run failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1) as string);
}

/**
 * A folder of `count` distinct files for the memory run: the `base` scans, then copies of them made
 * distinct (new content hash) by bytes after the JPEG end marker; hard links where bytes repeat.
 */
function makeBigFolder(dir: string, scans: string, count: number): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const base = readdirSync(scans)
    .filter((f) => f.endsWith('.jpg'))
    .sort();
  for (let i = 0; i < count; i++) {
    const src = join(scans, base[i % base.length] as string);
    const target = join(dir, `big-${String(i).padStart(5, '0')}.jpg`);
    if (i < base.length) linkSync(src, target);
    else writeFileSync(target, Buffer.concat([readFileSync(src), Buffer.from(` copy ${i}`)]));
  }
}

async function main(): Promise<void> {
  if (values.child) return child(values.child, values.dir as string);
  const files = Number(values.files);
  const big = Number(values.big);
  const out = resolve(values.out);
  const scans = join(out, `scans-${files}`);
  console.log(`Making ${files} vendor-size scans in ${scans} (cached between runs)…`);
  await makeScans(scans, files);
  const sizes = readdirSync(scans).map((f) => statSync(join(scans, f)).size / 1e6);
  const meta = await sharp(join(scans, readdirSync(scans)[0] as string)).metadata();
  console.log(
    `Scans: ${sizes.length} files, ${meta.width}×${meta.height} px, ${Math.min(...sizes).toFixed(2)}–${Math.max(...sizes).toFixed(2)} MB ` +
      `(mean ${(sizes.reduce((a, b) => a + b, 0) / sizes.length).toFixed(2)} MB); import concurrency ${concurrency}, floor best of ${FLOOR_CONCURRENCY.join('/')}; ${(await import('node:os')).cpus().length} cores`,
  );

  const results: { floor: number[]; import: number[]; rss: number } = { floor: [], import: [], rss: 0 };
  for (let round = 1; round <= ROUNDS; round++) {
    const floors = FLOOR_CONCURRENCY.map((width) => ({ width, ...measure('floor', scans, undefined, width) }));
    const floor = floors.reduce((a, b) => (b.seconds < a.seconds ? b : a));
    const db = join(out, `bench-${round}.sqlite`);
    rmSync(db, { force: true });
    rmSync(join(out, `bench-${round}.thumbnails`), { recursive: true, force: true });
    const imp = measure('import', scans, db);
    results.floor.push(floor.files / floor.seconds);
    results.import.push(imp.files / imp.seconds);
    results.rss = Math.max(results.rss, imp.maxRssMb);
    console.log(
      `round ${round}: floor ${(floor.files / floor.seconds).toFixed(1)} files/s (best at concurrency ${floor.width}), import ${(imp.files / imp.seconds).toFixed(1)} files/s, ` +
        `ratio ${(floor.seconds / imp.seconds).toFixed(3)}; CPU ms/file floor ${((floor.cpuSeconds / floor.files) * 1000).toFixed(1)}, ` +
        `import ${((imp.cpuSeconds / imp.files) * 1000).toFixed(1)}; import peak RSS ${imp.maxRssMb.toFixed(0)} MB`,
    );
  }
  const bestFloor = Math.max(...results.floor);
  const bestImport = Math.max(...results.import);
  console.log(`\nfloor (sharp decode + thumbnail only): ${bestFloor.toFixed(1)} files/s (best of ${ROUNDS})`);
  console.log(`full import:                          ${bestImport.toFixed(1)} files/s (best of ${ROUNDS})`);
  console.log(`ratio import/floor:                   ${(bestImport / bestFloor).toFixed(3)}   (target ≥ 0.8)`);
  console.log(`peak RSS, import of ${files} files:     ${results.rss.toFixed(0)} MB`);

  const sample = Number(values['crop-sample']);
  if (sample > 0) {
    const plain = readdirSync(scans)
      .filter((f) => f.endsWith('.jpg'))
      .sort()
      .slice(0, sample)
      .map((f) => readFileSync(join(scans, f)));
    const margin = await scansWithMargin(
      loadSharedPosters()
        .slice(0, sample)
        .map((p) => p.path),
    );
    const none = await importCropCost(plain);
    const some = await importCropCost(margin);
    console.log(`\nfinding the poster, extra CPU-ms per scan (median of 5 interleaved rounds over ${sample} scans, same decode):`);
    console.log(`  no-margin scans (these):           +${none.extra.toFixed(2)} ms on ${none.base.toFixed(1)} ms (decode + thumbnail + hash)`);
    console.log(`  scans with a margin (2250 px sheet): +${some.extra.toFixed(2)} ms on ${some.base.toFixed(1)} ms`);
  }

  if (big > 0) {
    const bigDir = join(out, `big-${big}`);
    console.log(`\nMaking a folder of ${big} distinct files for the memory run…`);
    makeBigFolder(bigDir, scans, big);
    const db = join(out, 'bench-big.sqlite');
    rmSync(db, { force: true });
    rmSync(join(out, 'bench-big.thumbnails'), { recursive: true, force: true });
    const imp = measure('import', bigDir, db);
    console.log(`peak RSS, import of ${big} files:    ${imp.maxRssMb.toFixed(0)} MB (${(imp.files / imp.seconds).toFixed(1)} files/s)`);
    rmSync(bigDir, { recursive: true, force: true });
  }
}

await main();
