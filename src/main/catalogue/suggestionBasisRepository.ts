/** What each poster's suggestions were based on (migration 009): the title and decade the head read, if any. */
import type { SuggestionBasis } from '../../shared/types';
import type { Db } from '../db/open';
import { nowIso, prepared } from '../db/statements';

export interface SuggestionBasisRow {
  modelVersion: string;
  /** The title as the head read it; null = not read (no usable title, or an image-only head). */
  title: string | null;
  /** The decade the head read; null = not read. */
  decade: number | null;
}

export function saveSuggestionBasis(db: Db, posterId: number, basis: SuggestionBasisRow): void {
  prepared(
    db,
    `INSERT INTO suggestion_basis (poster_id, model_version, title, decade, created_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (poster_id) DO UPDATE SET model_version = excluded.model_version, title = excluded.title, decade = excluded.decade, created_at = excluded.created_at`,
  ).run(posterId, basis.modelVersion, basis.title, basis.decade, nowIso());
}

/** Undefined when the poster was scored before heads read titles (by the image alone) or never scored. */
export function suggestionBasisOf(db: Db, posterId: number): SuggestionBasisRow | undefined {
  return prepared(db, 'SELECT model_version AS modelVersion, title, decade FROM suggestion_basis WHERE poster_id = ?').get(posterId) as
    SuggestionBasisRow | undefined;
}

/** For the screens: the stored basis, or "the image alone" for a poster scored before heads read titles; null when never scored. */
export function suggestionBasisFor(db: Db, posterId: number): SuggestionBasis | null {
  const stored = suggestionBasisOf(db, posterId);
  if (stored) return stored;
  const version = prepared(db, 'SELECT model_version FROM suggestions WHERE poster_id = ? LIMIT 1').pluck().get(posterId) as string | undefined;
  return version === undefined ? null : { modelVersion: version, title: null, decade: null };
}
