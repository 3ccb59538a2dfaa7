/** Domain types shared by main, preload and renderer. Pure data: no Node, DOM or Electron. */

export type ReviewStatus = 'reviewed' | 'unreviewed';
/** reviewed: staff's confirmed set; edited: suggestions with staff's per-genre edits, not confirmed; suggested: the model's. */
export type GenreSource = 'reviewed' | 'edited' | 'suggested' | 'none';

export interface Genre {
  id: number;
  name: string;
  retired: boolean;
}

export interface Poster {
  id: number;
  path: string;
  sha256: string;
  bytes: number;
  width: number;
  height: number;
  title: string | null;
  year: number | null;
  decade: number | null;
  vendor: string | null;
  importedAt: string;
  thumbnail: string;
  duplicateOf: number | null;
  reviewedAt: string | null;
}

export type FileOutcome = 'imported' | 'already_present' | 'near_duplicate' | 'failed';

export interface ImportFailure {
  file: string;
  reason: string;
}

export interface ImportSummary {
  runId: number;
  status: 'succeeded' | 'cancelled' | 'failed';
  total: number;
  imported: number;
  alreadyPresent: number;
  nearDuplicates: number;
  failed: number;
  failures: ImportFailure[];
  /** Problems with sidecar CSVs: they never stop the import. */
  sidecarWarnings: string[];
  /** Posters given genre suggestions right after import (0 when tagging was switched off). */
  tagged: number;
  /** Imported posters whose suggestions failed (the poster is catalogued; `tag` retries), with the reason. */
  tagFailures: ImportFailure[];
  seconds: number;
}

/** Thumbnails and features made again from the scans (after a restore). */
export interface RebuildSummary {
  status: 'succeeded' | 'cancelled';
  thumbnails: number;
  features: number;
  failures: ImportFailure[];
  /** Why features were not recomputed (the feature model could not be loaded), if so. */
  featuresSkipped: string | null;
}

/** What each kind of job returns when it ends: the screens read `result` without casting. */
export interface JobResults {
  import: ImportSummary;
  tag: TagSummary;
  train: TrainSummary;
  retag: { rescored: number; withoutFeatures: number };
  export: ExportSummary;
  rebuild: RebuildSummary;
}
export type JobKind = keyof JobResults;

interface JobProgressOf<K extends JobKind> {
  jobId: string;
  kind: K;
  /** The job's summary once it ended with one. */
  result?: JobResults[K];
  state: 'running' | 'succeeded' | 'failed' | 'cancelled';
  done: number;
  total: number;
  /** Items per second over the last seconds. */
  rate: number;
  /** Seconds left at the current rate; null while unknown. */
  etaSeconds: number | null;
  message: string;
}

/** A job's progress; `kind` tells which result it carries. */
export type JobProgress<K extends JobKind = JobKind> = { [P in K]: JobProgressOf<P> }[K];

export interface ExportFilter {
  genre?: string | undefined;
  decade?: number | undefined;
  status?: ReviewStatus | undefined;
  vendor?: string | undefined;
  /** Words in the title (case-insensitive). */
  search?: string | undefined;
  /** How sure the model is: low = a probability within 0.05 of its threshold, high = none within 0.2. */
  confidence?: ConfidenceBand | undefined;
  /** Only posters in a near-duplicate pair. */
  duplicates?: boolean | undefined;
}

export type ConfidenceBand = 'low' | 'medium' | 'high';
export type LibrarySort = 'imported' | 'title' | 'year' | 'uncertain';

export interface LibraryItem {
  id: number;
  title: string | null;
  year: number | null;
  vendor: string | null;
  thumbnail: string;
  reviewed: boolean;
  duplicateOf: number | null;
  /** Confirmed genres when reviewed, else suggested ones. */
  genres: string[];
}

export interface PosterDetail {
  /** The genres the poster has now (confirmed, else suggested with staff's edits). */
  current: string[];
  poster: Poster;
  labels: string[] | null;
  suggestions: { genre: string; probability: number; aboveThreshold: boolean; modelVersion: string }[];
  history: LabelChange[];
  /** Near-duplicates of this poster (either side of the pair). */
  duplicates: Poster[];
}

export interface ExportSummary {
  file: string;
  rows: number;
}

export interface CatalogueStats {
  dbPath: string;
  schemaVersion: number;
  posters: number;
  reviewed: number;
  nearDuplicates: number;
  byDecade: { decade: number | null; count: number }[];
  byVendor: { vendor: string | null; count: number }[];
  genres: number;
  importRuns: number;
}

export interface TagSummary {
  status: 'succeeded' | 'cancelled' | 'failed';
  total: number;
  tagged: number;
  /** Of the tagged, how many reused cached features (no image decoded). */
  fromCache: number;
  failed: number;
  failures: ImportFailure[];
  seconds: number;
}

export interface InferenceStatus {
  provider: string;
  fallbacks: { provider: string; reason: string }[];
  featureModel: string;
  squareStrategy: string;
  /** The feature model's precision ('int8' on CPUs with int8 dot products, else 'fp32') and why. */
  featurePrecision: string;
  precisionReason: string;
  headVersion: string;
}

/** Per-genre edits on a poster nobody has reviewed yet (the model's suggestions apply to the rest). */
export interface GenreEdits {
  add: string[];
  remove: string[];
}

export interface LabelChange {
  id: number;
  posterId: number;
  /** The confirmed set before / after; null: not reviewed before / after (then the edits say what staff changed). */
  oldGenres: string[] | null;
  newGenres: string[] | null;
  oldEdits: GenreEdits | null;
  newEdits: GenreEdits | null;
  changedAt: string;
  reviewer: string | null;
  /** The bulk action this change belongs to (undone together), or null. */
  batch: string | null;
  /** When it was undone; null while it stands. */
  undoneAt: string | null;
}

export type ReviewOrder = 'uncertain' | 'decade' | 'import';

export interface ReviewItem {
  poster: Poster;
  /** Best first. */
  suggestions: { genre: string; probability: number; aboveThreshold: boolean }[];
  /** The genres the poster has now: suggestions above threshold with staff's edits applied. */
  current: string[];
}

/** Model quality on a set of reviewed posters. */
export interface MetricsSummary {
  n: number;
  microF1: number;
  macroF1: number;
  weightedF1: number;
  top3HitRate: number;
  perGenre: { genre: string; support: number; f1: number }[];
}

export interface DecadeOutcome {
  decade: number;
  trainPosters: number;
  validationPosters: number;
  /** The reviewed posters a decade head needs before it is tried (the retraining's own parameters). */
  minTrain: number;
  minValidation: number;
  status: 'kept' | 'lost' | 'too-few';
  /** The decade head, the all-decades head it must beat, and what is active now, on the decade's validation posters. */
  candidate?: MetricsSummary;
  allDecades?: MetricsSummary;
  active?: MetricsSummary;
}

export interface GenreCount {
  genre: string;
  reviewed: number;
  pool: number;
  /** More positive examples needed before the genre is learned (0 = learned). */
  needs: number;
}

/** The outcome of one training run. */
export interface TrainSummary {
  status: 'succeeded' | 'cancelled';
  run: number;
  versions: { version: string; decade: number | null; kept: boolean }[];
  reviewed: number;
  validation: number;
  basePool: number;
  /** Reviewed posters left out: no cached features yet (tag them). */
  withoutFeatures: number;
  /** Whether the new all-decades version beats the active one on the validation posters. */
  wins: boolean;
  activated: string | null;
  candidate: MetricsSummary | null;
  active: MetricsSummary | null;
  perDecade: { decade: number | null; n: number; candidate: MetricsSummary; active: MetricsSummary }[];
  decades: DecadeOutcome[];
  genres: GenreCount[];
  seconds: number;
}

export interface ModelVersionInfo {
  version: string;
  /** null = the all-decades head. */
  decade: number | null;
  run: number;
  createdAt: string;
  active: boolean;
  /** A decade head that lost to its all-decades head is kept for the record but never used. */
  kept: boolean;
  /** On the reviewed validation posters at training time: this version and what was active then. */
  validation: { candidate: MetricsSummary; active: MetricsSummary } | null;
  activeAtTraining: string[];
  perDecade: TrainSummary['perDecade'];
  decades: DecadeOutcome[];
  /** The shipped model's figures on the research posters' validation split. */
  shipped: { microF1: number; macroF1: number; weightedF1: number; top3HitRate: number } | null;
  counts: { reviewed: number; validation: number; pool: number; perGenre: GenreCount[]; perDecade: Record<string, number> } | null;
}

export interface ModelsOverview {
  /** Newest first. */
  versions: ModelVersionInfo[];
  active: { decade: number | null; version: string }[];
  /** Newest first. */
  activations: { activatedAt: string; versions: string[]; reason: string }[];
  /** Live: positive examples per genre and how many more a genre needs before it is learned. */
  genres: GenreCount[];
  reviewed: number;
  autoActivate: boolean;
  /** What Roll back returns to (the activation beneath the one in force); null: nothing earlier in the log. */
  rollbackTo: { versions: string[]; activatedAt: string } | null;
  /** Why retraining has nothing to learn from now; null when it has. */
  nothingToTrain: string | null;
}

/** Why a backup was taken; rotation keeps pre-migration backups for a year. */
export type BackupReason = 'manual' | 'daily' | 'pre-migration' | 'after-import' | 'after-retrain' | 'pre-restore';

/** One backup of the catalogue: a folder holding the database copy, its model-version files and a manifest. */
export interface BackupInfo {
  /** The folder's name: what `restore` takes. */
  name: string;
  path: string;
  createdAt: string;
  reason: BackupReason;
  schemaVersion: number;
  posters: number;
  reviewed: number;
  labelChanges: number;
  modelVersions: number;
  /** Database copy plus model files, in bytes. */
  bytes: number;
}

/** The catalogue's state as checked at open (quick) or on demand (full), with the backup to offer when damaged. */
export interface CatalogueHealth {
  dbPath: string;
  damaged: boolean;
  check: 'quick' | 'full';
  checkedAt: string;
  /** SQLite's words for what is wrong (empty when sound). */
  problems: string[];
  /** When damaged: copies of the file as it was found, made before anything else opened it. */
  keptAside: string[];
  backupsFolder: string;
  /** When damaged: the newest backup that passes its own integrity check. */
  offer: BackupInfo | null;
  lastBackup: BackupInfo | null;
  /** The latest automatic backup's failure, if it failed. */
  lastBackupError: string | null;
}

export interface RestoreSummary {
  restored: BackupInfo;
  /** The backup of the state just replaced (so the restore can be undone), or where the damaged file was put aside. */
  previous: { backup: BackupInfo | null; keptAside: string[] };
  posters: number;
  reviewed: number;
  /** Posters whose cached features are not in the backup: recomputed by the rebuild job. */
  withoutFeatures: number;
  /** The job that makes missing thumbnails and features again from the scans. */
  rebuildJobId: string;
}

/** One row of a catalogue breakdown: how many posters, and how many of them staff reviewed. */
export interface CatalogueSlice {
  posters: number;
  reviewed: number;
}

/** The Insights screen's figures, counted from the catalogue when asked (days in the caller's time zone). */
export interface Insights {
  byDecade: (CatalogueSlice & { decade: number | null })[];
  /** Largest first. */
  byVendor: (CatalogueSlice & { vendor: string | null })[];
  /** Vocabulary order: posters whose confirmed set holds the genre, and unreviewed posters the model (with staff's edits) gives it. */
  byGenre: { genre: string; confirmed: number; suggested: number }[];
  /** Each of the last `days` days, oldest first: confirmations that stand (not undone) by reviewer, and the reviewed total at the day's end. */
  days: { day: string; confirmed: { reviewer: string | null; count: number }[]; reviewedTotal: number }[];
  posters: number;
  reviewed: number;
  /** Unreviewed posters by how far their nearest genre probability is from that genre's threshold (null: not tagged yet). */
  uncertainty: { from: number | null; to: number | null; posters: number }[];
  /** Per decade: unreviewed posters, and those within 0.05 of a threshold (the least sure). */
  unsureByDecade: { decade: number | null; unreviewed: number; unsure: number }[];
}
