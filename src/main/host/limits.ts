/** How much of the host one client may take: body size, time to send a request, connections. */
import type { IncomingMessage } from 'node:http';

export interface HostLimits {
  /** Largest JSON argument; every operation's argument is far smaller. */
  maxBodyBytes: number;
  maxHeaderBytes: number;
  /** Time from a request's first byte to its last header (slow-header clients). */
  headersTimeoutMs: number;
  /** Time to receive a whole request, body included (slow-body clients). */
  requestTimeoutMs: number;
  /** A connection silent this long, in either direction, is closed (event streams excepted). */
  idleTimeoutMs: number;
  keepAliveTimeoutMs: number;
  /** How often Node looks for requests past their timeouts. */
  checkIntervalMs: number;
  /** Open sockets at once; a browser uses at most six per origin. */
  maxConnections: number;
  maxEventStreams: number;
}

export const DEFAULT_LIMITS: HostLimits = {
  maxBodyBytes: 1 << 20,
  maxHeaderBytes: 16 * 1024,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  idleTimeoutMs: 120_000,
  keepAliveTimeoutMs: 5_000,
  checkIntervalMs: 1_000,
  maxConnections: 64,
  maxEventStreams: 16,
};

export function hostLimits(given: Partial<HostLimits> = {}): HostLimits {
  const limits = { ...DEFAULT_LIMITS, ...given };
  // Node refuses a headers timeout longer than the request timeout.
  limits.requestTimeoutMs = Math.max(limits.requestTimeoutMs, limits.headersTimeoutMs);
  return limits;
}

export type Body = { ok: true; value: unknown } | { ok: false; status: 400 | 413; message: string };

/** Reads a JSON body up to `max` bytes; past it, stops reading at once (the caller answers 413 and closes). */
export function readJsonBody(req: IncomingMessage, max: number): Promise<Body> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > max) return Promise.resolve({ ok: false, status: 413, message: `The request body is larger than ${max} bytes.` });
  return new Promise((resolve) => {
    let size = 0;
    const chunks: Buffer[] = [];
    const finish = (body: Body): void => {
      req.removeListener('data', onData);
      resolve(body);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > max) {
        req.pause();
        finish({ ok: false, status: 413, message: `The request body is larger than ${max} bytes.` });
      } else chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('error', () => finish({ ok: false, status: 400, message: 'The request body could not be read.' }));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        finish({ ok: true, value: text ? JSON.parse(text) : undefined });
      } catch {
        finish({ ok: false, status: 400, message: 'The request body is not JSON.' });
      }
    });
  });
}
