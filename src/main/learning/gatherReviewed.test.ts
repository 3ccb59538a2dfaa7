import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../tests/helpers';
import { listGenres } from '../catalogue/genreRepository';
import { FEATURE_DIM } from '../inference/modelFiles';
import { CatalogueService } from '../service';
import { gatherReviewed } from './learning';

const KEY = 'test-features';
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('what training takes from reviews', () => {
  let service: CatalogueService;
  const poster = (title: string, duplicateOf: number | null = null): number => {
    const id = Number(
      service.db
        .prepare(
          `INSERT INTO posters (path, sha256, bytes, width, height, title, year, decade, imported_at, thumbnail, phash, duplicate_of)
           VALUES (?, ?, 10, 100, 150, ?, 1958, 1950, '2026-01-01T00:00:00Z', 't.jpg', '0123456789abcdef', ?)`,
        )
        .run(`/scans/${title}.jpg`, title, title, duplicateOf).lastInsertRowid,
    );
    service.db.prepare('INSERT INTO features (poster_id, feature_model, vector) VALUES (?, ?, ?)').run(id, KEY, Buffer.alloc(FEATURE_DIM * 4));
    return id;
  };
  /** Per poster id: genre name → 'yes', 'no' or 'unknown' as training sees it. */
  const seen = (): Map<number, Record<string, string>> => {
    const genres = listGenres(service.db);
    const { set } = gatherReviewed(service.db, KEY, genres);
    return new Map(
      set.ids.map((id, i) => [
        id,
        Object.fromEntries(genres.map((g, j) => [g.name, set.known[i * genres.length + j] ? (set.labels[i * genres.length + j] ? 'yes' : 'no') : 'unknown'])),
      ]),
    );
  };

  beforeEach(() => {
    service = CatalogueService.open(join(tempDir(), 'c.sqlite'));
  });
  afterEach(async () => {
    await service.close();
  });

  it('leaves a genre added after a poster was confirmed unknown, however often one of its genres changes later', async () => {
    const { library } = service;
    const vertigo = poster('Vertigo');
    library.setLabels(vertigo, ['Crime']);
    await tick();
    library.addGenre('Noir');
    await tick();
    library.setGenre(vertigo, 'Thriller', true);
    expect(seen().get(vertigo)).toMatchObject({ Crime: 'yes', Thriller: 'yes', Comedy: 'no', Noir: 'unknown' });
    const { batch } = library.bulk([vertigo], 'remove-genre', 'Crime');
    expect(seen().get(vertigo)).toMatchObject({ Crime: 'no', Thriller: 'yes', Noir: 'unknown' });
    library.undoBulk(batch);
    library.undo(vertigo);
    expect(seen().get(vertigo)).toMatchObject({ Crime: 'yes', Thriller: 'no', Noir: 'unknown' });
    // A genre set by hand is known whenever it was set; a whole confirmation after Noir rules it out.
    library.setGenre(vertigo, 'Noir', true);
    expect(seen().get(vertigo)).toMatchObject({ Noir: 'yes' });
    library.setLabels(vertigo, ['Crime']);
    expect(seen().get(vertigo)).toMatchObject({ Crime: 'yes', Noir: 'no' });
  });

  it('does not take a poster reviewed while a genre was retired as ruling it out once it is back', async () => {
    const { library } = service;
    const horror = library.genreByName('Horror');
    const before = poster('Dracula');
    library.setLabels(before, ['Drama']);
    await tick();
    library.retireGenre(horror.id, true);
    const during = poster('Rebecca');
    library.setLabels(during, ['Drama']);
    await tick();
    library.retireGenre(horror.id, false);
    await tick();
    const after = poster('Psycho');
    library.setLabels(after, ['Drama']);
    const view = seen();
    expect(view.get(during)).toMatchObject({ Drama: 'yes', Horror: 'unknown' });
    expect(view.get(before)).toMatchObject({ Drama: 'yes', Horror: 'unknown' });
    expect(view.get(after)).toMatchObject({ Drama: 'yes', Horror: 'no' });
  });

  it('leaves out the copy set aside from a near-duplicate pair', () => {
    const { library } = service;
    const kept = poster('Vertigo');
    const copy = poster('Vertigo copy', kept);
    library.setLabels(kept, ['Thriller']);
    library.setLabels(copy, ['Thriller']);
    expect([...seen().keys()]).toEqual([kept, copy]);
    library.keepDuplicate(kept, copy);
    expect([...seen().keys()]).toEqual([kept]);
    expect(service.models().reviewed).toBe(1);
  });
});
