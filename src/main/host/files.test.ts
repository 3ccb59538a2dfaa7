import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { get, createServer, type IncomingMessage, type ServerResponse, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openRegular, sendHandle } from './files';

const dir = mkdtempSync(join(tmpdir(), 'files-'));
const file = join(dir, 'scan.jpg');
writeFileSync(file, Buffer.alloc(8 * 1024 * 1024, 7)); // larger than any socket buffer
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let server: Server | undefined;
afterEach(() => server?.close());

/** Serves `file` through sendHandle, after `before` has run; resolves with the handle once the response has ended, however. */
async function serving(before: (req: IncomingMessage, res: ServerResponse) => Promise<void>): Promise<{ url: string; served: Promise<FileHandle> }> {
  let done!: (handle: FileHandle) => void;
  const served = new Promise<FileHandle>((resolve) => (done = resolve));
  server = createServer((req, res) => {
    void (async () => {
      await before(req, res);
      const handle = await openRegular(file, false);
      if (!handle) throw new Error('not opened');
      await sendHandle(req, res, handle, 'image/jpeg');
      if (!res.destroyed) await new Promise((r) => res.once('close', r));
      await new Promise((r) => setTimeout(r, 50)); // the handle's own close is asynchronous
      done(handle);
    })();
  });
  await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, served };
}

const closed = (handle: FileHandle): boolean => handle.fd === -1;

describe('sendHandle', () => {
  it('sends the whole file and closes it', async () => {
    const { url, served } = await serving(async () => undefined);
    const bytes = await new Promise<number>((resolve) =>
      get(url, (res) => {
        let n = 0;
        res.on('data', (c: Buffer) => (n += c.length));
        res.on('end', () => resolve(n));
      }),
    );
    expect(bytes).toBe(8 * 1024 * 1024);
    expect(closed(await served)).toBe(true);
  });

  it('closes the file when the page went away while it was being opened (a thumbnail scrolled past, a tab closed)', async () => {
    const { url, served } = await serving((_req, res) => new Promise((r) => res.on('close', r)));
    const request = get(url).on('error', () => undefined);
    setTimeout(() => request.destroy(), 50);
    expect(closed(await served)).toBe(true);
  });

  it('closes the file when the page goes away halfway through it', async () => {
    const { url, served } = await serving(async () => undefined);
    get(url, (res) => res.once('data', () => res.destroy())).on('error', () => undefined);
    expect(closed(await served)).toBe(true);
  });
});
