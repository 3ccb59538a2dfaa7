import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../tests/helpers';
import { openDatabase } from '../db/open';
import { BackupService } from './backupService';

describe('the backup service', () => {
  it('keeps Back up now and the morning restore point when automatic backups follow the same day', async () => {
    const dbPath = join(tempDir(), 'catalogue.sqlite');
    const db = openDatabase(dbPath);
    db.prepare(
      `INSERT INTO posters (path, sha256, bytes, width, height, title, imported_at, thumbnail, phash)
       VALUES ('/s/a.jpg', 'a', 1, 1, 1, 'Vertigo', 'now', 't', 'p')`,
    ).run();
    const backups = new BackupService(db, dbPath, null);
    const asked = await backups.create('manual');
    const morning = await backups.automatic('after-retrain');
    const afternoon = await backups.automatic('after-retrain');
    // each of these rotated the folder; none took another's place
    expect(backups.list().map((b) => b.name)).toEqual([afternoon?.name, morning?.name, asked.name]);
    await backups.idle();
    db.close();
  });
});
