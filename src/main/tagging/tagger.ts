/**
 * Genre suggestions for posters: ResNet50 features (cached in SQLite per poster and feature
 * model), scored by the active genre head, stored as suggestions. Decoding overlaps inference;
 * every batch is committed on its own, so a crash loses at most one batch and `tag` resumes.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ImportFailure, TagSummary } from '../../shared/types';
import { loadFeatures, saveFeatures } from '../catalogue/featureRepository';
import { listGenres } from '../catalogue/genreRepository';
import { activeModel, activateModelVersion, listModelVersions, registerModelVersion, setModelGenreIds, type ModelVersion } from '../catalogue/modelRepository';
import { appliedCrop, getPoster, posterCrop } from '../catalogue/posterRepository';
import { saveSuggestionBasis } from '../catalogue/suggestionBasisRepository';
import { replaceSuggestions } from '../catalogue/suggestionRepository';
import { withBusyRetry } from '../db/busy';
import type { Db } from '../db/open';
import { AppError, messageOf } from '../errors';
import { FeatureExtractor } from '../inference/featureExtractor';
import { modelsDir } from '../inference/modelFiles';
import { openablePath } from '../import/rawNames';
import type { JobContext } from '../jobs/jobManager';
import { decodeForModel, MediaError, type SquareStrategy } from '../media/media';
import { GenreHead, type ScoreBasis } from '../inference/genreHead';

export const DEFAULT_HEAD_FILE = 'head-default.onnx';

const strategyOf = ({ head }: ActiveHead): SquareStrategy => (head.info.training.strategy as SquareStrategy | undefined) ?? 'squash';
/** Batch 8 runs as fast as 16 on 2 cores (41 images/s) with half the activation memory. */
const BATCH = 8;
/** Inputs waiting for the model before the import is held back: keeps memory flat. */
const MAX_QUEUED = 48;
/** How long closing waits for batches still in the model. */
const CLOSE_WAIT_MS = 5_000;

export interface PosterInput {
  posterId: number;
  input: Uint8Array;
  /** The scan, to name it if its suggestions fail. */
  path?: string | undefined;
}

/** What the tagger needs of the feature model (tests hand it one that fails). */
export type Extractor = Pick<FeatureExtractor, 'extract' | 'close' | 'report' | 'version' | 'precision'>;

/** Registers the shipped default head as a model version and activates it when nothing is active. */
export async function ensureActiveHead(db: Db): Promise<void> {
  if (activeModel(db, null)) return;
  const file = join(modelsDir(), DEFAULT_HEAD_FILE);
  if (!existsSync(file)) throw new AppError('model-missing', `The default genre model ${file} is missing.`);
  const head = await GenreHead.load(file);
  registerModelVersion(db, {
    version: head.info.version,
    decade: null,
    file,
    genreIds: genreIdsByName(db, head.info.genres),
    params: head.info.training.params,
    metrics: head.info.training.validation,
  });
  await head.close();
  activateModelVersion(db, head.info.version, 'the shipped default model');
}

/** Each head output's genre id, matched by name: for heads registered before ids were kept. */
function genreIdsByName(db: Db, names: string[]): (number | null)[] {
  const ids = new Map(listGenres(db, { includeRetired: true }).map((g) => [g.name.toLowerCase(), g.id]));
  return names.map((name) => ids.get(name.toLowerCase()) ?? null);
}

/** A loaded head with the genre id of each of its outputs (fixed when it was registered). */
export interface ActiveHead {
  head: GenreHead;
  genreIds: (number | null)[];
}

async function loadActiveHead(db: Db, m: ModelVersion): Promise<ActiveHead> {
  const head = await GenreHead.load(m.file);
  let genreIds = m.genreIds;
  if (!genreIds || genreIds.length !== head.info.genres.length) {
    genreIds = genreIdsByName(db, head.info.genres);
    setModelGenreIds(db, m.version, genreIds);
  }
  return { head, genreIds };
}

/** The active heads: one per decade where a decade head is active, the all-decades head for the rest. */
export class HeadSet {
  private constructor(
    readonly all: ActiveHead,
    readonly byDecade: Map<number, ActiveHead>,
  ) {}

  /** Loads every active head; if one fails (a missing or broken file), those already loaded are closed. */
  static async load(db: Db): Promise<HeadSet> {
    await ensureActiveHead(db);
    const active = listModelVersions(db).filter((m) => m.active);
    const loaded: ActiveHead[] = [];
    try {
      const all = await loadActiveHead(db, active.find((m) => m.decade === null) as ModelVersion);
      loaded.push(all);
      const byDecade = new Map<number, ActiveHead>();
      for (const m of active) {
        if (m.decade === null) continue;
        const h = await loadActiveHead(db, m);
        loaded.push(h);
        byDecade.set(m.decade, h);
      }
      return new HeadSet(all, byDecade);
    } catch (error) {
      for (const h of loaded) await h.head.close().catch(() => undefined);
      throw error;
    }
  }

  for(decade: number | null): ActiveHead {
    return (decade !== null && this.byDecade.get(decade)) || this.all;
  }

  async close(): Promise<void> {
    await this.all.head.close();
    for (const h of this.byDecade.values()) await h.head.close();
  }
}

export class Tagger {
  /**
   * Feature cache key: features depend on the network and on how the poster was made square. The
   * fp32 and int8 models share it: the head scores their features alike and retraining on either
   * holds (docs/measurements.md, "int8 feature model"), so moving a catalogue between a GPU and a
   * CPU machine never re-runs ResNet50.
   */
  readonly featureKey: string;
  private queue: PosterInput[] = [];
  private draining: Promise<void> = Promise.resolve();
  private queued = 0;
  private done = 0;
  private waiters: (() => void)[] = [];
  /** Posters handed over by an import whose suggestions failed (a batch the model or the database refused). */
  private failures: ImportFailure[] = [];
  /** Scoring and swapping heads take turns, so a head is never closed while it scores. */
  private turn: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly db: Db,
    readonly extractor: Extractor,
    public heads: HeadSet,
    readonly strategy: SquareStrategy,
  ) {
    this.featureKey = `${extractor.version}:${strategy}`;
  }

  /**
   * The feature model (in its worker) and the active heads. If the heads cannot be loaded, the
   * feature worker is closed again before the error goes up: nothing is left running.
   */
  static async open(db: Db, openExtractor: () => Promise<Extractor> = () => FeatureExtractor.open()): Promise<Tagger> {
    const extractor = await openExtractor();
    try {
      const heads = await HeadSet.load(db);
      return new Tagger(db, extractor, heads, strategyOf(heads.all));
    } catch (error) {
      await extractor.close().catch(() => undefined);
      throw error;
    }
  }

  /** The all-decades head's version: what the screens and `stats` report. */
  get headVersion(): string {
    return this.heads.all.head.info.version;
  }

  /**
   * Loads the heads now active (after activation or rollback). Heads are trained on features of one
   * square strategy; a head asking for another would need every poster featurised again.
   */
  async reloadHeads(): Promise<void> {
    const heads = await HeadSet.load(this.db);
    if (strategyOf(heads.all) !== this.strategy) {
      await heads.close();
      throw new AppError('head-strategy', `The active genre model expects "${strategyOf(heads.all)}" features; this catalogue's are "${this.strategy}".`);
    }
    await this.inTurn(async () => {
      const old = this.heads;
      this.heads = heads;
      await old.close();
    });
  }

  private inTurn<T>(work: () => Promise<T>): Promise<T> {
    const run = this.turn.then(work);
    this.turn = run.catch(() => undefined);
    return run;
  }

  /** Scores feature vectors with the head of each poster's decade and stores the suggestions, in one transaction. */
  private store(items: { posterId: number; features: Float32Array; fresh: boolean }[]): Promise<void> {
    return this.inTurn(() => this.scoreAndSave(items));
  }

  private async scoreAndSave(items: { posterId: number; features: Float32Array; fresh: boolean }[]): Promise<void> {
    const byHead = new Map<ActiveHead, number[]>();
    // The title and decade as catalogued now: a title-aware head reads them beside the image.
    const posters = items.map((item) => getPoster(this.db, item.posterId));
    items.forEach((_item, k) => {
      const head = this.heads.for(posters[k]?.decade ?? null);
      const group = byHead.get(head);
      if (group) group.push(k);
      else byHead.set(head, [k]);
    });
    const scored: { active: ActiveHead; probabilities: Float32Array; basis: ScoreBasis }[] = new Array(items.length);
    for (const [active, ks] of byHead) {
      const results = await active.head.scoreWith(
        ks.map((k) => ({ features: (items[k] as { features: Float32Array }).features, title: posters[k]?.title ?? null, decade: posters[k]?.decade ?? null })),
      );
      ks.forEach((k, i) => (scored[k] = { active, ...(results[i] as { probabilities: Float32Array; basis: ScoreBasis }) }));
    }
    const write = this.db.transaction(() => {
      items.forEach((item, k) => {
        if (item.fresh) saveFeatures(this.db, item.posterId, this.featureKey, item.features);
        const { active, probabilities: p, basis } = scored[k] as { active: ActiveHead; probabilities: Float32Array; basis: ScoreBasis };
        const { genres, version } = active.head.info;
        // A poster scored without a usable title is judged by the thresholds calibrated for that.
        const thresholds = active.head.thresholdsFor(basis);
        let uncertainty = Number.POSITIVE_INFINITY;
        const suggestions = genres.flatMap((_name, j) => {
          // By id, fixed when the head was registered: a renamed genre keeps its suggestions.
          const genreId = active.genreIds[j] ?? undefined;
          const threshold = thresholds[j];
          // A genre the head never learned (no threshold) has no meaningful probability: store none.
          if (genreId === undefined || threshold === null || threshold === undefined) return [];
          uncertainty = Math.min(uncertainty, Math.abs((p[j] as number) - threshold));
          return [{ genreId, probability: p[j] as number, aboveThreshold: (p[j] as number) >= threshold, threshold }];
        });
        replaceSuggestions(this.db, item.posterId, version, suggestions, Number.isFinite(uncertainty) ? uncertainty : null);
        const poster = posters[k];
        saveSuggestionBasis(this.db, item.posterId, {
          modelVersion: version,
          title: basis.title ? (poster?.title ?? null) : null,
          decade: basis.decade ? (poster?.decade ?? null) : null,
        });
      });
    });
    // Another process writing the catalogue: wait for it without blocking the event loop.
    await withBusyRetry(() => write());
  }

  /** New suggestions from cached features only (after activation or rollback): no image is decoded. */
  async rescore(posterIds: number[], job: JobContext): Promise<{ rescored: number; withoutFeatures: number }> {
    let rescored = 0;
    let withoutFeatures = 0;
    job.onProgress(0, posterIds.length, 'poster');
    for (let start = 0; start < posterIds.length && !job.signal.aborted; start += 256) {
      const batch = posterIds.slice(start, start + 256).flatMap((posterId) => {
        const features = loadFeatures(this.db, posterId, this.featureKey);
        if (!features) withoutFeatures++;
        return features ? [{ posterId, features, fresh: false }] : [];
      });
      await this.store(batch);
      rescored += batch.length;
      job.onProgress(Math.min(posterIds.length, start + 256), posterIds.length, 'poster');
    }
    return { rescored, withoutFeatures };
  }

  /**
   * Inputs already decoded (by the import): features, scores and suggestions, in the background.
   * A batch that fails (the model worker died, the database refused) records its posters as
   * failed with the reason, and the batches after it still run.
   */
  enqueue(items: PosterInput[]): void {
    this.queue.push(...items);
    this.queued += items.length;
    this.draining = this.draining.then(async () => {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, BATCH);
        try {
          const features = await this.extractor.extract(batch.map((b) => b.input));
          await this.store(batch.map((b, k) => ({ posterId: b.posterId, features: features[k] as Float32Array, fresh: true })));
          this.done += batch.length;
        } catch (error) {
          const reason = `imported, but genre suggestions failed (run "tag" to retry): ${messageOf(error)}`;
          for (const b of batch) this.failures.push({ file: b.path ?? `poster ${b.posterId}`, reason });
        }
        this.wakeWaiters();
      }
    });
  }

  private wakeWaiters(): void {
    if (this.queue.length >= MAX_QUEUED) return;
    for (const wake of this.waiters.splice(0)) wake();
  }

  /**
   * Resolves when the queue has room: the import awaits this so it never runs far ahead of the
   * model. A cancelled job stops waiting at once.
   */
  room(signal?: AbortSignal): Promise<void> {
    if (this.queue.length < MAX_QUEUED || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = (): void => {
        signal?.removeEventListener('abort', wake);
        resolve();
      };
      this.waiters.push(wake);
      signal?.addEventListener('abort', wake, { once: true });
    });
  }

  /** Waits for everything enqueued; returns how many were tagged and the posters that failed since the last drain. */
  async drain(signal?: AbortSignal): Promise<{ done: number; failures: ImportFailure[] }> {
    if (signal) {
      // Cancel always ends the job, even while a batch hangs in the model.
      const aborted = new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
      await Promise.race([this.draining, aborted]);
    } else await this.draining;
    return { done: this.done, failures: this.failures.splice(0) };
  }

  progress(): { done: number; queued: number } {
    return { done: this.done, queued: this.queued };
  }

  /** Tags posters from their files (or cached features), overlapping decoding with inference. */
  async tagPosters(posters: { id: number; path: string }[], job: JobContext, batchSize = BATCH): Promise<TagSummary> {
    const started = performance.now();
    const summary: TagSummary = { status: 'succeeded', total: posters.length, tagged: 0, fromCache: 0, failed: 0, failures: [], seconds: 0 };
    type Prepared =
      | { kind: 'cached'; posterId: number; features: Float32Array }
      | { kind: 'input'; posterId: number; input: Uint8Array }
      | { kind: 'error'; posterId: number; path: string; reason: string };
    const prepare = async (batch: { id: number; path: string }[]): Promise<Prepared[]> =>
      Promise.all(
        batch.map(async (p): Promise<Prepared> => {
          const cached = loadFeatures(this.db, p.id, this.featureKey);
          if (cached) return { kind: 'cached', posterId: p.id, features: cached };
          try {
            // The poster as found (or drawn) in its scan, as the import cropped it.
            const crop = appliedCrop(posterCrop(this.db, p.id));
            return { kind: 'input', posterId: p.id, input: await decodeForModel(await readFile(await openablePath(p.path)), this.strategy, crop) };
          } catch (error) {
            const code = (error as NodeJS.ErrnoException).code;
            const reason =
              code === 'ENOENT'
                ? 'the file is gone (moved or deleted since import)'
                : error instanceof MediaError
                  ? error.reason
                  : `cannot be read: ${messageOf(error)}`;
            return { kind: 'error', posterId: p.id, reason, path: p.path };
          }
        }),
      );
    let next = 0;
    const take = () => posters.slice(next, (next += batchSize));
    let pending = prepare(take());
    job.onProgress(0, posters.length, 'poster');
    while (!job.signal.aborted) {
      const prepared = await pending;
      if (prepared.length === 0) break;
      pending = prepare(take()); // decode the next batch while this one runs through the model
      let toRun = prepared.filter((p): p is Extract<Prepared, { kind: 'input' }> => p.kind === 'input');
      let features: Float32Array[] = [];
      try {
        features = await this.extractor.extract(toRun.map((p) => p.input));
      } catch (error) {
        // The model refused this batch: its posters fail with the reason, the next batches still run.
        const path = new Map(posters.map((p) => [p.id, p.path]));
        for (const p of toRun) {
          summary.failed++;
          summary.failures.push({ file: path.get(p.posterId) ?? `poster ${p.posterId}`, reason: `the feature model failed: ${messageOf(error)}` });
        }
        toRun = [];
      }
      const ready: { posterId: number; features: Float32Array; fresh: boolean }[] = [];
      for (const p of prepared) {
        if (p.kind === 'cached') {
          ready.push({ posterId: p.posterId, features: p.features, fresh: false });
          summary.fromCache++;
        } else if (p.kind === 'error') {
          summary.failed++;
          summary.failures.push({ file: p.path, reason: p.reason });
        }
      }
      toRun.forEach((p, k) => ready.push({ posterId: p.posterId, features: features[k] as Float32Array, fresh: true }));
      await this.store(ready);
      summary.tagged += ready.length;
      job.onProgress(summary.tagged + summary.failed, posters.length, 'poster');
    }
    await pending.catch(() => undefined);
    if (job.signal.aborted) summary.status = 'cancelled';
    summary.seconds = (performance.now() - started) / 1000;
    return summary;
  }

  /** Lets queued batches finish (a few seconds at most: a hung model must not keep the app from closing), then closes. */
  async close(): Promise<void> {
    await Promise.race([this.draining.catch(() => undefined), sleep(CLOSE_WAIT_MS, undefined, { ref: false })]);
    await this.extractor.close();
    await this.heads.close();
  }
}
