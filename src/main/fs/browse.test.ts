import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../tests/helpers';
import { browseFolder } from './browse';
import { expandHome, userPath } from './userPath';

describe('browsing host folders for the pickers', () => {
  const saved = process.env.HOME;
  let home: string;
  beforeEach(() => {
    home = tempDir();
    process.env.HOME = home; // os.homedir() reads it
    mkdirSync(join(home, 'Vendors', 'acme'), { recursive: true });
    mkdirSync(join(home, 'Vendors', '.cache'));
    mkdirSync(join(home, 'Vendors', 'Zeta 10'));
    mkdirSync(join(home, 'Vendors', 'Zeta 9'));
    writeFileSync(join(home, 'Vendors', 'a.JPG'), 'not read');
    writeFileSync(join(home, 'Vendors', 'b.jpeg'), 'not read');
    writeFileSync(join(home, 'Vendors', 'notes.txt'), 'secret');
    writeFileSync(join(home, 'Vendors', 'shop.csv'), 'id\n');
    symlinkSync(join(home, 'Vendors', 'acme'), join(home, 'Vendors', 'linked'));
  });
  afterEach(() => {
    process.env.HOME = saved;
  });

  it('lists subfolders and the files that matter for the purpose, never hidden entries or contents, with ~ understood', async () => {
    const forImport = await browseFolder('~/Vendors', 'import');
    expect(forImport).toEqual({
      path: join(home, 'Vendors'),
      parent: home,
      home,
      folders: ['acme', 'linked', 'Zeta 9', 'Zeta 10'],
      files: ['a.JPG', 'b.jpeg'],
      fileCount: 2,
      leftOut: 0,
    });
    expect((await browseFolder(join(home, 'Vendors'), 'export')).files).toEqual(['shop.csv']);
    expect((await browseFolder(undefined, 'import')).path).toBe(home);
    expect((await browseFolder('/', 'import')).parent).toBeNull();
  });

  it('says plainly why a folder cannot be browsed', async () => {
    await expect(browseFolder('~/Vendors/nope', 'import')).rejects.toMatchObject({
      code: 'folder-unreadable',
      message: `The folder ${join(home, 'Vendors', 'nope')} does not exist.`,
    });
    await expect(browseFolder('~/Vendors/shop.csv', 'import')).rejects.toMatchObject({ code: 'not-a-folder' });
    await expect(browseFolder('~/Vendors/shop.csv/x', 'import')).rejects.toThrow(/is not a folder \(part of it is a file\)/);
    await expect(browseFolder('Vendors', 'import')).rejects.toMatchObject({ code: 'path-not-absolute' });
  });

  it('expands ~ only at the start, and refuses relative paths instead of resolving them against the app', () => {
    expect(expandHome('~')).toBe(home);
    expect(expandHome('~/a/b')).toBe(join(home, 'a', 'b'));
    expect(expandHome('/x/~/y')).toBe('/x/~/y');
    expect(userPath(' ~/Vendors/../Vendors/acme ', 'a folder')).toBe(join(home, 'Vendors', 'acme'));
    expect(() => userPath('shop.csv', 'where to save')).toThrow(/"shop.csv" is not a full path/);
  });
});
