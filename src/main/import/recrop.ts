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
import { notDuplicatesOf } from '../catalogue/posterEditRepository';
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
  // Staff said these are not its near-duplicates: a re-crop does not pair them again.
  const dismissed = notDuplicatesOf(db, id);
  let best: { id: number; distance: number } | null = null;
  for (const p of iteratePhashes(db)) {
    if (p.id === id || copiesOfThis.has(p.id) || dismissed.has(p.id)) continue;
    const distance = hammingDistance(phash, p.phash);
    if (distance <= NEAR_DUPLICATE_BITS && (!best || distance < best.distance) && sameLayout(layout, p.layout)) best = { id: p.id, distance };
  }
  if (!best) return null;
  const original = prepared(db, 'SELECT duplicate_of FROM posters WHERE id = ?').pluck().get(best.id) as number | null;
  if (original === null || original === id) return best.id;
  return dismissed.has(original) ? null : original;
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
  db.transaction(() => {
    recropPoster(db, id, { crop, phash: image.phash, layout: image.layout, thumbnail });
    // The links follow the new crop as the import would have made them: paired with its nearest
    // lookalike (never one staff said is not a duplicate), and copies that no longer look like it
    // unlinked (a link hides a poster from staff). Not recorded as edits: the poster edits' "not a
    // duplicate" rows are staff's own decisions, which the next re-crop must keep to.
    // A link with a set-aside poster at either end stays: "keep this one, set that aside" is staff's
    // decision too (whichever of the two they kept), and a set-aside poster without its pair could
    // not be found from it again.
    const link = prepared(db, 'UPDATE posters SET duplicate_of = ? WHERE id = ?');
    const setAside = (poster: number | null) => poster !== null && prepared(db, 'SELECT set_aside_at FROM posters WHERE id = ?').pluck().get(poster) != null;
    const thisSetAside = setAside(id);
    const copies = prepared(db, 'SELECT id, phash, layout, set_aside_at FROM posters WHERE duplicate_of = ?').all(id) as {
      id: number;
      phash: string;
      layout: Uint8Array | null;
      set_aside_at: string | null;
    }[];
    let kept = 0;
    for (const c of copies) {
      const resolved = thisSetAside || c.set_aside_at !== null;
      if (!resolved && (hammingDistance(c.phash, image.phash) > NEAR_DUPLICATE_BITS || !sameLayout(c.layout, image.layout))) link.run(null, c.id);
      else kept++;
    }
    // A poster that still has copies stays their original: linked itself, it would make a copy of a copy.
    const original = prepared(db, 'SELECT duplicate_of FROM posters WHERE id = ?').pluck().get(id) as number | null;
    if (!thisSetAside && !setAside(original)) link.run(kept ? null : nearestOther(db, id, image.phash, image.layout), id);
  })();
  return crop;
}
