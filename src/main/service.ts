/**
 * The catalogue as one object: database, thumbnails and jobs. Electron's IPC, the command line and
 * the browser host are thin adapters over this; none of it imports electron.
 */
import type { ExportFilter, ExportSummary, ImportSummary } from '../shared/types';
import { catalogueStats } from './catalogue/stats';
import { markInterruptedRuns } from './catalogue/importRunRepository';
import { openDatabase, type Db } from './db/open';
import { AppError } from './errors';
import { exportCsv } from './export/exportCsv';
import { importFolder, type ImportOptions } from './import/importFolder';
import { JobManager } from './jobs/jobManager';
import { resolveDbPath, thumbnailsDir } from './paths';

export class CatalogueService {
  readonly jobs = new JobManager();
  private importRunning = false;

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

  startImport(options: ImportOptions): { jobId: string; promise: Promise<ImportSummary> } {
    if (this.importRunning) throw new AppError('import-running', 'An import is already running; wait for it or cancel it.');
    this.importRunning = true;
    const started = this.jobs.start(
      'import',
      (ctx) => importFolder(this.db, this.thumbnailsDir, options, ctx),
      (summary) => summary.status,
    );
    const release = (): void => {
      this.importRunning = false;
    };
    started.promise.then(release, release);
    return started;
  }

  startExport(options: { file: string; filter?: ExportFilter; bom?: boolean }): {
    jobId: string;
    promise: Promise<ExportSummary>;
  } {
    return this.jobs.start('export', (ctx) => exportCsv(this.db, options, ctx));
  }

  close(): void {
    for (const job of this.jobs.list()) this.jobs.cancel(job.jobId);
    this.db.close();
  }
}
