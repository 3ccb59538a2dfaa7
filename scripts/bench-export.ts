/**
 * CSV export benchmark: a catalogue of `--posters` synthetic posters (each with 19 suggestions,
 * half of them reviewed with labels) exported to CSV; prints seconds, rows/s and peak RSS.
 *
 *   npm run bench:export -- [--posters 100000]
 */
import { rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CatalogueService } from '../src/main/service';
import { fillSyntheticCatalogue } from './lib/syntheticCatalogue';

const { values } = parseArgs({ options: { posters: { type: 'string', default: '100000' } } });
const n = Number(values.posters);
const dir = resolve('bench-out');
const db = join(dir, 'export-bench.sqlite');
rmSync(db, { force: true });
const service = CatalogueService.open(db);
const built = fillSyntheticCatalogue(service, n);
console.log(`built a catalogue of ${n} posters with ${built.suggestions} suggestions in ${built.seconds.toFixed(1)} s`);
const file = join(dir, 'export-bench.csv');
const t1 = performance.now();
const summary = await service.startExport({ file }).promise;
const seconds = (performance.now() - t1) / 1000;
console.log(
  `exported ${summary.rows} rows (${(statSync(file).size / 1e6).toFixed(1)} MB) in ${seconds.toFixed(2)} s: ` +
    `${Math.round(summary.rows / seconds)} rows/s; peak RSS of this process ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
);
await service.close();
