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

  it('refuses a review confirmation once the poster it showed was edited in the Library, and saves one made on what is there', async () => {
    const { service, call } = await catalogue();
    type Item = { poster: { id: number; title: string | null; reviewedAt: string | null }; current: string[]; labelChange: number | null };
    const [a, b] = await call<Item[]>('review:queue', { order: 'import', limit: 2 });
    if (!a || !b) throw new Error('the catalogue has no posters to review');
    const shown = (item: Item) => ({ reviewedAt: item.poster.reviewedAt, labelChange: item.labelChange });
    expect(shown(a)).toEqual({ reviewedAt: null, labelChange: null });
    // While poster a is on screen in Review, the Library turns one of its genres on or off: it stays not reviewed.
    const genre = DEFAULT_GENRES.find((g) => !a.current.includes(g)) as string;
    await call('posters:setGenre', { posterId: a.poster.id, genre, present: true });
    const now = (await call<{ current: string[]; poster: { reviewedAt: string | null } }>('posters:get', { id: a.poster.id })).current;
    expect(now).toContain(genre);
    const refused = await dispatch(createHandlers(service), 'labels:set', { posterId: a.poster.id, genres: a.current, expected: shown(a) });
    expect(refused).toEqual({
      ok: false,
      error: {
        code: 'edited-since',
        message: `${a.poster.title} was edited in the Library since it was shown, so this confirmation was not saved: its genres are now ${now.join(', ')}.`,
      },
    });
    const kept = await call<{ current: string[]; labels: string[] | null }>('posters:get', { id: a.poster.id });
    expect(kept).toMatchObject({ current: now, labels: null });
    // Shown again as it is now (the queue's next read), the confirmation is saved.
    const [again] = await call<Item[]>('review:queue', { order: 'import', limit: 1 });
    expect(again?.poster.id).toBe(a.poster.id);
    expect(again?.labelChange).not.toBeNull();
    expect((await call<{ newGenres: string[] }>('labels:set', { posterId: a.poster.id, genres: now, expected: shown(again as Item) })).newGenres).toEqual(now);
    // Nothing changed since poster b was shown: saved.
    expect((await call<{ newGenres: string[] }>('labels:set', { posterId: b.poster.id, genres: b.current, expected: shown(b) })).newGenres).toEqual(b.current);
  });

  it('the poster kept of a near-duplicate pair has the other set aside in its history, either way round, with its undo, after "not a duplicate" too', async () => {
    const { service, call } = await catalogue();
    const [a, b, c, d, e] = service.library.listPosters(0, 5).items.map((i) => i.id) as [number, number, number, number, number];
    type Edit = { id: number; posterId: number; field: string; after: unknown; reviewer: string | null; undoneAt: string | null };
    type Detail = { pairSetAside: Edit[]; namedInEdits: { id: number; title: string | null }[] };
    const detail = (id: number) => call<Detail>('posters:get', { id });
    await call('posters:update', { id: b, title: 'Vertigo', year: 1958, vendor: 'Vendor X' });
    // b a copy of a, kept a; d a copy of c, kept d (the copy) over its original.
    service.db.prepare('UPDATE posters SET duplicate_of = ? WHERE id = ?').run(a, b);
    service.db.prepare('UPDATE posters SET duplicate_of = ? WHERE id = ?').run(c, d);
    const setAside = await call<Edit>('posters:keepDuplicate', { keep: a, setAside: b, reviewer: 'ana' });
    await call('posters:keepDuplicate', { keep: d, setAside: c });

    const kept = await detail(a);
    expect(kept.pairSetAside).toEqual([expect.objectContaining({ id: setAside.id, posterId: b, field: 'set_aside_at', reviewer: 'ana', undoneAt: null })]);
    expect(kept.namedInEdits).toContainEqual(expect.objectContaining({ id: b, title: 'Vertigo' }));
    expect((await detail(d)).pairSetAside).toEqual([expect.objectContaining({ posterId: c, field: 'set_aside_at' })]);
    // The poster set aside has its own row; a poster in no pair has none.
    expect((await detail(b)).pairSetAside).toEqual([]);
    expect((await detail(e)).pairSetAside).toEqual([]);

    // Undone, the kept poster's history says so; set aside again and then "not a duplicate": both still told.
    await call('posters:undoEdit', { editId: setAside.id });
    expect((await detail(a)).pairSetAside).toEqual([expect.objectContaining({ id: setAside.id, undoneAt: expect.any(String) })]);
    const again = await call<Edit>('posters:keepDuplicate', { keep: a, setAside: b });
    await call('posters:notDuplicate', { posterId: a, otherId: b });
    expect((await detail(a)).pairSetAside.map((x) => [x.id, x.undoneAt === null])).toEqual([
      [setAside.id, false],
      [again.id, true],
    ]);
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
