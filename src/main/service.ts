/**
 * The catalogue as one object: database, thumbnails, jobs and (opened on first use) the tagger.
 * Electron's IPC, the command line and the browser host are thin adapters over this; none of it
 * imports electron.
 */
import type { ExportFilter, ExportSummary, ImportSummary, InferenceStatus, TagSummary } from '../shared/types';
import { catalogueStats } from './catalogue/stats';
import { markInterruptedRuns } from './catalogue/importRunRepository';
import { allPosterPaths, postersWithoutSuggestions } from './catalogue/suggestionRepository';
import { openDatabase, type Db } from './db/open';
import { AppError } from './errors';
import { exportCsv } from './export/exportCsv';
import { importFolder, type ImportOptions } from './import/importFolder';
import { JobManager } from './jobs/jobManager';
import { resolveDbPath, thumbnailsDir } from './paths';
import { Tagger } from './tagging/tagger';

export class CatalogueService {
  readonly jobs = new JobManager();
  private importRunning = false;
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
      headVersion: t.head.info.version,
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

  startExport(options: { file: string; filter?: ExportFilter; bom?: boolean }): {
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
