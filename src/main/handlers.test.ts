import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ipcContract } from '../shared/ipc';
import { copyPosters, tempDir } from '../../tests/helpers';
import { createHandlers, dispatch } from './handlers';
import { CatalogueService } from './service';

let service: CatalogueService;
afterEach(() => service?.close());

describe('dispatch over the IPC contract', () => {
  it('has a handler for every channel and nothing else', () => {
    service = CatalogueService.open(join(tempDir(), 'c.sqlite'));
    expect(Object.keys(createHandlers(service)).sort()).toEqual(Object.keys(ipcContract).sort());
  });

  it('validates arguments and turns errors into { code, message } without stack traces', async () => {
    service = CatalogueService.open(join(tempDir(), 'c.sqlite'));
    const handlers = createHandlers(service);
    expect(await dispatch(handlers, 'posters:list', { offset: -1, limit: 10 })).toMatchObject({
      ok: false,
      error: { code: 'invalid-arguments', message: expect.stringMatching(/^Invalid arguments for posters:list: offset:/) },
    });
    expect(await dispatch(handlers, 'shell:exec', {})).toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
    expect(await dispatch(handlers, 'genres:add', { name: 'comedy' })).toEqual({
      ok: false,
      error: { code: 'genre-exists', message: 'A genre named "Comedy" already exists.' },
    });
    const added = await dispatch(handlers, 'genres:add', { name: '  Film-Noir ' });
    expect(added).toMatchObject({ ok: true, value: { name: 'Film-Noir', retired: false } });
  });

  it('runs an import as a job whose progress ends in its outcome', async () => {
    const dir = tempDir();
    service = CatalogueService.open(join(dir, 'c.sqlite'));
    copyPosters(join(dir, 'in'));
    const states: string[] = [];
    service.jobs.subscribe((p) => states.push(p.state));
    const handlers = createHandlers(service);
    const started = await dispatch(handlers, 'import:start', { folder: join(dir, 'in'), vendor: 'Acme' });
    expect(started.ok).toBe(true);
    const second = await dispatch(handlers, 'import:start', { folder: join(dir, 'in') });
    expect(second).toMatchObject({ ok: false, error: { code: 'import-running' } });
    await expect.poll(() => states.at(-1), { timeout: 20_000 }).toBe('succeeded');
    const stats = await dispatch(handlers, 'stats:get', undefined);
    expect(stats).toMatchObject({ ok: true, value: { posters: 12, byVendor: [{ vendor: 'Acme', count: 12 }] } });
  });
});
