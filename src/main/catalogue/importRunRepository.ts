import { hostname } from 'node:os';
import type { FileOutcome, ImportFailure, ImportSummary } from '../../shared/types';
import type { Db } from '../db/open';
import { nowIso, prepared } from '../db/statements';

export function markInterruptedRuns(db: Db): number {
  return prepared(db, "UPDATE import_runs SET status = 'interrupted', finished_at = ? WHERE status = 'running'").run(nowIso()).changes;
}

/** `owner`: the process running it (pid@host), so a crash is told apart from another process's run. */
export function createRun(db: Db, folder: string, vendor: string | null, total: number, owner = `${process.pid}@${hostname()}`): number {
  const info = prepared(db, "INSERT INTO import_runs (folder, vendor, status, started_at, total, owner) VALUES (?, ?, 'running', ?, ?, ?)").run(
    folder,
    vendor,
    nowIso(),
    total,
    owner,
  );
  return Number(info.lastInsertRowid);
}

export function finishRun(db: Db, runId: number, status: ImportSummary['status']): void {
  prepared(db, 'UPDATE import_runs SET status = ?, finished_at = ? WHERE id = ?').run(status, nowIso(), runId);
}

export function recordOutcome(db: Db, runId: number, path: string, outcome: FileOutcome, reason: string | null, posterId: number | null): void {
  prepared(db, 'INSERT OR REPLACE INTO import_files (run_id, path, outcome, reason, poster_id) VALUES (?, ?, ?, ?, ?)').run(
    runId,
    path,
    outcome,
    reason,
    posterId,
  );
}

export function runFailures(db: Db, runId: number): ImportFailure[] {
  return prepared(db, "SELECT path AS file, reason FROM import_files WHERE run_id = ? AND outcome = 'failed' ORDER BY path").all(runId) as ImportFailure[];
}

export function countImportRuns(db: Db): number {
  return prepared(db, 'SELECT count(*) FROM import_runs').pluck().get() as number;
}
