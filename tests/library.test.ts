import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createHandlers, dispatch } from '../src/main/handlers';
import { CatalogueService } from '../src/main/service';
import { DEFAULT_GENRES } from '../src/shared/genres';
import { copyPosters, tempDir } from './helpers';

const order = (g: string) => (DEFAULT_GENRES as readonly string[]).indexOf(g);
const services: CatalogueService[] = [];
afterEach(async () => {
  for (const s of services.splice(0)) await s.close();
});

async function catalogue() {
  const dir = tempDir();
  copyPosters(join(dir, 'in'));
  const service = CatalogueService.open(join(dir, 'c.sqlite'));
  services.push(service);
  await service.startImport({ folder: join(dir, 'in'), vendor: 'Acme' }).promise;
  const handlers = createHandlers(service);
  const call = async <T = never>(channel: string, args?: unknown): Promise<T> => {
    const r = await dispatch(handlers, channel, args);
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    return r.value as T;
  };
  return { service, call };
}

describe('library', () => {
  it('searches, filters and sorts; edits a poster; bulk actions are recorded and undoable', async () => {
    const { call } = await catalogue();
    const all: { total: number; items: { id: number; genres: string[] }[] } = await call('posters:search', { offset: 0, limit: 100 });
    expect(all.total).toBe(12);
    const [a, b, c] = all.items;

    await call('posters:update', { id: a?.id, title: '  The Curse of the Cat People ', year: 1944 });
    await call('posters:update', { id: b?.id, title: 'Cat Ballou', year: 1965, vendor: 'Bob' });
    // A new title and year re-score the suggestions (the head reads both): the genres it suggests now.
    const edited = (await call<typeof all>('posters:search', { offset: 0, limit: 100 })).items.find((i) => i.id === a?.id);
    const cats: { total: number; items: { id: number; title: string }[] } = await call('posters:search', {
      filter: { search: 'cat' },
      sort: 'title',
      offset: 0,
      limit: 10,
    });
    expect(cats.items.map((i) => i.title)).toEqual(['Cat Ballou', 'The Curse of the Cat People']);
    expect((await call<{ total: number }>('posters:search', { filter: { decade: 1940 }, offset: 0, limit: 10 })).total).toBe(1);
    expect((await call<{ total: number }>('posters:search', { filter: { vendor: 'bob' }, offset: 0, limit: 10 })).total).toBe(1);
    // LIKE wildcards in a search are literal.
    expect((await call<{ total: number }>('posters:search', { filter: { search: '%' }, offset: 0, limit: 10 })).total).toBe(0);

    // Bulk: add a genre to two unreviewed posters — that genre only, they stay unreviewed — then mark a third reviewed.
    const added = await call<{ changed: number; batch: string }>('posters:bulk', { ids: [a?.id, b?.id], action: 'add-genre', genre: 'Western' });
    expect(added.changed).toBe(2);
    expect((await call<{ changed: number }>('posters:bulk', { ids: [c?.id], action: 'mark-reviewed' })).changed).toBe(1);
    const reviewed: { total: number; items: { id: number; genres: string[] }[] } = await call('posters:search', {
      filter: { status: 'reviewed' },
      offset: 0,
      limit: 10,
    });
    expect(reviewed.items.map((i) => i.id)).toEqual([c?.id]);
    expect(reviewed.items[0]?.genres).toEqual(c?.genres);
    const withWestern = (await call<typeof all>('posters:search', { offset: 0, limit: 100 })).items.find((i) => i.id === a?.id);
    expect(withWestern?.genres).toEqual([...(edited?.genres ?? []), 'Western'].filter((g, i, l) => l.indexOf(g) === i).sort((x, y) => order(x) - order(y)));
    expect((await call<{ total: number }>('posters:search', { filter: { genre: 'western', status: 'unreviewed' }, offset: 0, limit: 10 })).total).toBe(2);
    await call('posters:bulk', { ids: [a?.id], action: 'remove-genre', genre: 'Western' });

    const detail: { poster: { title: string; decade: number }; labels: string[] | null; current: string[]; history: unknown[]; suggestions: unknown[] } =
      await call('posters:get', { id: a?.id });
    expect(detail.poster).toMatchObject({ title: 'The Curse of the Cat People', decade: 1940 });
    expect(detail.labels).toBeNull();
    expect(detail.current).not.toContain('Western');
    expect(detail.history).toHaveLength(2);
    expect(detail.suggestions.length).toBeGreaterThan(0);
    await call('labels:undo', { posterId: a?.id });
    expect((await call<{ current: string[] }>('posters:get', { id: a?.id })).current).toContain('Western');
    // The first bulk action is one step: undoing it takes Western off both posters.
    expect(await call('labels:undoBulk', { batch: added.batch })).toEqual({ undone: 2, skipped: 0 });
    expect((await call<{ total: number }>('posters:search', { filter: { genre: 'western' }, offset: 0, limit: 10 })).total).toBe(0);

    expect(await call('export:count', { filter: { status: 'reviewed' } })).toBe(1);
  });

  it('says what is wrong with a bad request', async () => {
    const { service } = await catalogue();
    const handlers = createHandlers(service);
    expect(await dispatch(handlers, 'posters:get', { id: 999 })).toEqual({
      ok: false,
      error: { code: 'poster-not-found', message: 'There is no poster with id 999.' },
    });
    expect(await dispatch(handlers, 'posters:bulk', { ids: [1], action: 'add-genre' })).toEqual({
      ok: false,
      error: { code: 'genre-required', message: 'Choose a genre to add.' },
    });
    expect(await dispatch(handlers, 'posters:update', { id: 1, year: 12 })).toMatchObject({ ok: false, error: { code: 'invalid-arguments' } });
    expect(await dispatch(handlers, 'dialog:chooseFolder', undefined)).toMatchObject({ ok: false, error: { code: 'desktop-only' } });
  });
});
