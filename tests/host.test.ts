import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startHttpHost, type RunningHost } from '../src/main/host/httpHost';
import { CatalogueService } from '../src/main/service';
import type { JobProgress } from '../src/shared/types';
import { copyPosters, tempDir } from './helpers';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function host(bind?: string): Promise<{ service: CatalogueService; host: RunningHost; base: string; dir: string }> {
  const dir = tempDir();
  const service = CatalogueService.open(join(dir, 'c.sqlite'));
  const running = await startHttpHost(service, { port: 0, host: bind });
  cleanup.push(
    () => service.close(),
    () => running.close(),
  );
  const port = new URL(running.url).port;
  auth = { authorization: `Bearer ${running.token}` };
  return { service, host: running, base: `http://127.0.0.1:${port}`, dir };
}

/** The running host's secret, as a script sends it. */
let auth: Record<string, string> = {};

const call = async (base: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...auth, ...headers },
    body: body === undefined ? '' : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as { ok: boolean; value?: unknown; error?: { code: string; message: string } } };
};

/** A raw GET, so paths like /../ reach the server unnormalised. */
const rawGet = (base: string, path: string) =>
  new Promise<number>((resolve, reject) => {
    const u = new URL(base);
    request({ host: u.hostname, port: u.port, path, method: 'GET', headers: auth }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    })
      .on('error', reject)
      .end();
  });

describe('browser host', () => {
  it('serves the same operations as IPC, with the same validation and error shape', async () => {
    const { base, dir } = await host();
    expect(await call(base, '/api/stats/get')).toMatchObject({ status: 200, json: { ok: true, value: { posters: 0, dbPath: join(dir, 'c.sqlite') } } });
    expect((await call(base, '/api/posters/list', { offset: -5, limit: 1 })).json.error?.code).toBe('invalid-arguments');
    expect((await call(base, '/api/genres/add', { name: 'Comedy' })).json.error).toEqual({
      code: 'genre-exists',
      message: 'A genre named "Comedy" already exists.',
    });
    expect((await call(base, '/api/shell/exec', {})).status).toBe(404);
    expect(await rawGet(base, '/api/stats/get')).toBe(404); // operations are POST only
    const bad = await fetch(`${base}/api/genres/add`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body: '{not json' });
    expect(bad.status).toBe(400);
  });

  it('never serves files outside the thumbnails folder', async () => {
    const { base } = await host();
    expect(await rawGet(base, '/thumbnails/../c.sqlite')).toBe(400);
    expect(await rawGet(base, '/thumbnails/..%2Fc.sqlite')).toBe(400);
    expect(await rawGet(base, '/thumbnails/%2E%2E/%2E%2E/etc/passwd')).toBe(400); // a path segment may not lead up
  });

  it('streams job progress as server-sent events and serves the thumbnails it made', async () => {
    const { base, dir, service } = await host();
    copyPosters(join(dir, 'in'));
    const controller = new AbortController();
    const events = await fetch(`${base}/api/events`, { signal: controller.signal, headers: auth });
    const reader = events.body?.getReader();
    const started = await call(base, '/api/import/start', { folder: join(dir, 'in'), tag: false });
    expect(started.json.ok).toBe(true);
    let text = '';
    const seen: JobProgress[] = [];
    while (!seen.some((p) => p.state === 'succeeded')) {
      const chunk = await reader?.read();
      if (!chunk || chunk.done) break;
      text += new TextDecoder().decode(chunk.value);
      for (const block of text.split('\n\n').slice(0, -1)) if (block.startsWith('data: ')) seen.push(JSON.parse(block.slice(6)) as JobProgress);
      text = text.split('\n\n').at(-1) ?? '';
    }
    controller.abort();
    expect(seen.at(-1)).toMatchObject({ kind: 'import', state: 'succeeded', done: 12, total: 12 });
    const listed = (await call(base, '/api/posters/list', { offset: 0, limit: 1 })).json.value as { items: { thumbnail: string }[] };
    const thumbnail = listed.items[0]?.thumbnail;
    const image = await fetch(`${base}/thumbnails/${thumbnail}`, { headers: auth });
    expect(image.headers.get('content-type')).toBe('image/jpeg');
    expect(service.stats().posters).toBe(12);
  });

  it('requires the per-launch secret on loopback too, and moves the printed one into a cookie', async () => {
    const { base, host: running } = await host();
    expect(running.token).toMatch(/^[\w-]{43}$/);
    expect(running.openUrl).toBe(`${running.url}?token=${running.token}`);
    expect((await call(base, '/api/stats/get', undefined, { authorization: '' })).status).toBe(401);
    expect((await call(base, '/api/stats/get', undefined, { authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await call(base, '/api/stats/get')).json.ok).toBe(true);
    // The printed link: a cookie, and a redirect to the same place without the secret.
    const first = await fetch(`${base}/?token=${running.token}`, { redirect: 'manual' });
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/');
    const cookie = first.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const session = cookie.split(';')[0] ?? '';
    const withCookie = await fetch(`${base}/api/stats/get`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: session }, body: '' });
    expect(withCookie.status).toBe(200);
    expect((await fetch(`${base}/?token=wrong`, { redirect: 'manual' })).status).toBe(401);
  });

  it('answers on every interface when asked, with the secret still required', async () => {
    const { base, host: running } = await host('0.0.0.0');
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect((await call(base, '/api/stats/get', undefined, { authorization: '' })).status).toBe(401);
    expect((await call(base, '/api/stats/get')).json.ok).toBe(true);
    expect(await rawGet(base, '/api/events')).toBe(200);
  });
});
