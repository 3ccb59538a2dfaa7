/**
 * Backups of a catalogue, each a folder `<catalogue>-<UTC time>-<reason>/` holding `catalogue.sqlite`
 * (SQLite's online copy: consistent while the application writes; never a file copy of a live WAL
 * database), `models/` (the retrained model-version files the catalogue refers to) and
 * `manifest.json`. Cached features are left out of the copy and thumbnails are not copied: both are
 * rebuilt from the scans. A backup is written under a temporary name, fsynced, verified with
 * `PRAGMA integrity_check`, and only then renamed into place, so a crash or a full disk never leaves
 * a half backup that looks whole.
 */
import {
  closeSync,
  copyFileSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { randomUUID } from 'node:crypto';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { z } from 'zod';
import type { BackupInfo, BackupReason } from '../../shared/types';
import { openCopy, type Db } from '../db/open';
import { AppError, messageOf } from '../errors';
import { modelFileOf } from '../catalogue/modelRepository';
import { modelVersionsDir } from '../paths';
import { catalogueName, ensureBackupsFolder, foldersToList } from './location';
import { DEFAULT_ROTATION, planRotation, type RotationPolicy } from './rotation';

export const BACKUP_DB_FILE = 'catalogue.sqlite';
const MANIFEST_FILE = 'manifest.json';
const TEMP_PREFIX = '.tmp-';

const reasons = ['manual', 'daily', 'pre-migration', 'after-import', 'after-retrain', 'pre-restore'] as const satisfies readonly BackupReason[];

const manifestSchema = z.object({
  format: z.literal(1),
  catalogue: z.string(),
  /** The identity kept inside the catalogue (see `catalogueIdOf`); absent in backups from before it. */
  catalogueId: z.string().optional(),
  source: z.string(),
  createdAt: z.string(),
  reason: z.enum(reasons),
  schemaVersion: z.number().int(),
  posters: z.number().int(),
  reviewed: z.number().int(),
  labelChanges: z.number().int(),
  modelVersions: z.number().int(),
  /** Model-version files copied into models/, by the path the catalogue records. */
  models: z.array(z.object({ version: z.string(), file: z.string(), copy: z.string(), bytes: z.number().int() })),
  /** Model versions whose file was not copied, and why (the shipped default model ships with the application). */
  modelsNotCopied: z.array(z.object({ version: z.string(), file: z.string(), why: z.string() })),
  leftOut: z.array(z.string()),
  integrity: z.literal('ok'),
});
export type BackupManifest = z.infer<typeof manifestSchema>;

/** How the database gets into the temporary file: SQLite's backup API while running, VACUUM INTO at open (synchronous). */
export type CopyStep = (db: Db, target: string) => Promise<void> | void;

export const onlineCopy: CopyStep = async (db, target) => {
  await db.backup(target);
};
export const vacuumCopy: CopyStep = (db, target) => {
  db.prepare('VACUUM INTO ?').run(target);
};

const stamp = (d: Date): string => d.toISOString().replace(/[-:]/g, '').replace('T', '-').replace('.', '-');

export function backupName(dbPath: string, reason: BackupReason, at: Date): string {
  return `${catalogueName(dbPath)}-${stamp(at)}-${reason}`;
}

const escaped = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The whole name of a backup of this catalogue: a prefix match would take `catalogue-old-…` for a
 * backup of `catalogue`. `catalogue.sqlite` and `catalogue.db` beside each other still share
 * names; their manifests tell them apart (see `belongsTo`).
 */
const backupNamePattern = (dbPath: string): RegExp => new RegExp(`^${escaped(catalogueName(dbPath))}-\\d{8}-\\d{6}-\\d{3}Z-(${reasons.join('|')})$`);

const CATALOGUE_ID = 'catalogue_id';

/**
 * A catalogue's identity: a random id kept in its settings, made the first time it is asked for. It
 * moves with the file, so a moved or renamed folder keeps its backups, while two catalogues of the
 * same file name sharing a backups folder ($POSTER_CATALOGUE_BACKUPS) no longer list, rotate or
 * restore each other's. Undefined where it cannot be read or written (a catalogue from before
 * schema 4, opened read-only or damaged): backups are then matched by file name, as before.
 */
export function catalogueIdOf(db: Db, create = true): string | undefined {
  try {
    if (!hasTable(db, 'settings')) return undefined;
    const read = () => db.prepare('SELECT value FROM settings WHERE key = ?').pluck().get(CATALOGUE_ID) as string | undefined;
    const id = read();
    if (id || !create) return id;
    db.prepare('INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)').run(CATALOGUE_ID, randomUUID());
    return read();
  } catch {
    return undefined;
  }
}

/** Puts a catalogue's identity back after a restore, which brought in the backup's settings (another catalogue's, or none). */
export function keepCatalogueId(db: Db, id: string): void {
  db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(CATALOGUE_ID, id);
}

/** Whose backups are meant: the catalogue's file, and its identity where known. A bare path matches by file name alone. */
export interface BackupOwner {
  path: string;
  id?: string;
}
const ownerOf = (o: string | BackupOwner): BackupOwner => (typeof o === 'string' ? { path: o } : o);

/**
 * The manifest records the file name of the catalogue it was taken from (its folder may have moved
 * since) and, since identities, the catalogue's id: where both sides have one, they must agree.
 */
const belongsTo = (owner: BackupOwner, m: BackupManifest): boolean =>
  m.catalogue === basename(owner.path) && (!owner.id || !m.catalogueId || m.catalogueId === owner.id);

function fsyncPath(path: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    fsyncSync(fd);
  } catch (error) {
    // Windows cannot open a folder to fsync it; the rename is still atomic there.
    if (!(process.platform === 'win32' && statSync(path).isDirectory())) throw error;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

const hasTable = (db: Db, name: string): boolean => db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
const hasColumn = (db: Db, table: string, column: string): boolean => (db.pragma(`table_info(${table})`) as { name: string }[]).some((c) => c.name === column);
const count = (db: Db, table: string, where = ''): number =>
  hasTable(db, table) ? (db.prepare(`SELECT count(*) FROM ${table} ${where}`).pluck().get() as number) : 0;

/** What a backup's manifest records of its copy: counted when the copy is made, and again whenever it is checked. */
type Contents = Pick<BackupManifest, 'schemaVersion' | 'posters' | 'reviewed' | 'labelChanges' | 'modelVersions'>;

function contentsOf(db: Db): Contents {
  return {
    schemaVersion: db.pragma('user_version', { simple: true }) as number,
    posters: count(db, 'posters'),
    // Schema 1 had no reviews yet: a catalogue that old is backed up before its upgrade too.
    reviewed: hasColumn(db, 'posters', 'reviewed_at') ? count(db, 'posters', 'WHERE reviewed_at IS NOT NULL') : 0,
    labelChanges: hasTable(db, 'label_changes') ? count(db, 'label_changes') : count(db, 'label_history'),
    modelVersions: count(db, 'model_versions'),
  };
}

/** Tables every schema version of a catalogue has. */
const CATALOGUE_TABLES = ['posters', 'genres'];

const counted: [keyof Contents, string][] = [
  ['posters', 'posters'],
  ['reviewed', 'reviewed posters'],
  ['labelChanges', 'label changes'],
  ['modelVersions', 'model versions'],
];

/**
 * Whether the copy is still the catalogue its manifest describes. An empty or truncated-to-nothing
 * file is a valid, empty SQLite database and passes integrity_check; restoring it would empty the
 * catalogue, so the schema and the counts are compared with the manifest too.
 */
function contentProblems(file: string, recorded: Contents): string[] {
  const what = basename(file);
  if (statSync(file).size === 0) return [`${what} is an empty file, but its manifest records ${recorded.posters} posters`];
  let db: Db | undefined;
  try {
    db = openCopy(file, { readonly: true });
    const missing = CATALOGUE_TABLES.filter((table) => !hasTable(db as Db, table));
    if (missing.length) return [`${what} is not a catalogue (it has no ${missing.join(' or ')} table), but its manifest records ${recorded.posters} posters`];
    const found = contentsOf(db);
    if (found.schemaVersion !== recorded.schemaVersion) {
      return [`${what} is at schema ${found.schemaVersion}, but its manifest records schema ${recorded.schemaVersion}`];
    }
    return counted
      .filter(([key]) => found[key] !== recorded[key])
      .map(([key, noun]) => `${what} holds ${found[key]} ${noun}, but its manifest records ${recorded[key]}`);
  } catch (error) {
    return [`${what} cannot be read: ${messageOf(error)}`];
  } finally {
    db?.close();
  }
}

/** integrity_check of a database file, opened read-only: ['ok'] when sound. */
export function integrityProblems(file: string, kind: 'quick' | 'full' = 'full'): string[] {
  let db: Db | undefined;
  try {
    db = openCopy(file, { readonly: true });
    const rows = db.pragma(`${kind === 'full' ? 'integrity_check' : 'quick_check'}(20)`) as Record<string, string>[];
    const problems = rows.map((r) => Object.values(r)[0] as string);
    return problems.length === 1 && problems[0] === 'ok' ? [] : problems;
  } catch (error) {
    return [messageOf(error)];
  } finally {
    db?.close();
  }
}

const isNoSpace = (error: unknown): boolean => {
  const code = (error as { code?: string }).code;
  return code === 'ENOSPC' || code === 'SQLITE_FULL' || code === 'EDQUOT';
};

/** Makes the copy self-contained and small, checks it, and describes it. Everything here happens in the temporary folder. */
function finishCopy(dbPath: string, catalogueId: string | undefined, temp: string, reason: BackupReason, at: Date): BackupManifest {
  const file = join(temp, BACKUP_DB_FILE);
  const copy = openCopy(file);
  let manifest: BackupManifest;
  try {
    // The online copy of a WAL database is marked WAL; a backup is one file.
    copy.pragma('journal_mode = DELETE');
    if (count(copy, 'features') > 0) {
      copy.exec('DELETE FROM features');
      copy.exec('VACUUM');
    }
    const problems = (copy.pragma('integrity_check(20)') as { integrity_check: string }[]).map((r) => r.integrity_check);
    if (problems.length !== 1 || problems[0] !== 'ok') {
      throw new AppError('backup-unverified', `The copy of ${dbPath} did not pass its integrity check (${problems.slice(0, 3).join('; ')}).`);
    }
    const versions = hasTable(copy, 'model_versions')
      ? (copy.prepare('SELECT version, file FROM model_versions ORDER BY id').all() as { version: string; file: string }[])
      : [];
    manifest = {
      format: 1,
      catalogue: basename(dbPath),
      ...(catalogueId ? { catalogueId } : {}),
      source: dbPath,
      createdAt: at.toISOString(),
      reason,
      ...contentsOf(copy),
      models: [],
      modelsNotCopied: [],
      leftOut: ['cached image features (recomputed from the scans)', 'thumbnails (made again from the scans)'],
      integrity: 'ok',
    };
    copyModels(dbPath, versions, temp, manifest);
  } finally {
    copy.close();
  }
  fsyncPath(file);
  const manifestFile = join(temp, MANIFEST_FILE);
  writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
  fsyncPath(manifestFile);
  return manifest;
}

/** Retrained heads live in `<catalogue>.models/`; the shipped default model is part of the application. */
function copyModels(dbPath: string, versions: { version: string; file: string }[], temp: string, manifest: BackupManifest): void {
  const own = modelVersionsDir(dbPath);
  for (const stored of versions) {
    // Stored as shipped:<name> / versions:<name> (or an older absolute path): the file it names now.
    const v = { version: stored.version, file: modelFileOf(stored.file, own) };
    const inside = resolve(v.file).startsWith(own + sep);
    if (!inside) {
      manifest.modelsNotCopied.push({ version: v.version, file: v.file, why: 'ships with the application' });
      continue;
    }
    if (!existsSync(v.file)) {
      manifest.modelsNotCopied.push({ version: v.version, file: v.file, why: 'the file was already missing' });
      continue;
    }
    const copy = join('models', relative(own, resolve(v.file)));
    const target = join(temp, copy);
    mkdirSync(join(target, '..'), { recursive: true });
    copyFileSync(v.file, target);
    fsyncPath(target);
    manifest.models.push({ version: v.version, file: v.file, copy, bytes: statSync(target).size });
  }
  if (manifest.models.length) fsyncPath(join(temp, 'models'));
}

function folderBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += statSync(join(entry.parentPath, entry.name)).size;
  }
  return total;
}

function infoOf(path: string, m: BackupManifest): BackupInfo {
  return {
    name: basename(path),
    path,
    createdAt: m.createdAt,
    reason: m.reason,
    schemaVersion: m.schemaVersion,
    posters: m.posters,
    reviewed: m.reviewed,
    labelChanges: m.labelChanges,
    modelVersions: m.modelVersions,
    bytes: folderBytes(path),
  };
}

export function readManifest(path: string): BackupManifest {
  const parsed = manifestSchema.safeParse(JSON.parse(readFileSync(join(path, MANIFEST_FILE), 'utf8')));
  if (!parsed.success)
    throw new AppError('backup-unreadable', `${path} is not a Poster Catalogue backup: ${parsed.error.issues[0]?.message ?? 'bad manifest'}.`);
  return parsed.data;
}

export interface CreateOptions {
  reason: BackupReason;
  folder: string;
  now?: Date;
  /** How the database is copied; tests inject faults here. */
  copy?: CopyStep;
}

/** Temporary folders left by a crash (older than an hour, so a backup running in another process is spared). */
function sweepStale(folder: string): void {
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    if (name.startsWith(TEMP_PREFIX) && Date.now() - statSync(path).mtimeMs > 3_600_000) rmSync(path, { recursive: true, force: true });
  }
}

function prepare(dbPath: string, options: CreateOptions): { at: Date; name: string; temp: string; final: string } {
  const at = options.now ?? new Date();
  const name = backupName(dbPath, options.reason, at);
  try {
    ensureBackupsFolder(options.folder);
    sweepStale(options.folder);
  } catch (error) {
    throw new AppError('backup-failed', `Cannot write backups to ${options.folder}: ${messageOf(error)}.`);
  }
  const final = join(options.folder, name);
  if (existsSync(final)) throw new AppError('backup-exists', `A backup named ${name} already exists.`);
  const temp = join(options.folder, `${TEMP_PREFIX}${name}-${process.pid}`);
  rmSync(temp, { recursive: true, force: true });
  mkdirSync(temp);
  return { at, name, temp, final };
}

function publish(temp: string, final: string, folder: string): void {
  fsyncPath(temp);
  renameSync(temp, final);
  fsyncPath(folder);
}

function failed(dbPath: string, folder: string, temp: string, error: unknown): AppError {
  rmSync(temp, { recursive: true, force: true });
  if (error instanceof AppError) return error;
  if (isNoSpace(error)) {
    return new AppError('backup-no-space', `The disk holding ${folder} is full: the backup of ${dbPath} was not written, and no partial backup was left.`);
  }
  return new AppError('backup-failed', `The backup of ${dbPath} to ${folder} failed (${messageOf(error)}); no partial backup was left.`);
}

/** An online backup while the catalogue is in use. */
export async function createBackup(db: Db, dbPath: string, options: CreateOptions): Promise<BackupInfo> {
  const { at, temp, final } = prepare(dbPath, options);
  try {
    const id = catalogueIdOf(db); // before the copy, so that the copy holds it too
    await (options.copy ?? onlineCopy)(db, join(temp, BACKUP_DB_FILE));
    finishCopy(dbPath, id, temp, options.reason, at);
    publish(temp, final, options.folder);
  } catch (error) {
    throw failed(dbPath, options.folder, temp, error);
  }
  return infoOf(final, readManifest(final));
}

/** The same, synchronously (VACUUM INTO): for the pre-migration backup, taken while the catalogue opens. */
export function createBackupSync(db: Db, dbPath: string, options: CreateOptions): BackupInfo {
  const { at, temp, final } = prepare(dbPath, options);
  try {
    // Read, never made here: a migration that fails must leave the catalogue's file exactly as it was.
    const id = catalogueIdOf(db, false);
    const copied = (options.copy ?? vacuumCopy)(db, join(temp, BACKUP_DB_FILE));
    if (copied instanceof Promise) throw new Error('a synchronous copy step is needed here');
    finishCopy(dbPath, id, temp, options.reason, at);
    publish(temp, final, options.folder);
  } catch (error) {
    throw failed(dbPath, options.folder, temp, error);
  }
  return infoOf(final, readManifest(final));
}

/**
 * This catalogue's backups in `folders`, newest first: by the whole backup name and the catalogue its
 * manifest names, since several catalogues may keep their backups in one folder. Folders that are
 * not backups, and other catalogues' backups, are passed over.
 */
export function listBackups(of: string | BackupOwner, folders?: string[]): BackupInfo[] {
  const owner = ownerOf(of);
  const ours = backupNamePattern(owner.path);
  const found = new Map<string, BackupInfo>();
  for (const folder of folders ?? foldersToList(owner.path)) {
    let entries;
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      continue; // not there (yet), or not a folder: nothing to list
    }
    for (const entry of entries) {
      if (!entry.isDirectory() || !ours.test(entry.name) || found.has(entry.name)) continue;
      const path = join(folder, entry.name);
      try {
        const manifest = readManifest(path);
        if (belongsTo(owner, manifest)) found.set(entry.name, infoOf(path, manifest));
      } catch {
        // not one of ours, or its manifest is unreadable: it is never offered
      }
    }
  }
  return [...found.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.name.localeCompare(a.name));
}

/**
 * A backup by name (or folder path), among this catalogue's. "latest" is the newest that passes its
 * check (or, when none does, the newest, which the restore then refuses with its reason). A folder
 * given by path that holds another catalogue's backup is refused unless `otherCatalogue` says it is
 * meant: restoring it would replace this catalogue with that one.
 */
export function findBackup(of: string | BackupOwner, nameOrPath: string, options: { otherCatalogue?: boolean } = {}): BackupInfo {
  const owner = ownerOf(of);
  const all = listBackups(owner);
  const wanted = basename(resolve(nameOrPath));
  const found =
    nameOrPath === 'latest' ? (all.find((b) => verifyBackup(b).length === 0) ?? all[0]) : all.find((b) => b.name === nameOrPath || b.name === wanted);
  if (found) return found;
  const path = resolve(nameOrPath);
  if (existsSync(join(path, MANIFEST_FILE))) {
    const manifest = readManifest(path);
    if (!belongsTo(owner, manifest) && !options.otherCatalogue) {
      throw new AppError(
        'backup-of-another-catalogue',
        `${path} is a backup of another catalogue (${manifest.source}), not of ${owner.path}: restoring it would replace this catalogue's ` +
          `posters, reviews and models with that one's. If that is what you mean, restore it with --other-catalogue.`,
      );
    }
    return infoOf(path, manifest);
  }
  throw new AppError('backup-not-found', `There is no backup "${nameOrPath}" of ${owner.path} (see "backups").`);
}

/**
 * Deletes one of this catalogue's backups, by name. It is renamed to a temporary name first, so a
 * crash half-way leaves a folder that is swept later, never a half backup that looks whole.
 */
export function deleteBackup(of: string | BackupOwner, name: string): BackupInfo {
  const owner = ownerOf(of);
  const backup = listBackups(owner).find((b) => b.name === name);
  if (!backup) throw new AppError('backup-not-found', `There is no backup "${name}" of ${owner.path} to delete (see "backups").`);
  const doomed = join(dirname(backup.path), `${TEMP_PREFIX}deleted-${backup.name}-${process.pid}`);
  try {
    renameSync(backup.path, doomed);
  } catch (error) {
    throw new AppError('backup-delete-failed', `The backup ${backup.name} could not be deleted: ${messageOf(error)}. It is still there, whole.`);
  }
  rmSync(doomed, { recursive: true, force: true });
  return backup;
}

/**
 * The backup's own check, run again now (the disk under it, or a sync tool, may have changed it
 * since): SQLite's integrity check, then the schema and the counts its manifest records.
 */
export function verifyBackup(backup: BackupInfo): string[] {
  const file = join(backup.path, BACKUP_DB_FILE);
  if (!existsSync(file)) return [`${file} is missing`];
  let manifest: BackupManifest;
  try {
    manifest = readManifest(backup.path);
  } catch (error) {
    return [`${MANIFEST_FILE} cannot be read: ${messageOf(error)}`];
  }
  const problems = integrityProblems(file, 'full');
  return problems.length ? problems : contentProblems(file, manifest);
}

/**
 * The newest backup that passes its check now. A pre-restore backup holds a state someone chose to
 * leave (it is there to undo that restore), so it is offered only when no other backup is sound.
 */
export function newestSoundBackup(of: string | BackupOwner): BackupInfo | null {
  const sound = (b: BackupInfo) => verifyBackup(b).length === 0;
  const all = listBackups(of);
  return all.find((b) => b.reason !== 'pre-restore' && sound(b)) ?? all.find(sound) ?? null;
}

/** Deletes what the rotation policy does not keep, in `folder`; returns what was deleted. */
export function rotateBackups(of: string | BackupOwner, folder: string, now = new Date(), policy: RotationPolicy = DEFAULT_ROTATION): BackupInfo[] {
  const { remove } = planRotation(listBackups(of, [folder]), now, policy);
  for (const b of remove) rmSync(b.path, { recursive: true, force: true });
  return remove;
}
