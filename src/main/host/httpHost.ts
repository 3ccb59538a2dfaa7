/**
 * The browser host: the same handlers as Electron's IPC, over HTTP, for a second reviewer's
 * browser and for end-to-end tests.
 *   POST /api/<domain>/<verb>   JSON argument in, IpcResult out (validated by dispatch)
 *   GET  /api/events            job progress as server-sent events
 *   GET  /thumbnails/<name>     poster thumbnails
 *   GET  /images/<posterId>     the original scan
 *   GET  /*                     the built renderer (out/renderer)
 * Every request needs the per-launch secret, loopback included (a page in the user's own browser
 * is the attacker loopback does not stop): the printed `/?token=…` URL moves it into a cookie and
 * redirects it out of the address bar; scripts send `Authorization: Bearer …`. The door checks
 * (Host, secret, origin, JSON) are in security.ts, with where each comes from.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { ipcContract, splitChannel, type Channel } from '../../shared/ipc';
import { createHandlers, dispatch } from '../handlers';
import { openablePath } from '../import/rawNames';
import type { CatalogueService } from '../service';
import { mimeOf, openInside, openRegular, parseTarget, sendHandle, servedRoot } from './files';
import { type HostLimits, hostLimits, readJsonBody } from './limits';
import {
  allowedHostNames,
  cookieName,
  createSecret,
  crossOriginWrite,
  crossSiteRead,
  hostAllowed,
  interfaceAddresses,
  isJson,
  isLoopback,
  isWildcard,
  presentedSecret,
  sameSecret,
  sessionCookie,
} from './security';

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
/** On every answer: no sniffing, no embedding elsewhere, no Referer carrying our URLs away. */
const BASE_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'cross-origin-resource-policy': 'same-origin',
  'referrer-policy': 'no-referrer',
};

export interface HostOptions {
  port?: number;
  host?: string;
  /** Folder of the built renderer; nothing is served from / when absent. */
  rendererDir?: string;
  /** HTTPS for a LAN: PEM certificate and key (contents, not paths). */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** Host names (besides the bound address) a browser may use to reach the host, e.g. "scanner-pc.local". */
  allowedHosts?: string[];
  limits?: Partial<HostLimits>;
}

export interface RunningHost {
  server: Server;
  /** Where a browser on this computer reaches the host (no secret in it). */
  url: string;
  /** `url` with the secret: the one link to open (or print). */
  openUrl: string;
  /** The same link for each of this computer's other addresses, when bound to all of them. */
  otherUrls: string[];
  /** The per-launch secret (Bearer for scripts). */
  token: string;
  secure: boolean;
  close(): Promise<void>;
}

type Json = { ok: false; error: { code: string; message: string } };
const problem = (code: string, message: string): Json => ({ ok: false, error: { code, message } });

function send(res: ServerResponse, status: number, body: Json, extra: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { ...BASE_HEADERS, 'content-type': 'application/json', 'cache-control': 'no-store', ...extra }).end(JSON.stringify(body));
}

const wantsPage = (req: IncomingMessage): boolean => req.headers['sec-fetch-dest'] === 'document' || /text\/html/.test(req.headers.accept ?? '');

function signInPage(res: ServerResponse): void {
  res
    .writeHead(401, { ...BASE_HEADERS, 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-security-policy': CSP })
    .end(
      '<!doctype html><meta charset="utf-8"><title>Poster Catalogue</title><h1>Poster Catalogue</h1>' +
        '<p>This browser has no session with the host. Open the link printed where <code>npm run serve</code> was started ' +
        '(<code>…/?token=…</code>); it is new at every start.</p>',
    );
}

export async function startHttpHost(service: CatalogueService, options: HostOptions = {}): Promise<RunningHost> {
  const bind = options.host ?? '127.0.0.1';
  const secure = options.tls !== undefined;
  const limits = hostLimits(options.limits);
  const secret = createSecret();
  const names = allowedHostNames(bind, options.allowedHosts);
  const handlers = createHandlers(service);
  const routes = new Map<string, Channel>((Object.keys(ipcContract) as Channel[]).map((c) => [splitChannel(c).join('/'), c]));
  const rendererRoot = options.rendererDir ? await servedRoot(options.rendererDir) : null;
  const events = new Map<string, ServerResponse>();
  const unsubscribe = service.jobs.subscribe((progress) => {
    for (const res of events.values()) res.write(`data: ${JSON.stringify(progress)}\n\n`);
  });
  // Comments keep idle event streams alive through proxies and show a dead client quickly.
  const heartbeat = setInterval(() => {
    for (const res of events.values()) res.write(': \n\n');
  }, 15_000);
  heartbeat.unref();
  let port = 0;
  let cookie = '';

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const target = parseTarget(req.url);
    if (!target) return send(res, 400, problem('bad-request', 'The request target is malformed.'), { connection: 'close' });
    if (!hostAllowed(req.headers.host, names, port, secure)) {
      return send(res, 403, problem('host-not-allowed', `This host does not answer to "${req.headers.host ?? ''}".`));
    }
    if (req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'POST') {
      return send(res, 405, problem('method-not-allowed', `${req.method ?? ''} is not supported.`), { allow: 'GET, HEAD, POST' });
    }
    const { segments, query } = target;
    const path = `/${segments.map(encodeURIComponent).join('/')}`;

    // The printed link: the secret moves into the cookie and out of the address bar.
    const fromLink = query.get('token');
    if (fromLink !== null && req.method !== 'POST') {
      if (!sameSecret(fromLink, secret)) return wantsPage(req) ? signInPage(res) : send(res, 401, problem('unauthorised', 'The token is not valid.'));
      query.delete('token');
      const location = `${path}${query.size > 0 ? `?${query}` : ''}`;
      const headers = { ...BASE_HEADERS, 'set-cookie': sessionCookie(cookie, secret, secure), 'cache-control': 'no-store' };
      if (req.headers['sec-fetch-site'] === 'same-site' || req.headers['sec-fetch-site'] === 'cross-site') {
        // Opened from a link on another site: a redirect would still count as that site's navigation
        // and carry no SameSite=Strict cookie, so the next step is made by our own page instead.
        const html = `<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0; url=${location.replaceAll('"', '%22')}"><title>Poster Catalogue</title>`;
        res.writeHead(200, { ...headers, 'content-type': 'text/html; charset=utf-8', 'content-security-policy': CSP }).end(html);
        return;
      }
      res.writeHead(303, { ...headers, location }).end();
      return;
    }
    if (!sameSecret(presentedSecret(req, cookie), secret)) {
      return wantsPage(req) ? signInPage(res) : send(res, 401, problem('unauthorised', 'A valid token is required (open the printed link).'));
    }

    if (req.method === 'POST') {
      const refused = crossOriginWrite(req, `${secure ? 'https' : 'http'}://${req.headers.host ?? ''}`);
      if (refused) return send(res, 403, problem('cross-origin', `Refused: ${refused}.`));
      if (!isJson(req)) return send(res, 415, problem('unsupported-media-type', 'Operations take Content-Type: application/json.'));
      const channel = segments[0] === 'api' && segments.length === 3 ? routes.get(`${segments[1]}/${segments[2]}`) : undefined;
      if (!channel) return send(res, 404, problem('unknown-channel', `No operation at ${path}.`));
      const body = await readJsonBody(req, limits.maxBodyBytes);
      if (!body.ok) {
        // Over the cap: answer and hang up rather than read the rest.
        send(res, body.status, problem(body.status === 413 ? 'too-large' : 'bad-request', body.message), body.status === 413 ? { connection: 'close' } : {});
        return;
      }
      const result = await dispatch(handlers, channel, body.value);
      res.writeHead(200, { ...BASE_HEADERS, 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(result));
      return;
    }

    const refused = crossSiteRead(req);
    if (refused) return send(res, 403, problem('cross-origin', `Refused: ${refused}.`));
    if (segments[0] === 'api') {
      if (segments.length !== 2 || segments[1] !== 'events') return send(res, 404, problem('unknown-channel', 'Operations are POST only.'));
      if (req.method !== 'GET') return send(res, 405, problem('method-not-allowed', 'The event stream is GET only.'), { allow: 'GET' });
      if (events.size >= limits.maxEventStreams) return send(res, 503, problem('busy', 'Too many open event streams.'));
      const id = randomUUID();
      req.socket.setTimeout(0); // quiet between jobs by nature; the heartbeat shows when it is gone
      res.writeHead(200, { ...BASE_HEADERS, 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      res.write(': connected\n\n');
      events.set(id, res);
      req.on('close', () => events.delete(id));
      return;
    }
    if (segments[0] === 'images' && segments.length === 2 && /^\d{1,15}$/.test(segments[1] ?? '')) {
      // The original scan, by poster id: the path comes from the catalogue, never from the URL,
      // and it must still be the regular JPEG file of the size that was imported.
      const poster = service.library.posterFile(Number(segments[1]));
      const file = poster ? await openRegular(await openablePath(poster.path), false) : null;
      if (file && poster && (await file.stat()).size === poster.bytes) return sendHandle(req, res, file, 'image/jpeg', BASE_HEADERS);
      await file?.close();
      return send(res, 404, problem('not-found', 'No such scan.'));
    }
    if (segments[0] === 'thumbnails') {
      const root = await servedRoot(service.thumbnailsDir);
      const file = root ? await openInside(root, segments.slice(1)) : null;
      if (file) return sendHandle(req, res, file, 'image/jpeg', BASE_HEADERS);
      return send(res, 404, problem('not-found', 'No such thumbnail.'));
    }
    if (!rendererRoot) return send(res, 404, problem('not-built', 'The renderer is not built: run "npm run build".'));
    const wanted = segments.length === 1 && segments[0] === '' ? ['index.html'] : segments;
    const file = await openInside(rendererRoot, wanted);
    if (file) return sendHandle(req, res, file, mimeOf(wanted.at(-1) ?? ''), { ...BASE_HEADERS, 'content-security-policy': CSP });
    return send(res, 404, problem('not-found', 'Not found.'));
  };

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch(() => send(res, 500, problem('internal', 'The host could not answer this request.')));
  };
  const serverOptions = {
    maxHeaderSize: limits.maxHeaderBytes,
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: limits.checkIntervalMs,
  };
  const server: Server = options.tls ? createTlsServer({ ...serverOptions, ...options.tls }, listener) : createServer(serverOptions, listener);
  server.maxConnections = limits.maxConnections;
  server.setTimeout(limits.idleTimeoutMs); // a connection that goes quiet (sending nothing, reading nothing) is closed

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, bind, () => resolveListen());
  });
  // After listening, a server error is a refused accept (too many open files, …): the connection
  // is lost, the host is not; without a listener Node would end the process.
  server.on('error', (error) => console.error(`poster-catalogue host: ${error.message}`));
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : (options.port ?? 0);
  cookie = cookieName(port, secure);
  const scheme = secure ? 'https' : 'http';
  const urlOf = (h: string) => `${scheme}://${h.includes(':') ? `[${h}]` : h}:${port}/`;
  const local = bind === '::' ? '::1' : isWildcard(bind) ? '127.0.0.1' : bind;
  const url = urlOf(local);
  const withToken = (u: string) => `${u}?token=${secret}`;
  const others = isWildcard(bind) ? interfaceAddresses().filter((a) => !isLoopback(a) && !a.startsWith('fe80:') && (bind === '::' || !a.includes(':'))) : [];
  return {
    server,
    url,
    openUrl: withToken(url),
    otherUrls: others.map((a) => withToken(urlOf(a))),
    token: secret,
    secure,
    close: () =>
      new Promise((resolveClose) => {
        unsubscribe();
        clearInterval(heartbeat);
        for (const res of events.values()) res.end();
        server.close(() => resolveClose());
        server.closeAllConnections(); // keep-alive sockets of open pages would hold close() back
      }),
  };
}
