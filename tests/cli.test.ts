import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { CatalogueService } from '../src/main/service';
import { POSTERS, copyPosters, runCli, tempDir } from './helpers';

const cli = runCli;

describe('command line', () => {
  it('imports, reports stats and exports with --json summaries on the last line', () => {
    const dir = tempDir();
    const db = join(dir, 'c.sqlite');
    copyPosters(join(dir, 'in'));
    copyFileSync(join(POSTERS, 'labels.csv'), join(dir, 'in', 'labels.csv')); // a sidecar gives the years
    const imported = cli(['import', join(dir, 'in'), '--vendor', 'Acme', '--db', db, '--json']);
    expect(imported.code).toBe(0);
    expect(imported.json()).toMatchObject({ imported: 12, alreadyPresent: 0, nearDuplicates: 0, failed: 0, failures: [] });
    // Progress says what it counts, as the job names it: files while they are copied.
    // (Which lines appear depends on the machine's speed: 12 scans may be read between two progress events.)
    expect(imported.stderr).toMatch(/^import: \d+\/12 (files|posters)\b/m);
    expect(imported.stderr).not.toMatch(/ETA (\?|0s)|0\.0 \w+\/s/); // nothing unknown or empty said as a figure
    // The environment variable names the catalogue when --db is absent.
    const stats = cli(['stats', '--json'], { POSTER_CATALOGUE_DB: db });
    expect(stats.json()).toMatchObject({ posters: 12, dbPath: db });
    const out = join(dir, 'out.csv');
    const exported = cli(['export', out, '--vendor', 'Acme', '--decade', '1930', '--db', db, '--json']);
    expect(exported.code).toBe(0);
    const rows = exported.json().rows as number;
    expect(rows).toBe(3); // the fixture posters from 1931, 1934 and 1936
    expect(exported.stderr).toMatch(/^export: 3\/3 posters$/m); // done: no rate of nothing, no "ETA 0s"
    expect(readFileSync(out, 'utf8').trim().split('\r\n')).toHaveLength(rows + 1);
    // an existing file is replaced only when asked: nothing else is written over the shop's last CSV
    writeFileSync(out, 'the shop file of yesterday');
    expect(cli(['export', out, '--db', db])).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/out\.csv already exists, and nothing was written: add --overwrite/),
    });
    expect(readFileSync(out, 'utf8')).toBe('the shop file of yesterday');
    expect(cli(['export', out, '--overwrite', '--db', db, '--json']).json()).toMatchObject({ rows: 12 });
    // a mistyped genre is said; a status in capitals is understood
    expect(cli(['export', join(dir, 'w.csv'), '--genre', 'Westerns', '--db', db])).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/There is no genre named "Westerns"/),
    });
    expect(existsSync(join(dir, 'w.csv'))).toBe(false);
    expect(cli(['export', join(dir, 'r.csv'), '--status', 'Reviewed', '--genre', 'horror', '--db', db]).stdout).toMatch(
      /Exported 0 posters .*\n {2}No poster matches these filters/,
    );
  });

  it('runs from any folder: the feature model worker finds tsx beside the project, not in the folder it was run from', () => {
    const dir = tempDir();
    copyPosters(join(dir, 'in'));
    const imported = runCli(['import', 'in', '--db', 'c.sqlite', '--json'], {}, dir);
    expect(imported.stderr).not.toMatch(/Cannot find package 'tsx'/);
    expect(imported.json()).toMatchObject({ imported: 12, tagged: 12 });
  });

  it('says what is wrong with the arguments, with exit code 2', () => {
    const db = join(tempDir(), 'c.sqlite');
    expect(cli(['frobnicate', '--db', db])).toMatchObject({ code: 2, stderr: expect.stringMatching(/unknown command "frobnicate"/) });
    expect(cli(['export', 'x.csv', '--decade', '195', '--db', db]).stderr).toMatch(/--decade must be like 1950/);
    expect(cli(['import', '--db', db]).stderr).toMatch(/import needs a folder/);
    expect(cli(['stats', '--nope']).code).toBe(2);
    const missing = cli(['import', '/no/such/folder', '--db', db, '--json']);
    expect(missing.code).toBe(1);
    expect(missing.json()).toEqual({ error: { code: 'folder-not-found', message: 'The folder /no/such/folder does not exist.' } });
    // A mistyped catalogue path: said, and no empty catalogue made there.
    const typo = join(tempDir(), 'ctalogue.sqlite');
    expect(cli(['export', join(tempDir(), 'x.csv'), '--db', typo])).toMatchObject({
      code: 1,
      stderr: `error: There is no catalogue at ${typo}: check the path ("import" starts a new one).\n`,
    });
    expect(existsSync(typo)).toBe(false);
  });

  it('manages the genre vocabulary', () => {
    const db = join(tempDir(), 'c.sqlite');
    expect(cli(['genres', 'add', 'Giallo', '--db', db]).code).toBe(0);
    expect(cli(['genres', 'rename', 'Giallo', 'Giallo Horror', '--db', db]).code).toBe(0);
    expect(cli(['genres', 'retire', 'giallo horror', '--db', db, '--json']).json()).toMatchObject({ name: 'Giallo Horror', retired: true });
    expect(cli(['genres', 'list', '--db', db]).stdout).toMatch(/Giallo Horror \(retired\)/);
    expect(cli(['genres', 'retire', 'Nope', '--db', db]).stderr).toMatch(/There is no genre named "Nope"/);
  });

  it('labels posters by id or path, in bulk from CSV, with history and undo', () => {
    const dir = tempDir();
    const db = join(dir, 'c.sqlite');
    copyPosters(join(dir, 'in'));
    expect(cli(['import', join(dir, 'in'), '--no-tag', '--db', db]).code).toBe(0);
    // Poster ids follow import completion order: look the paths up rather than assume them.
    const catalogue = new Database(db, { readonly: true });
    const pathOf = (id: number) => catalogue.prepare('SELECT path FROM posters WHERE id = ?').pluck().get(id) as string;
    const [second, first] = [pathOf(2), pathOf(3)];
    catalogue.close();
    const labelled = cli(['label', '1', '--genres', 'Horror|Thriller', '--reviewer', 'ana', '--db', db, '--json']);
    expect(labelled.json()).toMatchObject({ posterId: 1, oldGenres: null, newGenres: ['Horror', 'Thriller'], reviewer: 'ana' });
    const byPath = cli(['label', second as string, '--genres', 'Comedy', '--db', db, '--json']);
    expect(byPath.json()).toMatchObject({ newGenres: ['Comedy'] });
    expect(cli(['label', '1', '--genres', 'Giallo', '--db', db]).stderr).toMatch(/Unknown genre: Giallo/);
    expect(cli(['label', '/nowhere.jpg', '--genres', 'Drama', '--db', db]).stderr).toMatch(/There is no poster at \/nowhere\.jpg/);
    // undo returns the change it undid, now marked undone; the poster is not reviewed again
    expect(cli(['undo', '1', '--db', db, '--json']).json()).toMatchObject({ oldGenres: null, newGenres: ['Horror', 'Thriller'], undoneAt: expect.any(String) });
    expect(cli(['history', '1', '--db', db]).stdout).toMatch(/\(not reviewed\) → Horror\|Thriller .* by ana {2}\(undone /);
    const csv = join(dir, 'labels.csv');
    writeFileSync(csv, `file_path,genres\n${first},War\n/missing.jpg,Drama\n`);
    const bulk = cli(['label', '--from-csv', csv, '--db', db, '--json']);
    expect(bulk.json()).toEqual({ applied: 1, skipped: [{ line: 3, reason: 'There is no poster at /missing.jpg.' }], leftUnreviewed: [] });
    expect(cli(['export', join(dir, 'out.csv'), '--status', 'reviewed', '--db', db, '--json']).json()).toMatchObject({ rows: 2 });
  });

  it('history shows title, year and vendor edits beside the genre changes, in the order they were made, and undoes an edit by its id', async () => {
    const dir = tempDir();
    const db = join(dir, 'c.sqlite');
    copyPosters(join(dir, 'in'));
    expect(cli(['import', join(dir, 'in'), '--no-tag', '--db', db]).code).toBe(0);
    const before = new Database(db, { readonly: true });
    const title = before.prepare('SELECT title FROM posters WHERE id = 1').pluck().get() as string | null;
    before.close();
    expect(cli(['label', '1', '--genres', 'Horror', '--reviewer', 'ana', '--db', db]).code).toBe(0);
    // Staff correct the facts in the application: the same service, another door.
    const service = CatalogueService.open(db);
    await service.updatePoster(1, { title: 'The Mummy', year: 1932, vendor: 'Heritage' }, 'ben');
    await service.close();
    expect(cli(['label', '1', '--genres', 'Horror|Adventure', '--reviewer', 'ana', '--db', db]).code).toBe(0);
    const lines = cli(['history', '1', '--db', db]).stdout.trim().split('\n');
    const was = (v: string | null) => (v ? `"${v}"` : '(no title)');
    expect(lines).toEqual([
      expect.stringMatching(/^poster 1: genres \(not reviewed\) → Horror {2}\S+ by ana$/),
      expect.stringMatching(new RegExp(`^poster 1: title ${was(title).replace(/[()]/g, '\\$&')} → "The Mummy" {2}\\S+ by ben {2}\\[edit \\d+\\]$`)),
      expect.stringMatching(/^poster 1: year .+ → 1932 {2}\S+ by ben {2}\[edit \d+\]$/),
      expect.stringMatching(/^poster 1: vendor .+ → "Heritage" {2}\S+ by ben {2}\[edit \d+\]$/),
      expect.stringMatching(/^poster 1: genres Horror → Adventure\|Horror {2}\S+ by ana$/),
    ]);
    const titleEdit = Number(/\[edit (\d+)\]/.exec(lines[1] ?? '')?.[1]);
    // The title edit taken back by its id; the poster's other changes stay.
    const undone = cli(['undo', '1', '--edit', String(titleEdit), '--db', db, '--json']);
    expect(undone.stdout).toMatch(/^undone:\nposter 1: title .+ → "The Mummy" .* by ben {2}\(undone \S+\) {2}\[edit /);
    expect(undone.json()).toMatchObject({ id: titleEdit, field: 'title', after: 'The Mummy', undoneAt: expect.any(String) });
    const after = new Database(db, { readonly: true });
    expect(after.prepare('SELECT title, year, vendor FROM posters WHERE id = 1').get()).toEqual({ title, year: 1932, vendor: 'Heritage' });
    after.close();
    expect(cli(['history', '1', '--db', db]).stdout).toMatch(/title .* → "The Mummy" .* by ben {2}\(undone \S+\) {2}\[edit/);
    expect(cli(['undo', '1', '--edit', '999', '--db', db])).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/Poster 1 has no edit 999: "history 1" lists its edits/),
    });
  });

  it('history of the poster kept of a near-duplicate pair says which poster was set aside, and undo takes that back', async () => {
    const dir = tempDir();
    const db = join(dir, 'c.sqlite');
    copyPosters(join(dir, 'in'));
    expect(cli(['import', join(dir, 'in'), '--no-tag', '--db', db]).code).toBe(0);
    const service = CatalogueService.open(db);
    await service.updatePoster(2, { title: 'Vertigo', year: 1958, vendor: 'Vendor X' }, 'ben');
    service.db.prepare('UPDATE posters SET duplicate_of = 1 WHERE id = 2').run();
    const setAside = service.library.keepDuplicate(1, 2, 'ana');
    await service.close();
    const kept = `poster 1: kept over poster 2, Vertigo \\(Vendor X, 1958\\), which was set aside {2}\\S+ by ana`;
    expect(cli(['history', '1', '--db', db]).stdout.trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`^${kept} {2}\\[edit ${setAside.id}\\]$`))]);
    // The set-aside poster's own line is unchanged.
    expect(cli(['history', '2', '--db', db]).stdout).toMatch(
      new RegExp(`^poster 2: set aside in the catalogue → set aside .* by ana {2}\\[edit ${setAside.id}\\]$`, 'm'),
    );
    expect(cli(['undo', '1', '--edit', String(setAside.id), '--db', db]).code).toBe(0);
    const after = new Database(db, { readonly: true });
    expect(after.prepare('SELECT set_aside_at FROM posters WHERE id = 2').pluck().get()).toBeNull();
    after.close();
    expect(cli(['history', '1', '--db', db]).stdout).toMatch(new RegExp(`^${kept} {2}\\(undone \\S+\\) {2}\\[edit ${setAside.id}\\]$`, 'm'));
  });
});
