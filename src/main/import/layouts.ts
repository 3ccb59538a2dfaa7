/**
 * Posters imported before the near-duplicate check kept a layout (phash.ts `layoutFromGrey`, migration
 * 010) get theirs from their thumbnail — made from the same cropped poster pixels as the hash — once,
 * at the next import, so new scans are checked against them with both cues, not the hash alone.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { withBusyRetry } from '../db/busy';
import type { Db } from '../db/open';
import { prepared } from '../db/statements';
import type { JobContext } from '../jobs/jobManager';
import { layoutOfThumbnail } from '../media/media';

const BATCH = 200;
/** Thumbnails read at once: each is one small decode on libvips' threads (sharp.concurrency(1)). */
const IN_FLIGHT = Math.max(2, availableParallelism());

/** Fills the layouts that are missing; returns how many were filled. A thumbnail that cannot be read leaves its poster to the hash alone. */
export async function fillMissingLayouts(db: Db, thumbnailsRoot: string, job: Pick<JobContext, 'signal' | 'onProgress'>): Promise<number> {
  const missing = prepared(db, 'SELECT id, thumbnail FROM posters WHERE layout IS NULL ORDER BY id').all() as { id: number; thumbnail: string }[];
  let filled = 0;
  for (let start = 0; start < missing.length && !job.signal.aborted; start += BATCH) {
    const of = missing.length === 1 ? 'the 1 earlier poster' : `${start === 0 ? '' : `${start} of `}${missing.length} earlier posters`;
    job.onProgress(0, 0, null, `Reading ${of} for the near-duplicate check`);
    const batch = missing.slice(start, start + BATCH);
    const found: { id: number; layout: Buffer }[] = [];
    let next = 0;
    const reader = async () => {
      for (let i = next++; i < batch.length; i = next++) {
        const { id, thumbnail } = batch[i] as { id: number; thumbnail: string };
        try {
          found.push({ id, layout: await layoutOfThumbnail(join(thumbnailsRoot, thumbnail)) });
        } catch {
          // Missing or unreadable (rebuild makes it again): this poster is compared by its hash alone.
        }
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, reader));
    await withBusyRetry(() =>
      db.transaction(() => {
        for (const f of found) prepared(db, 'UPDATE posters SET layout = ? WHERE id = ? AND layout IS NULL').run(f.layout, f.id);
      })(),
    );
    filled += found.length;
  }
  return filled;
}
