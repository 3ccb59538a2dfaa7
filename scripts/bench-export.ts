/**
 * CSV export benchmark: a catalogue of `--posters` synthetic posters (each with 19 suggestions,
 * half of them reviewed with labels) exported to CSV; prints seconds, rows/s and peak RSS.
 *
 *   npm run bench:export -- [--posters 100000]
 */
import { rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { listGenres } from '../src/main/catalogue/genreRepository';
import { CatalogueService } from '../src/main/service';

const { values } = parseArgs({ options: { posters: { type: 'string', default: '100000' } } });
const n = Number(values.posters);
const dir = resolve('bench-out');
const db = join(dir, 'export-bench.sqlite');
rmSync(db, { force: true });
const service = CatalogueService.open(db);
const genres = listGenres(service.db);
const insertPoster = service.db.prepare(
  `INSERT INTO posters (path, sha256, bytes, width, height, title, year, decade, vendor, imported_at, thumbnail, phash, reviewed_at)
   VALUES (?, ?, 900000, 1500, 2250, ?, ?, ?, ?, '2026-11-21T00:00:00Z', 'x.jpg', '0000000000000000', ?)`,
);
const insertSuggestion = service.db.prepare("INSERT INTO suggestions VALUES (?, ?, ?, ?, 'default-bench', '2026-11-21')");
const insertLabel = service.db.prepare('INSERT INTO poster_labels VALUES (?, ?)');
const t0 = performance.now();
service.db.transaction(() => {
  for (let i = 0; i < n; i++) {
    const year = 1930 + (i % 90);
    const id = Number(
      insertPoster.run(
        `/scans/vendor ${i % 7}/poster ${i}.jpg`,
        i.toString(16).padStart(64, '0'),
        `Film "${i}", part ${i % 3}`,
        year,
        year - (year % 10),
        `Vendor ${i % 7}`,
        i % 2 ? '2026-11-21' : null,
      ).lastInsertRowid,
    );
    genres.forEach((g, j) => insertSuggestion.run(id, g.id, ((i * 31 + j * 17) % 100) / 100, (i + j) % 5 === 0 ? 1 : 0));
    if (i % 2) insertLabel.run(id, genres[i % genres.length]?.id);
  }
})();
console.log(`built a catalogue of ${n} posters with ${n * genres.length} suggestions in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
const file = join(dir, 'export-bench.csv');
const t1 = performance.now();
const summary = await service.startExport({ file }).promise;
const seconds = (performance.now() - t1) / 1000;
console.log(
  `exported ${summary.rows} rows (${(statSync(file).size / 1e6).toFixed(1)} MB) in ${seconds.toFixed(2)} s: ` +
    `${Math.round(summary.rows / seconds)} rows/s; peak RSS of this process ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
);
await service.close();
