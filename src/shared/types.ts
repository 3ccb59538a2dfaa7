/** Domain types shared by main, preload and renderer. Pure data: no Node, DOM or Electron. */

export type ReviewStatus = 'reviewed' | 'unreviewed';
export type GenreSource = 'reviewed' | 'suggested' | 'none';

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
  seconds: number;
}

export interface JobProgress {
  jobId: string;
  kind: string;
  state: 'running' | 'succeeded' | 'failed' | 'cancelled';
  done: number;
  total: number;
  /** Items per second over the last seconds. */
  rate: number;
  /** Seconds left at the current rate; null while unknown. */
  etaSeconds: number | null;
  message: string;
}

export interface ExportFilter {
  genre?: string | undefined;
  decade?: number | undefined;
  status?: ReviewStatus | undefined;
  vendor?: string | undefined;
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
  headVersion: string;
}

export interface LabelChange {
  id: number;
  posterId: number;
  /** null: not reviewed before / not reviewed after. */
  oldGenres: string[] | null;
  newGenres: string[] | null;
  changedAt: string;
  reviewer: string | null;
}

export type ReviewOrder = 'uncertain' | 'decade' | 'import';

export interface ReviewItem {
  poster: Poster;
  /** Best first. */
  suggestions: { genre: string; probability: number; aboveThreshold: boolean }[];
}
