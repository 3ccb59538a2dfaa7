/**
 * The fault suite for the browser host: hostile requests against the real host over the real
 * services, each checked for its outcome — refused, or handled with the catalogue unchanged — and
 * the host still answering afterwards. Raw sockets (node:net) for what no well-behaved client
 * sends; Debian's Chromium (playwright-core) for what a hostile page can make the user's browser
 * send. Loopback only; every wait is bounded. The hostile *files* (encodings, non-UTF-8 names,
 * oversized scans) are in hostileInput.test.ts.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer as createPlainServer, request, type Server } from 'node:http';
import { request as tlsRequest } from 'node:https';
import { connect } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpHost, type HostOptions, type RunningHost } from '../src/main/host/httpHost';
import { CatalogueService } from '../src/main/service';
import { copyPosters, tempDir } from './helpers';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ROOT = join(import.meta.dirname, '..');
const RENDERER = join(ROOT, 'out', 'renderer');
const SHOTS = join(import.meta.dirname, '..', 'test-results', 'screenshots');
const browserAvailable = existsSync(CHROMIUM) && existsSync(join(RENDERER, 'index.html'));
if (!browserAvailable && process.env.CI) throw new Error(`CI needs ${CHROMIUM} and a built renderer (npm run build) for the browser tests.`);

/** Tight limits so slow clients are cut within a second or two. */
const LIMITS: HostOptions['limits'] = { headersTimeoutMs: 600, requestTimeoutMs: 1200, idleTimeoutMs: 1500, checkIntervalMs: 100, maxBodyBytes: 64 * 1024 };

let service: CatalogueService;
let host: RunningHost;
let port: number;
let dir: string;
const bearer = () => ({ authorization: `Bearer ${host.token}` });
const hostHeader = () => `127.0.0.1:${port}`;

beforeAll(async () => {
  dir = tempDir();
  service = CatalogueService.open(join(dir, 'c.sqlite'));
  copyPosters(join(dir, 'vendor'));
  await service.startImport({ folder: join(dir, 'vendor'), tag: false }).promise;
  host = await startHttpHost(service, { port: 0, rendererDir: RENDERER, limits: LIMITS });
  port = Number(new URL(host.url).port);
});
afterAll(async () => {
  await host?.close();
  await service?.close();
});

/** Sends bytes on a raw socket; resolves with what came back and whether the host closed the socket, within `waitMs`. */
function rawExchange(data: string | Buffer, waitMs = 3000, to = port): Promise<{ text: string; closed: boolean; ms: number }> {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = connect(to, '127.0.0.1');
    let text = '';
    let settled = false;
    const done = (closed: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ text, closed, ms: performance.now() - started });
    };
    const timer = setTimeout(() => done(false), waitMs);
    socket.on('data', (chunk) => (text += chunk.toString('latin1')));
    socket.on('close', () => done(true));
    socket.on('error', () => done(true));
    if (data.length > 0) socket.write(data);
  });
}

/** A request with full control over headers (Host included), answered with status, headers and body. */
function send(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: { host: hostHeader(), ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const stillServing = async () => {
  const res = await send('POST', '/api/stats/get', { ...bearer(), 'content-type': 'application/json' }, '');
  expect(res.status).toBe(200);
  return JSON.parse(res.text) as { ok: boolean; value: { posters: number } };
};

describe('browser host: malformed and hostile requests', () => {
  it('answers 400 to malformed request targets and stays up', async () => {
    for (const target of ['/thumbnails/%E0%A4%A', 'http://[', '/%', '//evil.test/x', '/thumbnails/a%00b.jpg', '*']) {
      const { text } = await rawExchange(`GET ${target} HTTP/1.1\r\nHost: ${hostHeader()}\r\nAuthorization: Bearer ${host.token}\r\n\r\n`);
      expect(text, target).toMatch(/^HTTP\/1\.1 400 /);
    }
    // Not HTTP at all, and headers past the cap: Node's parser answers, the host lives on.
    expect((await rawExchange('\x00\x01\x02 garbage\r\n\r\n')).text).toMatch(/^HTTP\/1\.1 400 /);
    expect((await rawExchange(`GET / HTTP/1.1\r\nHost: ${hostHeader()}\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`)).text).toMatch(/^HTTP\/1\.1 431 /);
    expect((await stillServing()).value.posters).toBe(12);
  });

  it('refuses a Host header that is not its own (DNS rebinding), even with the secret', async () => {
    for (const name of ['attacker.test', `attacker.test:${port}`, `127.0.0.1.attacker.test:${port}`, `127.0.0.1:${port + 1}`]) {
      const read = await send('POST', '/api/posters/list', { ...bearer(), 'content-type': 'application/json', host: name }, '{"offset":0,"limit":5}');
      expect(read.status, name).toBe(403);
      expect((await send('GET', '/images/1', { ...bearer(), host: name })).status, name).toBe(403);
    }
    expect((await send('GET', '/images/1', { ...bearer(), host: `localhost:${port}` })).status).toBe(200);
    // No Host at all: HTTP/1.1 requires one (Node answers 400); HTTP/1.0 reaches the host, which refuses it.
    expect((await rawExchange(`GET /images/1 HTTP/1.1\r\nAuthorization: Bearer ${host.token}\r\n\r\n`)).text).toMatch(/^HTTP\/1\.1 400 /);
    expect((await rawExchange(`GET /images/1 HTTP/1.0\r\nAuthorization: Bearer ${host.token}\r\n\r\n`)).text).toMatch(/^HTTP\/1\.1 403 /);
  });

  it('requires the secret, same origin and JSON for every operation; grants no CORS', async () => {
    const json = { 'content-type': 'application/json' };
    const add = (headers: Record<string, string>) => send('POST', '/api/genres/add', headers, '{"name":"Pwned"}');
    expect((await add(json)).status).toBe(401);
    expect((await add({ ...json, authorization: 'Bearer not-it' })).status).toBe(401);
    expect((await add({ ...bearer(), 'content-type': 'text/plain' })).status).toBe(415);
    expect((await add({ ...bearer(), 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(415);
    expect((await add({ ...bearer(), ...json, origin: 'http://attacker.test' })).status).toBe(403);
    expect((await add({ ...bearer(), ...json, origin: 'null' })).status).toBe(403);
    expect((await add({ ...bearer(), ...json, 'sec-fetch-site': 'same-site' })).status).toBe(403);
    const preflight = await send('OPTIONS', '/api/genres/add', { origin: 'http://attacker.test', 'access-control-request-method': 'POST' });
    expect(preflight.status).toBe(405);
    expect(Object.keys(preflight.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    // A cross-site sub-resource load of a scan is refused even with the session.
    expect(
      (await send('GET', '/images/1', { ...bearer(), 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors', 'sec-fetch-dest': 'image' })).status,
    ).toBe(403);
    const genres = JSON.parse((await send('POST', '/api/genres/list', { ...bearer(), ...json }, '')).text) as { value: { name: string }[] };
    expect(genres.value.map((g) => g.name)).not.toContain('Pwned');
  });

  it('cuts a body over the cap with 413, whether declared or streamed', async () => {
    const declared = await rawExchange(
      `POST /api/genres/add HTTP/1.1\r\nHost: ${hostHeader()}\r\nAuthorization: Bearer ${host.token}\r\nContent-Type: application/json\r\nContent-Length: ${2 ** 30}\r\n\r\n{"name":`,
    );
    expect(declared.text).toMatch(/^HTTP\/1\.1 413 /);
    expect(declared.closed).toBe(true);
    // Chunked, no length announced: read up to the cap, then refused.
    const chunk = 'x'.repeat(16 * 1024);
    const chunks = Array.from({ length: 8 }, () => `${chunk.length.toString(16)}\r\n${chunk}\r\n`).join('');
    const streamed = await rawExchange(
      `POST /api/genres/add HTTP/1.1\r\nHost: ${hostHeader()}\r\nAuthorization: Bearer ${host.token}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n${chunks}`,
    );
    expect(streamed.text).toMatch(/^HTTP\/1\.1 413 /);
    await stillServing();
  });

  it('closes slow and silent clients within the timeouts', async () => {
    // Slowloris: headers that never end.
    const slowHeaders = await rawExchange(`GET / HTTP/1.1\r\nHost: ${hostHeader()}\r\nX-Slow: 1\r\n`, 5000);
    expect(slowHeaders.closed).toBe(true);
    // A body that never arrives.
    const slowBody = await rawExchange(
      `POST /api/genres/add HTTP/1.1\r\nHost: ${hostHeader()}\r\nAuthorization: Bearer ${host.token}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"na`,
      5000,
    );
    expect(slowBody.closed).toBe(true);
    // A connection that says nothing at all.
    const silent = await rawExchange('', 5000);
    expect(silent.closed).toBe(true);
    expect(silent.ms).toBeLessThan(4000);
    await stillServing();
  });

  it('caps concurrent connections and recovers when the hogs are gone', async () => {
    const small = await startHttpHost(service, { port: 0, limits: { ...LIMITS, maxConnections: 4, idleTimeoutMs: 60_000 } });
    const smallPort = Number(new URL(small.url).port);
    const hogs = await Promise.all(
      Array.from(
        { length: 4 },
        () =>
          new Promise<ReturnType<typeof connect>>((resolve) => {
            const s = connect(smallPort, '127.0.0.1', () => resolve(s));
            s.on('error', () => undefined);
          }),
      ),
    );
    try {
      await new Promise((r) => setTimeout(r, 100));
      const fifth = await rawExchange(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${smallPort}\r\n\r\n`, 2000, smallPort);
      expect(fifth.closed).toBe(true);
      expect(fifth.text).toBe('');
    } finally {
      for (const s of hogs) s.destroy();
    }
    await new Promise((r) => setTimeout(r, 100));
    const after = await rawExchange(`GET /api/x HTTP/1.1\r\nHost: 127.0.0.1:${smallPort}\r\nConnection: close\r\n\r\n`, 2000, smallPort);
    expect(after.text).toMatch(/^HTTP\/1\.1 401 /); // served again (and still asking for the secret)
    await small.close();
  });

  it('serves thumbnails only from regular files inside their folder, never through a link', async () => {
    const listed = JSON.parse(
      (await send('POST', '/api/posters/list', { ...bearer(), 'content-type': 'application/json' }, '{"offset":0,"limit":1}')).text,
    ) as {
      value: { items: { thumbnail: string }[] };
    };
    const thumbnail = listed.value.items[0]?.thumbnail as string;
    expect((await send('GET', `/thumbnails/${thumbnail}`, bearer())).status).toBe(200);
    const [shard] = thumbnail.split('/');
    symlinkSync(join(dir, 'c.sqlite'), join(service.thumbnailsDir, shard as string, 'link.jpg'));
    const outside = tempDir();
    writeFileSync(join(outside, 'secret.txt'), 'not a thumbnail');
    symlinkSync(outside, join(service.thumbnailsDir, 'zz'));
    mkdirSync(join(service.thumbnailsDir, 'fifo-free'), { recursive: true });
    expect((await send('GET', `/thumbnails/${shard}/link.jpg`, bearer())).status).toBe(404);
    expect((await send('GET', '/thumbnails/zz/secret.txt', bearer())).status).toBe(404);
    expect((await send('GET', '/thumbnails/fifo-free', bearer())).status).toBe(404); // a folder is not a file
  });
});

describe('browser host: TLS for a LAN', () => {
  const openssl = spawnSync('openssl', ['version']).status === 0;
  it.skipIf(!openssl)('serves HTTPS with a given certificate, and marks its cookie Secure (skipped without openssl)', async () => {
    const tlsDir = tempDir();
    const made = spawnSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
      '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(tlsDir, 'key.pem'), '-out', join(tlsDir, 'cert.pem'),
    ]); // prettier-ignore
    expect(made.status, made.stderr?.toString()).toBe(0);
    const cert = readFileSync(join(tlsDir, 'cert.pem'));
    const tlsHost = await startHttpHost(service, { port: 0, tls: { cert, key: readFileSync(join(tlsDir, 'key.pem')) } });
    try {
      expect(tlsHost.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/);
      const get = (path: string, headers: Record<string, string> = {}) =>
        new Promise<{ status: number; cookie: string }>((resolve, reject) => {
          const u = new URL(path, tlsHost.url);
          tlsRequest(u, { ca: cert, headers }, (res) => {
            res.resume();
            resolve({ status: res.statusCode ?? 0, cookie: String(res.headers['set-cookie'] ?? '') });
          })
            .on('error', reject)
            .end();
        });
      const first = await get(`/?token=${tlsHost.token}`);
      expect(first.status).toBe(303);
      expect(first.cookie).toMatch(/^__Host-poster-catalogue-\d+=[\w-]+; Path=\/; HttpOnly; SameSite=Strict; Secure$/);
      expect((await get('/images/1', { authorization: `Bearer ${tlsHost.token}` })).status).toBe(200);
      expect((await get('/images/1')).status).toBe(401);
    } finally {
      await tlsHost.close();
    }
  });
});

describe.skipIf(!browserAvailable)('browser host in Chromium: token mode and hostile pages', () => {
  let browser: Browser;
  let attacker: Server;
  let attackerPort: number;
  let attackerHtml = '';
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      // attacker.test resolves to this computer, as a rebinding attacker's name would.
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--host-resolver-rules=MAP attacker.test 127.0.0.1'],
    });
    attacker = createPlainServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(attackerHtml));
    await new Promise<void>((r) => attacker.listen(0, '127.0.0.1', () => r()));
    attackerPort = (attacker.address() as { port: number }).port;
    mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => attacker?.close(r));
  });

  it('shows the whole UI with images from the link `npm run serve` prints, bound to every interface; the secret leaves the address bar', async () => {
    // The real command (serve.ts), as a reviewer would start it, over a catalogue of its own.
    const served = tempDir();
    copyPosters(join(served, 'vendor'));
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main/host/serve.ts', '--port', '0', '--host', '0.0.0.0', '--db', join(served, 'c.sqlite')], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    try {
      const printed = await new Promise<string>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`no "Open" line within 30 s:\n${out}`)), 30_000);
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          if (/^Warning: .*\n/m.test(out)) {
            clearTimeout(timer);
            resolve(out);
          }
        });
        child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
        child.on('exit', (code) => reject(new Error(`serve exited with ${code}:\n${out}`)));
      });
      const link = /^Open (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)$/m.exec(printed)?.[1] as string;
      expect(link, printed).toBeDefined();
      expect(printed).toMatch(/^Warning: bound to 0\.0\.0\.0 over plain HTTP/m);
      const base = link.split('?')[0] as string;
      const token = new URL(link).searchParams.get('token') as string;
      const api = async <T>(path: string, body?: unknown) =>
        (
          (await (
            await fetch(`${base}api/${path}`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
              body: body === undefined ? '' : JSON.stringify(body),
            })
          ).json()) as { value: T }
        ).value;
      const { jobId } = await api<{ jobId: string }>('import/start', { folder: join(served, 'vendor'), tag: false });
      await expect
        .poll(async () => (await api<{ jobId: string; state: string }[]>('jobs/list')).find((j) => j.jobId === jobId)?.state, { timeout: 30_000 })
        .toBe('succeeded');

      const errors: string[] = [];
      const refused: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      page.on('response', (r) => r.status() >= 400 && refused.push(`${r.status()} ${r.url()}`));
      await page.goto(link);
      expect(page.url()).toBe(base); // redirected without ?token=
      await page.getByRole('tab', { name: 'Library' }).click();
      await expect.poll(() => page.getByTestId('library-total').textContent(), { timeout: 15_000 }).toBe('12 posters');
      await page.waitForFunction(() => [...document.querySelectorAll('img')].filter((i) => i.complete && i.naturalWidth > 0).length >= 12, undefined, {
        timeout: 15_000,
      });
      await page.screenshot({ path: join(SHOTS, '20-token-mode-library.png') });
      const first = page.locator('[data-testid^="poster-"]').first();
      await first.dblclick();
      await page.waitForFunction(() => [...document.querySelectorAll('[role="dialog"] img')].some((i) => (i as HTMLImageElement).naturalWidth > 0), undefined, {
        timeout: 15_000,
      });
      expect(await page.evaluate(() => document.cookie)).toBe(''); // HttpOnly: the page's scripts never see the secret
      expect(refused).toEqual([]);
      expect(errors, errors.join('\n')).toEqual([]);
      // A browser without the link gets a page that says what to do, and nothing else.
      const stranger = await browser.newPage();
      const answer = await stranger.goto(base);
      expect(answer?.status()).toBe(401);
      expect(await stranger.textContent('body')).toMatch(/Open the link printed/);
      await stranger.close();
    } finally {
      await page.close();
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    }
  }, 90_000);

  it('follows the printed link opened from another site: the session still starts', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      attackerHtml = `<a id="go" href="${host.openUrl}">Poster Catalogue</a>`;
      await page.goto(`http://attacker.test:${attackerPort}/`);
      await Promise.all([page.waitForURL(host.url, { timeout: 15_000 }), page.click('#go')]);
      await page.getByRole('tab', { name: 'Library' }).click();
      await expect.poll(() => page.getByTestId('library-total').textContent(), { timeout: 15_000 }).toBe('12 posters');
    } finally {
      await context.close();
    }
  });

  it('a page on another origin or host name, in a browser holding the session, can neither read nor change anything', async () => {
    const before = service.stats();
    const genresBefore = JSON.stringify(service.db.prepare('SELECT * FROM genres ORDER BY id').all());
    const exportFile = join(dir, 'stolen.csv');
    const target = `http://127.0.0.1:${port}`;
    for (const origin of [`http://127.0.0.1:${attackerPort}`, `http://attacker.test:${attackerPort}`]) {
      const context = await browser.newContext();
      const page = await context.newPage();
      try {
        await page.goto(host.openUrl); // the victim's browser is signed in
        attackerHtml = `<!doctype html><title>attacker</title>
<form id="form" method="POST" action="${target}/api/genres/add" enctype="text/plain"><input name='{"name":"PwnedForm","x":"' value='"}'></form>
<img id="scan" src="${target}/images/1">
<script>
window.results = {};
const body = JSON.stringify({ file: ${JSON.stringify(exportFile)} });
window.done = Promise.all([
  fetch('${target}/api/export/start', { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'content-type': 'text/plain' }, body })
    .then(() => 'sent', (e) => 'failed'),
  fetch('${target}/api/genres/add', { method: 'POST', credentials: 'include', headers: { 'content-type': 'application/json' }, body: '{"name":"PwnedFetch"}' })
    .then((r) => r.text(), () => 'blocked'),
  fetch('${target}/api/posters/list', { method: 'POST', credentials: 'include', headers: { 'content-type': 'text/plain' }, body: '{"offset":0,"limit":5}' })
    .then((r) => r.text(), () => 'blocked'),
  fetch('${target}/images/1', { credentials: 'include' }).then((r) => r.blob().then((b) => b.size), () => 'blocked'),
  new Promise((r) => { const i = document.getElementById('scan'); if (i.complete) r(i.naturalWidth); else { i.onload = () => r(i.naturalWidth); i.onerror = () => r(0); } }),
]).then((all) => (window.results = all));
</script>`;
        await page.goto(`${origin}/`);
        const results = await page.evaluate(() => (window as unknown as { done: Promise<unknown[]> }).done);
        expect(results[1], origin).toBe('blocked'); // JSON needs a preflight, and no CORS is granted
        expect(results[2], origin).toBe('blocked'); // readable only with CORS
        expect(results[3], origin).toBe('blocked');
        expect(results[4], origin).toBe(0); // the scan does not load into another origin's page
        // The form: a top-level POST navigation, cookie and all (127.0.0.1 on another port is "same-site").
        const navigation = page.waitForNavigation({ timeout: 10_000 });
        await page.evaluate(() => (document.getElementById('form') as HTMLFormElement).submit());
        const response = await (await navigation)?.request().response();
        expect(response?.status(), origin).toBe(origin.includes('attacker.test') ? 401 : 403);
      } finally {
        await context.close();
      }
    }
    // Under the attacker's own host name (DNS rebinding), even the printed link gets nothing.
    const rebound = await browser.newPage();
    const answer = await rebound.goto(`http://attacker.test:${port}/?token=${host.token}`);
    expect(answer?.status()).toBe(403);
    await rebound.close();

    expect(service.stats()).toEqual(before);
    expect(JSON.stringify(service.db.prepare('SELECT * FROM genres ORDER BY id').all())).toBe(genresBefore);
    expect(service.jobs.list().filter((j) => j.kind === 'export')).toEqual([]);
    expect(existsSync(exportFile)).toBe(false);
    writeFileSync(join(dir, 'ok'), ''); // the catalogue folder is still writable: nothing was locked or wedged
    await stillServing();
  });
});
