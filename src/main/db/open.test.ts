import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../tests/helpers';
import { openCatalogue } from './open';

// Root writes everywhere whatever the modes, so these run only as another user (checked by hand as nobody).
describe.skipIf(process.getuid?.() === 0)('a catalogue that cannot be written', () => {
  const sound = (dir: string) => {
    const path = join(dir, 'c.sqlite');
    openCatalogue(path).db.close();
    return path;
  };

  it('in a read-only folder is said to be that, not damaged', () => {
    const dir = tempDir();
    const path = sound(dir);
    chmodSync(dir, 0o555);
    try {
      expect(() => openCatalogue(path)).toThrow(
        `The catalogue ${path} cannot be opened: its folder cannot be written to (SQLite keeps its journal beside the catalogue). Copy it to a folder you can write to, or change the permissions.`,
      );
    } finally {
      chmodSync(dir, 0o755);
    }
  });

  it('as a read-only file, or under a folder that cannot be made, is said plainly', () => {
    const path = sound(tempDir());
    chmodSync(path, 0o444);
    expect(() => openCatalogue(path)).toThrow(`The catalogue ${path} cannot be opened: the file is read-only.`);
    const locked = join(tempDir(), 'locked');
    mkdirSync(locked, { mode: 0o555 });
    expect(() => openCatalogue(join(locked, 'new', 'c.sqlite'))).toThrow(`The folder ${join(locked, 'new')} for the catalogue cannot be made: `);
  });
});
