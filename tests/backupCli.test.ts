import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyPosters, runCli, tempDir } from './helpers';

const cli = runCli;

describe('backups on the command line', () => {
  it('backs up, lists, and brings a damaged catalogue back with one command', () => {
    const dir = tempDir();
    const db = join(dir, 'c.sqlite');
    copyPosters(join(dir, 'in'));
    expect(cli(['import', join(dir, 'in'), '--no-tag', '--db', db]).code).toBe(0);
    expect(cli(['label', '3', '--genres', 'Horror|Thriller', '--reviewer', 'ann', '--db', db]).code).toBe(0);
    const backup = cli(['backup', '--db', db, '--json']);
    expect(backup.code).toBe(0);
    expect(backup.stdout).toMatch(/Backed up and verified: .*backups/);
    const made = backup.json() as { name: string; posters: number; reviewed: number };
    expect(made).toMatchObject({ posters: 12, reviewed: 1, reason: 'manual' });

    const other = join(dir, 'usb-stick');
    const once = cli(['backup', '--to', other, '--db', db, '--json']);
    expect(once.code).toBe(0);
    expect(readdirSync(other)).toEqual([once.json().name]);

    const listed = cli(['backups', '--db', db, '--json']);
    expect(listed.stdout).toContain(made.name);
    expect(listed.json().backups.map((b: { name: string }) => b.name)).toContain(made.name);

    // a sync tool wrote half the file: everything after the first 40 KiB is gone
    writeFileSync(db, readFileSync(db).subarray(0, 40_960));
    const stats = cli(['history', '3', '--db', db]);
    expect(stats.stderr).toMatch(/c\.sqlite is damaged: SQLite's check found/);
    expect(stats.stderr).toContain(`Restore it with: restore ${made.name}`);
    const check = cli(['check', '--db', db, '--json']);
    expect(check.json()).toMatchObject({ damaged: true, offer: { name: made.name } });

    const unconfirmed = cli(['restore', 'latest', '--db', db]);
    expect(unconfirmed.code).toBe(1);
    expect(unconfirmed.stderr).toMatch(/Add --yes to go ahead/);

    const restored = cli(['restore', made.name, '--yes', '--db', db, '--json']);
    expect(restored.code).toBe(0);
    expect(restored.stdout).toMatch(/Restored .*: 12 posters, 1 reviewed/);
    expect(restored.stdout).toMatch(/Made again from the scans: 0 thumbnails, image features of 12 posters/);
    const kept = restored.json().previous.keptAside[0] as string;
    expect(existsSync(kept)).toBe(true);
    expect(readFileSync(kept).length).toBe(40_960);
    const history = cli(['history', '3', '--db', db]);
    expect(history.stderr).not.toMatch(/damaged/);
    expect(history.stdout).toMatch(/Horror\|Thriller .* by ann/);
    expect(cli(['check', '--full', '--db', db]).stdout).toMatch(/passes SQLite's full integrity check/);
    expect(cli(['restore', 'no-such-backup', '--yes', '--db', db]).stderr).toMatch(/There is no backup "no-such-backup"/);
  });

  it('deletes a backup only when asked twice, and restores another catalogue only when told it is one', () => {
    const dir = tempDir();
    const db = join(dir, 'c.sqlite');
    const other = join(dir, 'elsewhere', 'c.sqlite');
    copyPosters(join(dir, 'in'));
    expect(cli(['import', join(dir, 'in'), '--no-tag', '--db', db]).code).toBe(0);
    expect(cli(['genres', 'add', 'Giallo', '--db', other]).code).toBe(0); // another catalogue of the same file name, no posters
    const first = cli(['backup', '--db', db, '--json']).json() as { name: string; path: string };
    const second = cli(['backup', '--db', db, '--json']).json() as { name: string };

    const unconfirmed = cli(['backups', '--delete', first.name, '--db', db]);
    expect(unconfirmed).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/Delete .* \(12 posters, 0 reviewed, .*\)\? This cannot be undone\. Add --yes/),
    });
    expect(existsSync(first.path)).toBe(true);
    const deleted = cli(['backups', '--delete', first.name, '--yes', '--db', db]);
    expect(deleted.code).toBe(0);
    expect(existsSync(first.path)).toBe(false);
    const left = cli(['backups', '--db', db, '--json'])
      .json()
      .backups.map((b: { name: string }) => b.name);
    expect(left).toContain(second.name); // and the automatic one after the import
    expect(left).not.toContain(first.name);
    expect(cli(['backups', '--delete', 'nope', '--yes', '--db', db]).stderr).toMatch(/There is no backup "nope" of .* to delete/);

    // the other catalogue's backup, given by its folder: refused, then restored when that is what is meant
    const theirs = cli(['backup', '--to', join(dir, 'usb'), '--db', other, '--json']).json() as { path: string };
    const refused = cli(['restore', theirs.path, '--yes', '--db', db]);
    expect(refused).toMatchObject({ code: 1, stderr: expect.stringMatching(/is a backup of another catalogue .* --other-catalogue/) });
    expect(cli(['stats', '--db', db, '--json']).json()).toMatchObject({ posters: 12 });
    const meant = cli(['restore', theirs.path, '--yes', '--other-catalogue', '--db', db]);
    expect(meant.code).toBe(0);
    expect(cli(['stats', '--db', db, '--json']).json()).toMatchObject({ posters: 0 });
    // it is still this catalogue: its own backups are listed, the other's are not
    const listed = cli(['backups', '--db', db, '--json'])
      .json()
      .backups.map((b: { name: string; reason: string }) => b.reason);
    expect(listed).toEqual(expect.arrayContaining(['pre-restore', 'manual']));
  });
});
