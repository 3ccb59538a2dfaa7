import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir, testPoster } from '../../../tests/helpers';
import { insertPoster } from '../catalogue/posterRepository';
import { CatalogueService } from '../service';
import { REVIEW_LEASE_IDLE_MS } from './reviewLeases';
import { ReviewService } from './reviewService';

let service: CatalogueService;
afterEach(async () => service?.close());

/** A catalogue of `posters` unreviewed posters, and a review service over it whose clock the test moves (`later`). */
function catalogue(posters: number) {
  service = CatalogueService.open(join(tempDir(), 'c.sqlite'));
  for (let i = 0; i < posters; i++) insertPoster(service.db, testPoster(i));
  let now = 1_000_000;
  const review = new ReviewService(service.db, () => now);
  /** The posters `session` is handed that no other window holds. */
  const ids = (session: string | undefined, limit: number, exclude: number[] = []) =>
    review
      .queue('import', limit, exclude, session)
      .filter((q) => !q.heldElsewhere)
      .map((q) => q.poster.id);
  return { review, ids, later: (ms: number) => (now += ms) };
}
const since = new Date(0).toISOString();
const ANN = 'window-ann';
const BOB = 'window-bob';

describe('review leases: two windows on one queue', () => {
  it('hands two windows different posters, batch after batch, and says how many the other holds', () => {
    const { review, ids } = catalogue(10);
    const ann = ids(ANN, 3);
    const bob = ids(BOB, 3);
    expect(bob.filter((id) => ann.includes(id))).toEqual([]);
    // Ann's next batch goes on after hers and leaves Bob's alone; her first batch is still hers.
    const annMore = ids(ANN, 3, ann);
    expect(annMore.filter((id) => [...ann, ...bob].includes(id))).toEqual([]);
    expect(ids(BOB, 10, bob).filter((id) => [...ann, ...annMore].includes(id))).toEqual([]);
    expect(review.counts(since, BOB).heldElsewhere).toBe(6);
    // Without a window (the CLI, a script): the queue as the catalogue has it.
    expect(ids(undefined, 10)).toHaveLength(10);
    expect(review.counts(since).heldElsewhere).toBeUndefined();
  });

  it('when everything left is held by another window, hands it after the rest, marked, and counts it as held elsewhere', () => {
    const { review, ids } = catalogue(4);
    const ann = ids(ANN, 3);
    const bob = review.queue('import', 10, [], BOB);
    expect(bob.map((q) => [q.poster.id, q.heldElsewhere ?? false])).toEqual([
      ...ids(undefined, 10)
        .filter((id) => !ann.includes(id))
        .map((id) => [id, false]),
      ...[...ann].reverse().map((id) => [id, true]), // from the far end: the two windows meet in the middle
    ]);
    expect(review.counts(since, BOB)).toMatchObject({ remaining: 4, heldElsewhere: 3 });
    expect(review.counts(since, ANN).heldElsewhere).toBe(4); // Bob holds Ann's too now, and the one left
  });

  it('lets go of a poster the window is done with (confirmed, skipped, kept for later)', () => {
    const { review, ids } = catalogue(3);
    const [first, ...rest] = ids(ANN, 10) as [number, ...number[]];
    review.release(ANN, first);
    expect(ids(BOB, 10)).toEqual([first]);
    expect(review.counts(since, BOB).heldElsewhere).toBe(rest.length);
  });

  it('lets go of the last queue when the window loads a fresh one', () => {
    const { ids } = catalogue(6);
    const ann = ids(ANN, 3);
    ids(ANN, 2, []); // a fresh queue: the first two again, the third let go
    expect(ids(BOB, 10)).toEqual(ids(undefined, 10).filter((id) => !ann.slice(0, 2).includes(id)));
  });

  it('lets go of what an idle window holds once it has been idle for the lease time, and not before', () => {
    const { review, ids, later } = catalogue(4);
    const ann = ids(ANN, 2);
    later(REVIEW_LEASE_IDLE_MS - 1);
    // A poster finished keeps the rest of the lease alive: it counts from now.
    review.release(ANN, ann[0] as number);
    later(REVIEW_LEASE_IDLE_MS - 1);
    expect(ids(BOB, 3)).not.toContain(ann[1]); // the three others, and none of Ann's in the bargain
    later(1);
    expect(ids('window-cy', 10)).toEqual([ann[1]]); // the rest are Bob's, who asked a moment ago
    expect(review.counts(since, 'window-cy').heldElsewhere).toBe(3);
  });

  it('lets go of what every window holds at once (after a restore)', () => {
    const { review, ids } = catalogue(4);
    ids(ANN, 2);
    ids(BOB, 2);
    review.releaseAll();
    expect(review.counts(since, 'window-cy').heldElsewhere).toBe(0);
  });

  it('lets go of everything a window holds when it closes', () => {
    const { review, ids } = catalogue(4);
    const ann = ids(ANN, 3);
    expect(review.counts(since, BOB).heldElsewhere).toBe(3);
    review.release(ANN);
    expect(review.counts(since, BOB).heldElsewhere).toBe(0);
    expect(ids(BOB, 10).slice(0, 3)).toEqual(ann);
  });
});
