/**
 * The catalogue as one object: database, thumbnails, jobs and (opened on first use) the tagger.
 * Electron's IPC, the command line and the browser host are thin adapters over this; none of it
 * imports electron.
 */
import type { ExportFilter, ExportSummary, ImportSummary, InferenceStatus, ModelsOverview, TagSummary, TrainSummary } from '../shared/types';
import { catalogueStats } from './catalogue/stats';
import { markInterruptedRuns } from './catalogue/importRunRepository';
import { allPosterPaths, postersWithoutSuggestions } from './catalogue/suggestionRepository';
import { openDatabase, type Db } from './db/open';
import { AppError } from './errors';
import { exportCsv } from './export/exportCsv';
import { importFolder, type ImportOptions } from './import/importFolder';
import { JobManager } from './jobs/jobManager';
import { modelVersionsDir, resolveDbPath, thumbnailsDir } from './paths';
import { activateModelVersion, rollbackModels, setSetting, type ModelVersion } from './catalogue/modelRepository';
import { AUTO_ACTIVATE_SETTING, trainModels } from './learning/learning';
import { modelsOverview } from './learning/overview';
import { Tagger } from './tagging/tagger';

export class CatalogueService {
  readonly jobs = new JobManager();
  private importRunning = false;
  private trainRunning = false;
  private taggerPromise: Promise<Tagger> | null = null;

  private constructor(
    readonly db: Db,
    readonly dbPath: string,
    readonly thumbnailsDir: string,
  ) {}

  /** Opens the catalogue at `--db PATH`, $POSTER_CATALOGUE_DB or the user-data folder. */
  static open(dbPath?: string): CatalogueService {
    const path = resolveDbPath(dbPath);
    const db = openDatabase(path);
    // A run still marked running was cut short by a crash: say so instead of pretending it runs.
    markInterruptedRuns(db);
    return new CatalogueService(db, path, thumbnailsDir(path));
  }

  stats() {
    return catalogueStats(this.db, this.dbPath);
  }

  /** The feature model and head, loaded once (about half a second) and kept. */
  tagger(): Promise<Tagger> {
    this.taggerPromise ??= Tagger.open(this.db).catch((error: unknown) => {
      this.taggerPromise = null;
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
    };
  }

  /** Imports a folder; unless `tag` is false, new posters get suggestions from the same decode. */
  startImport(options: ImportOptions & { tag?: boolean }): { jobId: string; promise: Promise<ImportSummary> } {
    if (this.importRunning) throw new AppError('import-running', 'An import is already running; wait for it or cancel it.');
    this.importRunning = true;
    const started = this.jobs.start(
      'import',
      async (ctx) => {
        const tagger = options.tag === false ? null : await this.tagger();
        const taggedBefore = tagger?.progress().done ?? 0;
        const summary = await importFolder(
          this.db,
          this.thumbnailsDir,
          { ...options, modelInputs: tagger ? { strategy: tagger.strategy, consume: (items) => tagger.enqueue(items), room: () => tagger.room() } : undefined },
          ctx,
        );
        if (tagger) {
          ctx.onProgress(summary.total, summary.total, 'Finishing genre suggestions');
          summary.tagged = (await tagger.drain()) - taggedBefore;
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
  startTag(options: { all?: boolean } = {}): { jobId: string; promise: Promise<TagSummary> } {
    return this.jobs.start(
      'tag',
      async (ctx) => {
        const tagger = await this.tagger();
        const posters = options.all ? allPosterPaths(this.db) : postersWithoutSuggestions(this.db);
        return tagger.tagPosters(posters, ctx);
      },
      (summary) => summary.status,
    );
  }

  /** Retrains in a worker thread; a new version is activated only when asked (or automatically when it wins, if turned on). */
  startTrain(options: { decade?: number | null; autoActivate?: boolean } = {}): { jobId: string; promise: Promise<TrainSummary> } {
    // One at a time: two runs would both number themselves after the same latest run.
    if (this.trainRunning) throw new AppError('train-running', 'A retraining is already running; wait for it or cancel it.');
    this.trainRunning = true;
    const started = this.jobs.start('train', async (ctx) => {
      const tagger = await this.tagger();
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
  activate(version: string): { versions: ModelVersion[]; jobId: string; promise: Promise<{ rescored: number; withoutFeatures: number }> } {
    const versions = activateModelVersion(this.db, version);
    return { versions, ...this.startRetag() };
  }

  /** Back to the versions active before the latest activation; their suggestions come back exactly (same heads, same cached features). */
  rollback(): { versions: ModelVersion[]; jobId: string; promise: Promise<{ rescored: number; withoutFeatures: number }> } {
    const versions = rollbackModels(this.db);
    return { versions, ...this.startRetag() };
  }

  startRetag(): { jobId: string; promise: Promise<{ rescored: number; withoutFeatures: number }> } {
    return this.jobs.start('retag', async (ctx) => {
      const tagger = await this.tagger();
      await tagger.reloadHeads();
      const ids = this.db.prepare('SELECT id FROM posters WHERE reviewed_at IS NULL ORDER BY id').pluck().all() as number[];
      return tagger.rescore(ids, ctx);
    });
  }

  models(): ModelsOverview {
    return modelsOverview(this.db);
  }

  setAutoActivate(on: boolean): void {
    setSetting(this.db, AUTO_ACTIVATE_SETTING, String(on));
  }

  startExport(options: { file: string; filter?: ExportFilter; bom?: boolean; columns?: readonly string[] }): {
    jobId: string;
    promise: Promise<ExportSummary>;
  } {
    return this.jobs.start('export', (ctx) => exportCsv(this.db, options, ctx));
  }

  async close(): Promise<void> {
    for (const job of this.jobs.list()) this.jobs.cancel(job.jobId);
    if (this.taggerPromise) await (await this.taggerPromise.catch(() => null))?.close();
    this.db.close();
  }
}
