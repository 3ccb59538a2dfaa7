/**
 * The catalogue's backups as the service sees them: automatic backups (before a migration, after an
 * import or retrain that changed something, at most daily otherwise), Back up now, the list, the
 * health of the catalogue with the backup to offer when it is damaged, and restore. One backup
 * runs at a time.
 */
import type { BackupInfo, BackupReason, CatalogueHealth, RestoreSummary } from '../../shared/types';
import type { Damage, Db } from '../db/open';
import { AppError, messageOf } from '../errors';
import {
  catalogueIdOf,
  createBackup,
  createBackupSync,
  deleteBackup,
  findBackup,
  integrityProblems,
  keepCatalogueId,
  listBackups,
  newestSoundBackup,
  rotateBackups,
  type BackupOwner,
} from './backupStore';
import { backupsFolder } from './location';
import { restoreInto } from './restore';

const DAY_MS = 86_400_000;

/** The backup taken before every schema migration; it failing stops the upgrade with the catalogue untouched. */
export function backupBeforeMigration(db: Db, dbPath: string, from: number, to: number): BackupInfo {
  const folder = backupsFolder(dbPath);
  let backup: BackupInfo;
  try {
    backup = createBackupSync(db, dbPath, { reason: 'pre-migration', folder });
  } catch (error) {
    throw new AppError(
      'migration-backup-failed',
      `The catalogue ${dbPath} needs upgrading (schema ${from} to ${to}), and the backup taken before every upgrade failed: ${messageOf(error)} ` +
        'The catalogue was left as it was; free some space or choose another backup folder, then open it again.',
    );
  }
  rotateBackups({ path: dbPath, id: catalogueIdOf(db, false) }, folder);
  return backup;
}

export class BackupService {
  private queue: Promise<unknown> = Promise.resolve();
  private lastError: string | null = null;
  private timer: NodeJS.Timeout | undefined;
  private checked: { check: 'quick' | 'full'; at: string; problems: string[] };
  /** The catalogue's identity; not read from a damaged catalogue (its backups are then matched by file name). */
  private id: string | undefined;

  constructor(
    private readonly db: Db,
    readonly dbPath: string,
    private damage: Damage | null,
  ) {
    this.checked = { check: 'quick', at: new Date().toISOString(), problems: damage?.problems ?? [] };
    this.id = damage ? undefined : catalogueIdOf(db);
  }

  private get owner(): BackupOwner {
    return { path: this.dbPath, id: this.id };
  }

  get damaged(): boolean {
    return this.damage !== null;
  }

  folder(): string {
    return backupsFolder(this.dbPath);
  }

  list(): BackupInfo[] {
    return listBackups(this.owner);
  }

  /** Deletes one of the catalogue's backups by name (after the person said so: the caller asks). */
  delete(name: string): Promise<BackupInfo> {
    return this.serial(async () => deleteBackup(this.owner, name));
  }

  /** One at a time: a second request waits for the first. */
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Back up now, to the backups folder (rotated) or once to `to` (another disk; left as it is). */
  async create(reason: BackupReason, to?: string): Promise<BackupInfo> {
    if (this.damage) {
      throw new AppError('db-damaged', `The catalogue ${this.dbPath} is damaged; a backup of it would not be sound. Restore a backup instead (see "backups").`);
    }
    return this.serial(async () => {
      const folder = to ?? this.folder();
      const backup = await createBackup(this.db, this.dbPath, { reason, folder });
      if (!to) rotateBackups(this.owner, folder);
      this.lastError = null;
      return backup;
    });
  }

  /** An automatic backup: a failure is remembered and reported, never thrown at the work that asked for it. */
  automatic(reason: BackupReason): Promise<BackupInfo | null> {
    if (this.damage) return Promise.resolve(null);
    return this.create(reason).catch((error: unknown) => {
      this.lastError = `The automatic ${reason} backup failed: ${messageOf(error)}`;
      console.error(this.lastError);
      return null;
    });
  }

  /** At most one a day: when the newest backup is older than a day and the catalogue holds posters. */
  async daily(now = new Date()): Promise<BackupInfo | null> {
    if (this.damage) return null;
    try {
      const newest = listBackups(this.owner, [this.folder()])[0];
      if (newest && now.getTime() - new Date(newest.createdAt).getTime() < DAY_MS) return null;
      const posters = this.db.prepare('SELECT count(*) FROM posters').pluck().get() as number;
      return posters > 0 ? await this.automatic('daily') : null;
    } catch (error) {
      // Called from a timer and from close(): it must never throw there.
      this.lastError = `The daily backup failed: ${messageOf(error)}`;
      return null;
    }
  }

  /** What the restored catalogue holds; features are left out of backups and recomputed by the next tagging. */
  restoredCounts(): Pick<RestoreSummary, 'posters' | 'reviewed' | 'withoutFeatures'> {
    const one = (sql: string) => this.db.prepare(sql).pluck().get() as number;
    return {
      posters: one('SELECT count(*) FROM posters'),
      reviewed: one('SELECT count(*) FROM posters WHERE reviewed_at IS NOT NULL'),
      withoutFeatures: one('SELECT count(*) FROM posters p WHERE NOT EXISTS (SELECT 1 FROM features f WHERE f.poster_id = p.id)'),
    };
  }

  /** For a catalogue that stays open for days (the application): the daily backup is looked at every hour. */
  scheduleDaily(): void {
    this.timer ??= setInterval(() => void this.daily(), 3_600_000).unref();
  }

  /** Waits for backups under way (before the catalogue closes). */
  async idle(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.queue;
  }

  /** The check at open (quick), or a full integrity_check now; when damaged, the newest backup that passes its own check. */
  health(full = false): CatalogueHealth {
    if (full) this.checked = { check: 'full', at: new Date().toISOString(), problems: this.fullCheck() };
    const backups = this.list();
    return {
      dbPath: this.dbPath,
      damaged: this.damage !== null,
      check: this.checked.check,
      checkedAt: this.checked.at,
      problems: this.checked.problems,
      keptAside: this.damage?.keptAside ?? [],
      backupsFolder: this.folder(),
      offer: this.damage ? newestSoundBackup(this.owner) : null,
      lastBackup: backups[0] ?? null,
      lastBackupError: this.lastError,
    };
  }

  private fullCheck(): string[] {
    // A second, read-only connection: the check reads the same committed state and never writes.
    const problems = integrityProblems(this.dbPath, 'full');
    if (problems.length) this.damage = { problems, keptAside: this.damage?.keptAside ?? [] };
    return problems;
  }

  /**
   * After a restore and its migration: the catalogue keeps its own identity (the backup brought its
   * own, another catalogue's or none), or, where it had none that could be read, takes the backup's.
   */
  keepIdentity(): void {
    if (this.id) keepCatalogueId(this.db, this.id);
    else this.id = catalogueIdOf(this.db);
  }

  /**
   * Restores a backup into the live catalogue after keeping the current state (a pre-restore
   * backup, or the damaged file copied aside). The caller makes sure no job is using the catalogue.
   */
  /** A backup by name, folder path or "latest", among this catalogue's (see `findBackup`). */
  find(nameOrPath: string, options: { otherCatalogue?: boolean } = {}): BackupInfo {
    return findBackup(this.owner, nameOrPath, options);
  }

  restore(nameOrPath: string, options: { otherCatalogue?: boolean } = {}): Promise<Pick<RestoreSummary, 'restored' | 'previous'>> {
    const backup = this.find(nameOrPath, options);
    return this.serial(async () => {
      const previous = await restoreInto(this.db, this.dbPath, backup, { damaged: this.damage !== null, folder: this.folder() });
      this.damage = null;
      this.checked = { check: 'quick', at: new Date().toISOString(), problems: [] };
      return { restored: backup, previous };
    });
  }
}
