/**
 * After a restore: what backups leave out is made again from the scans. Thumbnails missing from
 * `<catalogue>.thumbnails/` (a catalogue restored onto a new disk) are decoded anew, and the cached
 * image features, stripped from every backup, are recomputed (with fresh suggestions from the
 * active model). Idempotent and resumable: it only ever looks for what is missing.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RebuildSummary, TagSummary } from '../../shared/types';
import type { Db } from '../db/open';
import { prepared } from '../db/statements';
import { messageOf } from '../errors';
import { appliedCrop, posterCrop } from '../catalogue/posterRepository';
import { ThumbnailStore } from '../import/thumbnails';
import type { JobContext } from '../jobs/jobManager';
import { thumbnailOf } from '../media/media';

export function postersWithoutFeatures(db: Db): { id: number; path: string }[] {
  return prepared(db, 'SELECT id, path FROM posters p WHERE NOT EXISTS (SELECT 1 FROM features f WHERE f.poster_id = p.id) ORDER BY id').all() as {
    id: number;
    path: string;
  }[];
}

function postersWithoutThumbnail(db: Db, root: string): { id: number; path: string; sha256: string; thumbnail: string }[] {
  const all = prepared(db, 'SELECT id, path, sha256, thumbnail FROM posters ORDER BY id').all() as {
    id: number;
    path: string;
    sha256: string;
    thumbnail: string;
  }[];
  return all.filter((p) => !existsSync(join(root, p.thumbnail)));
}

export async function rebuildMissing(
  db: Db,
  thumbnailsRoot: string,
  featurize: (posters: { id: number; path: string }[], job: JobContext) => Promise<TagSummary>,
  job: JobContext,
): Promise<RebuildSummary> {
  const summary: RebuildSummary = { status: 'succeeded', thumbnails: 0, features: 0, failures: [], featuresSkipped: null };
  const thumbs = postersWithoutThumbnail(db, thumbnailsRoot);
  const features = postersWithoutFeatures(db);
  // Each phase counts posters ("3 of 12 posters"), from nought: one count over thumbnails and
  // features together would count most posters twice, in a unit no one works in.
  if (thumbs.length > 0) job.onProgress(0, thumbs.length, 'poster', 'Thumbnails');
  const store = new ThumbnailStore(thumbnailsRoot);
  for (const [i, p] of thumbs.entries()) {
    if (job.signal.aborted) break;
    try {
      // Under the name the poster's row holds, from the poster as it is cropped.
      await store.writeAs(p.thumbnail, await thumbnailOf(await readFile(p.path), appliedCrop(posterCrop(db, p.id))));
      summary.thumbnails++;
    } catch (error) {
      summary.failures.push({ file: p.path, reason: `thumbnail not made again: ${messageOf(error)}` });
    }
    job.onProgress(i + 1, thumbs.length, 'poster', 'Thumbnails');
  }
  if (features.length > 0 && !job.signal.aborted) {
    // Nothing counted while the feature model loads: the features' count then starts afresh.
    job.onProgress(0, 0, null, 'Image features');
    try {
      const tagged = await featurize(features, {
        signal: job.signal,
        onProgress: (done: number, total: number) => job.onProgress(done, total, 'poster', 'Image features'),
      });
      summary.features = tagged.tagged;
      summary.failures.push(...tagged.failures);
    } catch (error) {
      summary.featuresSkipped = messageOf(error);
    }
  }
  if (job.signal.aborted) summary.status = 'cancelled';
  return summary;
}
