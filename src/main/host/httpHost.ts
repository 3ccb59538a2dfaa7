/**
 * The browser host: the same handlers as Electron's IPC, over HTTP on 127.0.0.1, for a second
 * reviewer's browser and for end-to-end tests.
 *   POST /api/<domain>/<verb>   JSON argument in, IpcResult out (validated by dispatch)
 *   GET  /api/events            job progress as server-sent events
 *   GET  /thumbnails/<name>     poster thumbnails
 *   GET  /images/<posterId>     the original scan
 *   GET  /*                     the built renderer (out/renderer)
 * Bound to loopback by default; any other interface requires the token printed at start, as a
 * Bearer header or ?token= (for EventSource, which cannot send headers).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { ipcContract, splitChannel, type Channel } from '../../shared/ipc';
import { createHandlers, dispatch } from '../handlers';
import type { CatalogueService } from '../service';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
const MAX_BODY = 1 << 20;

export interface HostOptions {
  port?: number;
  host?: string;
  /** Folder of the built renderer; nothing is served from / when absent. */
  rendererDir?: string;
}

export interface RunningHost {
  server: Server;
  url: string;
  /** Required from clients when bound beyond loopback; null on loopback. */
  token: string | null;
  close(): Promise<void>;
}

const isLoopback = (host: string): boolean => host === '127.0.0.1' || host === '::1' || host === 'localhost';

/** Resolves `relative` under `root`, or null if it would escape it. */
function inside(root: string, relative: string): string | null {
  const path = normalize(join(root, decodeURIComponent(relative)));
  return path === root || path.startsWith(root + sep) ? path : null;
}

function sendFile(res: ServerResponse, file: string | null): void {
  if (!file || !existsSync(file) || !statSync(file).isFile()) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
    return;
  }
  res.writeHead(200, { 'content-type': MIME[extname(file).toLowerCase()] ?? 'application/octet-stream', 'content-security-policy': CSP });
  createReadStream(file).pipe(res);
}

function readBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolveBody, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) reject(new Error('request body too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        resolveBody(text ? JSON.parse(text) : undefined);
      } catch {
        reject(new Error('request body is not JSON'));
      }
    });
    req.on('error', reject);
  });
}

export async function startHttpHost(service: CatalogueService, options: HostOptions = {}): Promise<RunningHost> {
  const host = options.host ?? '127.0.0.1';
  const token = isLoopback(host) ? null : randomBytes(24).toString('base64url');
  const handlers = createHandlers(service);
  const routes = new Map<string, Channel>((Object.keys(ipcContract) as Channel[]).map((c) => [splitChannel(c).join('/'), c]));
  const rendererDir = options.rendererDir && resolve(options.rendererDir);
  const events = new Set<ServerResponse>();
  const unsubscribe = service.jobs.subscribe((progress) => {
    for (const res of events) res.write(`data: ${JSON.stringify(progress)}\n\n`);
  });

  const authorised = (req: IncomingMessage, url: URL): boolean => {
    if (!token) return true;
    const given = req.headers.authorization?.replace(/^Bearer /, '') ?? url.searchParams.get('token') ?? '';
    const a = Buffer.from(given);
    const b = Buffer.from(token);
    return a.length === b.length && timingSafeEqual(a, b);
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://host');
    if (!authorised(req, url)) {
      res
        .writeHead(401, { 'content-type': 'application/json' })
        .end(JSON.stringify({ ok: false, error: { code: 'unauthorised', message: 'A valid token is required.' } }));
      return;
    }
    if (url.pathname === '/api/events' && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      res.write(': connected\n\n');
      events.add(res);
      req.on('close', () => events.delete(res));
      return;
    }
    if (url.pathname.startsWith('/api/')) {
      const channel = routes.get(url.pathname.slice('/api/'.length));
      if (req.method !== 'POST' || !channel) {
        res
          .writeHead(404, { 'content-type': 'application/json' })
          .end(JSON.stringify({ ok: false, error: { code: 'unknown-channel', message: `No operation at ${url.pathname}.` } }));
        return;
      }
      readBody(req).then(
        async (args) => {
          const result = await dispatch(handlers, channel, args);
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
        },
        (error: Error) => {
          res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: false, error: { code: 'bad-request', message: error.message } }));
        },
      );
      return;
    }
    const image = /^\/images\/(\d+)$/.exec(url.pathname);
    if (image) {
      // The original scan, by poster id: the path comes from the catalogue, never from the URL.
      sendFile(res, service.posterImage(Number(image[1]), 'image') ?? null);
      return;
    }
    if (url.pathname.startsWith('/thumbnails/')) {
      sendFile(res, inside(resolve(service.thumbnailsDir), url.pathname.slice('/thumbnails/'.length)));
      return;
    }
    if (!rendererDir) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('The renderer is not built: run "npm run build".');
      return;
    }
    sendFile(res, inside(rendererDir, url.pathname === '/' ? 'index.html' : url.pathname.slice(1)));
  });

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolveListen());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    server,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/`,
    token,
    close: () =>
      new Promise((resolveClose) => {
        unsubscribe();
        for (const res of events) res.end();
        server.close(() => resolveClose());
        server.closeAllConnections(); // keep-alive sockets of open pages would hold close() back
      }),
  };
}
