import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError, messageOf } from './errors';

const dir = mkdtempSync(join(tmpdir(), 'errors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('messageOf', () => {
  it("says an operating system's refusal in words, not Node's code and syscall, keeping the path Node names", async () => {
    const missing = await open(join(dir, 'no-such-folder', 'shop.csv'), 'w').catch((e: unknown) => e);
    expect(messageOf(missing)).toBe(`the file or folder is not there (${join(dir, 'no-such-folder', 'shop.csv')})`);
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    const notDir = await open(join(file, 'shop.csv'), 'w').catch((e: unknown) => e);
    expect(messageOf(notDir)).toBe(`part of the path is not a folder (${join(file, 'shop.csv')})`);
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' });
    expect(messageOf(full)).toBe('the disk is full');
    // A copy into a folder that is not there: the source is fine, the destination is not — both are named.
    let copyError: unknown;
    try {
      copyFileSync(file, join(dir, 'no-such-folder', 'copy'));
    } catch (e) {
      copyError = e;
    }
    expect(messageOf(copyError)).toBe(`the file or folder is not there (${file} → ${join(dir, 'no-such-folder', 'copy')})`);
  });

  it("keeps every other message as it is: the application's own, a network refusal (it names the address), an unknown code, a thing thrown that is not an Error", () => {
    // Node's shape for a port it may not open: the message names the address, which the plain words would lose.
    const port = Object.assign(new Error('listen EACCES: permission denied 0.0.0.0:80'), { code: 'EACCES', syscall: 'listen', address: '0.0.0.0', port: 80 });
    expect(messageOf(port)).toBe('listen EACCES: permission denied 0.0.0.0:80');
    expect(messageOf(new AppError('export-busy', 'shop.csv is being written by another export.'))).toBe('shop.csv is being written by another export.');
    expect(messageOf(Object.assign(new Error('odd: something'), { code: 'EWEIRD', syscall: 'read' }))).toBe('odd: something');
    expect(messageOf(Object.assign(new Error('SQLITE_FULL: database or disk is full'), { code: 'SQLITE_FULL' }))).toBe('SQLITE_FULL: database or disk is full');
    expect(messageOf('plain words')).toBe('plain words');
  });
});
