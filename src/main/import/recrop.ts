/**
 * A poster cropped anew by staff: a box they drew, the crop turned off (the whole scan), or found
 * again. The scan is read and decoded once; the perceptual hash, thumbnail and near-duplicate link
 * follow the new crop, and the cached features (made from the old one) are dropped in the same
 * transaction, so the caller's re-featurising cannot be skipped by a stale cache. The scan itself
 * is never written.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { CropBox, PosterCrop } from '../../shared/types';
import { appliedCrop, getPoster, iteratePhashes, recropPoster } from '../catalogue/posterRepository';
import type { Db } from '../db/open';
import { prepared } from '../db/statements';
import { AppError, messageOf } from '../errors';
import { clampBox } from '../media/findPoster';
import { analyseJpeg, MediaError } from '../media/media';
import { hammingDistance, sameLayout } from '../media/phash';
import { NEAR_DUPLICATE_BITS } from './importFolder';
import { openablePath } from './rawNames';
import { ThumbnailStore } from './thumbnails';

export type CropRequest = 'detect' | 'off' | CropBox;

/** A drawn box the scan can give: refused with the reason rather than quietly changed. */
function checkBox(box: CropBox): CropBox {
  const values = [box.left, box.top, box.width, box.height, box.angle];
  if (!values.every(Number.isFinite)) throw new AppError('bad-crop', 'The crop box has a value that is not a number.');
  if (box.width < 0.05 || box.height < 0.05) throw new AppError('bad-crop', 'The crop box is too small: at least 5% of the scan each way.');
  if (Math.abs(box.angle) > 45) throw new AppError('bad-crop', `The crop angle ${box.angle}° is more than 45° either way.`);
  if (box.left + box.width <= 0 || box.top + box.height <= 0 || box.left >= 1 || box.top >= 1) {
    throw new AppError('bad-crop', 'The crop box lies outside the scan.');
  }
  return clampBox(box);
}

/** The earliest other poster within near-duplicate distance (its original, if it is itself a copy), as the import links them. */
function nearestOther(db: Db, id: number, phash: string, layout: Uint8Array): number | null {
  // Copies of this poster stay its copies (or are unlinked); linking it to one of them would make a loop.
  const copiesOfThis = new Set(prepared(db, 'SELECT id FROM posters WHERE duplicate_of = ?').pluck().all(id) as number[]);
  let best: { id: number; distance: number } | null = null;
  for (const p of iteratePhashes(db)) {
    if (p.id === id || copiesOfThis.has(p.id)) continue;
    const distance = hammingDistance(phash, p.phash);
    if (distance <= NEAR_DUPLICATE_BITS && (!best || distance < best.distance) && sameLayout(layout, p.layout)) best = { id: p.id, distance };
  }
  if (!best) return null;
  const original = prepared(db, 'SELECT duplicate_of FROM posters WHERE id = ?').pluck().get(best.id) as number | null;
  return original !== null && original !== id ? original : best.id;
}

export async function recrop(db: Db, thumbnailsRoot: string, id: number, request: CropRequest): Promise<PosterCrop> {
  const poster = getPoster(db, id);
  if (!poster) throw new AppError('poster-not-found', `There is no poster with id ${id}.`);
  let data: Buffer;
  try {
    data = await readFile(await openablePath(poster.path));
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new AppError(
      'scan-unreadable',
      `The scan ${poster.path} ${missing ? 'is gone (moved or deleted since import)' : `cannot be read: ${messageOf(error)}`}.`,
    );
  }
  const given = request === 'detect' ? 'detect' : request === 'off' ? null : checkBox(request);
  let image;
  try {
    image = await analyseJpeg(data, given);
  } catch (error) {
    throw new AppError('scan-unreadable', `The scan ${poster.path} cannot be decoded: ${error instanceof MediaError ? error.reason : messageOf(error)}.`);
  }
  const crop: PosterCrop =
    request === 'off'
      ? // The box is kept, so turning the crop on again needs no drawing.
        { state: 'off', box: appliedCrop(poster.crop) ?? poster.crop?.box ?? null }
      : request === 'detect'
        ? image.crop
          ? { state: 'detected', box: image.crop }
          : { state: 'none', box: null }
        : { state: 'manual', box: image.crop };
  const key = createHash('sha256').update(JSON.stringify(crop)).digest('hex').slice(0, 8);
  const thumbnail = await new ThumbnailStore(thumbnailsRoot).write(poster.sha256, image.thumbnail, key);
  // Copies linked to this poster that no longer hash near it are unlinked (the link hides them from staff).
  const unlinkCopies = (
    prepared(db, 'SELECT id, phash, layout FROM posters WHERE duplicate_of = ?').all(id) as { id: number; phash: string; layout: Uint8Array | null }[]
  )
    .filter((c) => hammingDistance(c.phash, image.phash) > NEAR_DUPLICATE_BITS || !sameLayout(c.layout, image.layout))
    .map((c) => c.id);
  recropPoster(db, id, {
    crop,
    phash: image.phash,
    layout: image.layout,
    thumbnail,
    duplicateOf: nearestOther(db, id, image.phash, image.layout),
    unlinkCopies,
  });
  return crop;
}
