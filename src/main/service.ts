/**
 * The one door into the catalogue. Electron's IPC (handlers.ts), the browser host and the command
 * line only translate arguments and results; every rule, every validation beyond shape, and every
 * SQL statement lives below this class — in `library` (posters, labels, genres, review) and in the
 * jobs here (import, tag, train, activate, export) — and lint keeps the adapters off the
 * repositories. Long jobs take a catalogue-level lock that other processes see. Nothing here
 * imports electron.
 */
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type {
  BrowsePurpose,
  CatalogueStats,
  BrowseResult,
  ExportFilter,
  ExportSummary,
  ImportSummary,
  InferenceStatus,
  Insights,
  JobKind,
  JobResults,
  ModelsOverview,
  Poster,
  PosterDetail,
  PosterEdit,
  PosterUpdated,
  ProgressUnit,
  TagSummary,
  TrainSummary,
} from '../shared/types';
import type { BackupInfo, CatalogueHealth, RestoreSummary } from '../shared/types';
import { BackupService, backupBeforeMigration } from './backup/backupService';
import { chooseBackupsFolder } from './backup/location';
import { rebuildMissing } from './backup/rebuild';
import { keepAside } from './backup/restore';
import { markInterruptedRuns } from './catalogue/importRunRepository';
import { insights, type DayZone } from './catalogue/insightsRepository';
import { activateModelVersion, rollbackModels, setSetting, type ModelVersion } from './catalogue/modelRepository';
import { unreviewedPosterIds } from './catalogue/posterRepository';
import { catalogueStats } from './catalogue/stats';
import { suggestionBasisFor } from './catalogue/suggestionBasisRepository';
import { allPosterPaths, postersWithoutSuggestions, postersWithStaleSuggestions } from './catalogue/suggestionRepository';
import { migrate, openCatalogue, type Damage, type Db } from './db/open';
import { AppError, messageOf } from './errors';
import { checkExportColumns, claimExportFile, exportCsv } from './export/exportCsv';
import { importFolder, type ImportOptions } from './import/importFolder';
import { recrop, type CropRequest } from './import/recrop';
import { acquireLock, describeHolder, liveHolder, type LockName } from './jobs/catalogueLock';
import { JobManager, type JobContext } from './jobs/jobManager';
import { LibraryService } from './library/libraryService';
import { ReviewService } from './library/reviewService';
import { browseFolder } from './fs/browse';
import { recentFolders, rememberFolder } from './fs/recent';
import { folderProblem, userPath } from './fs/userPath';
import { expectedTrainSeconds, lastTrainCost, recordTrainCost } from './jobs/measuredCost';
import { readLastThroughput, recordThroughput } from './jobs/lastThroughput';
import { throughputOf } from '../shared/throughput';
import { AUTO_ACTIVATE_SETTING, trainModels } from './learning/learning';
import { modelsOverview } from './learning/overview';
import { modelVersionsDir, resolveDbPath, thumbnailsDir } from './paths';
import { Tagger } from './tagging/tagger';
import { JOB_NAME } from '../shared/jobNames';

type Started<R> = { jobId: string; promise: Promise<R> };

/**
 * The import's progress with its genre suggestions counted in: they are made alongside the files
 * and finish after them, so an ETA of the files alone ended seconds before the import did.
 */
function withSuggestionsToCome(ctx: JobContext, progress: () => { done: number; queued: number }, doneBefore: number, queuedBefore: number): JobContext {
  const onProgress = (done: number, total: number, unit: ProgressUnit | null, message?: string): void => {
    const now = progress();
    ctx.onProgress(done, total, unit as ProgressUnit, message, { done: now.done - doneBefore, total: now.queued - queuedBefore });
  };
  return { signal: ctx.signal, onProgress: onProgress as JobContext['onProgress'] };
}

export class CatalogueService {
  readonly jobs = new JobManager();
  readonly library: LibraryService;
  readonly review: ReviewService;
  private importRunning = false;
  private trainRunning = false;
  private taggerPromise: Promise<Tagger> | null = null;
  /** Set when the models could not be loaded: status calls report it instead of trying again each time. */
  private taggerFailure: unknown = null;
  /** Backups of this catalogue, and its health as checked at open. */
  readonly backups: BackupService;

  private constructor(
    readonly db: Db,
    readonly dbPath: string,
    readonly thumbnailsDir: string,
    private readonly openTagger: (db: Db) => Promise<Tagger>,
    damage: Damage | null = null,
  ) {
    this.library = new LibraryService(db);
    this.review = new ReviewService(db);
    this.backups = new BackupService(db, dbPath, damage);
  }

  /** Opens the catalogue at `--db PATH`, $POSTER_CATALOGUE_DB or the user-data folder. */
  static open(dbPath?: string, options: { openTagger?: (db: Db) => Promise<Tagger> } = {}): CatalogueService {
    const path = resolveDbPath(dbPath);
    // A damaged catalogue opens query-only, so the application can say so and offer a backup.
    const { db, damage } = openCatalogue(path, { beforeMigrating: (d, from, to) => backupBeforeMigration(d, path, from, to), keepAside });
    // A run still marked running was cut short by a crash — unless a live process holds the
    // import lock, in which case it is that process's run and is left alone.
    if (!damage && !liveHolder(db, 'import')) markInterruptedRuns(db);
    const service = new CatalogueService(db, path, thumbnailsDir(path), options.openTagger ?? ((d) => Tagger.open(d)), damage);
    service.backups.scheduleDaily();
    return service;
  }

  health(full = false): CatalogueHealth {
    return this.backups.health(full);
  }

  listBackups(): { folder: string; backups: BackupInfo[] } {
    return { folder: this.backups.folder(), backups: this.backups.list() };
  }

  /** Keeps backups in `folder` from now on (another disk); null: back to `backups/` beside the catalogue. */
  setBackupsFolder(folder: string | null): string {
    return chooseBackupsFolder(this.dbPath, folder);
  }

  backupNow(to?: string): Promise<BackupInfo> {
    return this.backups.create('manual', to);
  }

  /** Deletes a backup by name (manual backups are never rotated away; this is how they go). */
  deleteBackup(name: string): Promise<BackupInfo> {
    return this.backups.delete(name);
  }

  /**
   * Restores a backup (after backing up the current state, or keeping a damaged file aside).
   * Refused while a job runs: the import, tagger and training write to the catalogue.
   */
  async restore(backup: string, options: { otherCatalogue?: boolean } = {}): Promise<RestoreSummary> {
    const refuseWhileBusy = () => {
      const running = this.jobs.list().find((j) => j.state === 'running');
      if (running) throw new AppError('job-running', `Not restored: ${JOB_NAME[running.kind]} is running. Wait for it to finish or cancel it, then restore.`);
      // Another process (a second window, the command line) importing or training into this catalogue.
      // Not read from a damaged catalogue: nothing can write to it, and reading its lock table before
      // the restore left the live connection failing after it ("database disk image is malformed").
      if (this.backups.damaged) return;
      for (const name of ['import', 'train'] as const) {
        const holder = liveHolder(this.db, name);
        if (holder) throw new AppError('job-running', `Not restored: ${describeHolder(holder)}. Wait for it to finish or cancel it there, then restore.`);
      }
    };
    refuseWhileBusy();
    // The tagger holds the active heads, which the restored catalogue may name differently: opened again on first use.
    const tagger = this.taggerPromise;
    this.taggerPromise = null;
    if (tagger) await (await tagger.catch(() => null))?.close();
    refuseWhileBusy(); // a job may have started while the tagger closed
    const result = await this.backups.restore(backup, options);
    migrate(this.db); // a backup from before an upgrade: it is itself the pre-migration copy
    this.backups.keepIdentity();
    this.taggerFailure = null;
    this.review.releaseAll(); // the posters Review windows held may be others, or gone, in the catalogue restored
    if (!liveHolder(this.db, 'import')) markInterruptedRuns(this.db);
    const counts = this.backups.restoredCounts();
    const rebuild = this.startRebuild();
    return { ...result, ...counts, rebuildJobId: rebuild.jobId };
  }

  /** Thumbnails missing and image features left out of backups, made again from the scans (after a restore). */
  startRebuild(): Started<JobResults['rebuild']> {
    return this.jobs.start('rebuild', (ctx) =>
      rebuildMissing(this.db, this.thumbnailsDir, async (posters, job) => (await this.tagger({ retry: true })).tagPosters(posters, job), ctx),
    );
  }

  stats(): CatalogueStats {
    return {
      ...catalogueStats(this.db, this.dbPath),
      // The lock table of a damaged catalogue is not read (as in restore): nothing can write to it.
      importRunning: this.importRunning || (!this.backups.damaged && liveHolder(this.db, 'import') !== undefined),
      throughput: readLastThroughput(this.db),
    };
  }

  /**
   * The feature model and heads, loaded once (about half a second) and kept. A failed load is
   * remembered: `retry` (a job the user started) tries again, a status call does not.
   */
  tagger(options: { retry?: boolean } = {}): Promise<Tagger> {
    if (this.taggerFailure !== null && !options.retry) return Promise.reject(this.taggerFailure);
    this.taggerFailure = null;
    this.taggerPromise ??= this.openTagger(this.db).catch((error: unknown) => {
      this.taggerPromise = null;
      this.taggerFailure = error;
      throw error;
    });
    return this.taggerPromise;
  }

  async inferenceStatus(): Promise<InferenceStatus> {
    const t = await this.tagger();
    return {
      provider: t.extractor.report.provider,
      fallbacks: t.extractor.report.fallbacks,
      featureModel: t.extractor.version,
      squareStrategy: t.strategy,
      featurePrecision: t.extractor.precision.precision,
      precisionReason: t.extractor.precision.reason,
      headVersion: t.headVersion,
      headInputs: t.heads.all.head.info.inputs,
    };
  }

  /** A job that holds the catalogue-level `lock` while it runs (waiting its turn behind another process). */
  private lockedJob<K extends JobKind>(
    kind: K,
    lock: LockName,
    detail: string,
    work: (ctx: JobContext) => Promise<JobResults[K]>,
    outcome?: (r: JobResults[K]) => 'succeeded' | 'cancelled' | 'failed',
    options?: { expectedSeconds?: number | null; measureEta?: boolean },
  ): Started<JobResults[K]> {
    return this.jobs.start(
      kind,
      async (ctx) => {
        const held = await acquireLock(this.db, lock, detail, ctx.signal, (message) => ctx.onProgress(0, 0, null, message));
        try {
          return await work(ctx);
        } finally {
          held.release();
        }
      },
      outcome,
      options,
    );
  }

  /** Imports a folder; unless `tag` is false, new posters get suggestions from the same decode. */
  startImport(options: ImportOptions & { tag?: boolean }): Started<ImportSummary> {
    if (this.importRunning) throw new AppError('import-running', 'An import is already running; wait for it or cancel it.');
    // A folder that is not there is said at once, once, before any job starts.
    const folder = this.existingFolder(options.folder, 'the vendor folder to import', 'read');
    this.importRunning = true;
    // The report's duration is the whole run's wall time: waiting for another import, loading the
    // model, importing and the last suggestions — what the person waited for.
    const startedAt = performance.now();
    const started = this.lockedJob(
      'import',
      'import',
      `an import of ${folder}`,
      async (ctx) => {
        rememberFolder(this.db, 'import', folder);
        const tagger = options.tag === false ? null : await this.tagger({ retry: true });
        const before = tagger ? (await tagger.drain()).done : 0;
        const queuedBefore = tagger?.progress().queued ?? 0;
        const summary = await importFolder(
          this.db,
          this.thumbnailsDir,
          {
            ...options,
            folder,
            modelInputs: tagger ? { strategy: tagger.strategy, consume: (items) => tagger.enqueue(items), room: (signal) => tagger.room(signal) } : undefined,
          },
          tagger ? withSuggestionsToCome(ctx, () => tagger.progress(), before, queuedBefore) : ctx,
        );
        if (tagger) {
          // The last suggestions are work of their own, counted in posters (a new total: the ETA is measured afresh).
          const report = () => {
            const { done, queued } = tagger.progress();
            ctx.onProgress(done - before, queued - queuedBefore, 'poster', 'Genre suggestions for the new posters');
          };
          report();
          const ticking = setInterval(report, 250);
          try {
            const drained = await tagger.drain(ctx.signal);
            summary.tagged = drained.done - before;
            summary.tagFailures = drained.failures;
          } finally {
            clearInterval(ticking);
          }
          report();
          if (ctx.signal.aborted) summary.status = 'cancelled';
          else {
            // What an earlier run left without suggestions (it was killed, or closed while they were
            // being made; re-importing its folder skips those posters as already present).
            const failedNow = new Set(summary.tagFailures.map((f) => f.file));
            const left = postersWithoutSuggestions(this.db).filter((p) => !failedNow.has(p.path));
            if (left.length > 0) {
              const caught = await tagger.tagPosters(left, ctx);
              summary.earlier = { tagged: caught.tagged, failures: caught.failures };
              if (caught.status === 'cancelled') summary.status = 'cancelled';
            }
          }
        }
        summary.seconds = (performance.now() - startedAt) / 1000;
        return summary;
      },
      (summary) => summary.status,
    );
    const release = (): void => {
      this.importRunning = false;
    };
    started.promise.then(release, release);
    started.promise.then(
      (s) => {
        recordThroughput(this.db, throughputOf({ kind: 'import', result: s }));
        if (s.imported > 0) void this.backups.automatic('after-import');
      },
      () => undefined,
    );
    return started;
  }

  /** An absolute folder from what a person gave (`~` understood), or a clear error when it is missing or unreadable. */
  private existingFolder(path: string, what: string, need: 'read' | 'write'): string {
    const folder = userPath(path, what);
    let info;
    try {
      info = statSync(folder);
    } catch (error) {
      throw new AppError('folder-not-found', folderProblem(folder, error));
    }
    if (!info.isDirectory()) throw new AppError('not-a-folder', `${folder} is a file, not a folder.`);
    // Said before any job starts: an unreadable vendor folder is not an import of 0 files, and an
    // export is not refused later in the name of its temporary file.
    try {
      accessSync(folder, need === 'read' ? constants.R_OK | constants.X_OK : constants.W_OK | constants.X_OK);
    } catch {
      throw new AppError(
        `folder-not-${need === 'read' ? 'readable' : 'writable'}`,
        `The folder ${folder} cannot be ${need === 'read' ? 'read' : 'written to'}: permission denied.`,
      );
    }
    return folder;
  }

  /** A host folder for the path pickers (home when none is given), with the folders recently used for `purpose`. */
  async browse(path: string | undefined, purpose: BrowsePurpose): Promise<BrowseResult> {
    return { ...(await browseFolder(path, purpose)), recent: recentFolders(this.db, purpose) };
  }

  /** Suggestions for posters without any (or, with `all`, for every poster). */
  startTag(options: { all?: boolean } = {}): Started<TagSummary> {
    const started = this.jobs.start(
      'tag',
      async (ctx) => {
        const tagger = await this.tagger({ retry: true });
        // Without --all: what has no suggestions, or has them from a version no longer active.
        const posters = options.all ? allPosterPaths(this.db) : [...postersWithoutSuggestions(this.db), ...postersWithStaleSuggestions(this.db)];
        return tagger.tagPosters(posters, ctx);
      },
      (summary) => summary.status,
    );
    started.promise.then(
      (s) => recordThroughput(this.db, throughputOf({ kind: 'tag', result: s })),
      () => undefined,
    );
    return started;
  }

  /** Retrains in a worker thread; a new version is activated only when asked (or automatically when it wins, if turned on). */
  startTrain(options: { decade?: number | null; autoActivate?: boolean } = {}): Started<TrainSummary> {
    // One at a time: two runs would both number themselves after the same latest run.
    if (this.trainRunning) throw new AppError('train-running', 'A retraining is already running; wait for it or cancel it.');
    this.trainRunning = true;
    // The first ETA: the last run's measured cost per training example, scaled to this run.
    const expectedSeconds = expectedTrainSeconds(lastTrainCost(this.db), this.stats().reviewed);
    const started = this.lockedJob(
      'train',
      'train',
      'a retraining',
      async (ctx) => {
        const startedAt = performance.now();
        const tagger = await this.tagger({ retry: true });
        const summary = await trainModels(
          this.db,
          {
            versionsDir: modelVersionsDir(this.dbPath),
            featureKey: tagger.featureKey,
            strategy: tagger.strategy,
            decade: options.decade,
            autoActivate: options.autoActivate,
          },
          ctx,
        );
        recordTrainCost(this.db, { seconds: (performance.now() - startedAt) / 1000, reviewed: summary.reviewed, basePool: summary.basePool });
        if (summary.activated) await this.startRetag().promise;
        return summary;
      },
      undefined,
      // Its steps are too uneven (a big head's epochs, then small decade heads, some skipped) for a
      // rate to say the time left: "4 of 25 steps · 0.3 a second · 3 min 9 s left" ended 5 s later.
      { expectedSeconds, measureEta: false },
    );
    const release = (): void => {
      this.trainRunning = false;
    };
    started.promise.then(release, release);
    started.promise.then(
      (s) => void (s.versions.length > 0 && this.backups.automatic('after-retrain')),
      () => undefined,
    );
    return started;
  }

  /** Activates a version (with its run's winning decade heads) and re-tags unreviewed posters from cached features. */
  activate(version: string): { versions: ModelVersion[] } & Started<{ rescored: number; withoutFeatures: number }> {
    const versions = activateModelVersion(this.db, version);
    return { versions, ...this.startRetag() };
  }

  /** Back to the versions active before the latest activation; their suggestions come back exactly (same heads, same cached features). */
  rollback(): { versions: ModelVersion[] } & Started<{ rescored: number; withoutFeatures: number }> {
    const versions = rollbackModels(this.db);
    return { versions, ...this.startRetag() };
  }

  startRetag(): Started<{ rescored: number; withoutFeatures: number }> {
    return this.jobs.start('retag', async (ctx) => {
      const tagger = await this.tagger({ retry: true });
      await tagger.reloadHeads();
      return tagger.rescore(unreviewedPosterIds(this.db), ctx);
    });
  }

  models(): ModelsOverview {
    return modelsOverview(this.db);
  }

  /** The catalogue, reviews per day over the last `days` local days, and where the model is least sure. */
  insights(days: number, zone: DayZone): Insights {
    return insights(this.db, days, zone);
  }

  setAutoActivate(on: boolean): void {
    setSetting(this.db, AUTO_ACTIVATE_SETTING, String(on));
  }

  /**
   * Writes the CSV. The file's folder must exist (said plainly, not as the temporary file's
   * ENOENT); an existing file is replaced only with `overwrite`, else refused as "file-exists" so
   * the screen can ask first.
   */
  startExport(options: {
    file: string;
    filter?: ExportFilter;
    bom?: boolean;
    columns?: readonly string[];
    overwrite?: boolean;
    /** A leading ' before cells a spreadsheet would run as formulas (the default); off for a shop importer. */
    formulaGuard?: boolean;
  }): Started<ExportSummary> {
    const file = userPath(options.file, 'where to save the CSV file');
    if (!basename(file) || file.endsWith('/')) throw new AppError('path-required', 'Give the CSV file a name.');
    const folder = this.existingFolder(dirname(file), 'a folder for the CSV file', 'write');
    if (existsSync(file)) {
      if (statSync(file).isDirectory()) throw new AppError('not-a-file', `${file} is a folder: give the CSV file a name inside it.`);
      if (!options.overwrite) throw new AppError('file-exists', `${basename(file)} already exists in ${folder}.`);
    }
    checkExportColumns(options.columns);
    // Refused now, before a job starts, while another window or tab's export is writing this file.
    const release = claimExportFile(file);
    try {
      rememberFolder(this.db, 'export', folder);
      return this.jobs.start('export', (ctx) => exportCsv(this.db, { ...options, file }, ctx).finally(release));
    } catch (error) {
      release(); // no export started: the file is free (a busy catalogue must not leave it "being written" until a restart)
      throw error;
    }
  }

  /**
   * A poster cropped anew: a box staff drew, 'off' (the whole scan) or 'detect' (found again). It is
   * re-hashed, re-thumbnailed and re-featurised (its suggestions follow); the scan is not touched.
   */
  async cropPoster(id: number, request: CropRequest): Promise<PosterDetail> {
    await recrop(this.db, this.thumbnailsDir, id, request);
    const poster = this.library.posterFile(id) as Poster;
    try {
      const tagger = await this.tagger({ retry: true });
      const summary = await tagger.tagPosters([{ id, path: poster.path }], { signal: new AbortController().signal, onProgress: () => undefined });
      const failure = summary.failures[0];
      if (failure) throw new Error(failure.reason);
    } catch (error) {
      throw new AppError('featurise-failed', `The crop is saved, but the genre suggestions were not made again (run "tag --all"): ${messageOf(error)}`);
    }
    return this.library.poster(id);
  }

  /**
   * Title, year and vendor as staff correct them. The head reads the title and decade beside the
   * image, so a change to either re-scores the poster's suggestions from its cached features (no
   * image is decoded); a reviewed poster's confirmed genres are not touched, only its suggestions.
   */
  async updatePoster(
    id: number,
    edit: { title?: string | null; year?: number | null; vendor?: string | null },
    reviewer: string | null = null,
    expected?: { title?: string | null; year?: number | null; vendor?: string | null },
  ): Promise<PosterUpdated> {
    const before = this.library.findPoster(String(id));
    const poster = this.library.updatePoster(id, edit, reviewer, expected);
    if (poster.title !== before.title || poster.decade !== before.decade) await this.rescorePoster(id);
    return poster;
  }

  /** A title, year, vendor or near-duplicate change taken back; a title or year coming back re-scores as an edit does. */
  async undoPosterEdit(editId: number): Promise<PosterEdit> {
    const edit = this.library.undoEdit(editId);
    if (edit.field === 'title' || edit.field === 'year') await this.rescorePoster(edit.posterId);
    return edit;
  }

  /** New suggestions for one poster that was scored before, from its cached features. */
  private async rescorePoster(id: number): Promise<void> {
    if (suggestionBasisFor(this.db, id) === null) return; // never scored: the next "tag" scores it with the new title
    try {
      const tagger = await this.tagger({ retry: true });
      await tagger.rescore([id], { signal: new AbortController().signal, onProgress: () => undefined });
    } catch (error) {
      throw new AppError('rescore-failed', `The change is saved, but the genre suggestions were not made again (run "tag --all"): ${messageOf(error)}`);
    }
  }

  /** The file behind a poster's image or thumbnail, from the catalogue (never from a URL), or undefined. */
  posterImage(id: number, kind: 'image' | 'thumb'): string | undefined {
    const poster: Poster | undefined = this.library.posterFile(id);
    if (!poster) return undefined;
    return kind === 'image' ? poster.path : join(this.thumbnailsDir, poster.thumbnail);
  }

  async close(): Promise<void> {
    for (const job of this.jobs.list()) this.jobs.cancel(job.jobId);
    // Cancelled jobs stop at their next check; closing the tagger or the database under one that
    // is still scoring aborts the process (seen with the rebuild job that follows a restore).
    for (let waited = 0; waited < 30_000 && this.jobs.list().some((j) => j.state === 'running'); waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    if (this.taggerPromise) await (await this.taggerPromise.catch(() => null))?.close();
    // Like Lightroom's backup on exit: the daily backup, if one is due, before the catalogue closes.
    await this.backups.idle();
    await this.backups.daily();
    this.db.close();
  }
}
