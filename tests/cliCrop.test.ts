import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BEDS, CASTS, makeScanVariant } from '../scripts/lib/scanVariants';
import { POSTERS, posterFiles, runCli, tempDir } from './helpers';

describe('command line: crop', () => {
  it('turns a scan crop off, draws one, finds it again, and says what is wrong with the arguments', async () => {
    const dir = tempDir();
    const db = join(dir, 'c.sqlite');
    mkdirSync(join(dir, 'in'));
    const { jpeg } = await makeScanVariant(readFileSync(join(POSTERS, posterFiles()[1] as string)), {
      posterHeight: 600,
      margins: { left: 0.04, top: 0.04, right: 0.04, bottom: 0.04 },
      bed: BEDS.cream as [number, number, number],
      angle: 1.5,
      cast: CASTS.none as [number, number, number],
      quality: 85,
      grain: 2,
    });
    writeFileSync(join(dir, 'in', 'scan.jpg'), jpeg);
    expect(runCli(['import', join(dir, 'in'), '--no-tag', '--db', db]).code).toBe(0);
    const off = runCli(['crop', '1', '--off', '--db', db, '--json']);
    expect(off.code).toBe(0);
    expect(off.json()).toMatchObject({ state: 'off', box: { angle: expect.closeTo(-1.5, 0) as unknown } });
    expect(off.stdout).toMatch(/Poster 1: the whole scan is used \(the box .* is kept for turning the crop on again\)/);
    const drawn = runCli(['crop', join(dir, 'in', 'scan.jpg'), '--box', '0.1,0.1,0.5,0.6', '--angle', '1', '--db', db, '--json']);
    expect(drawn.json()).toEqual({ state: 'manual', box: { left: 0.1, top: 0.1, width: 0.5, height: 0.6, angle: 1 } });
    expect(runCli(['crop', '1', '--detect', '--db', db, '--json']).json()).toMatchObject({ state: 'detected' });
    expect(runCli(['crop', '1', '--db', db])).toMatchObject({ code: 2, stderr: expect.stringMatching(/exactly one of --box/) as unknown });
    expect(runCli(['crop', '1', '--box', '1,2', '--db', db])).toMatchObject({ code: 2, stderr: expect.stringMatching(/four numbers/) as unknown });
    // a typed box lies within the scan: a width of 2 is a typo, not a box
    expect(runCli(['crop', '1', '--box', '0.1,0.1,2,2', '--db', db])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--box 0\.1,0\.1,2,2 reaches beyond the scan: .* here 2\.100 and 2\.100/) as unknown,
    });
    expect(runCli(['crop', '1', '--box', '0.5,0.5,0.8,0.8', '--db', db]).code).toBe(2);
    const tiny = runCli(['crop', '1', '--box', '0,0,0.01,0.5', '--db', db, '--json']);
    expect(tiny.code).toBe(1);
    expect(tiny.json()).toMatchObject({ error: { code: 'bad-crop' } });
  });
});
