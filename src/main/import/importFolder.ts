/**
 * Bulk import of a vendor's folder tree. Reading, hashing and decoding overlap across a bounded
 * number of files in flight, but what they lead to is settled in the folder's sorted order (ids,
 * near-duplicate originals), so a folder makes the same catalogue on any machine under any load;
 * rows are written in batched transactions. Crash-safe by design: a poster's row and its file
 * outcome are committed together, thumbnails are written before their row and swept if the row
 * never arrives, and importing the same folder again resumes the work (content hashes already
 * present are skipped without decoding).
 */
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { basename, dirname, resolve } from 'node:path';
import { decadeOf } from '../../shared/genres';
import type { FileOutcome, ImportFailure, ImportSummary } from '../../shared/types';
import { findPosterIdBySha, insertPosterUnlessPresent, iteratePhashes, type NewPoster } from '../catalogue/posterRepository';
import { createRun, finishRun, markInterruptedRuns, recordOutcome } from '../catalogue/importRunRepository';
import { withBusyRetry } from '../db/busy';
import type { Db } from '../db/open';
import { nowIso } from '../db/statements';
import { AppError, messageOf } from '../errors';
import type { JobContext } from '../jobs/jobManager';
import { analyseJpeg, MediaError, modelInput, type AnalysedImage, type SquareStrategy } from '../media/media';
import { PhashIndex } from '../media/phash';
import { fillMissingLayouts } from './layouts';
import { parseFileName } from './filename';
import { InOrder } from './inOrder';
import { readScan } from './readScan';
import { scanFolder } from './scan';
import { readSidecars, type SidecarEntry } from './sidecar';
import { ThumbnailStore } from './thumbnails';

export interface ImportOptions {
  folder: string;
  /** Defaults to the folder's name. */
  vendor?: string | undefined;
  /** Files in flight at once. */
  concurrency?: number;
  /** Rows per transaction. */
  batchSize?: number;
  /**
   * Hands each imported poster's model input, made from the pixels decoded for its thumbnail, to
   * the tagger once its row is committed: one decode per poster serves import and tagging.
   */
  modelInputs?: {
    strategy: SquareStrategy;
    consume(items: { posterId: number; input: Uint8Array; path: string }[]): void;
    /** Resolves when the consumer can take more (or the job is cancelled): backpressure, so memory stays flat. */
    room(signal: AbortSignal): Promise<void>;
  };
}

/**
 * Files in flight: enough to keep every core decoding while others wait on disk or the database
 * (measured best at 6–8 on 2 cores; scripts/bench-import.ts).
 */
export function defaultImportConcurrency(): number {
  return Math.min(16, Math.max(4, availableParallelism() * 3));
}

/** Perceptual hashes this close (of 64 bits) are the same artwork: rescans, resizes, recompressions. */
export const NEAR_DUPLICATE_BITS = 8;

interface PosterRef {
  id: number | null;
}

type Pending =
  | {
      kind: 'poster';
      ref: PosterRef;
      poster: Omit<NewPoster, 'duplicateOf'>;
      original: PosterRef | null;
      input?: Uint8Array;
      /** Another process committed the same bytes first: counted as already present. */
      raced?: boolean;
    }
  | { kind: 'outcome'; path: string; outcome: FileOutcome; reason: string | null; ref: PosterRef | null };

function readFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'cannot read file: permission denied';
  if (code === 'ENOENT') return 'file disappeared before it could be read';
  if (code === 'EISDIR') return 'not a file';
  return `cannot read file: ${messageOf(error)}`;
}

export async function importFolder(db: Db, thumbnailsRoot: string, options: ImportOptions, job: JobContext): Promise<ImportSummary> {
  const started = performance.now();
  const folder = resolve(options.folder);
  const info = await stat(folder).catch(() => null);
  if (!info) throw new AppError('folder-not-found', `The folder ${folder} does not exist or cannot be read.`);
  if (!info.isDirectory()) throw new AppError('not-a-folder', `${folder} is a file, not a folder.`);
  const vendor = options.vendor?.trim() || basename(folder);
  const concurrency = options.concurrency ?? defaultImportConcurrency();
  const batchSize = options.batchSize ?? 100;
  const { signal } = job;

  // Whatever an earlier crash left behind is tidied first.
  markInterruptedRuns(db);
  const thumbnails = new ThumbnailStore(thumbnailsRoot);
  await thumbnails.removeOrphans(db);
  await fillMissingLayouts(db, thumbnailsRoot, job);

  job.onProgress(0, 0, null, `Scanning ${folder}`);
  const scan = await scanFolder(folder, signal);
  const sidecars = new Map<string, Map<string, SidecarEntry>>();
  const sidecarWarnings: string[] = [];
  for (const [dir, files] of scan.sidecars) {
    const { entries, warnings } = await readSidecars(files, (f) => scan.rawPaths.get(f) ?? f);
    sidecars.set(dir, entries);
    sidecarWarnings.push(...warnings);
  }

  const total = scan.files.length + scan.failures.length;
  const runId = createRun(db, folder, vendor, total);
  const counts = { imported: 0, alreadyPresent: 0, nearDuplicates: 0, failed: 0 };
  const failures: ImportFailure[] = [];
  const index = new PhashIndex<PosterRef>(NEAR_DUPLICATE_BITS);
  for (const { id, phash, layout } of iteratePhashes(db)) index.add(phash, { id }, layout);
  const seenInRun = new Map<string, PosterRef>();
  let pending: Pending[] = [];
  let lastFlush = performance.now();

  const flush = db.transaction((items: Pending[]) => {
    for (const item of items) {
      if (item.kind === 'poster') {
        const inserted = insertPosterUnlessPresent(db, { ...item.poster, duplicateOf: item.original?.id ?? null });
        item.ref.id = inserted.id;
        if (!inserted.inserted) {
          // The same bytes arrived from another process (or one that ran before this run began).
          item.raced = true;
          if (item.original) counts.nearDuplicates--;
          else counts.imported--;
          counts.alreadyPresent++;
        }
        const outcome = !inserted.inserted ? 'already_present' : item.original ? 'near_duplicate' : 'imported';
        recordOutcome(db, runId, item.poster.path, outcome, null, item.ref.id);
      } else {
        recordOutcome(db, runId, item.path, item.outcome, item.reason, item.ref?.id ?? null);
      }
    }
  });
  const flushPending = async (force: boolean): Promise<void> => {
    if (pending.length === 0) return;
    if (!force && pending.length < batchSize && performance.now() - lastFlush < 500) return;
    // Settled in scan order, so a near-duplicate's original is always queued before it (or committed already).
    const items = pending;
    pending = [];
    // Another process writing the catalogue: the batch waits for it without blocking the event loop.
    await withBusyRetry(() => flush(items));
    lastFlush = performance.now();
    const inputs = items.flatMap((i) =>
      i.kind === 'poster' && i.input && i.ref.id !== null && !i.raced ? [{ posterId: i.ref.id, input: i.input, path: i.poster.path }] : [],
    );
    if (inputs.length > 0) options.modelInputs?.consume(inputs);
  };

  const fail = (file: string, reason: string): void => {
    counts.failed++;
    failures.push({ file, reason });
    pending.push({ kind: 'outcome', path: file, outcome: 'failed', reason, ref: null });
  };
  /** The first file of this run with each content: a later one with the same bytes is named beside it. */
  const firstPath = new Map<string, string>();
  const sameAsInRun: { file: string; sameAs: string }[] = [];
  const alreadyPresent = (path: string, ref: PosterRef, sameAs?: string): void => {
    counts.alreadyPresent++;
    if (sameAs !== undefined) sameAsInRun.push({ file: path, sameAs });
    pending.push({ kind: 'outcome', path, outcome: 'already_present', reason: null, ref });
  };
  for (const f of scan.failures) fail(f.file, f.reason);

  /** What settling needs of a decode: not its pixels or thumbnail bytes, which files waiting their turn would hold. */
  type Decoded =
    (Pick<AnalysedImage, 'width' | 'height' | 'phash' | 'layout' | 'crop'> & { thumbnail: string; input: Uint8Array | undefined }) | { reason: string };
  const decode = async (sha256: string, data: Buffer): Promise<Decoded> => {
    let image;
    try {
      image = await analyseJpeg(data);
    } catch (error) {
      return { reason: error instanceof MediaError ? error.reason : `cannot be decoded: ${messageOf(error)}` };
    }
    let thumbnail: string;
    try {
      thumbnail = await thumbnails.write(sha256, image.thumbnail);
    } catch (error) {
      return { reason: `thumbnail could not be written: ${messageOf(error)}` };
    }
    let input: Uint8Array | undefined;
    if (options.modelInputs) {
      try {
        input = await modelInput(image.pixels, options.modelInputs.strategy);
      } catch {
        input = undefined; // the poster is still catalogued; `tag` will try again from its file
      }
    }
    return { width: image.width, height: image.height, phash: image.phash, layout: image.layout, crop: image.crop, thumbnail, input };
  };
  // Files with the same bytes in this run share one decode (and one thumbnail write).
  const decoding = new Map<string, Promise<Decoded>>();

  /**
   * Reads and decodes one file; what it leads to comes back as a function that runs in scan order
   * (InOrder), so ids, the original of a near-duplicate and which of two identical files is the
   * poster are the same however the decodes overlap.
   */
  const prepare = async (path: string): Promise<() => void> => {
    let read;
    try {
      read = await readScan(scan.rawPaths.get(path) ?? path); // by its bytes when its name is not UTF-8
    } catch (error) {
      const reason = readFailure(error);
      return () => fail(path, reason);
    }
    if ('reason' in read) {
      const { reason } = read;
      return () => fail(path, reason);
    }
    const { data } = read;
    const sha256 = createHash('sha256').update(data).digest('hex');
    const bytes = data.length; // the settling below keeps only this of the file's bytes
    const knownId = findPosterIdBySha(db, sha256);
    if (knownId !== undefined) return () => alreadyPresent(path, seenInRun.get(sha256) ?? { id: knownId }, firstPath.get(sha256));
    let shared = decoding.get(sha256);
    if (!shared) {
      shared = decode(sha256, data);
      decoding.set(sha256, shared);
    }
    const decoded = await shared;
    const fromName = parseFileName(basename(path));
    const fromSidecar = sidecars.get(dirname(path))?.get(basename(path).toLowerCase());
    const year = fromSidecar?.year ?? fromName.year;
    return () => {
      decoding.delete(sha256);
      const seen = seenInRun.get(sha256);
      if (seen) return alreadyPresent(path, seen, firstPath.get(sha256));
      if ('reason' in decoded) return fail(path, decoded.reason);
      const { thumbnail, input, ...image } = decoded;
      const ref: PosterRef = { id: null };
      seenInRun.set(sha256, ref);
      firstPath.set(sha256, path);
      const near = index.nearest(image.phash, image.layout);
      // A near-duplicate points at the first copy; later copies of it are indexed under that first one too.
      index.add(image.phash, near?.ref ?? ref, image.layout);
      if (near) counts.nearDuplicates++;
      else counts.imported++;
      pending.push({
        kind: 'poster',
        ref,
        original: near?.ref ?? null,
        input,
        poster: {
          path,
          sha256,
          bytes,
          width: image.width,
          height: image.height,
          title: fromSidecar?.title ?? fromName.title,
          year,
          decade: decadeOf(year),
          vendor,
          importedAt: nowIso(),
          thumbnail,
          phash: image.phash,
          layout: image.layout,
          // Found in this decode and kept, so a later model or thumbnail size crops the same way.
          crop: image.crop ? { state: 'detected', box: image.crop } : { state: 'none', box: null },
        },
      });
    };
  };

  // Work runs ahead of settling by a few files per worker at most: what waits behind one slow file stays small.
  const order = new InOrder(scan.files.length, Math.max(1, concurrency) * 4);
  let done = scan.failures.length;
  job.onProgress(done, total, 'file', `Importing ${scan.files.length} files`);
  const worker = async (): Promise<void> => {
    for (;;) {
      if (options.modelInputs) await options.modelInputs.room(signal);
      const k = await order.take(signal);
      if (k === null) break;
      const path = scan.files[k] as string;
      let settle: () => void;
      try {
        settle = await prepare(path);
      } catch (error) {
        const reason = messageOf(error);
        settle = () => fail(path, reason);
      }
      order.done(k, settle);
      done++;
      await flushPending(false);
      job.onProgress(done, total, 'file');
    }
  };
  let status: ImportSummary['status'] = 'succeeded';
  try {
    await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
    await flushPending(true);
    if (signal.aborted) status = 'cancelled';
  } catch (error) {
    status = 'failed';
    finishRun(db, runId, status);
    throw new AppError('import-failed', `Import of ${folder} stopped: ${messageOf(error)}`);
  }
  finishRun(db, runId, status);
  return {
    runId,
    status,
    total,
    ...counts,
    sameAsInRun,
    failures,
    sidecarWarnings,
    tagged: 0,
    tagFailures: [],
    earlier: { tagged: 0, failures: [] },
    seconds: (performance.now() - started) / 1000,
  };
}
