/** Where imports come from and exports go, below the door: refused plainly before any job starts, and never a file replaced unasked. */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { recentFolders } from '../src/main/fs/recent';
import { claimExportFile, exportLockFile } from '../src/main/export/exportClaim';
import { CatalogueService } from '../src/main/service';
import { copyPosters, runCli, tempDir } from './helpers';

/** Another Node process that claims `file` for an export and holds it until killed (or this test process ends). */
async function holdExportClaim(file: string): Promise<ChildProcess> {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const claim = pathToFileURL(join(import.meta.dirname, '../src/main/export/exportClaim.ts')).href;
  const script = `const { claimExportFile } = await import(${JSON.stringify(claim)}); claimExportFile(${JSON.stringify(file)}); console.log('held'); process.stdin.resume().on('end', () => process.exit());`;
  const child = spawn(process.execPath, ['--import', tsx, '--input-type=module', '--eval', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  onTestFinished(() => void child.kill('SIGKILL'));
  const [line] = (await once(child.stdout, 'data')) as [Buffer];
  expect(line.toString().trim()).toBe('held');
  return child;
}

describe('import and export paths', () => {
  let dir: string;
  let service: CatalogueService;
  beforeAll(async () => {
    dir = tempDir();
    copyPosters(join(dir, 'in'));
    service = CatalogueService.open(join(dir, 'c.sqlite'));
    await service.startImport({ folder: join(dir, 'in'), tag: false }).promise;
  });
  afterAll(async () => service?.close());

  it('refuses a missing folder or a relative path at once, with no job started', () => {
    const jobs = service.jobs.list().length;
    expect(() => service.startImport({ folder: join(dir, 'nope') })).toThrow(`The folder ${join(dir, 'nope')} does not exist.`);
    expect(() => service.startImport({ folder: 'in' })).toThrow(/"in" is not a full path/);
    expect(() => service.startExport({ file: join(dir, 'nope', 'shop.csv') })).toThrow(`The folder ${join(dir, 'nope')} does not exist.`);
    expect(() => service.startExport({ file: 'shop.csv' })).toThrow(/"shop.csv" is not a full path/);
    expect(() => service.startExport({ file: join(dir, 'in') })).toThrow(/is a folder: give the CSV file a name inside it/);
    expect(service.jobs.list().length).toBe(jobs);
  });

  // Root reads and writes every folder whatever its mode, so this runs only as another user.
  it.skipIf(process.getuid?.() === 0)('refuses a folder it cannot read (import) or write (export) at once, naming the folder', () => {
    const locked = join(dir, 'locked');
    mkdirSync(locked, { mode: 0o000 });
    try {
      expect(() => service.startImport({ folder: locked })).toThrow(`The folder ${locked} cannot be read: permission denied.`);
      expect(() => service.startExport({ file: join(locked, 'shop.csv') })).toThrow(`The folder ${locked} cannot be written to: permission denied.`);
    } finally {
      chmodSync(locked, 0o755);
    }
  });

  it('asks before replacing a file: refused as file-exists unless overwrite, and the old file is untouched', async () => {
    const file = join(dir, 'shop.csv');
    writeFileSync(file, 'the shop’s own file\n');
    expect(() => service.startExport({ file })).toThrow(expect.objectContaining({ code: 'file-exists', message: `shop.csv already exists in ${dir}.` }));
    expect(readFileSync(file, 'utf8')).toBe('the shop’s own file\n');
    const summary = await service.startExport({ file, overwrite: true }).promise;
    expect(summary.rows).toBe(12);
    expect(readFileSync(file, 'utf8')).toMatch(/^id,/);
    // Both folders are remembered for the pickers, newest first.
    expect(recentFolders(service.db, 'export')).toEqual([dir]);
    expect(recentFolders(service.db, 'import')).toEqual([join(dir, 'in')]);
  });

  it('flags a poster unsure for later, refuses it once reviewed, and counts agree in one read', () => {
    const since = new Date(Date.now() - 60_000).toISOString();
    expect(service.review.flag(1, true, since)).toEqual({ reviewed: 0, reviewedToday: 0, remaining: 12, unsure: 1 });
    expect(service.review.queue('unsure', 10).map((q) => [q.poster.id, q.unsure])).toEqual([[1, true]]);
    expect(service.review.queue('import', 20).at(-1)?.poster.id).toBe(1); // kept for later: after the rest
    service.library.setLabels(2, ['Drama']);
    expect(() => service.review.flag(2, true, since)).toThrow(/already reviewed/);
    expect(service.review.counts(since)).toEqual({ reviewed: 1, reviewedToday: 1, remaining: 11, unsure: 1 });
    expect(service.stats().reviewed).toBe(service.review.counts(since).reviewed);
    expect(service.review.flag(1, false, since).unsure).toBe(0);
  });

  it('previews the export with what the shop may not expect: unreviewed, untitled, both copies of an unresolved pair', () => {
    const untitled = service.db.prepare("SELECT count(*) FROM posters WHERE title IS NULL OR trim(title) = ''").pluck().get() as number;
    expect(service.library.exportPreview({})).toEqual({ rows: 12, unreviewed: 11, untitled, noGenres: expect.any(Number), pairedCopies: 0 });
    // confirmed with no genre: an empty genres cell the shop cannot file
    expect(service.library.exportPreview({ status: 'reviewed' })).toMatchObject({ rows: 1, noGenres: 0 });
    service.library.setLabels(5, []);
    expect(service.library.exportPreview({ status: 'reviewed' })).toMatchObject({ rows: 2, noGenres: 1 });
    service.library.undo(5);
    service.db.prepare('UPDATE posters SET duplicate_of = 3 WHERE id = 4').run();
    expect(service.library.exportPreview({}).pairedCopies).toBe(2);
    expect(service.library.exportPreview({ status: 'reviewed' })).toMatchObject({ rows: 1, unreviewed: 0 });
    // Resolved by keeping one: the other is set aside, not exported, and the pair is no longer a caveat.
    service.library.keepDuplicate(3, 4);
    expect(service.library.exportPreview({})).toMatchObject({ rows: 11, pairedCopies: 0 });
    service.library.restorePoster(4);
    service.library.notDuplicate(3, 4);
    expect(service.library.exportPreview({}).pairedCopies).toBe(0);
  });

  it('hands the queue out in batches: the next goes on after the posters already held, skipped ones included', () => {
    const whole = service.review.queue('import', 50).map((q) => q.poster.id);
    expect(whole.length).toBe(11); // poster 2 is reviewed
    const first = service.review.queue('import', 4).map((q) => q.poster.id);
    const second = service.review.queue('import', 4, first).map((q) => q.poster.id);
    const rest = service.review.queue('import', 50, [...first, ...second]).map((q) => q.poster.id);
    expect([...first, ...second, ...rest]).toEqual(whole);
    expect(service.review.queue('import', 50, whole)).toEqual([]);
  });
  it('refuses a second export to a file another export is writing, naming the file; the first finishes whole', async () => {
    const file = join(dir, 'busy.csv');
    const first = service.startExport({ file, overwrite: true });
    expect(() => service.startExport({ file, overwrite: true, columns: ['id', 'title'] })).toThrow(
      expect.objectContaining({
        code: 'export-busy',
        message: `busy.csv in ${dir} is being written by another export: wait for it to finish, or choose another file name.`,
      }),
    );
    // Another file is no conflict, and the file is free again once the first has finished.
    await service.startExport({ file: join(dir, 'other.csv'), overwrite: true }).promise;
    expect((await first.promise).rows).toBe(12);
    expect(readFileSync(file, 'utf8').split('\r\n')[0]).toMatch(/^id,file_path,title,/);
    expect((await service.startExport({ file, overwrite: true, columns: ['id', 'title'] }).promise).rows).toBe(12);
    expect(readFileSync(file, 'utf8').split('\r\n')[0]).toBe('id,title');
  });

  it('sees one file reached through a linked folder as the file another export is writing', async () => {
    const real = join(dir, 'real-folder');
    mkdirSync(real, { recursive: true });
    const linked = join(dir, 'linked-folder');
    symlinkSync(real, linked, 'dir');
    const first = service.startExport({ file: join(real, 'shop.csv'), overwrite: true });
    expect(() => service.startExport({ file: join(linked, 'shop.csv'), overwrite: true })).toThrow(expect.objectContaining({ code: 'export-busy' }));
    expect((await first.promise).rows).toBe(12);
    expect((await service.startExport({ file: join(linked, 'shop.csv'), overwrite: true }).promise).rows).toBe(12);
  });

  it('frees the file again when the export could not start (the catalogue refused to note the folder)', async () => {
    const file = join(dir, 'refused.csv');
    service.db.exec(`CREATE TEMP TRIGGER refuse_insert BEFORE INSERT ON settings BEGIN SELECT RAISE(ABORT, 'the catalogue is busy'); END;
      CREATE TEMP TRIGGER refuse_update BEFORE UPDATE ON settings BEGIN SELECT RAISE(ABORT, 'the catalogue is busy'); END;`);
    try {
      expect(() => service.startExport({ file, overwrite: true })).toThrow('the catalogue is busy');
    } finally {
      service.db.exec('DROP TRIGGER temp.refuse_insert; DROP TRIGGER temp.refuse_update;');
    }
    expect((await service.startExport({ file, overwrite: true }).promise).rows).toBe(12);
  });

  it('refuses an export to a file another process is writing, naming the file; a crashed writer does not block it for ever', async () => {
    const file = join(dir, 'shared.csv');
    const other = await holdExportClaim(file); // another process (the app or the command line) exporting to it
    const refused = new RegExp(
      `^shared\\.csv in ${dir} is being written by another program \\(the command line or the app, process ${other.pid}, .*\\(if nothing is exporting, delete shared\\.csv\\.export-lock beside it\\)`,
    );
    expect(() => service.startExport({ file, overwrite: true })).toThrow(
      expect.objectContaining({ code: 'export-busy', message: expect.stringMatching(refused) }),
    );
    // Through a linked folder it is the same file.
    symlinkSync(dir, join(dir, 'also-here'), 'dir');
    expect(() => service.startExport({ file: join(dir, 'also-here', 'shared.csv'), overwrite: true })).toThrow(
      expect.objectContaining({ code: 'export-busy' }),
    );
    expect(existsSync(file)).toBe(false);
    // Killed mid-export: its lock is left behind, but its process is gone, so the file is free.
    other.kill('SIGKILL');
    await once(other, 'exit');
    expect(existsSync(exportLockFile(file))).toBe(true);
    expect((await service.startExport({ file, overwrite: true }).promise).rows).toBe(12);
    expect(existsSync(exportLockFile(file))).toBe(false);
  });

  it('the command line refuses to export to a file the app is writing, and exports once it is free', () => {
    const file = join(dir, 'cli.csv');
    const release = claimExportFile(file); // the app, mid-export
    try {
      const refused = runCli(['export', file, '--db', join(dir, 'c.sqlite')]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(
        new RegExp(`cli\\.csv in ${dir} is being written by another program \\(the command line or the app, process ${process.pid},`),
      );
      expect(existsSync(file)).toBe(false);
    } finally {
      release();
    }
    expect(existsSync(exportLockFile(file))).toBe(false);
    expect(runCli(['export', file, '--db', join(dir, 'c.sqlite'), '--json']).json()).toMatchObject({ rows: 12 });
  });

  it('refuses an export with no columns ticked at once, with no job started', () => {
    const jobs = service.jobs.list().length;
    expect(() => service.startExport({ file: join(dir, 'none.csv'), columns: [] })).toThrow(
      expect.objectContaining({ code: 'no-columns', message: 'Choose at least one column to export.' }),
    );
    expect(service.jobs.list().length).toBe(jobs);
  });
});
