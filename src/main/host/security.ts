/**
 * The browser host's door checks, kept apart from routing so each rule reads on its own.
 * What we took from the local servers that have been attacked before us:
 *  - Jupyter Server (jupyter_server/base/handlers.py, `check_host`, `check_origin`, `check_xsrf_cookie`):
 *    a per-launch token even on loopback; a `Host` header that must name a local address or an
 *    allowed host name, answered 403 otherwise (its defence against DNS rebinding); cross-origin
 *    state changes refused.
 *  - VS Code server (src/vs/server/node/webClientServer.ts and serverConnectionToken.ts): the
 *    connection token arrives once as a query parameter, is moved into a cookie, and the browser
 *    is redirected to the same URL without it, so the secret leaves the address bar. We keep the
 *    redirect and make the cookie stricter (HttpOnly, SameSite=Strict, and per port: cookies do
 *    not isolate ports).
 *  - Immich (server/src/utils/response.ts): the access token lives in an HttpOnly cookie whose
 *    Secure flag follows the connection, and programmatic clients send the same secret as
 *    `Authorization: Bearer`.
 * Fetch Metadata (`Sec-Fetch-Site`) follows the "resource isolation policy" of web.dev/fetch-metadata.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';

/** 256 random bits, new at every start: nothing to configure, nothing stored on disk. */
export const createSecret = (): string => randomBytes(32).toString('base64url');

/** Constant time, whatever the lengths: both sides are hashed to 32 bytes before comparing. */
export function sameSecret(given: string | null | undefined, secret: string): boolean {
  if (!given) return false;
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(secret));
}

/** Cookies are shared between ports of one host name, so two hosts on one machine get two names. */
export const cookieName = (port: number, secure: boolean): string => `${secure ? '__Host-' : ''}poster-catalogue-${port}`;

export function sessionCookie(name: string, secret: string, secure: boolean): string {
  return `${name}=${secret}; Path=/; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}

const header = (req: IncomingMessage, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** The secret a request carries: `Authorization: Bearer …` (scripts) or the session cookie (browsers). */
export function presentedSecret(req: IncomingMessage, cookie: string): string | null {
  const bearer = /^Bearer\s+(\S+)$/i.exec(header(req, 'authorization') ?? '');
  if (bearer) return bearer[1] ?? null;
  for (const part of (header(req, 'cookie') ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === cookie) return part.slice(eq + 1).trim();
  }
  return null;
}

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1'];
export const isLoopback = (address: string): boolean => LOOPBACK_NAMES.includes(address) || /^127\.\d+\.\d+\.\d+$/.test(address);
export const isWildcard = (address: string): boolean => address === '0.0.0.0' || address === '::';

/** Addresses of this computer's interfaces: what a LAN client may put in `Host` when bound to all of them. */
export function interfaceAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flatMap((list) => list ?? [])
    .map((i) => i.address);
}

/**
 * Names a `Host` header may carry: the address the host is bound to (and, on loopback, the
 * loopback names), every interface address when bound to all of them (looked up again on a miss,
 * so a new DHCP lease works), and names given with --allow-host. A DNS-rebinding page sends its
 * own name (`attacker.test`) and is refused.
 */
export function allowedHostNames(bind: string, extra: readonly string[] = []): { has(name: string): boolean } {
  const names = new Set<string>([bind, ...extra].map((n) => n.toLowerCase()));
  if (isLoopback(bind) || isWildcard(bind)) for (const n of LOOPBACK_NAMES) names.add(n);
  return {
    has: (name) => names.has(name) || (isWildcard(bind) && isIP(name) !== 0 && interfaceAddresses().some((a) => a.toLowerCase() === name)),
  };
}

/** True when `Host` names one of `names` on `port` (a missing port means the scheme's default). */
export function hostAllowed(value: string | undefined, names: { has(name: string): boolean }, port: number, secure: boolean): boolean {
  if (!value) return false;
  const match = /^(?:\[([0-9a-f:.]+)\]|([^:[\]]+))(?::(\d{1,5}))?$/i.exec(value.trim());
  if (!match) return false;
  const name = (match[1] ?? match[2] ?? '').toLowerCase();
  const given = match[3] === undefined ? (secure ? 443 : 80) : Number(match[3]);
  if (match[1] !== undefined && isIP(name) !== 6) return false;
  return given === port && names.has(name);
}

/**
 * Reads (GET, HEAD): a page on another origin may not load our scans, thumbnails, events or
 * scripts as sub-resources (no cross-site leak through <img> or timing); a top-level navigation
 * is allowed, since the page that started it can read nothing of the answer.
 */
export function crossSiteRead(req: IncomingMessage): string | null {
  const site = header(req, 'sec-fetch-site');
  if (site === undefined || site === 'same-origin' || site === 'none') return null;
  if (header(req, 'sec-fetch-mode') === 'navigate' && header(req, 'sec-fetch-dest') === 'document') return null;
  return `a ${site} request for a sub-resource is refused`;
}

/**
 * Writes (every POST): the browser must say the request comes from our own origin. Clients that
 * are not browsers send neither header and are judged by their Bearer secret alone. Note that
 * another port of 127.0.0.1 is "same-site", so SameSite=Strict alone would not stop it.
 */
export function crossOriginWrite(req: IncomingMessage, ownOrigin: string): string | null {
  const site = header(req, 'sec-fetch-site');
  if (site !== undefined && site !== 'same-origin') return `a ${site} request may not change anything`;
  const origin = header(req, 'origin');
  if (origin !== undefined && origin !== ownOrigin) return `requests from ${origin} may not change anything`;
  return null;
}

/** State changes take JSON only: a form or a "simple" fetch cannot send it without a CORS preflight, which we never grant. */
export function isJson(req: IncomingMessage): boolean {
  return (header(req, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase() === 'application/json';
}
