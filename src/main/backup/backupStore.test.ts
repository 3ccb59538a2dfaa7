import { LATEST_SCHEMA_VERSION } from '../db/migrations/index';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../tests/helpers';
import { openCopy, openDatabase, type Db } from '../db/open';
import { modelVersionsDir } from '../paths';
import { restoreInto } from './restore';
import {
  BACKUP_DB_FILE,
  catalogueIdOf,
  createBackup,
  createBackupSync,
  deleteBackup,
  findBackup,
  listBackups,
  newestSoundBackup,
  readManifest,
  rotateBackups,
  verifyBackup,
} from './backupStore';

/** A small real catalogue: posters, a review with its history, cached features, a retrained and the shipped model version. */
export function seedCatalogue(dbPath: string, posters = 20, fillerBytes = 0): Db {
  const db = openDatabase(dbPath);
  const insert = db.prepare(
    `INSERT INTO posters (path, sha256, bytes, width, height, title, year, decade, vendor, imported_at, thumbnail, phash)
     VALUES (?, ?, 10, 100, 150, ?, 1958, 1950, 'Acme', '2026-01-01T00:00:00Z', 't.jpg', '0123456789abcdef')`,
  );
  db.transaction(() => {
    for (let i = 1; i <= posters; i++) {
      insert.run(`/scans/${i}.jpg`, `sha-${i}`, `Poster ${i}`);
      db.prepare('INSERT INTO features (poster_id, feature_model, vector) VALUES (?, ?, ?)').run(i, 'resnet50:crop', Buffer.alloc(8192, i));
    }
    db.prepare("UPDATE posters SET reviewed_at = '2026-01-02T00:00:00Z' WHERE id <= 3").run();
    db.prepare(
      `INSERT INTO label_changes (poster_id, before, after, changed_at) VALUES
         (1, '{"reviewed":false,"add":[],"remove":[]}', '{"reviewed":true,"genres":[11]}', 'now'),
         (2, '{"reviewed":false,"add":[],"remove":[]}', '{"reviewed":true,"genres":[]}', 'now')`,
    ).run();
    for (let i = 0; i < fillerBytes / 10_000; i++) db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)').run(`filler-${i}`, 'x'.repeat(10_000));
  })();
  const models = modelVersionsDir(dbPath);
  mkdirSync(models, { recursive: true });
  writeFileSync(join(models, 'v1.onnx'), 'retrained head v1');
  db.prepare(
    "INSERT INTO model_versions (version, file, created_at, active, run) VALUES ('default', '/opt/app/resources/models/head-default.onnx', 'now', 0, 0)",
  ).run();
  db.prepare('INSERT INTO model_versions (version, file, created_at, active, run) VALUES (?, ?, ?, 1, 1)').run('v1', join(models, 'v1.onnx'), 'now');
  return db;
}

const mounted: string[] = [];
afterEach(() => {
  for (const dir of mounted.splice(0)) execFileSync('umount', [dir]);
});

describe('backups', () => {
  it('writes a verified one-file copy without cached features, with the retrained model files and a manifest', async () => {
    const dir = tempDir();
    const dbPath = join(dir, 'catalogue.sqlite');
    const db = seedCatalogue(dbPath);
    const backup = await createBackup(db, dbPath, { reason: 'manual', folder: join(dir, 'backups') });
    expect(backup).toMatchObject({ reason: 'manual', posters: 20, reviewed: 3, labelChanges: 2, modelVersions: 2, schemaVersion: LATEST_SCHEMA_VERSION });
    expect(backup.name).toMatch(/^catalogue-\d{8}-\d{6}-\d{3}Z-manual$/);
    expect(readdirSync(join(dir, 'backups'))).toEqual([backup.name]); // no temporary folder left
    expect(readdirSync(backup.path).sort()).toEqual([BACKUP_DB_FILE, 'manifest.json', 'models']); // one file: no -wal, no -shm
    expect(verifyBackup(backup)).toEqual([]);
    const copy = openCopy(join(backup.path, BACKUP_DB_FILE), { readonly: true });
    expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
    expect(copy.prepare('SELECT count(*) FROM features').pluck().get()).toBe(0);
    expect(copy.prepare('SELECT count(*) FROM posters').pluck().get()).toBe(20);
    copy.close();
    const manifest = readManifest(backup.path);
    expect(manifest.models).toEqual([{ version: 'v1', file: join(modelVersionsDir(dbPath), 'v1.onnx'), copy: join('models', 'v1.onnx'), bytes: 17 }]);
    expect(manifest.modelsNotCopied).toEqual([{ version: 'default', file: expect.stringMatching(/head-default\.onnx$/), why: 'ships with the application' }]);
    expect(readFileSync(join(backup.path, 'models', 'v1.onnx'), 'utf8')).toBe('retrained head v1');
    // the features were left out of the copy, not the catalogue
    expect(db.prepare('SELECT count(*) FROM features').pluck().get()).toBe(20);
    expect(backup.bytes).toBeLessThan(20 * 8192);
    db.close();
  });

  it('the synchronous copy (before a migration) gives the same verified backup', () => {
    const dir = tempDir();
    const dbPath = join(dir, 'catalogue.sqlite');
    const db = seedCatalogue(dbPath);
    const backup = createBackupSync(db, dbPath, { reason: 'pre-migration', folder: join(dir, 'backups') });
    expect(backup).toMatchObject({ reason: 'pre-migration', posters: 20, reviewed: 3, modelVersions: 2 });
    expect(verifyBackup(backup)).toEqual([]);
    db.close();
  });

  it('rotation keeps exactly what it promises, on disk', async () => {
    const dir = tempDir();
    const dbPath = join(dir, 'catalogue.sqlite');
    const folder = join(dir, 'backups');
    const db = seedCatalogue(dbPath, 2);
    const now = new Date('2026-11-22T18:00:00Z');
    for (let d = 29; d >= 0; d--) {
      const day = new Date(now.getTime() - d * 86_400_000);
      await createBackup(db, dbPath, { reason: 'after-import', folder, now: new Date(day.getTime() - 3_600_000) });
      await createBackup(db, dbPath, { reason: 'daily', folder, now: day });
    }
    await createBackup(db, dbPath, { reason: 'pre-migration', folder, now: new Date('2026-02-01T00:00:00Z') });
    await createBackup(db, dbPath, { reason: 'pre-migration', folder, now: new Date('2025-02-01T00:00:00Z') });
    expect(listBackups(dbPath, [folder])).toHaveLength(62);
    const removed = rotateBackups(dbPath, folder, now);
    const left = listBackups(dbPath, [folder]).map((b) => `${b.createdAt.slice(0, 10)} ${b.reason}`);
    expect(left).toEqual([
      ...['22', '21'].flatMap((d) => [`2026-11-${d} daily`, `2026-11-${d} after-import`]), // all of the last 48 hours
      ...['20', '19', '18', '17', '16'].map((d) => `2026-11-${d} daily`),
      '2026-11-15 daily',
      '2026-11-08 daily',
      '2026-11-01 daily',
      '2026-02-01 pre-migration',
    ]);
    expect(removed).toHaveLength(62 - 13);
    expect(readdirSync(folder)).toHaveLength(13);
    db.close();
  });

  it('a full disk leaves no partial backup and says so (a real 256 KiB tmpfs)', async (context) => {
    const dir = tempDir();
    const dbPath = join(dir, 'catalogue.sqlite');
    const db = seedCatalogue(dbPath, 20, 1_000_000); // a 1 MB catalogue
    const folder = join(dir, 'small-disk');
    mkdirSync(folder);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', folder], { stdio: 'ignore' });
      mounted.push(folder);
    } catch {
      context.skip('mounting a tmpfs needs root; the injected failure below covers the same path');
    }
    await expect(createBackup(db, dbPath, { reason: 'manual', folder })).rejects.toMatchObject({
      code: 'backup-no-space',
      message: expect.stringMatching(/full: the backup of .*catalogue\.sqlite was not written, and no partial backup was left/),
    });
    expect(readdirSync(folder)).toEqual([]);
    expect(() => createBackupSync(db, dbPath, { reason: 'pre-migration', folder })).toThrow(/no partial backup was left/);
    expect(readdirSync(folder)).toEqual([]);
    expect(db.prepare('PRAGMA integrity_check').pluck().get()).toBe('ok');
    db.close();
  });

  it('any failure half-way through removes the temporary folder (injected: the disk fills after half the copy)', async () => {
    const dir = tempDir();
    const dbPath = join(dir, 'catalogue.sqlite');
    const db = seedCatalogue(dbPath);
    const folder = join(dir, 'backups');
    const halfThenFull = async (_db: Db, target: string) => {
      writeFileSync(target, Buffer.alloc(50_000));
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    };
    await expect(createBackup(db, dbPath, { reason: 'manual', folder, copy: halfThenFull })).rejects.toMatchObject({ code: 'backup-no-space' });
    expect(readdirSync(folder)).toEqual([]);
    expect(listBackups(dbPath, [folder])).toEqual([]);
    // a copy that is written but unsound is refused too
    const unsound = async (source: Db, target: string) => {
      await source.backup(target);
      const bytes = readFileSync(target);
      bytes.fill(0xee, 4096 * 3, 4096 * 6);
      writeFileSync(target, bytes);
    };
    await expect(createBackup(db, dbPath, { reason: 'manual', folder, copy: unsound })).rejects.toThrow(/integrity check|malformed/);
    expect(readdirSync(folder)).toEqual([]);
    expect(existsSync(dbPath)).toBe(true);
    db.close();
  });
});

describe('catalogues that share a folder', () => {
  it('each lists, rotates and restores only its own backups, though one name starts with the other', async () => {
    const dir = tempDir();
    const folder = join(dir, 'backups');
    const mine = join(dir, 'catalogue.sqlite');
    const prefixed = join(dir, 'catalogue-old.sqlite'); // its backups are named catalogue-old-…
    const sameStem = join(dir, 'catalogue.db'); // its backups are named catalogue-… too
    const [mineDb, prefixedDb, sameStemDb] = [seedCatalogue(mine, 5), seedCatalogue(prefixed, 3), seedCatalogue(sameStem, 4)];
    const morning = new Date('2026-11-22T08:00:00Z');
    const at = (hour: number) => new Date(morning.getTime() + hour * 3_600_000);
    const theirs = await createBackup(prefixedDb, prefixed, { reason: 'daily', folder, now: at(0) });
    const own = await createBackup(mineDb, mine, { reason: 'daily', folder, now: at(1) });
    // three days on, rotation keeps one backup of that day, but only ever among a catalogue's own
    expect(rotateBackups(mine, folder, at(72))).toEqual([]);
    expect(existsSync(theirs.path)).toBe(true);
    const theirsLater = await createBackup(prefixedDb, prefixed, { reason: 'after-import', folder, now: at(2) });
    const sibling = await createBackup(sameStemDb, sameStem, { reason: 'after-import', folder, now: at(3) });
    expect(listBackups(mine, [folder]).map((b) => b.name)).toEqual([own.name]);
    expect(listBackups(prefixed, [folder]).map((b) => b.name)).toEqual([theirsLater.name, theirs.name]);
    expect(listBackups(sameStem, [folder]).map((b) => b.name)).toEqual([sibling.name]);
    expect(findBackup(mine, 'latest').name).toBe(own.name); // what "restore latest" restores
    expect(newestSoundBackup(mine)?.name).toBe(own.name); // what a damaged catalogue is offered
    expect(() => findBackup(mine, theirsLater.name)).toThrow(/There is no backup/);
    for (const db of [mineDb, prefixedDb, sameStemDb]) db.close();
  });
});

describe('catalogues of the same file name in different folders, one backups folder ($POSTER_CATALOGUE_BACKUPS)', () => {
  it('each lists, rotates and finds only its own backups by the identity kept inside it, and a moved catalogue keeps its own', async () => {
    const dir = tempDir();
    const folder = join(dir, 'shared-backups');
    const shop = join(dir, 'shop', 'catalogue.sqlite');
    const home = join(dir, 'home', 'catalogue.sqlite');
    mkdirSync(join(dir, 'shop'));
    mkdirSync(join(dir, 'home'));
    const [shopDb, homeDb] = [seedCatalogue(shop, 5), seedCatalogue(home, 3)];
    const [shopId, homeId] = [catalogueIdOf(shopDb), catalogueIdOf(homeDb)];
    expect(shopId).toMatch(/^[0-9a-f-]{36}$/);
    expect(homeId).not.toBe(shopId);
    expect(catalogueIdOf(shopDb)).toBe(shopId); // made once, then kept
    const morning = new Date('2026-11-22T08:00:00Z');
    const at = (hour: number) => new Date(morning.getTime() + hour * 3_600_000);
    const homeDaily = await createBackup(homeDb, home, { reason: 'daily', folder, now: at(0) });
    const shopDaily = await createBackup(shopDb, shop, { reason: 'daily', folder, now: at(1) });
    expect(readManifest(shopDaily.path).catalogueId).toBe(shopId);
    const shopOwner = { path: shop, id: shopId };
    const homeOwner = { path: home, id: homeId };
    expect(listBackups(shopOwner, [folder]).map((b) => b.name)).toEqual([shopDaily.name]);
    expect(listBackups(homeOwner, [folder]).map((b) => b.name)).toEqual([homeDaily.name]);
    // three days on, the shop's rotation keeps its own daily and never deletes the home catalogue's
    expect(rotateBackups(shopOwner, folder, at(72))).toEqual([]);
    expect(existsSync(homeDaily.path)).toBe(true);
    expect(() => findBackup(shopOwner, homeDaily.name)).toThrow(/There is no backup/);
    // by file name alone (a damaged catalogue, whose identity is not read) both are offered, as before identities
    expect(listBackups(shop, [folder])).toHaveLength(2);

    // the shop's catalogue moves to another folder: its identity goes with it, and so do its backups
    shopDb.close();
    const moved = join(dir, 'moved', 'catalogue.sqlite');
    mkdirSync(join(dir, 'moved'));
    renameSync(shop, moved);
    const movedDb = openDatabase(moved);
    expect(listBackups({ path: moved, id: catalogueIdOf(movedDb) }, [folder]).map((b) => b.name)).toEqual([shopDaily.name]);
    for (const db of [movedDb, homeDb]) db.close();
  });

  it('a backup folder given by path that holds another catalogue is refused unless that is meant', async () => {
    const dir = tempDir();
    const mine = join(dir, 'catalogue.sqlite');
    const theirs = join(dir, 'elsewhere', 'catalogue.sqlite');
    mkdirSync(join(dir, 'elsewhere'));
    const [mineDb, theirsDb] = [seedCatalogue(mine, 5), seedCatalogue(theirs, 2)];
    const backup = await createBackup(theirsDb, theirs, { reason: 'manual', folder: join(dir, 'usb') });
    const me = { path: mine, id: catalogueIdOf(mineDb) };
    expect(() => findBackup(me, backup.path)).toThrow(/is a backup of another catalogue \(.*elsewhere.*\), not of .*: restoring it would replace/);
    expect(findBackup(me, backup.path, { otherCatalogue: true }).posters).toBe(2);
    // a different file name is another catalogue too, with or without identities
    const renamed = join(dir, 'old-shop.sqlite');
    expect(() => findBackup(renamed, backup.path)).toThrow(/another catalogue/);
    // its own backup, given by its folder's path, is found as before
    const own = await createBackup(mineDb, mine, { reason: 'manual', folder: join(dir, 'usb') });
    expect(findBackup(me, own.path).name).toBe(own.name);
    for (const db of [mineDb, theirsDb]) db.close();
  });
});

describe('deleting a backup', () => {
  it("deletes one of the catalogue's own by name, leaves the rest, and never another catalogue's", async () => {
    const dir = tempDir();
    const folder = join(dir, 'backups');
    const mine = join(dir, 'catalogue.sqlite');
    const other = join(dir, 'other.sqlite');
    const [mineDb, otherDb] = [seedCatalogue(mine, 3), seedCatalogue(other, 2)];
    const first = await createBackup(mineDb, mine, { reason: 'manual', folder, now: new Date('2026-11-20T08:00:00Z') });
    const second = await createBackup(mineDb, mine, { reason: 'manual', folder, now: new Date('2026-11-21T08:00:00Z') });
    const theirs = await createBackup(otherDb, other, { reason: 'manual', folder });
    expect(deleteBackup(mine, first.name).name).toBe(first.name);
    expect(existsSync(first.path)).toBe(false);
    expect(listBackups(mine, [folder]).map((b) => b.name)).toEqual([second.name]);
    expect(readdirSync(folder).filter((n) => n.startsWith('.tmp-'))).toEqual([]); // nothing half-deleted left behind
    expect(() => deleteBackup(mine, theirs.name)).toThrow(/There is no backup ".*" of .*catalogue\.sqlite to delete/);
    expect(() => deleteBackup(mine, first.name)).toThrow(/There is no backup/);
    expect(existsSync(theirs.path)).toBe(true);
    for (const db of [mineDb, otherDb]) db.close();
  });
});

describe('a backup whose file no longer holds what its manifest records', () => {
  it('emptied to zero bytes or pruned, it fails its check with the reason, is passed over and is not restored', async () => {
    const dir = tempDir();
    const dbPath = join(dir, 'catalogue.sqlite');
    const folder = join(dir, 'backups');
    const db = seedCatalogue(dbPath, 5);
    const day = (d: number) => new Date(`2026-11-${d}T08:00:00Z`);
    const sound = await createBackup(db, dbPath, { reason: 'daily', folder, now: day(20) });
    const pruned = await createBackup(db, dbPath, { reason: 'daily', folder, now: day(21) });
    const emptied = await createBackup(db, dbPath, { reason: 'daily', folder, now: day(22) });
    // a sync tool or a full disk left an empty file: to SQLite, a valid empty database
    writeFileSync(join(emptied.path, BACKUP_DB_FILE), '');
    const copy = openCopy(join(pruned.path, BACKUP_DB_FILE));
    copy.exec('DELETE FROM posters WHERE id > 2');
    copy.close();

    expect(verifyBackup(sound)).toEqual([]);
    expect(verifyBackup(emptied).join('; ')).toMatch(/is an empty file, but its manifest records 5 posters/);
    expect(verifyBackup(pruned)).toEqual([
      'catalogue.sqlite holds 2 posters, but its manifest records 5',
      'catalogue.sqlite holds 2 reviewed posters, but its manifest records 3',
    ]);
    expect(newestSoundBackup(dbPath)?.name).toBe(sound.name);
    expect(findBackup(dbPath, 'latest').name).toBe(sound.name); // "restore latest": the newest that passes
    for (const unsound of [emptied, pruned]) {
      await expect(restoreInto(db, dbPath, unsound, { damaged: false, folder })).rejects.toMatchObject({
        code: 'backup-damaged',
        message: expect.stringContaining(`The backup ${unsound.name} does not pass its check (catalogue.sqlite`),
      });
    }
    expect(db.prepare('SELECT count(*) FROM posters').pluck().get()).toBe(5);
    expect(listBackups(dbPath, [folder])).toHaveLength(3); // refused before anything was written
    db.close();
  });

  it('a sound backup of every older schema still passes (the counts are read as they were recorded)', async () => {
    for (let version = 1; version <= LATEST_SCHEMA_VERSION; version++) {
      const dir = tempDir();
      const dbPath = join(dir, 'catalogue.sqlite');
      const db = openDatabase(dbPath, { migrateTo: version });
      db.prepare(
        `INSERT INTO posters (path, sha256, bytes, width, height, title, imported_at, thumbnail, phash)
         VALUES ('/s/a.jpg', 'a', 1, 1, 1, 'Vertigo', 'now', 't', 'p')`,
      ).run();
      if (version >= 2) db.exec("UPDATE posters SET reviewed_at = 'now'"); // schema 1 had no reviews yet
      const backup = createBackupSync(db, dbPath, { reason: 'pre-migration', folder: join(dir, 'backups') });
      db.close();
      expect(backup).toMatchObject({ schemaVersion: version, posters: 1, reviewed: version >= 2 ? 1 : 0 });
      expect(verifyBackup(backup)).toEqual([]);
    }
  });
});
