/**
 * The library below the door (issue 15): forgiving title and vendor filters, several genres, the
 * new sorts, confidence bands from the model's thresholds (with the real model, before and after a
 * retrain), bulk actions on everything a filter matches, a selection's posters hidden by a filter,
 * genre editing in place, the history of title/year/vendor edits, and near-duplicate decisions.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listPosters } from '../src/main/catalogue/posterRepository';
import { createHandlers, dispatch } from '../src/main/handlers';
import { CatalogueService } from '../src/main/service';
import { parseCsv } from '../src/main/csv/csv';
import { readFileSync } from 'node:fs';
import type { ExportFilter, LibraryItem, LibrarySort } from '../src/shared/types';
import { copyPosters, tempDir } from './helpers';

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
  const search = (filter: ExportFilter = {}, sort: LibrarySort = 'imported') =>
    call<{ total: number; items: LibraryItem[] }>('posters:search', { filter, sort, offset: 0, limit: 100 });
  return { dir, service, call, search, handlers };
}

describe('library filters, sorts and bands', () => {
  it('matches title and vendor forgivingly: any case, part of a word, accents ignored', async () => {
    const { call, search } = await catalogue();
    const [a, b] = (await search()).items;
    await call('posters:update', { id: a?.id, title: 'Mädchen in Uniform', vendor: 'Élan Vintage Posters' });
    await call('posters:update', { id: b?.id, title: 'MADCHEN', vendor: 'élan' });
    const ids = async (f: ExportFilter) => (await search(f)).items.map((i) => i.id).sort();
    const both = [a?.id, b?.id].sort();
    expect(await ids({ search: 'madch' })).toEqual(both);
    expect(await ids({ search: 'MÄDCHEN unif' })).toEqual([a?.id]);
    expect(await ids({ vendor: 'elan' })).toEqual(both);
    expect(await ids({ vendor: 'VINTAGE' })).toEqual([a?.id]);
    expect(await ids({ vendor: 'acme' })).toHaveLength(10);
    expect(await ids({ vendor: '%' })).toEqual([]); // wildcards are literal
    // The export uses the same filter.
    expect(await call('export:count', { filter: { vendor: 'ELAN' } })).toBe(2);
  });

  it('filters on several genres (any or all) and sorts by vendor and by review date', async () => {
    const { service, call, search } = await catalogue();
    const [a, b, c] = (await search({}, 'title')).items;
    const tick = () => new Promise((r) => setTimeout(r, 5)); // distinct review times
    service.library.setLabels(a?.id as number, ['Horror', 'Comedy']);
    await tick();
    service.library.setLabels(b?.id as number, ['Horror']);
    await tick();
    service.library.setLabels(c?.id as number, ['Comedy']);
    const reviewed = { status: 'reviewed' as const };
    const ids = async (f: ExportFilter) => (await search({ ...reviewed, ...f })).items.map((i) => i.id).sort();
    expect(await ids({ genres: ['horror', 'Comedy'] })).toEqual([a?.id, b?.id, c?.id].sort());
    expect(await ids({ genres: ['Horror', 'Comedy'], genreMode: 'all' })).toEqual([a?.id]);
    expect(await ids({ genres: ['Horror'], genreMode: 'all' })).toEqual([a?.id, b?.id].sort());
    expect(await call('export:count', { filter: { ...reviewed, genres: ['Horror', 'Comedy'], genreMode: 'all' } })).toBe(1);

    // Review date: the latest first, then the posters nobody reviewed.
    const byReview = (await search({}, 'reviewed')).items;
    expect(byReview.slice(0, 3).map((i) => i.id)).toEqual([c?.id, b?.id, a?.id]);
    expect(byReview[0]?.reviewedAt).not.toBeNull();
    expect(byReview[3]?.reviewedAt).toBeNull();

    await call('posters:update', { id: b?.id, vendor: 'aardvark prints' });
    await call('posters:update', { id: c?.id, vendor: 'Zebra' });
    const byVendor = (await search({}, 'vendor')).items.map((i) => i.vendor);
    expect(byVendor[0]).toBe('aardvark prints');
    expect(byVendor.at(-1)).toBe('Zebra');
  });

  it('bands confidence from each genre’s threshold, so "high" matches posters with the shipped model and after a retrain', async () => {
    const { service, search } = await catalogue();
    const bands = async () => {
      const items = (await search({ status: 'unreviewed' })).items;
      const count = async (confidence: 'low' | 'medium' | 'high') => (await search({ status: 'unreviewed', confidence })).total;
      return { items, low: await count('low'), medium: await count('medium'), high: await count('high') };
    };
    const before = await bands();
    expect(before.high).toBeGreaterThan(0);
    expect(before.low + before.medium + before.high).toBe(12);
    // Each card's band is the one its filter puts it in; the nearest suggestion names its threshold.
    for (const item of before.items) {
      expect(item.confidence).not.toBeNull();
      expect((await search({ status: 'unreviewed', confidence: item.confidence ?? undefined })).items.map((i) => i.id)).toContain(item.id);
      expect(item.nearest?.threshold).toBeGreaterThan(0);
    }
    // The least certain first: margins grow along the sort.
    const margins = (await search({}, 'uncertain')).items.map((i) => Math.abs(Math.log(odds(i.nearest?.probability) / odds(i.nearest?.threshold))));
    expect(margins).toEqual([...margins].sort((x, y) => x - y));

    const reviews = ['Comedy', 'Drama', 'Comedy|Horror', 'Drama|Romance', 'Horror', 'Action|Adventure'];
    listPosters(service.db, 0, reviews.length).forEach((p, i) => service.library.setLabels(p.id, (reviews[i] as string).split('|')));
    await service.startTrain().promise;
    await service.activate('v1').promise;
    const after = await bands();
    expect(after.items.every((i) => i.nearest !== null)).toBe(true);
    // Banded by the new version's own thresholds, not all coin tosses. (A CI run once had no "high":
    // poster ids followed the order decodes finished, so the six reviews landed on other posters
    // each run. Now one folder makes one catalogue: 4 high with int8 features, 3 with fp32.)
    expect(after.high).toBeGreaterThan(0);
    expect(after.low + after.medium + after.high).toBe(6);
  }, 120_000);
});

const odds = (p: number | undefined) => (p as number) / (1 - (p as number));

describe('selections, genre editing, edit history and near-duplicates', () => {
  it('applies a bulk action to everything a filter matches, and counts a selection’s posters the filter hides', async () => {
    const { call, search } = await catalogue();
    const [a, b, c] = (await search({}, 'title')).items;
    await call('posters:update', { id: a?.id, vendor: 'Bob' });
    await call('posters:update', { id: b?.id, vendor: 'Bobby' });
    expect(await call('posters:countSelected', { filter: { vendor: 'bob' }, ids: [a?.id, b?.id, c?.id] })).toBe(2);
    // A Shift range over pages the grid has not loaded: the ids in the order the library pages through.
    const all = (await search({}, 'title')).items.map((i) => i.id);
    expect(await call('posters:idsAt', { filter: {}, sort: 'title', offset: 1, limit: 3 })).toEqual(all.slice(1, 4));
    expect(await call('posters:idsAt', { filter: { vendor: 'bob' }, sort: 'title', offset: 0, limit: 10 })).toEqual([a?.id, b?.id]);
    const done = await call<{ changed: number; batch: string }>('posters:bulk', { filter: { vendor: 'bob' }, action: 'mark-reviewed' });
    expect(done.changed).toBe(2);
    expect((await search({ status: 'reviewed' })).items.map((i) => i.id).sort()).toEqual([a?.id, b?.id].sort());
    expect(await call('labels:undoBulk', { batch: done.batch })).toEqual({ undone: 2, skipped: 0 });
    const r = await dispatch(createHandlers(services[0] as CatalogueService), 'posters:bulk', { ids: [1], filter: {}, action: 'mark-reviewed' });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid-arguments', message: expect.stringContaining('either ids or filter') } });
  });

  it('edits genres in place (undoable) and records title, year and vendor edits with undo', async () => {
    const { call, search } = await catalogue();
    const [a] = (await search()).items;
    const id = a?.id as number;
    const hasHorror = a?.genres.includes('Horror');
    await call('posters:setGenre', { posterId: id, genre: 'horror', present: !hasHorror });
    let detail = await call<{ current: string[]; labels: string[] | null; history: unknown[] }>('posters:get', { id });
    expect(detail.current.includes('Horror')).toBe(!hasHorror);
    expect(detail.labels).toBeNull(); // still not reviewed: a per-genre edit
    expect(detail.history).toHaveLength(1);
    await call('labels:undo', { posterId: id });
    expect((await call<{ current: string[] }>('posters:get', { id })).current).toEqual(a?.genres);

    await call('posters:update', { id, title: 'Vertigo', year: 1958 });
    await call('posters:update', { id, title: 'Vertigo', vendor: 'Bob' }); // the unchanged title records nothing
    type Edit = { id: number; field: string; before: unknown; after: unknown; undoneAt: string | null };
    const edits = (await call<{ edits: Edit[] }>('posters:get', { id })).edits;
    expect(edits.map((e) => [e.field, e.after])).toEqual([
      ['title', 'Vertigo'],
      ['year', 1958],
      ['vendor', 'Bob'],
    ]);
    const yearEdit = edits[1] as Edit;
    await call('posters:undoEdit', { editId: yearEdit.id });
    detail = await call('posters:get', { id });
    expect((detail as unknown as { poster: { year: number | null; decade: number | null } }).poster).toMatchObject({ year: a?.year ?? null });
    const again = await dispatch(createHandlers(services[0] as CatalogueService), 'posters:undoEdit', { editId: yearEdit.id });
    expect(again).toMatchObject({ ok: false, error: { code: 'nothing-to-undo' } });
    // An undo that would overwrite a later change is refused.
    const titleEdit = edits[0] as Edit;
    await call('posters:update', { id, title: 'Psycho' });
    expect(await dispatch(createHandlers(services[0] as CatalogueService), 'posters:undoEdit', { editId: titleEdit.id })).toMatchObject({
      ok: false,
      error: { code: 'changed-since' },
    });
  });

  it('keeps one of a near-duplicate pair (the other set aside, hidden, never deleted), or marks them not duplicates', async () => {
    const { dir, service, call, search } = await catalogue();
    const [a, b, c, d] = (await search({}, 'title')).items.map((i) => i.id);
    service.db.prepare('UPDATE posters SET duplicate_of = ? WHERE id = ?').run(a, b);
    service.db.prepare('UPDATE posters SET duplicate_of = ? WHERE id = ?').run(c, d);
    expect((await search({ duplicates: true })).total).toBe(4);

    const setAside = await call<{ id: number }>('posters:keepDuplicate', { keep: a, setAside: b });
    expect((await search()).items.map((i) => i.id)).not.toContain(b);
    expect((await search({ setAside: true })).items.map((i) => i.id)).toEqual([b]);
    expect(await call('export:count', { filter: {} })).toBe(11);
    expect((await call<{ poster: { id: number } }[]>('review:queue', { limit: 100 })).map((r) => r.poster.id)).not.toContain(b);
    const file = join(dir, 'out.csv');
    await call('export:csv', { file });
    expect(parseCsv(readFileSync(file, 'utf8')).rows).toHaveLength(11);
    // Undo (or "restore") brings it back.
    await call('posters:undoEdit', { editId: setAside.id });
    expect((await search()).total).toBe(12);

    await call('posters:notDuplicate', { posterId: c, otherId: d });
    expect((await search({ duplicates: true })).items.map((i) => i.id).sort()).toEqual([a, b].sort());
    expect((await call<{ duplicates: unknown[] }>('posters:get', { id: d })).duplicates).toEqual([]);
    expect(await dispatch(createHandlers(service), 'posters:keepDuplicate', { keep: c, setAside: d })).toMatchObject({
      ok: false,
      error: { code: 'not-a-pair', message: `Posters ${c} and ${d} are not a near-duplicate pair.` },
    });
  });

  it('refuses a title, year or vendor save whose fields were changed since they were shown, saving none of them', async () => {
    const { service, call, search } = await catalogue();
    const [id] = (await search({}, 'title')).items.map((i) => i.id) as [number];
    await call('posters:update', { id, title: 'Vertigo', year: 1958, vendor: 'Bob' });
    service.library.updatePoster(id, { year: 1959, vendor: 'Ann' }); // another window
    expect(
      await dispatch(createHandlers(service), 'posters:update', {
        id,
        title: 'Psycho',
        year: 1960,
        vendor: 'Carl',
        expected: { title: 'Vertigo', year: 1958, vendor: 'Bob' },
      }),
    ).toMatchObject({
      ok: false,
      error: {
        code: 'changed-since',
        message:
          "This poster's year (now 1959), vendor (now “Ann”) were changed in another window since it was shown here, so nothing was saved. Save again to put yours in its place.",
      },
    });
    expect(service.library.posterFile(id)).toMatchObject({ title: 'Vertigo', year: 1959, vendor: 'Ann' });
    // Shown as it is now (spaces around a typed value do not count), the save goes through.
    await call('posters:update', { id, title: 'Psycho', year: 1960, vendor: 'Carl', expected: { title: ' Vertigo ', year: 1959, vendor: 'Ann' } });
    expect(service.library.posterFile(id)).toMatchObject({ title: 'Psycho', year: 1960, vendor: 'Carl' });
  });

  it('a pair resolved by keeping the copy is no longer a near-duplicate: not under the filter, no badge, and the CSV points at no poster it leaves out', async () => {
    const { dir, service, call, search } = await catalogue();
    const [a, b] = (await search({}, 'title')).items.map((i) => i.id) as [number, number];
    service.db.prepare('UPDATE posters SET duplicate_of = ? WHERE id = ?').run(a, b);
    expect((await search({ duplicates: true })).items.map((i) => i.id).sort()).toEqual([a, b].sort());
    // Staff keep the copy b and set the original a aside.
    await call('posters:keepDuplicate', { keep: b, setAside: a });
    expect((await search({ duplicates: true })).total).toBe(0);
    expect((await search()).items.find((i) => i.id === b)?.nearDuplicate).toBe(false);
    const file = join(dir, 'kept.csv');
    await call('export:csv', { file });
    const { header, rows } = parseCsv(readFileSync(file, 'utf8'));
    const column = (name: string) => header.indexOf(name);
    const row = rows.find((r) => Number(r.cells[column('id')]) === b)?.cells;
    expect(row?.[column('duplicate_of')]).toBe('');
    expect(rows.some((r) => Number(r.cells[column('id')]) === a)).toBe(false);
    // The set-aside original, listed apart, still shows which poster it is a near-duplicate of.
    expect((await search({ setAside: true })).items.map((i) => i.id)).toEqual([a]);
  });

  it('refuses to undo "Not a duplicate" where the poster has copies of its own by then (a copy of a copy), naming the posters as staff know them', async () => {
    const { service, call, search } = await catalogue();
    const [a, b, c] = (await search({}, 'title')).items.map((i) => i.id) as [number, number, number];
    service.db.prepare('UPDATE posters SET title = ? WHERE id = ?').run('The Copy', b);
    service.db.prepare('UPDATE posters SET title = NULL WHERE id = ?').run(c);
    service.db.prepare('UPDATE posters SET duplicate_of = ? WHERE id = ?').run(a, b);
    const dismissed = await call<{ id: number }>('posters:notDuplicate', { posterId: a, otherId: b });
    // Later a new scan is linked as a copy of b.
    service.db.prepare('UPDATE posters SET duplicate_of = ? WHERE id = ?').run(b, c);
    const fileOfC = service.library.poster(c).poster.path.split('/').pop();
    expect(await dispatch(createHandlers(service), 'posters:undoEdit', { editId: dismissed.id })).toMatchObject({
      ok: false,
      error: { code: 'changed-since', message: `Not undone: ${fileOfC} has since been paired as a near-duplicate of The Copy. Resolve that pair first.` },
    });
    expect(service.db.prepare('SELECT duplicate_of FROM posters WHERE id = ?').pluck().get(b)).toBeNull();
    // Once that pair is resolved, the undo goes through.
    await call('posters:notDuplicate', { posterId: b, otherId: c });
    await call('posters:undoEdit', { editId: dismissed.id });
    expect(service.db.prepare('SELECT duplicate_of FROM posters WHERE id = ?').pluck().get(b)).toBe(a);
  });
});
