import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { displayName, openablePath } from './rawNames';

describe('names that are not UTF-8', () => {
  it('display as Windows-1252 and lead back to their bytes, folder and file alike', async () => {
    expect(displayName(Buffer.from('café.jpg'))).toEqual({ name: 'café.jpg', raw: false });
    expect(displayName(Buffer.from([0x63, 0x61, 0x66, 0xe9]))).toEqual({ name: 'café', raw: true });
    const dir = mkdtempSync(join(tmpdir(), 'raw-names-'));
    const rawDir = Buffer.concat([Buffer.from(dir + sep), Buffer.from([0x8a, 0x6f])]); // "Šo" in Windows-1252
    mkdirSync(rawDir);
    const rawFile = Buffer.concat([rawDir, Buffer.from(sep), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x2e, 0x6a, 0x70, 0x67])]);
    writeFileSync(rawFile, 'x');
    mkdirSync(join(dir, 'ünï'));
    writeFileSync(join(dir, 'ünï', 'plain.jpg'), 'y');
    expect(await openablePath(join(dir, 'Šo', 'café.jpg'))).toEqual(rawFile);
    expect(await openablePath(join(dir, 'ünï', 'plain.jpg'))).toBe(join(dir, 'ünï', 'plain.jpg'));
    expect(await openablePath(join(dir, 'missing.jpg'))).toBe(join(dir, 'missing.jpg'));
  });
});
