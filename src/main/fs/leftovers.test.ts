import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sweepLeftovers } from './leftovers';

describe('temporary files left by a killed process', () => {
  // A pid whose process has exited, and one that is alive for the length of the test.
  const dead = spawnSync(process.execPath, ['-e', '']).pid as number;
  const alive = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)']);
  afterAll(() => alive.kill());

  it("removes only the named file's leftovers whose writer is gone, never a live writer's or the file itself", () => {
    const dir = mkdtempSync(join(tmpdir(), 'leftovers-'));
    for (const name of ['shop.csv', `shop.csv.${dead}.partial`, `shop.csv.${alive.pid}.partial`, `other.csv.${dead}.partial`, `shop.csv.${dead}.tmp`])
      writeFileSync(join(dir, name), 'x');
    expect(sweepLeftovers(dir, 'partial', 'shop.csv')).toEqual([`shop.csv.${dead}.partial`]);
    expect(readdirSync(dir).sort()).toEqual(['other.csv.' + dead + '.partial', 'shop.csv', `shop.csv.${alive.pid}.partial`, `shop.csv.${dead}.tmp`].sort());
  });

  it('with no prefix sweeps every dead writer’s file of that suffix, and a missing folder is nothing to sweep', () => {
    const dir = mkdtempSync(join(tmpdir(), 'leftovers-'));
    for (const name of [`v2.onnx.${dead}.tmp`, `v2-1950s.onnx.${dead}.tmp`, 'v1.onnx', `v3.onnx.${process.pid}.tmp`]) writeFileSync(join(dir, name), 'x');
    expect(sweepLeftovers(dir, 'tmp').sort()).toEqual([`v2-1950s.onnx.${dead}.tmp`, `v2.onnx.${dead}.tmp`]);
    expect(existsSync(join(dir, `v3.onnx.${process.pid}.tmp`))).toBe(true); // this process is writing it
    expect(sweepLeftovers(join(dir, 'nope'), 'tmp')).toEqual([]);
  });
  it("sweeps an export's own-named leftovers (`<file>.<pid>-<tag>.partial`) of a dead writer, never a live one's or this process's", () => {
    const dir = mkdtempSync(join(tmpdir(), 'leftovers-'));
    const names = [`shop.csv.${dead}-1a2b3c4d.partial`, `shop.csv.${alive.pid}-5e6f7a8b.partial`, `shop.csv.${process.pid}-9c0d1e2f.partial`];
    for (const name of names) writeFileSync(join(dir, name), 'x');
    expect(sweepLeftovers(dir, 'partial', 'shop.csv')).toEqual([`shop.csv.${dead}-1a2b3c4d.partial`]);
    expect(readdirSync(dir).sort()).toEqual(names.slice(1).sort());
  });
});
