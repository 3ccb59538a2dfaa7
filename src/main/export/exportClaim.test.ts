import { existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../tests/helpers';
import { claimExportFile, exportLockFile } from './exportClaim';

const holder = (pid: number, host = hostname()) => JSON.stringify({ pid, host, tag: 'theirs', startedAt: new Date().toISOString() });

describe('claimExportFile across processes (the lock file beside the CSV)', () => {
  it('holds the lock while claimed and removes it on release, once', () => {
    const file = join(tempDir(), 'shop.csv');
    const release = claimExportFile(file);
    expect(JSON.parse(readFileSync(exportLockFile(file), 'utf8'))).toMatchObject({ pid: process.pid, host: hostname() });
    release();
    expect(existsSync(exportLockFile(file))).toBe(false);
    const again = claimExportFile(file);
    release(); // a second call of the first release does not free the second claim
    expect(existsSync(exportLockFile(file))).toBe(true);
    again();
  });

  it('refuses a lock from another host (its process cannot be asked), saying which lock file to remove', () => {
    const dir = tempDir();
    const file = join(dir, 'shop.csv');
    writeFileSync(exportLockFile(file), holder(4242, 'the-shop-pc'));
    expect(() => claimExportFile(file)).toThrow(
      expect.objectContaining({
        code: 'export-busy',
        message: expect.stringMatching(
          new RegExp(
            `^shop\\.csv in ${dir} is being written by another program \\(the command line or the app, process 4242 on the-shop-pc, since .*\\) \\(if nothing is exporting there, delete shop\\.csv\\.export-lock beside it\\)`,
          ),
        ),
      }),
    );
  });

  it("takes over a lock this process's own pid left (a crashed writer's pid came back to this process)", () => {
    const file = join(tempDir(), 'shop.csv');
    writeFileSync(exportLockFile(file), holder(process.pid));
    const release = claimExportFile(file);
    expect(JSON.parse(readFileSync(exportLockFile(file), 'utf8')).tag).not.toBe('theirs');
    release();
  });

  it('respects a lock still being written, but takes over one left half-written long ago', () => {
    const file = join(tempDir(), 'shop.csv');
    const lock = exportLockFile(file);
    writeFileSync(lock, '');
    expect(() => claimExportFile(file)).toThrow(expect.objectContaining({ code: 'export-busy' }));
    const minuteAgo = new Date(Date.now() - 60_000);
    utimesSync(lock, minuteAgo, minuteAgo);
    claimExportFile(file)();
    expect(existsSync(lock)).toBe(false);
  });

  it("leaves another writer's lock alone when releasing (it took over after this one's lock was removed by hand)", () => {
    const file = join(tempDir(), 'shop.csv');
    const release = claimExportFile(file);
    const theirs = holder(1, 'the-shop-pc');
    writeFileSync(exportLockFile(file), theirs);
    release();
    expect(readFileSync(exportLockFile(file), 'utf8')).toBe(theirs);
  });
});
