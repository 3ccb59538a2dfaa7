import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../tests/helpers';
import { BACKUPS_ENV, backupsFolder, chooseBackupsFolder, foldersToList } from './location';

afterEach(() => {
  delete process.env[BACKUPS_ENV];
});

describe('where backups go', () => {
  it('beside the catalogue, or a chosen folder remembered outside the database, or the environment variable', () => {
    const dir = tempDir();
    const db = join(dir, 'catalogue.sqlite');
    expect(backupsFolder(db)).toBe(join(dir, 'backups'));
    const other = join(tempDir(), 'other-disk');
    expect(chooseBackupsFolder(db, other)).toBe(other);
    expect(JSON.parse(readFileSync(join(dir, 'catalogue.backups.json'), 'utf8'))).toEqual({ folder: other });
    expect(backupsFolder(db)).toBe(other);
    expect(foldersToList(db)).toEqual([other, join(dir, 'backups')]); // older backups beside the catalogue are still listed
    process.env[BACKUPS_ENV] = '/mnt/env-choice';
    expect(backupsFolder(db)).toBe('/mnt/env-choice');
    delete process.env[BACKUPS_ENV];
    expect(chooseBackupsFolder(db, null)).toBe(join(dir, 'backups'));
  });

  it('refuses a folder it cannot write to, and keeps the previous choice', () => {
    const dir = tempDir();
    const db = join(dir, 'catalogue.sqlite');
    writeFileSync(join(dir, 'a-file'), '');
    expect(() => chooseBackupsFolder(db, join(dir, 'a-file', 'backups'))).toThrow(/Backups cannot be kept in .*a-file.*Nothing was changed/);
    expect(backupsFolder(db)).toBe(join(dir, 'backups'));
  });

  it('makes the folder itself, but not a tree under a disk that is not there (the backups would land on this disk)', () => {
    const dir = tempDir();
    const db = join(dir, 'catalogue.sqlite');
    const unplugged = join(dir, 'media', 'usb', 'poster-backups');
    expect(() => chooseBackupsFolder(db, unplugged)).toThrow(
      /Backups cannot be kept in .*poster-backups: .*media.usb does not exist \(is its disk connected\?\)\. Nothing was changed/,
    );
    expect(existsSync(join(dir, 'media'))).toBe(false);
    expect(backupsFolder(db)).toBe(join(dir, 'backups'));
    mkdirSync(join(dir, 'media', 'usb'), { recursive: true }); // plugged in
    expect(chooseBackupsFolder(db, unplugged)).toBe(unplugged);
    expect(existsSync(unplugged)).toBe(true);
  });

  it('names the settings file and the reason when it is broken', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'catalogue.backups.json'), '{"folder": 3}');
    expect(() => backupsFolder(join(dir, 'catalogue.sqlite'))).toThrow(/catalogue\.backups\.json is not a backup setting/);
    writeFileSync(join(dir, 'catalogue.backups.json'), '{not json');
    expect(() => backupsFolder(join(dir, 'catalogue.sqlite'))).toThrow(/catalogue\.backups\.json cannot be read/);
  });
});
