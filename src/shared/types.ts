/** Domain types shared by main, preload and renderer. Pure data: no Node, DOM or Electron. */
import type { Throughput } from './throughput';

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
  /** Where the poster is in its scan; absent or null for posters imported before crops were kept. */
  crop?: PosterCrop | null;
}

/** A poster as a save of its title, year or vendor left it, with the ids of the edits that save recorded (none where nothing changed). */
export interface PosterUpdated extends Poster {
  editIds: number[];
}

/**
 * A poster's place in its scan: `angle` (degrees, clockwise) straightens the scan about its centre;
 * the box is then axis-aligned, in fractions of the scan's width and height (0, 0, 1, 1: the whole
 * unturned scan).
 */
export interface CropBox {
  left: number;
  top: number;
  width: number;
  height: number;
  angle: number;
}

/** none: no margin found; detected: found at import; manual: drawn by staff; off: staff use the whole scan. */
export type CropState = 'none' | 'detected' | 'manual' | 'off';

export interface PosterCrop {
  state: CropState;
  /** The box found or drawn (kept when turned off, so it can be turned on again); null for 'none'. */
  box: CropBox | null;
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
  /** Of those already present: files identical to another file of this same import (skipped; that file was catalogued). */
  sameAsInRun?: { file: string; sameAs: string }[];
  nearDuplicates: number;
  failed: number;
  failures: ImportFailure[];
  /** Problems with sidecar CSVs: they never stop the import. */
  sidecarWarnings: string[];
  /** Posters given genre suggestions right after import (0 when tagging was switched off). */
  tagged: number;
  /** Imported posters whose suggestions failed (the poster is catalogued; `tag` retries), with the reason. */
  tagFailures: ImportFailure[];
  /**
   * Posters catalogued before this run but left without suggestions (a run stopped by a crash, or
   * closed while its suggestions were still being made): given theirs at the end of this import.
   */
  earlier: { tagged: number; failures: ImportFailure[] };
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

/**
 * What a job's numbers count, named by the job where it counts ("120 of 900 posters"): a noun
 * whose plural adds an s. An import counts files, then posters while their suggestions are made; a
 * retraining counts one getting-ready step, then training rounds; a rebuild counts posters given
 * their thumbnails again, then posters given their image features.
 */
export type ProgressUnit = 'file' | 'poster' | 'step' | 'round';

interface JobProgressOf<K extends JobKind> {
  jobId: string;
  kind: K;
  /** The job's summary once it ended with one. */
  result?: JobResults[K];
  state: 'running' | 'succeeded' | 'failed' | 'cancelled';
  done: number;
  total: number;
  /** What `done` and `total` count; null while nothing is counted yet (waiting its turn, scanning a folder). */
  unit: ProgressUnit | null;
  /** Units per second over the last seconds. */
  rate: number;
  /** Seconds left at the current rate; null while unknown (never below 1 while work remains). */
  etaSeconds: number | null;
  /** Where the ETA comes from: this run's measured rate, or an earlier run's measured duration; null while unknown. */
  etaSource?: 'measured' | 'previous-run' | null;
  /** Wall time since the job started (until it ended), measured. */
  seconds?: number;
  message: string;
}

/** A job's progress; `kind` tells which result it carries. */
export type JobProgress<K extends JobKind = JobKind> = { [P in K]: JobProgressOf<P> }[K];

export interface ExportFilter {
  genre?: string | undefined;
  /** Several genres at once: posters with any of them (the default) or with all of them (`genreMode: 'all'`). */
  genres?: string[] | undefined;
  genreMode?: 'any' | 'all' | undefined;
  decade?: number | undefined;
  status?: ReviewStatus | undefined;
  /** Part of the vendor's name; case and accents ignored. */
  vendor?: string | undefined;
  /** Words in the title (case and accents ignored; each word may be part of a word). */
  search?: string | undefined;
  /**
   * How sure the model is, from each genre's distance to its own threshold in odds (CONFIDENCE_BANDS):
   * low = some genre's odds within 1.1× of its threshold's, high = every genre's at least 1.5× away.
   */
  confidence?: ConfidenceBand | undefined;
  /** Only posters in a near-duplicate pair. */
  duplicates?: boolean | undefined;
  /** Posters set aside as the copy not kept of a near-duplicate pair: hidden unless true (then only those). */
  setAside?: boolean | undefined;
}

export type ConfidenceBand = 'low' | 'medium' | 'high';

/** What a bulk action did; "mark reviewed" says how many posters it left alone, and why. */
export interface BulkResult {
  changed: number;
  /** Undoes the whole action (`labels:undoBulk`). */
  batch: string;
  /** Flagged "unsure" by a reviewer: kept for a closer look, not confirmed in bulk. */
  leftUnsure: number;
  /** Never tagged by the model: there is nothing to confirm. */
  leftUntagged: number;
}

/**
 * The confidence bands' limits on a poster's margin: the smallest |ln(odds(p) / odds(threshold))|
 * over the genres its model has thresholds for. Odds ratios follow each genre's own threshold, so a
 * retrained model with other thresholds is measured the same way.
 */
export const CONFIDENCE_BANDS = { lowBelow: Math.log(1.1), highFrom: Math.log(1.5) } as const;
export type LibrarySort = 'imported' | 'title' | 'year' | 'uncertain' | 'vendor' | 'reviewed';

export interface LibraryItem {
  id: number;
  title: string | null;
  /** The scan's path: a poster with no title is known to staff by its file name. */
  path: string;
  year: number | null;
  vendor: string | null;
  thumbnail: string;
  reviewed: boolean;
  duplicateOf: number | null;
  /** Confirmed genres when reviewed, else suggested ones. */
  genres: string[];
  reviewedAt: string | null;
  /** The model's confidence band (null: no suggestions with thresholds yet). */
  confidence: ConfidenceBand | null;
  /** The suggestion nearest its threshold: what the model is least sure of for this poster. */
  nearest: { genre: string; probability: number; threshold: number } | null;
  /** Set aside as the copy not kept of a near-duplicate pair. */
  setAside: boolean;
  /** In a near-duplicate pair still to be resolved (either side; the other poster not set aside). */
  nearDuplicate: boolean;
}

/** A change of a poster's title, year, vendor, near-duplicate pairing or set-aside state, undoable. */
export interface PosterEdit {
  id: number;
  posterId: number;
  field: 'title' | 'year' | 'vendor' | 'duplicate_of' | 'set_aside_at';
  before: string | number | null;
  after: string | number | null;
  changedAt: string;
  reviewer: string | null;
  undoneAt: string | null;
}

export interface PosterDetail {
  /** The genres the poster has now (confirmed, else suggested with staff's edits). */
  current: string[];
  poster: Poster;
  labels: string[] | null;
  suggestions: { genre: string; probability: number; aboveThreshold: boolean; modelVersion: string }[];
  history: LabelChange[];
  /** The latest of those not undone (null: none), as a review queue item's `labelChange`. */
  labelChange: number | null;
  /** Near-duplicates of this poster (either side of the pair). */
  duplicates: Poster[];
  /** Of those, the ones set aside (the copy not kept of a resolved pair). */
  duplicatesSetAside?: number[];
  /** What the suggestions were based on; null = not scored yet. */
  basis?: SuggestionBasis | null;
  /** Title, year, vendor and near-duplicate changes, oldest first. */
  edits: PosterEdit[];
  /**
   * The set-aside changes of the posters it is or was paired with as a near-duplicate (their own
   * edits, oldest first): "kept over Vertigo, which was set aside", and Vertigo restored.
   */
  pairSetAside?: PosterEdit[];
  /** The posters those near-duplicate changes name, as they are now (paired or not): the history names them as staff know them. */
  namedInEdits?: Poster[];
  /** When it was set aside as the copy not kept of a near-duplicate pair (null: in the catalogue). */
  setAsideAt: string | null;
}

/** What a poster's suggestions were based on: the image always, the title and decade when the head read them. */
export interface SuggestionBasis {
  modelVersion: string;
  /** The title as the head read it; null = not read (no usable title, or a head that reads only the image). */
  title: string | null;
  /** The decade the head read; null = not read. */
  decade: number | null;
}

/** The inputs a genre head reads. */
export type HeadInput = 'image' | 'title' | 'decade';

/** What an export with a filter would write, and what in it the shop may not expect. */
export interface ExportPreview {
  rows: number;
  /** Not reviewed: their genres are the model's suggestions. */
  unreviewed: number;
  /** Without a title (a camera's or a catalogue number's file name). */
  untitled: number;
  /** Whose genres column will be empty: confirmed with no genre, or no suggestion over its threshold. */
  noGenres: number;
  /** In a near-duplicate pair nobody has resolved: both copies are written. */
  pairedCopies: number;
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
  /** Posters with no genre suggestions at all (an import cut short by a crash): `tag` gives them theirs. */
  withoutSuggestions: number;
  /**
   * An import is running on this catalogue, in this process or another (the command line, a second
   * window): its new posters are without suggestions only until it reaches them.
   */
  importRunning: boolean;
  /** The last import or tag run that worked on any poster, kept in the catalogue (this window's, or the command line's). */
  throughput: Throughput | null;
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
  /** What the active all-decades head reads. */
  headInputs?: HeadInput[];
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

/** 'unsure': only the posters flagged unsure, kept for later. */
export type ReviewOrder = 'uncertain' | 'decade' | 'import' | 'unsure';

export interface ReviewItem {
  poster: Poster;
  /** Best first. */
  suggestions: { genre: string; probability: number; aboveThreshold: boolean }[];
  /** The genres the poster has now: suggestions above threshold with staff's edits applied. */
  current: string[];
  /** What the suggestions were based on; null = not scored yet. */
  basis?: SuggestionBasis | null;
  /** Flagged "unsure" by a reviewer: kept for later, in the Unsure queue. */
  unsure: boolean;
  /**
   * The poster's latest label change (not undone) when this was read, null when none: a confirmation
   * sends it back, so one made after someone changed the poster's genres meanwhile is refused.
   */
  labelChange: number | null;
  /** Another Review window holds it too: handed out only when nothing else is left (see `review:queue`). */
  heldElsewhere?: boolean;
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
  /** What this head reads (image; title and decade for heads that read them). */
  inputs?: HeadInput[];
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

/** What a path picker looks for: vendor folders of JPEG scans, or where a CSV goes. */
export type BrowsePurpose = 'import' | 'export';

/** One folder of the host, as the path pickers show it: subfolders and relevant files, never contents. */
export interface BrowseResult {
  /** Absolute, with `~` expanded. */
  path: string;
  /** null at the top of the file system. */
  parent: string | null;
  home: string;
  folders: string[];
  /** Files that matter for the purpose (.jpg/.jpeg to import, .csv to export). */
  files: string[];
  /** How many relevant files the folder holds (the lists stop at 2,000 entries). */
  fileCount: number;
  /** Entries not listed because the folder holds more than 2,000. */
  leftOut: number;
  /** Folders recently used for this purpose in this catalogue, newest first. */
  recent: string[];
}

/** Review counts, all from the catalogue at one moment: the header and the review screen show the same figures. */
export interface ReviewCounts {
  /** Every reviewed poster. */
  reviewed: number;
  reviewedToday: number;
  remaining: number;
  /** Of the remaining, those flagged "unsure" (kept for later). */
  unsure: number;
  /** Of the remaining, those another Review window holds (asked for by one window only: `review:counts` with its session). */
  heldElsewhere?: number;
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
