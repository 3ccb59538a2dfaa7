/**
 * CSV export for the web shop: RFC 4180, UTF-8 (optionally with a BOM for Excel), streamed row by
 * row with bounded memory, written to a temporary file and renamed so a cancelled or crashed export
 * never leaves half a file under the requested name.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import type { ExportFilter, ExportSummary, GenreSource } from '../../shared/types';
import type { Db } from '../db/open';
import { AppError, messageOf } from '../errors';
import type { JobContext } from '../jobs/jobManager';
import { csvRow } from '../csv/csv';
import { sweepLeftovers } from '../fs/leftovers';
import { EXPORT_COLUMN_NAMES } from '../../shared/exportColumns';
import { countMatching, CURRENT_GENRES_SQL, EXPORTED_DUPLICATE_OF_SQL, HAS_EDITS_SQL, whereClause } from '../catalogue/filterSql';

export const EXPORT_COLUMNS = EXPORT_COLUMN_NAMES;
export { claimExportFile } from './exportClaim';

/** Each export's own temporary file: `<file>.<pid>-<tag>.partial` (swept as the pid's once that process is gone). */
function temporaryName(file: string): string {
  return `${file}.${process.pid}-${randomBytes(4).toString('hex')}.partial`;
}

/**
 * Refuses a column list the export cannot write: an unknown name, or an empty list — no columns
 * ticked is not "all" (all is the list left out, as the CLI does).
 */
export function checkExportColumns(columns: readonly string[] | undefined): void {
  if (!columns) return;
  if (columns.length === 0) throw new AppError('no-columns', 'Choose at least one column to export.');
  const unknown = columns.filter((c) => !(EXPORT_COLUMNS as readonly string[]).includes(c));
  if (unknown.length) throw new AppError('bad-columns', `Unknown export column${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}.`);
}

interface ExportRow {
  id: number;
  path: string;
  title: string | null;
  year: number | null;
  decade: number | null;
  vendor: string | null;
  sha256: string;
  width: number;
  height: number;
  imported_at: string;
  duplicate_of: number | null;
  reviewed_at: string | null;
  genres: string | null;
  edited: number;
  suggestion_pairs: string | null;
  model_version: string | null;
}

/** Rows fetched per query: keyset pages keep the connection free for other work between pages. */
const PAGE = 2000;
const ACTIVE_GENRE = 'JOIN genres g ON g.id = x.genre_id AND g.retired_at IS NULL';

function exportQuery(where: string): string {
  return `
    SELECT p.id, p.path, p.title, p.year, p.decade, p.vendor, p.sha256, p.width, p.height, p.imported_at,
      ${EXPORTED_DUPLICATE_OF_SQL} AS duplicate_of, p.reviewed_at,
      ${CURRENT_GENRES_SQL} AS genres, ${HAS_EDITS_SQL} AS edited,
      (SELECT group_concat(g.name || ':' || printf('%.3f', x.probability), '|' ORDER BY x.probability DESC)
        FROM suggestions x ${ACTIVE_GENRE} WHERE x.poster_id = p.id) AS suggestion_pairs,
      (SELECT max(x.model_version) FROM suggestions x WHERE x.poster_id = p.id) AS model_version
    FROM posters p ${where ? `${where} AND` : 'WHERE'} p.id > ? ORDER BY p.id LIMIT ${PAGE}`;
}

function toCells(r: ExportRow): (string | number | null)[] {
  // reviewed: staff's confirmed set; edited: suggestions with staff's per-genre edits; suggested: the model's alone.
  const genres = r.genres ?? '';
  const source: GenreSource = r.reviewed_at !== null ? 'reviewed' : r.edited ? 'edited' : genres ? 'suggested' : 'none';
  return [
    r.id,
    r.path,
    r.title,
    r.year,
    r.decade,
    genres,
    source,
    r.suggestion_pairs ?? '',
    r.model_version,
    r.vendor,
    r.sha256,
    r.width,
    r.height,
    r.imported_at,
    r.duplicate_of,
  ];
}

export async function exportCsv(
  db: Db,
  options: { file: string; filter?: ExportFilter; bom?: boolean; columns?: readonly string[]; formulaGuard?: boolean },
  job: JobContext,
): Promise<ExportSummary> {
  const file = resolve(options.file);
  checkExportColumns(options.columns);
  // A chosen subset of the columns, always in the standard order (the shop's importer can rely on it).
  const keep = EXPORT_COLUMNS.map((c) => !options.columns || options.columns.includes(c));
  const pick = <T>(cells: readonly T[]): T[] => cells.filter((_, k) => keep[k]);
  const filter = options.filter ?? {};
  const where = whereClause(filter);
  const total = countMatching(db, filter);
  sweepLeftovers(dirname(file), 'partial', basename(file)); // from an export that was killed
  // Its own name, opened only if new ('wx'): no other export, here or in another process, writes into it.
  const temp = temporaryName(file);
  const out = createWriteStream(temp, { encoding: 'utf8', flags: 'wx' });
  const opened = once(out, 'open').catch((error: unknown) => {
    throw new AppError('export-unwritable', `Cannot write ${file}: ${messageOf(error)}`);
  });
  await opened;
  let rows = 0;
  const guard = options.formulaGuard ?? true;
  let chunk = (options.bom ? '\uFEFF' : '') + csvRow(pick(EXPORT_COLUMNS), guard);
  try {
    const page = db.prepare(exportQuery(where.sql));
    let lastId = 0;
    for (;;) {
      const batch = page.all(...where.params, lastId) as ExportRow[];
      if (batch.length === 0) break;
      for (const row of batch) chunk += csvRow(pick(toCells(row)), guard);
      rows += batch.length;
      lastId = batch[batch.length - 1]?.id ?? lastId;
      job.signal.throwIfAborted();
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
      job.onProgress(rows, total, 'poster');
    }
    out.end(chunk);
    await once(out, 'finish');
    await rename(temp, file);
  } catch (error) {
    out.destroy();
    await rm(temp, { force: true });
    if (job.signal.aborted) throw new AppError('cancelled', `Export to ${file} was cancelled; no file was written.`);
    throw error instanceof AppError ? error : new AppError('export-failed', `Export to ${file} failed: ${messageOf(error)}`);
  }
  job.onProgress(rows, total, 'poster');
  return { file, rows };
}
