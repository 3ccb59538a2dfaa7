import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { noopJob, recordingJob, tempDir } from '../../../tests/helpers';
import { findGenreByName, renameGenre, setGenreRetired } from '../catalogue/genreRepository';
import { insertPoster } from '../catalogue/posterRepository';
import { parseCsv } from '../csv/csv';
import { CatalogueService } from '../service';
import { EXPORT_COLUMNS, exportCsv } from './exportCsv';

let service: CatalogueService;
afterEach(() => service?.close());

function seed(): void {
  service = CatalogueService.open(join(tempDir(), 'c.sqlite'));
  const { db } = service;
  const poster = (title: string, year: number | null, vendor: string) =>
    insertPoster(db, {
      path: `/scans/${title}.jpg`,
      sha256: title.padEnd(64, '0'),
      bytes: 1000,
      width: 1500,
      height: 2250,
      title,
      year,
      decade: year === null ? null : Math.floor(year / 10) * 10,
      vendor,
      importedAt: '2026-11-01T00:00:00.000Z',
      thumbnail: 'x.jpg',
      phash: '0'.repeat(16),
      duplicateOf: null,
    });
  const genre = (name: string) => findGenreByName(db, name)?.id;
  const vertigo = poster('Vertigo', 1958, 'Acme');
  const alien = poster('=cmd|calc', 1979, 'Bolt');
  poster('Unknown', null, 'Acme');
  // Vertigo: reviewed as Mystery|Thriller although the model suggested Romance.
  db.prepare("UPDATE posters SET reviewed_at = '2026-11-02' WHERE id = ?").run(vertigo);
  db.prepare('INSERT INTO poster_labels VALUES (?, ?), (?, ?)').run(vertigo, genre('Mystery'), vertigo, genre('Thriller'));
  const suggest = db.prepare("INSERT INTO suggestions VALUES (?, ?, ?, ?, 'head-v1', '2026-11-01')");
  suggest.run(vertigo, genre('Romance'), 0.8, 1);
  suggest.run(alien, genre('Horror'), 0.91, 1);
  suggest.run(alien, genre('Science Fiction'), 0.62, 1);
  suggest.run(alien, genre('Comedy'), 0.05, 0);
}

async function exportRows(filter = {}, bom = false, columns?: string[]) {
  const file = join(tempDir(), 'out.csv');
  const summary = await exportCsv(service.db, { file, filter, bom, columns }, noopJob());
  const text = readFileSync(file, 'utf8');
  const parsed = parseCsv(text);
  expect(parsed.errors).toEqual([]);
  const rows = parsed.rows.map((r) => Object.fromEntries(parsed.header.map((h, i) => [h, r.cells[i]])));
  return { summary, text, header: parsed.header, rows };
}

describe('exportCsv', () => {
  it('writes one row per poster: reviewed genres win, else suggestions, best first', async () => {
    seed();
    const { header, rows, summary } = await exportRows();
    expect(header).toEqual([...EXPORT_COLUMNS]);
    expect(summary.rows).toBe(3);
    expect(rows[0]).toMatchObject({
      title: 'Vertigo',
      genres: 'Mystery|Thriller',
      genre_source: 'reviewed',
      suggestions: 'Romance:0.800',
      decade: '1950',
      vendor: 'Acme',
    });
    expect(rows[1]).toMatchObject({
      title: "'=cmd|calc", // neutralised
      genres: 'Horror|Science Fiction',
      genre_source: 'suggested',
      suggestions: 'Horror:0.910|Science Fiction:0.620|Comedy:0.050',
      model_version: 'head-v1',
    });
    expect(rows[2]).toMatchObject({ title: 'Unknown', genres: '', genre_source: 'none', year: '', decade: '' });
  });

  it('counts its progress in posters, one row each', async () => {
    seed();
    const { job, reports } = recordingJob();
    await exportCsv(service.db, { file: join(tempDir(), 'out.csv'), filter: {} }, job);
    expect(reports.length).toBeGreaterThan(0);
    expect(reports.every((r) => r.unit === 'poster')).toBe(true);
    expect(reports.at(-1)).toMatchObject({ done: 3, total: 3 });
  });

  it('filters by genre, decade, review status and vendor', async () => {
    seed();
    const titles = async (filter: object) => (await exportRows(filter)).rows.map((r) => r.title);
    expect(await titles({ genre: 'horror' })).toEqual(["'=cmd|calc"]);
    expect(await titles({ genre: 'Romance' })).toEqual([]); // only suggested for a reviewed poster
    expect(await titles({ genre: 'Thriller' })).toEqual(['Vertigo']);
    expect(await titles({ decade: 1970 })).toEqual(["'=cmd|calc"]);
    expect(await titles({ status: 'reviewed' })).toEqual(['Vertigo']);
    expect(await titles({ status: 'unreviewed', vendor: 'acme' })).toEqual(['Unknown']);
  });

  it('keeps labels through a genre rename; a retired genre leaves the export but not the database', async () => {
    seed();
    const thriller = findGenreByName(service.db, 'Thriller');
    renameGenre(service.db, thriller?.id ?? 0, 'Suspense');
    expect((await exportRows()).rows[0]?.genres).toBe('Mystery|Suspense');
    setGenreRetired(service.db, thriller?.id ?? 0, true);
    expect((await exportRows()).rows[0]?.genres).toBe('Mystery');
    setGenreRetired(service.db, thriller?.id ?? 0, false);
    expect((await exportRows()).rows[0]?.genres).toBe('Mystery|Suspense');
  });

  it('writes only the chosen columns, in the standard order, and names an unknown one', async () => {
    seed();
    const { header, rows } = await exportRows({}, false, ['genres', 'id', 'title']);
    expect(header).toEqual(['id', 'title', 'genres']);
    expect(rows[0]).toEqual({ id: expect.any(String), title: 'Vertigo', genres: 'Mystery|Thriller' });
    await expect(exportCsv(service.db, { file: join(tempDir(), 'x.csv'), columns: ['id', 'price'] }, noopJob())).rejects.toThrow(
      'Unknown export column: price.',
    );
  });

  it('writes cells as they are when the spreadsheet guard is off (a shop importer would keep the apostrophe)', async () => {
    seed();
    const file = join(tempDir(), 'shop.csv');
    await exportCsv(service.db, { file, formulaGuard: false }, noopJob());
    const parsed = parseCsv(readFileSync(file, 'utf8'));
    const titles = parsed.rows.map((r) => r.cells[parsed.header.indexOf('title')]);
    expect(titles).toEqual(['Vertigo', '=cmd|calc', 'Unknown']);
  });

  it('writes a BOM only when asked, and CRLF line ends', async () => {
    seed();
    expect((await exportRows({}, true)).text.startsWith('\uFEFFid,')).toBe(true);
    const plain = await exportRows();
    expect(plain.text.startsWith('id,')).toBe(true);
    expect(plain.text.split('\r\n')).toHaveLength(5);
  });

  it('leaves no file behind when cancelled, and names an unwritable target', async () => {
    seed();
    const file = join(tempDir(), 'cancelled.csv');
    const controller = new AbortController();
    controller.abort();
    await expect(exportCsv(service.db, { file }, noopJob(controller.signal))).rejects.toThrow(/cancelled; no file was written/);
    expect(existsSync(file)).toBe(false);
    await expect(exportCsv(service.db, { file: '/nonexistent-dir/x.csv' }, noopJob())).rejects.toThrow(/Cannot write \/nonexistent-dir\/x\.csv/);
  });

  it('refuses an empty column list in plain words; a list left out is every column', async () => {
    seed();
    const file = join(tempDir(), 'none.csv');
    await expect(exportCsv(service.db, { file, columns: [] }, noopJob())).rejects.toThrow(
      expect.objectContaining({ code: 'no-columns', message: 'Choose at least one column to export.' }),
    );
    expect(existsSync(file)).toBe(false);
    expect((await exportRows()).header).toEqual([...EXPORT_COLUMNS]);
  });

  it('two exports writing one file at once each use their own temporary file: both finish and the CSV is one of them whole', async () => {
    seed();
    const dir = tempDir();
    const file = join(dir, 'out.csv');
    const results = await Promise.allSettled([
      exportCsv(service.db, { file }, noopJob()),
      exportCsv(service.db, { file, columns: ['id', 'title'] }, noopJob()),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
    const text = readFileSync(file, 'utf8');
    const parsed = parseCsv(text);
    expect(parsed.errors).toEqual([]);
    // The last rename wins; either run's file is whole, never a mix of the two.
    expect([[...EXPORT_COLUMNS], ['id', 'title']]).toContainEqual(parsed.header);
    expect(parsed.rows.every((r) => r.cells.length === parsed.header.length)).toBe(true);
    expect(parsed.rows).toHaveLength(3);
    expect(readdirSync(dir)).toEqual(['out.csv']);
  });
});
