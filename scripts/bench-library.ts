/**
 * Library and review benchmark: how long the screens staff use all day wait for the catalogue, on
 * a synthetic catalogue of `--posters` posters (scripts/lib/syntheticCatalogue.ts). Prints the mean
 * milliseconds of each call (after one warm-up call), all measured in this one run.
 *
 *   npm run bench:library -- [--posters 100000] [--rounds 3]
 */
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { listGenres } from '../src/main/catalogue/genreRepository';
import { CatalogueService } from '../src/main/service';
import type { ExportFilter, LibrarySort, ReviewOrder } from '../src/shared/types';
import { fillSyntheticCatalogue } from './lib/syntheticCatalogue';

const { values } = parseArgs({ options: { posters: { type: 'string', default: '100000' }, rounds: { type: 'string', default: '3' } } });
const n = Number(values.posters);
const rounds = Number(values.rounds);
if (!Number.isInteger(n) || n < 1 || !Number.isInteger(rounds) || rounds < 1) {
  console.error('--posters and --rounds take whole numbers above 0.');
  process.exit(2);
}
const db = join(resolve('bench-out'), 'library-bench.sqlite');
rmSync(db, { force: true });
const service = CatalogueService.open(db);
const built = fillSyntheticCatalogue(service, n);
console.log(`a catalogue of ${n} posters with ${built.suggestions} suggestions, built in ${built.seconds.toFixed(1)} s; ${rounds} rounds each`);

function time(what: string, call: () => unknown): void {
  call();
  const t0 = performance.now();
  for (let i = 0; i < rounds; i++) call();
  console.log(`${what.padEnd(44)} ${((performance.now() - t0) / rounds).toFixed(1).padStart(7)} ms`);
}

const { library, review } = service;
const page = 60;
const genre = listGenres(service.db)[3]!.name;
for (const sort of ['imported', 'title', 'year', 'uncertain', 'vendor', 'reviewed'] satisfies LibrarySort[]) {
  time(`library page, sorted by ${sort}`, () => library.search({}, sort, 0, page));
}
time(`library page at ${Math.floor(n / 2)}, by title`, () => library.search({}, 'title', Math.floor(n / 2), page));
const filters: [string, ExportFilter][] = [
  ['not reviewed', { status: 'unreviewed' }],
  [`genre ${genre}`, { genre }],
  ['title words', { search: 'part 2' }],
  ['vendor', { vendor: 'vendor 3' }],
  ['low confidence', { confidence: 'low' }],
  ['near-duplicates', { duplicates: true }],
];
for (const [what, filter] of filters) time(`library page, ${what}`, () => library.search(filter, 'imported', 0, page));
for (const order of ['uncertain', 'decade', 'import', 'unsure'] satisfies ReviewOrder[]) {
  time(`review queue of 20, ${order}`, () => review.queue(order, 20, []));
}
time('review counts', () => review.counts(new Date(Date.now() - 86_400_000).toISOString()));
time('stats', () => service.stats());
await service.close();
