import { describe, expect, it } from 'vitest';
import { ApiError, createApi, ipcContract, type Channel } from './ipc';

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
});
