import { describe, expect, it } from 'vitest';
import { ApiError, createApi, ipcContract, NAMED_CHANNELS, type Channel } from './ipc';

describe('createApi', () => {
  it('exposes one function per channel, as api.<domain>.<verb>, and turns failures into coded errors', async () => {
    const calls: [Channel, unknown][] = [];
    const api = createApi(
      async (channel, args) => {
        calls.push([channel, args]);
        return channel === 'genres:add'
          ? { ok: false, error: { code: 'genre-exists', message: 'A genre named "Comedy" already exists.' } }
          : { ok: true, value: 42 };
      },
      { onJobProgress: () => () => undefined },
    );
    const functions = Object.entries(api).flatMap(([domain, verbs]) =>
      domain === 'events' ? [] : Object.keys(verbs as object).map((verb) => `${domain}:${verb}`),
    );
    expect(functions.sort()).toEqual(Object.keys(ipcContract).sort());
    expect(await api.stats.get()).toBe(42);
    const failure = await api.genres.add({ name: 'Comedy' }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({ code: 'genre-exists', message: 'A genre named "Comedy" already exists.' });
    expect(calls).toEqual([
      ['stats:get', undefined],
      ['genres:add', { name: 'Comedy' }],
    ]);
  });

  it('names the person at the window on every change that can carry a name, unless the call names someone itself', async () => {
    const calls: [Channel, unknown][] = [];
    let name: string | null = 'Ann';
    const api = createApi(
      async (channel, args) => {
        calls.push([channel, args]);
        return { ok: true, value: null };
      },
      { onJobProgress: () => () => undefined },
      () => name,
    );
    expect([...NAMED_CHANNELS]).toEqual(expect.arrayContaining(['labels:set', 'labels:undo', 'posters:update', 'posters:bulk', 'review:flag']));
    expect(NAMED_CHANNELS.has('posters:search')).toBe(false);
    await api.labels.set({ posterId: 1, genres: ['Horror'] });
    await api.labels.set({ posterId: 1, genres: ['Horror'], reviewer: 'Bob' });
    await api.posters.search({ filter: {}, sort: 'imported', offset: 0, limit: 10 });
    name = null;
    await api.labels.unset({ posterId: 1 });
    expect(calls.map(([, args]) => (args as { reviewer?: string }).reviewer)).toEqual(['Ann', 'Bob', undefined, undefined]);
  });
});
