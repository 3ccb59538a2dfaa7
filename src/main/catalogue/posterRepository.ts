import type { CropBox, CropState, Poster, PosterCrop } from '../../shared/types';
import type { Db } from '../db/open';
import { prepared } from '../db/statements';

/** What the import writes: a poster before it has an id or a review, plus its perceptual hash and layout (phash.ts). */
export type NewPoster = Omit<Poster, 'id' | 'reviewedAt'> & { phash: string; layout?: Uint8Array | null };

interface PosterRow {
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
  imported_at: string;
  thumbnail: string;
  duplicate_of: number | null;
  reviewed_at: string | null;
  crop_state: CropState | null;
  crop_left: number | null;
  crop_top: number | null;
  crop_width: number | null;
  crop_height: number | null;
  crop_angle: number | null;
}

function cropOf(r: Pick<PosterRow, 'crop_state' | 'crop_left' | 'crop_top' | 'crop_width' | 'crop_height' | 'crop_angle'>): PosterCrop | null {
  if (r.crop_state === null) return null;
  const box =
    r.crop_left === null || r.crop_top === null || r.crop_width === null || r.crop_height === null
      ? null
      : { left: r.crop_left, top: r.crop_top, width: r.crop_width, height: r.crop_height, angle: r.crop_angle ?? 0 };
  return { state: r.crop_state, box };
}

/** The crop as named parameters for the posters table. */
function cropColumns(crop: PosterCrop | null | undefined) {
  const box = crop?.box;
  return {
    cropState: crop?.state ?? null,
    cropLeft: box?.left ?? null,
    cropTop: box?.top ?? null,
    cropWidth: box?.width ?? null,
    cropHeight: box?.height ?? null,
    cropAngle: box?.angle ?? null,
  };
}

const toPoster = (r: PosterRow): Poster => ({
  id: r.id,
  path: r.path,
  sha256: r.sha256,
  bytes: r.bytes,
  width: r.width,
  height: r.height,
  title: r.title,
  year: r.year,
  decade: r.decade,
  vendor: r.vendor,
  importedAt: r.imported_at,
  thumbnail: r.thumbnail,
  duplicateOf: r.duplicate_of,
  reviewedAt: r.reviewed_at,
  crop: cropOf(r),
});

export function findPosterIdBySha(db: Db, sha256: string): number | undefined {
  const row = prepared(db, 'SELECT id FROM posters WHERE sha256 = ?').get(sha256) as { id: number } | undefined;
  return row?.id;
}

export function findPosterIdByPath(db: Db, path: string): number | undefined {
  const row = prepared(db, 'SELECT id FROM posters WHERE path = ? ORDER BY id LIMIT 1').get(path) as { id: number } | undefined;
  return row?.id;
}

const insertParams = ({ crop, layout, ...p }: NewPoster) => ({
  ...p,
  layout: layout ? Buffer.from(layout.buffer, layout.byteOffset, layout.length) : null,
  ...cropColumns(crop),
});

export function insertPoster(db: Db, p: NewPoster): number {
  const info = prepared(
    db,
    `INSERT INTO posters (path, sha256, bytes, width, height, title, year, decade, vendor, imported_at, thumbnail, phash, layout, duplicate_of,
       crop_state, crop_left, crop_top, crop_width, crop_height, crop_angle)
     VALUES (@path, @sha256, @bytes, @width, @height, @title, @year, @decade, @vendor, @importedAt, @thumbnail, @phash, @layout, @duplicateOf,
       @cropState, @cropLeft, @cropTop, @cropWidth, @cropHeight, @cropAngle)`,
  ).run(insertParams(p));
  return Number(info.lastInsertRowid);
}

/** Inserts unless a poster with the same sha256 exists (another process may have committed it first). */
export function insertPosterUnlessPresent(db: Db, p: NewPoster): { id: number; inserted: boolean } {
  const info = prepared(
    db,
    `INSERT INTO posters (path, sha256, bytes, width, height, title, year, decade, vendor, imported_at, thumbnail, phash, layout, duplicate_of,
       crop_state, crop_left, crop_top, crop_width, crop_height, crop_angle)
     VALUES (@path, @sha256, @bytes, @width, @height, @title, @year, @decade, @vendor, @importedAt, @thumbnail, @phash, @layout, @duplicateOf,
       @cropState, @cropLeft, @cropTop, @cropWidth, @cropHeight, @cropAngle)
     ON CONFLICT(sha256) DO NOTHING`,
  ).run(insertParams(p));
  if (info.changes === 1) return { id: Number(info.lastInsertRowid), inserted: true };
  return { id: findPosterIdBySha(db, p.sha256) as number, inserted: false };
}

/** Every poster's hash and layout (null for posters imported before layouts were kept), in id order. */
export function* iteratePhashes(db: Db): Generator<{ id: number; phash: string; layout: Uint8Array | null }> {
  yield* prepared(db, 'SELECT id, phash, layout FROM posters ORDER BY id').iterate() as Iterable<{ id: number; phash: string; layout: Uint8Array | null }>;
}

export function allThumbnails(db: Db): Set<string> {
  return new Set(prepared(db, 'SELECT thumbnail FROM posters').pluck().all() as string[]);
}

export function countPosters(db: Db): number {
  return prepared(db, 'SELECT count(*) FROM posters').pluck().get() as number;
}

export function listPosters(db: Db, offset: number, limit: number): Poster[] {
  const rows = prepared(db, 'SELECT * FROM posters ORDER BY id LIMIT ? OFFSET ?').all(limit, offset) as PosterRow[];
  return rows.map(toPoster);
}

export function getPoster(db: Db, id: number): Poster | undefined {
  const row = prepared(db, 'SELECT * FROM posters WHERE id = ?').get(id) as PosterRow | undefined;
  return row && toPoster(row);
}

/** Posters whose suggestions follow the active model: those nobody has reviewed. */
export function unreviewedPosterIds(db: Db): number[] {
  return prepared(db, 'SELECT id FROM posters WHERE reviewed_at IS NULL ORDER BY id').pluck().all() as number[];
}

export function posterDecade(db: Db, posterId: number): number | null {
  return (prepared(db, 'SELECT decade FROM posters WHERE id = ?').pluck().get(posterId) as number | null | undefined) ?? null;
}

/**
 * Reviewed posters, oldest id first, with their feature vector for `featureKey` (null when not
 * cached): the training data. A poster set aside as the copy not kept of a near-duplicate pair is
 * left out: the same artwork twice would count double, and could sit on both sides of the split.
 */
export function reviewedPostersWithFeatures(
  db: Db,
  featureKey: string,
): { id: number; title: string | null; year: number | null; reviewedAt: string; vector: Buffer | null }[] {
  return prepared(
    db,
    `SELECT p.id, p.title, p.year, p.reviewed_at AS reviewedAt, f.vector FROM posters p
     LEFT JOIN features f ON f.poster_id = p.id AND f.feature_model = ?
     WHERE p.reviewed_at IS NOT NULL AND p.set_aside_at IS NULL ORDER BY p.id`,
  ).all(featureKey) as { id: number; title: string | null; year: number | null; reviewedAt: string; vector: Buffer | null }[];
}

export function countReviewed(db: Db): number {
  return prepared(db, 'SELECT count(*) FROM posters WHERE reviewed_at IS NOT NULL AND set_aside_at IS NULL').pluck().get() as number;
}

/** The box a poster's images are made from now ('detected' or 'manual'); null: the whole scan. */
export function appliedCrop(crop: PosterCrop | null | undefined): CropBox | null {
  return crop && (crop.state === 'detected' || crop.state === 'manual') ? crop.box : null;
}

export function posterCrop(db: Db, posterId: number): PosterCrop | null {
  const row = prepared(db, 'SELECT crop_state, crop_left, crop_top, crop_width, crop_height, crop_angle FROM posters WHERE id = ?').get(posterId) as
    Pick<PosterRow, 'crop_state' | 'crop_left' | 'crop_top' | 'crop_width' | 'crop_height' | 'crop_angle'> | undefined;
  return row ? cropOf(row) : null;
}

/**
 * A poster cropped anew: its crop, perceptual hash, layout and thumbnail change together, and its
 * cached features (made from the old crop) are dropped. Its near-duplicate links are the caller's
 * (recrop.ts sets them in the same transaction; not as edits, which are staff's own decisions).
 */
export function recropPoster(db: Db, id: number, change: { crop: PosterCrop; phash: string; layout: Uint8Array; thumbnail: string }): void {
  db.transaction(() => {
    prepared(
      db,
      `UPDATE posters SET crop_state = @cropState, crop_left = @cropLeft, crop_top = @cropTop, crop_width = @cropWidth,
         crop_height = @cropHeight, crop_angle = @cropAngle, phash = @phash, layout = @layout, thumbnail = @thumbnail WHERE id = @id`,
    ).run({
      id,
      phash: change.phash,
      layout: Buffer.from(change.layout.buffer, change.layout.byteOffset, change.layout.length),
      thumbnail: change.thumbnail,
      ...cropColumns(change.crop),
    });
    prepared(db, 'DELETE FROM features WHERE poster_id = ?').run(id);
  })();
}
