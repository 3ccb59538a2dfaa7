/** Thumbnails are files named by content hash beside the catalogue; the database row is the truth. */
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { allThumbnails } from '../catalogue/posterRepository';
import type { Db } from '../db/open';

export const thumbnailName = (sha256: string): string => `${sha256.slice(0, 2)}/${sha256}.jpg`;

export class ThumbnailStore {
  private readonly madeDirs = new Set<string>();

  constructor(readonly root: string) {}

  /** Written under a temporary name and renamed, so a crash never leaves half a JPEG under the real name. */
  async write(sha256: string, data: Buffer): Promise<string> {
    const name = thumbnailName(sha256);
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
    let shards: string[];
    try {
      shards = await readdir(this.root);
    } catch {
      return 0;
    }
    for (const shard of shards) {
      let names: string[];
      try {
        names = await readdir(join(this.root, shard));
      } catch {
        continue;
      }
      for (const name of names) {
        if (!known.has(`${shard}/${name}`)) {
          await rm(join(this.root, shard, name), { force: true });
          removed++;
        }
      }
    }
    return removed;
  }
}
