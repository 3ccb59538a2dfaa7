/**
 * The one door into the catalogue. Electron's IPC (handlers.ts), the browser host and the command
 * line only translate arguments and results; every rule, every validation beyond shape, and every
 * SQL statement lives below this class — in `library` (posters, labels, genres, review) and in the
 * jobs here (import, tag, train, activate, export) — and lint keeps the adapters off the
 * repositories. Long jobs take a catalogue-level lock that other processes see. Nothing here
 * imports electron.
 */
import { join } from 'node:path';
import type {
  ExportFilter,
  ExportSummary,
  ImportSummary,
  InferenceStatus,
  JobKind,
  JobResults,
  ModelsOverview,
  Poster,
  TagSummary,
  TrainSummary,
} from '../shared/types';
import { markInterruptedRuns } from './catalogue/importRunRepository';
import { activateModelVersion, rollbackModels, setSetting, type ModelVersion } from './catalogue/modelRepository';
import { unreviewedPosterIds } from './catalogue/posterRepository';
import { catalogueStats } from './catalogue/stats';
import { allPosterPaths, postersWithoutSuggestions } from './catalogue/suggestionRepository';
import { openDatabase, type Db } from './db/open';
import { AppError } from './errors';
import { exportCsv } from './export/exportCsv';
import { importFolder, type ImportOptions } from './import/importFolder';
import { acquireLock, liveHolder, type LockName } from './jobs/catalogueLock';
import { JobManager, type JobContext } from './jobs/jobManager';
import { LibraryService } from './library/libraryService';
import { AUTO_ACTIVATE_SETTING, trainModels } from './learning/learning';
import { modelsOverview } from './learning/overview';
import { modelVersionsDir, resolveDbPath, thumbnailsDir } from './paths';
import { Tagger } from './tagging/tagger';

type Started<R> = { jobId: string; promise: Promise<R> };

export class CatalogueService {
  readonly jobs = new JobManager();
  readonly library: LibraryService;
  private importRunning = false;
  private trainRunning = false;
  private taggerPromise: Promise<Tagger> | null = null;
  /** Set when the models could not be loaded: status calls report it instead of trying again each time. */
  private taggerFailure: unknown = null;

  private constructor(
    readonly db: Db,
    readonly dbPath: string,
    readonly thumbnailsDir: string,
    private readonly openTagger: (db: Db) => Promise<Tagger>,
  ) {
    this.library = new LibraryService(db);
  }

  /** Opens the catalogue at `--db PATH`, $POSTER_CATALOGUE_DB or the user-data folder. */
  static open(dbPath?: string, options: { openTagger?: (db: Db) => Promise<Tagger> } = {}): CatalogueService {
    const path = resolveDbPath(dbPath);
    const db = openDatabase(path);
    // A run still marked running was cut short by a crash — unless a live process holds the
    // import lock, in which case it is that process's run and is left alone.
    if (!liveHolder(db, 'import')) markInterruptedRuns(db);
    return new CatalogueService(db, path, thumbnailsDir(path), options.openTagger ?? ((d) => Tagger.open(d)));
  }

  stats() {
    return catalogueStats(this.db, this.dbPath);
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
      headVersion: t.headVersion,
    };
  }

  /** A job that holds the catalogue-level `lock` while it runs (waiting its turn behind another process). */
  private lockedJob<K extends JobKind>(
    kind: K,
    lock: LockName,
    detail: string,
    work: (ctx: JobContext) => Promise<JobResults[K]>,
    outcome?: (r: JobResults[K]) => 'succeeded' | 'cancelled' | 'failed',
  ): Started<JobResults[K]> {
    return this.jobs.start(
      kind,
      async (ctx) => {
        const held = await acquireLock(this.db, lock, detail, ctx.signal, (message) => ctx.onProgress(0, 0, message));
        try {
          return await work(ctx);
        } finally {
          held.release();
        }
      },
      outcome,
    );
  }

  /** Imports a folder; unless `tag` is false, new posters get suggestions from the same decode. */
  startImport(options: ImportOptions & { tag?: boolean }): Started<ImportSummary> {
    if (this.importRunning) throw new AppError('import-running', 'An import is already running; wait for it or cancel it.');
    this.importRunning = true;
    const started = this.lockedJob(
      'import',
      'import',
      `an import of ${options.folder}`,
      async (ctx) => {
        const tagger = options.tag === false ? null : await this.tagger({ retry: true });
        const taggedBefore = tagger ? (await tagger.drain()).done : 0;
        const summary = await importFolder(
          this.db,
          this.thumbnailsDir,
          {
            ...options,
            modelInputs: tagger ? { strategy: tagger.strategy, consume: (items) => tagger.enqueue(items), room: (signal) => tagger.room(signal) } : undefined,
          },
          ctx,
        );
        if (tagger) {
          ctx.onProgress(summary.total, summary.total, 'Finishing genre suggestions');
          const drained = await tagger.drain(ctx.signal);
          if (ctx.signal.aborted) summary.status = 'cancelled';
          summary.tagged = drained.done - taggedBefore;
          summary.tagFailures = drained.failures;
        }
        return summary;
      },
      (summary) => summary.status,
    );
    const release = (): void => {
      this.importRunning = false;
    };
    started.promise.then(release, release);
    return started;
  }

  /** Suggestions for posters without any (or, with `all`, for every poster). */
  startTag(options: { all?: boolean } = {}): Started<TagSummary> {
    return this.jobs.start(
      'tag',
      async (ctx) => {
        const tagger = await this.tagger({ retry: true });
        const posters = options.all ? allPosterPaths(this.db) : postersWithoutSuggestions(this.db);
        return tagger.tagPosters(posters, ctx);
      },
      (summary) => summary.status,
    );
  }

  /** Retrains in a worker thread; a new version is activated only when asked (or automatically when it wins, if turned on). */
  startTrain(options: { decade?: number | null; autoActivate?: boolean } = {}): Started<TrainSummary> {
    // One at a time: two runs would both number themselves after the same latest run.
    if (this.trainRunning) throw new AppError('train-running', 'A retraining is already running; wait for it or cancel it.');
    this.trainRunning = true;
    const started = this.lockedJob('train', 'train', 'a retraining', async (ctx) => {
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
      if (summary.activated) await this.startRetag().promise;
      return summary;
    });
    const release = (): void => {
      this.trainRunning = false;
    };
    started.promise.then(release, release);
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

  setAutoActivate(on: boolean): void {
    setSetting(this.db, AUTO_ACTIVATE_SETTING, String(on));
  }

  startExport(options: { file: string; filter?: ExportFilter; bom?: boolean; columns?: readonly string[] }): Started<ExportSummary> {
    return this.jobs.start('export', (ctx) => exportCsv(this.db, options, ctx));
  }

  /** The file behind a poster's image or thumbnail, from the catalogue (never from a URL), or undefined. */
  posterImage(id: number, kind: 'image' | 'thumb'): string | undefined {
    const poster: Poster | undefined = this.library.posterFile(id);
    if (!poster) return undefined;
    return kind === 'image' ? poster.path : join(this.thumbnailsDir, poster.thumbnail);
  }

  async close(): Promise<void> {
    for (const job of this.jobs.list()) this.jobs.cancel(job.jobId);
    if (this.taggerPromise) await (await this.taggerPromise.catch(() => null))?.close();
    this.db.close();
  }
}
