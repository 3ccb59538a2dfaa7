/** Thumbnails are files named by content hash beside the catalogue; the database row is the truth. */
import type { Dirent } from 'node:fs';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { allThumbnails } from '../catalogue/posterRepository';
import type { Db } from '../db/open';

/**
 * `<sha>.jpg`, or `<sha>-<crop>.jpg` once staff have cropped the poster anew: a new name, so no
 * browser or cache shows the old crop under it.
 */
export const thumbnailName = (sha256: string, cropKey?: string): string => `${sha256.slice(0, 2)}/${sha256}${cropKey ? `-${cropKey}` : ''}.jpg`;
const SHARD = /^[0-9a-f]{2}$/;
/** A thumbnail, or one still under its temporary name (`<sha>.jpg.<pid>.tmp`). */
const OWN_FILE = /^[0-9a-f]{64}(-[0-9a-f]{8})?\.jpg(\.\d+\.tmp)?$/;
const OWN_NAME = /^[0-9a-f]{2}\/[0-9a-f]{64}(-[0-9a-f]{8})?\.jpg$/;

export class ThumbnailStore {
  private readonly madeDirs = new Set<string>();

  constructor(readonly root: string) {}

  /** Written under a temporary name and renamed, so a crash never leaves half a JPEG under the real name. */
  async write(sha256: string, data: Buffer, cropKey?: string): Promise<string> {
    return this.writeAs(thumbnailName(sha256, cropKey), data);
  }

  /** Under a name this store gave out (as a poster's row holds it). */
  async writeAs(name: string, data: Buffer): Promise<string> {
    if (!OWN_NAME.test(name)) throw new Error(`${name} is not a thumbnail name`);
    const target = join(this.root, name);
    const dir = dirname(target);
    if (!this.madeDirs.has(dir)) {
      await mkdir(dir, { recursive: true });
      this.madeDirs.add(dir);
    }
    const temp = `${target}.${process.pid}.tmp`;
    await writeFile(temp, data);
    await rename(temp, target);
    return name;
  }

  /**
   * Deletes thumbnails no poster refers to: what a crash left between writing a thumbnail and
   * committing its row. Returns how many were removed.
   */
  async removeOrphans(db: Db): Promise<number> {
    const known = allThumbnails(db);
    let removed = 0;
    let shards: Dirent[];
    try {
      shards = await readdir(this.root, { withFileTypes: true });
    } catch {
      return 0;
    }
    // Only real shard folders, and only names this store writes: a symbolic link planted in the
    // folder (to a user's documents, say) is neither followed nor emptied.
    for (const shard of shards) {
      if (!shard.isDirectory() || !SHARD.test(shard.name)) continue;
      let names: Dirent[];
      try {
        names = await readdir(join(this.root, shard.name), { withFileTypes: true });
      } catch {
        continue;
      }
      for (const entry of names) {
        if (!entry.isFile() || !OWN_FILE.test(entry.name)) continue;
        if (!known.has(`${shard.name}/${entry.name}`)) {
          await rm(join(this.root, shard.name, entry.name), { force: true });
          removed++;
        }
      }
    }
    return removed;
  }
}
