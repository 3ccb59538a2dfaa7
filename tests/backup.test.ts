/**
 * Backups against real faults: corrupted pages and a destroyed header, a migration that throws
 * half-way, a backup taken while an import writes, restores undone and refused while a job runs.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { backupBeforeMigration } from '../src/main/backup/backupService';
import { BACKUP_DB_FILE, createBackup, listBackups, verifyBackup } from '../src/main/backup/backupStore';
import { BACKUPS_ENV } from '../src/main/backup/location';
import { registerModelVersion } from '../src/main/catalogue/modelRepository';
import { labelHistory } from '../src/main/catalogue/labelRepository';
import { writeLock } from '../src/main/catalogue/lockRepository';
import { LATEST_SCHEMA_VERSION, migrations, type Migration } from '../src/main/db/migrations/index';
import { openCatalogue, openCopy, openDatabase, schemaVersion, type Db } from '../src/main/db/open';
import { modelVersionsDir } from '../src/main/paths';
import { CatalogueService } from '../src/main/service';
import { copyPosters, tempDir } from './helpers';

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const scansIn = (dir: string): string => {
  copyPosters(join(dir, 'scans'));
  return join(dir, 'scans');
};
/** Restores start a job that makes thumbnails and features again; the next restore waits for it. */
async function settled(s: CatalogueService, jobId: string): Promise<void> {
  while (s.jobs.list().some((j) => j.jobId === jobId && j.state === 'running')) await new Promise((r) => setTimeout(r, 50));
}
const one = (db: Db, sql: string) => db.prepare(sql).pluck().get();

const open: CatalogueService[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close().catch(() => undefined);
  delete process.env[BACKUPS_ENV];
});
const service = (dbPath: string) => {
  const s = CatalogueService.open(dbPath);
  open.push(s);
  return s;
};

/** A catalogue with the 12 fixture posters, three reviews and a retrained model version, backed up. */
async function catalogueWithBackup(dir: string) {
  const dbPath = join(dir, 'catalogue.sqlite');
  const s = service(dbPath);
  await s.startImport({ folder: scansIn(dir), tag: false }).promise;
  for (const id of [1, 2, 3]) s.library.setLabels(id, ['Horror', 'Thriller'], 'ann');
  mkdirSync(modelVersionsDir(dbPath), { recursive: true });
  const modelFile = join(modelVersionsDir(dbPath), 'v1.onnx');
  writeFileSync(modelFile, 'retrained head');
  registerModelVersion(s.db, { version: 'v1', decade: null, file: modelFile, genreIds: [], run: 1 });
  const backup = await s.backupNow();
  s.library.setLabels(4, ['Comedy'], 'ann'); // after the backup: this one is lost by a restore
  await s.close();
  open.splice(open.indexOf(s), 1);
  return { dbPath, backup, modelFile };
}

/** Overwrites whole pages in the middle of the file, as a failing disk or a half-finished sync would. */
function corruptPages(file: string, first: number, count: number): void {
  const bytes = readFileSync(file);
  bytes.fill(0xde, 4096 * first, 4096 * (first + count));
  writeFileSync(file, bytes);
}

describe('a damaged catalogue', () => {
  it('opens read-only, says what happened, offers the newest sound backup and is restored with every review and model version', async () => {
    const dir = tempDir();
    const { dbPath, backup, modelFile } = await catalogueWithBackup(dir);
    corruptPages(dbPath, 2, 4);
    const damaged = sha(dbPath);
    expect(() => openDatabase(dbPath)).toThrow(/cannot be opened: it is damaged/);

    const s = service(dbPath);
    const health = s.health();
    expect(health).toMatchObject({ damaged: true, check: 'quick', offer: { name: backup.name, posters: 12, reviewed: 3 } });
    expect(health.problems.join(' ')).toMatch(/malformed|corrupt|Tree|page/i);
    expect(health.keptAside.map(sha)).toEqual([damaged]); // copied aside as found, before it was opened
    expect(() => s.db.prepare("INSERT INTO settings (key, value) VALUES ('k', 'v')").run()).toThrow(/readonly/);
    await expect(s.backupNow()).rejects.toMatchObject({ code: 'db-damaged' });
    expect(sha(dbPath)).toBe(damaged); // nothing was written to it

    rmSync(modelFile); // the model file went with the disk
    rmSync(join(dir, 'catalogue.thumbnails'), { recursive: true }); // and the thumbnails
    const summary = await s.restore(health.offer?.name as string);
    expect(summary).toMatchObject({ posters: 12, reviewed: 3, previous: { backup: null } });
    expect(summary.previous.keptAside).toHaveLength(1);
    expect(sha(summary.previous.keptAside[0] as string)).toBe(damaged); // kept aside, byte for byte
    expect(one(s.db, 'PRAGMA integrity_check')).toBe('ok');
    expect(s.health()).toMatchObject({ damaged: false, problems: [] });
    expect([1, 2, 3].map((id) => labelHistory(s.db, id).length)).toEqual([1, 1, 1]);
    expect(labelHistory(s.db, 4)).toEqual([]); // made after the backup
    expect(readFileSync(modelFile, 'utf8')).toBe('retrained head');
    await settled(s, summary.rebuildJobId);
    expect(s.jobs.list().find((j) => j.jobId === summary.rebuildJobId)).toMatchObject({
      state: 'succeeded',
      result: { thumbnails: 12, features: 12, failures: [] },
    });
    const thumbs = s.db.prepare('SELECT thumbnail FROM posters').pluck().all() as string[];
    expect(thumbs.filter((t) => existsSync(join(dir, 'catalogue.thumbnails', t)))).toHaveLength(12);
    s.library.setLabels(5, ['Comedy']); // the same connection writes again
    expect(one(s.db, 'PRAGMA journal_mode')).toBe('wal');
    await s.close();
    open.pop();
    const again = openDatabase(dbPath);
    expect(one(again, 'SELECT count(*) FROM posters WHERE reviewed_at IS NOT NULL')).toBe(4);
    again.close();
  });

  it('with a write-ahead log left by a crash is copied aside as found, before closing lets SQLite checkpoint into it', async () => {
    const dir = tempDir();
    const crashed = join(dir, 'crashed.sqlite');
    const db = openDatabase(join(dir, 'live.sqlite'));
    db.exec('CREATE TABLE IF NOT EXISTS notes (body BLOB)');
    for (let i = 0; i < 40; i++) db.prepare('INSERT INTO notes VALUES (?)').run(Buffer.alloc(3000, i));
    db.pragma('wal_checkpoint(TRUNCATE)');
    for (let i = 0; i < 20; i++) db.prepare('INSERT INTO notes VALUES (?)').run(Buffer.alloc(3000, 100 + i));
    // the files as a crash leaves them (the connection never closed), with pages of the main file torn
    copyFileSync(join(dir, 'live.sqlite'), crashed);
    copyFileSync(join(dir, 'live.sqlite-wal'), `${crashed}-wal`);
    db.close();
    corruptPages(crashed, 3, 3);
    const found = [sha(crashed), sha(`${crashed}-wal`)];
    const s = service(crashed);
    const kept = s.health().keptAside;
    expect(kept.map(sha)).toEqual(found);
    try {
      s.db.prepare('SELECT count(*) FROM notes').get(); // a screen reading what it still can
    } catch {
      // torn pages may refuse the read; the log was opened either way
    }
    await s.close();
    open.pop();
    expect(sha(crashed)).not.toBe(found[0]); // SQLite checkpointed the log into the file on close…
    expect(kept.map(sha)).toEqual(found); // …and the copy aside is still the file as it was found
    const again = service(crashed);
    expect(again.health().keptAside).not.toEqual(kept); // a new state of the file, kept aside too
    expect(kept.every((f) => existsSync(f))).toBe(true);
  });

  it('whose header is destroyed is still offered its backup and restored', async () => {
    const dir = tempDir();
    const { dbPath, backup } = await catalogueWithBackup(dir);
    const bytes = readFileSync(dbPath);
    bytes.fill(0x41, 0, 200);
    writeFileSync(dbPath, bytes);
    const s = service(dbPath);
    expect(s.health()).toMatchObject({ damaged: true, offer: { name: backup.name } });
    const summary = await s.restore(backup.name);
    expect(summary).toMatchObject({ posters: 12, reviewed: 3 });
    expect(readFileSync(summary.previous.keptAside[0] as string).subarray(0, 200)).toEqual(Buffer.alloc(200, 0x41));
    expect(one(s.db, 'PRAGMA integrity_check')).toBe('ok');
    expect(labelHistory(s.db, 1)).toHaveLength(1);
  });

  it('passes over a backup that is itself damaged and offers the next sound one', async () => {
    const dir = tempDir();
    const { dbPath, backup } = await catalogueWithBackup(dir);
    const s = service(dbPath);
    const newer = await createBackup(s.db, dbPath, { reason: 'manual', folder: s.backups.folder() }); // not rotated: both stay
    await s.close();
    open.pop();
    corruptPages(join(newer.path, BACKUP_DB_FILE), 2, 3);
    corruptPages(dbPath, 2, 4);
    const reopened = service(dbPath);
    expect(verifyBackup(newer)).not.toEqual([]);
    expect(reopened.health().offer?.name).toBe(backup.name);
    await expect(reopened.restore(newer.name)).rejects.toMatchObject({ code: 'backup-damaged' });
  });
});

describe('a migration that throws half-way', () => {
  const broken: Migration = {
    version: LATEST_SCHEMA_VERSION + 1,
    name: 'broken',
    sql: 'CREATE TABLE half_done (x INTEGER); INSERT INTO half_done VALUES (1); INSERT INTO no_such_table VALUES (1);',
  };
  const good: Migration = { version: LATEST_SCHEMA_VERSION + 1, name: 'good', sql: 'CREATE TABLE next_thing (x INTEGER);' };

  function oldCatalogue(): string {
    const dbPath = join(tempDir(), 'catalogue.sqlite');
    const db = openDatabase(dbPath);
    db.prepare(
      `INSERT INTO posters (path, sha256, bytes, width, height, title, imported_at, thumbnail, phash, reviewed_at)
       VALUES ('/s/a.jpg', 'a', 1, 1, 1, 'Vertigo', 'now', 't', 'p', 'now')`,
    ).run();
    db.close();
    return dbPath;
  }

  it('opening an older catalogue backs it up before upgrading it (the application path)', async () => {
    const dbPath = join(tempDir(), 'catalogue.sqlite');
    const old = openDatabase(dbPath, { migrateTo: 3 });
    old
      .prepare(
        `INSERT INTO posters (path, sha256, bytes, width, height, title, imported_at, thumbnail, phash, reviewed_at)
       VALUES ('/s/a.jpg', 'a', 1, 1, 1, 'Vertigo', 'now', 't', 'p', 'now')`,
      )
      .run();
    old.close();
    const s = service(dbPath);
    expect(schemaVersion(s.db)).toBe(LATEST_SCHEMA_VERSION);
    expect(listBackups(dbPath)).toMatchObject([{ reason: 'pre-migration', schemaVersion: 3, posters: 1, reviewed: 1 }]);
    await s.close();
    open.pop();
    service(dbPath); // already upgraded: no second backup
    expect(listBackups(dbPath)).toHaveLength(1);
  });

  it('leaves the pre-migration backup and the original untouched', () => {
    const dbPath = oldCatalogue();
    const before = sha(dbPath);
    const upgrade = () =>
      openCatalogue(dbPath, {
        migrations: [...migrations, broken],
        migrateTo: broken.version,
        beforeMigrating: (db, from, to) => backupBeforeMigration(db, dbPath, from, to),
      });
    expect(upgrade).toThrow(/no such table: no_such_table/);
    expect(sha(dbPath)).toBe(before);
    const db = openCopy(dbPath, { readonly: true });
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    expect(one(db, "SELECT count(*) FROM sqlite_master WHERE name = 'half_done'")).toBe(0);
    db.close();
    const backups = listBackups(dbPath);
    expect(backups).toHaveLength(1);
    expect(backups[0]).toMatchObject({ reason: 'pre-migration', schemaVersion: LATEST_SCHEMA_VERSION, posters: 1, reviewed: 1 });
    expect(verifyBackup(backups[0] as (typeof backups)[0])).toEqual([]);
  });

  it('does not start when the backup before it fails', () => {
    const dbPath = oldCatalogue();
    const blocker = join(tempDir(), 'a-file');
    writeFileSync(blocker, 'not a folder');
    process.env[BACKUPS_ENV] = join(blocker, 'backups');
    const upgrade = () =>
      openCatalogue(dbPath, {
        migrations: [...migrations, good],
        migrateTo: good.version,
        beforeMigrating: (db, from, to) => backupBeforeMigration(db, dbPath, from, to),
      });
    expect(upgrade).toThrow(
      new RegExp(
        `needs upgrading \\(schema ${LATEST_SCHEMA_VERSION} to ${LATEST_SCHEMA_VERSION + 1}\\), and the backup taken before every upgrade failed.*left as it was`,
        's',
      ),
    );
    const db = openCopy(dbPath, { readonly: true });
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    expect(one(db, "SELECT count(*) FROM sqlite_master WHERE name = 'next_thing'")).toBe(0);
    db.close();
    delete process.env[BACKUPS_ENV];
    const { db: upgraded } = openCatalogue(dbPath, {
      migrations: [...migrations, good],
      migrateTo: good.version,
      beforeMigrating: (d, from, to) => backupBeforeMigration(d, dbPath, from, to),
    });
    expect(schemaVersion(upgraded)).toBe(good.version);
    upgraded.close();
    expect(listBackups(dbPath).map((b) => b.reason)).toEqual(['pre-migration']);
  });
});

describe('backup and restore while the catalogue is in use', () => {
  it('a backup taken while an import is writing restores to a consistent catalogue', async () => {
    const dir = tempDir();
    const dbPath = join(dir, 'catalogue.sqlite');
    const s = service(dbPath);
    // forty megabytes of settings, so the backup takes thousands of steps while the import commits poster by poster
    s.db.transaction(() => {
      for (let i = 0; i < 4000; i++) s.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)').run(`filler-${i}`, 'x'.repeat(10_000));
    })();
    const count = () => one(s.db, 'SELECT count(*) FROM posters') as number;
    const seen: number[] = [];
    const importing = s.startImport({ folder: scansIn(dir), tag: false, batchSize: 1, concurrency: 1 }).promise;
    const backup = await createBackup(s.db, dbPath, {
      reason: 'manual',
      folder: join(dir, 'backups'),
      copy: async (db, target) => {
        // start once the import is under way, and copy one page per step so its commits land in between
        while (count() === 0) await new Promise((r) => setImmediate(r));
        seen.push(count());
        await db.backup(target, { progress: () => (seen.push(count()), 1) });
        seen.push(count());
      },
    });
    await importing;
    expect(seen.at(-1)).toBeGreaterThan(seen[0] as number); // posters arrived while the backup was being written
    const restored = join(dir, 'restored', 'catalogue.sqlite');
    mkdirSync(join(dir, 'restored'));
    copyFileSync(join(backup.path, BACKUP_DB_FILE), restored);
    const db = openDatabase(restored);
    expect(one(db, 'PRAGMA integrity_check')).toBe('ok');
    expect(db.pragma('foreign_key_check')).toEqual([]);
    const posters = one(db, 'SELECT count(*) FROM posters') as number;
    expect(posters).toBe(backup.posters);
    expect(posters).toBeGreaterThan(0);
    // every poster arrived with its file's outcome, in the same transaction
    expect(one(db, "SELECT count(*) FROM import_files WHERE outcome = 'imported'")).toBe(posters);
    expect(one(db, 'SELECT count(*) FROM posters WHERE id NOT IN (SELECT poster_id FROM import_files WHERE poster_id IS NOT NULL)')).toBe(0);
    db.close();
    // and restored in place, over the catalogue the import finished writing
    const summary = await s.restore(backup.name);
    await settled(s, summary.rebuildJobId);
    expect(summary.posters).toBe(posters);
    expect(one(s.db, 'PRAGMA integrity_check')).toBe('ok');
    expect(s.db.pragma('foreign_key_check')).toEqual([]);
    expect(one(s.db, "SELECT count(*) FROM import_files WHERE outcome = 'imported'")).toBe(posters);
  });

  it('a restore that cannot keep the current state first restores nothing', async () => {
    const dir = tempDir();
    const dbPath = join(dir, 'catalogue.sqlite');
    const s = service(dbPath);
    await s.startImport({ folder: scansIn(dir), tag: false }).promise;
    const before = await s.backupNow();
    s.library.setLabels(5, ['Western'], 'ann');
    const blocker = join(dir, 'not-a-folder');
    writeFileSync(blocker, '');
    process.env[BACKUPS_ENV] = blocker; // the pre-restore backup has nowhere to go
    await expect(s.restore(before.path)).rejects.toMatchObject({
      code: 'restore-refused',
      message: expect.stringMatching(/could not be kept before restoring, so nothing was restored: Cannot write backups to/),
    });
    expect(labelHistory(s.db, 5)).toHaveLength(1);
    delete process.env[BACKUPS_ENV];
    expect(await s.backups.daily()).toBeNull();
  });

  it('a restore can itself be undone, is refused while a job runs, and automatic backups follow imports and days', async () => {
    const dir = tempDir();
    const dbPath = join(dir, 'catalogue.sqlite');
    const s = service(dbPath);
    await s.startImport({ folder: scansIn(dir), tag: false }).promise;
    await s.backups.idle();
    expect(listBackups(dbPath).map((b) => b.reason)).toEqual(['after-import']);
    const before = await s.backupNow();
    s.library.setLabels(5, ['Western'], 'ann');

    const job = s.jobs.start('import', () => new Promise((resolve) => setTimeout(resolve, 300)));
    await expect(s.restore(before.name)).rejects.toMatchObject({
      code: 'job-running',
      message: 'Not restored: the import is running. Wait for it to finish or cancel it, then restore.',
    });
    await job.promise;

    const restored = await s.restore(before.name);
    expect(one(s.db, 'SELECT count(*) FROM posters WHERE reviewed_at IS NOT NULL')).toBe(0);
    expect(restored.previous.backup).toMatchObject({ reason: 'pre-restore', reviewed: 1 });
    await expect(s.restore(before.name)).rejects.toMatchObject({
      code: 'job-running',
      message: expect.stringMatching(/^Not restored: the rebuilding of thumbnails and image features is running\./),
    });
    await settled(s, restored.rebuildJobId);
    expect(s.jobs.list().find((j) => j.jobId === restored.rebuildJobId)).toMatchObject({ state: 'succeeded', result: { features: 12, thumbnails: 0 } });
    expect(one(s.db, 'SELECT count(*) FROM features')).toBe(12);
    const undone = await s.restore(restored.previous.backup?.name as string);
    await settled(s, undone.rebuildJobId);
    expect(one(s.db, 'SELECT count(*) FROM posters WHERE reviewed_at IS NOT NULL')).toBe(1);
    expect(labelHistory(s.db, 5)[0]?.newGenres).toEqual(['Western']);
    expect(undone.previous.backup?.reason).toBe('pre-restore');

    expect(await s.backups.daily()).toBeNull(); // a backup less than a day old exists
    const tomorrow = new Date(Date.now() + 86_400_000 + 60_000);
    expect(await s.backups.daily(tomorrow)).toMatchObject({ reason: 'daily' });
    expect(existsSync(join(dir, 'backups'))).toBe(true);
  });

  it('a restore is refused while another process imports into the catalogue', async () => {
    const dir = tempDir();
    const dbPath = join(dir, 'catalogue.sqlite');
    const s = service(dbPath);
    const before = await s.backupNow();
    // A command-line import in another process: its lock, with a live pid on this host.
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)']);
    try {
      writeLock(s.db, { name: 'import', pid: other.pid as number, host: hostname(), detail: 'an import of /scans/acme' });
      await expect(s.restore(before.name)).rejects.toMatchObject({
        code: 'job-running',
        message: expect.stringMatching(new RegExp(`^Not restored: an import of /scans/acme is already running in process ${other.pid} since `)),
      });
    } finally {
      other.kill();
    }
    await new Promise((resolve) => other.once('exit', resolve));
    // Its process gone, the lock is free: the restore goes ahead.
    const restored = await s.restore(before.name);
    await settled(s, restored.rebuildJobId);
  });
});
