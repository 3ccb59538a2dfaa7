/**
 * The Backups screen and the damaged-catalogue offer in Chromium, against the real services over the
 * browser host: back up, restore with confirmation, then damage the file and restore from the
 * startup offer. Screenshots are left in test-results/screenshots.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labelHistory } from '../src/main/catalogue/labelRepository';
import { startHttpHost, type RunningHost } from '../src/main/host/httpHost';
import { CatalogueService } from '../src/main/service';
import { copyPosters, tempDir } from './helpers';
import { browserAvailable, launchChromium, RENDERER, SHOTS } from './browserHarness';

describe.skipIf(!browserAvailable)('backups in Chromium', () => {
  let browser: Browser;
  let service: CatalogueService;
  let host: RunningHost;
  let dbPath: string;
  const serve = async () => {
    service = CatalogueService.open(dbPath);
    host = await startHttpHost(service, { port: 0, rendererDir: RENDERER });
  };
  const stop = async () => {
    await host.close();
    await service.close();
  };
  beforeAll(async () => {
    const dir = tempDir();
    dbPath = join(dir, 'c.sqlite');
    service = CatalogueService.open(dbPath);
    copyPosters(join(dir, 'vendor'));
    await service.startImport({ folder: join(dir, 'vendor'), tag: false }).promise;
    for (const id of [1, 2, 3]) service.library.setLabels(id, ['Horror'], 'ann');
    await service.close();
    await serve();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await stop().catch(() => undefined);
  });

  const open = async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(host.openUrl);
    return { page, errors };
  };
  const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`) });
  const reviewed = () => service.db.prepare('SELECT count(*) FROM posters WHERE reviewed_at IS NOT NULL').pluck().get();

  it('backs up now, lists the backups and restores one after asking', async () => {
    const { page, errors } = await open();
    await page.getByRole('tab', { name: 'Backups' }).click();
    await page.getByTestId('catalogue-health').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('catalogue-health').textContent()).toMatch(
      /^No damage foundThe catalogue file was checked quickly and is in order \(.*\); Full check reads every page\.$/,
    );
    await page.getByRole('button', { name: 'Back up now' }).click();
    await page.getByTestId('backup-result').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('backup-result').textContent()).toMatch(/12 posters, 3 reviewed/);
    await expect.poll(() => page.getByTestId('backup-row').count()).toBeGreaterThanOrEqual(1);
    expect(await page.getByTestId('backup-list').textContent()).toMatch(/Backed up by hand.*12.*3/);
    await shot(page, 'backups-01-list');

    service.library.setLabels(4, ['Comedy'], 'ann'); // made after the backup
    expect(reviewed()).toBe(4);
    await page.getByTestId('backup-row').first().getByRole('button', { name: 'Restore…' }).click();
    await page.getByTestId('restore-dialog').getByText('The current state is backed up first').waitFor();
    // what it holds now beside what it will hold: the review made since the backup goes
    await expect
      .poll(() => page.getByTestId('restore-now-and-after').textContent())
      .toBe('Now the catalogue has 12 posters, 4 reviewed; after the restore it will have 12 posters, 3 reviewed. 1 review fewer.');
    await shot(page, 'backups-02-confirm');
    await page.getByTestId('confirm-restore').click();
    await page.getByTestId('restore-result').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('restore-result').textContent()).toMatch(/12 posters, 3\s+reviewed.*restore it to undo/);
    expect(reviewed()).toBe(3);
    expect(await page.getByTestId('backup-list').textContent()).toContain('Before a restore');
    await shot(page, 'backups-03-restored');

    // another disk: typed, remembered, and the next backup goes there
    const otherDisk = join(tempDir(), 'other-disk');
    await page.getByTestId('backups-folder-input').fill(otherDisk);
    await page.getByRole('button', { name: 'Keep backups here' }).click();
    await expect.poll(() => page.getByTestId('backups-folder').textContent()).toContain(otherDisk);
    // While a backup is being written nothing else can start beside it: no restore, no delete.
    let release = () => undefined as void;
    const held = new Promise<void>((r) => (release = r));
    await page.route('**/api/backups/create', async (route) => {
      await held;
      await route.continue();
    });
    await page.getByRole('button', { name: 'Back up now' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Back up now' }).isEnabled()).toBe(false);
    expect(await page.getByTestId('backup-row').first().getByRole('button', { name: 'Restore…' }).isEnabled()).toBe(false);
    expect(
      await page
        .getByTestId('backup-row')
        .first()
        .getByRole('button', { name: /^Delete the backup of / })
        .isEnabled(),
    ).toBe(false);
    release();
    await page.getByTestId('backup-result').waitFor({ timeout: 30_000 });
    await page.unroute('**/api/backups/create');
    expect(readdirSync(otherDisk)).toHaveLength(1);
    await expect.poll(() => page.getByTestId('backup-row').first().getByRole('button', { name: 'Restore…' }).isEnabled()).toBe(true);
    await expect.poll(() => page.getByRole('button', { name: 'Back up now' }).isEnabled()).toBe(true);
    await shot(page, 'backups-04-other-disk');
    await page.getByRole('button', { name: 'Beside the catalogue' }).click();
    await expect.poll(() => page.getByTestId('backups-folder').textContent()).toContain(join(dirname(dbPath), 'backups'));

    // deleting a backup asks first (Enter keeps it), then takes just that one off the disk
    const rows = page.getByTestId('backup-row');
    const before = await rows.count();
    const doomed = rows.filter({ hasText: 'Before a restore' });
    const doomedPath = await doomed.getAttribute('title');
    await doomed.getByRole('button', { name: /^Delete the backup of / }).click();
    expect(await page.getByTestId('confirm-delete-backup-text').textContent()).toMatch(/Before a restore: 12 posters, 4 reviewed.*This cannot be undone/);
    await page.keyboard.press('Enter');
    await page.getByTestId('confirm-delete-backup').waitFor({ state: 'detached' });
    expect(await rows.count()).toBe(before);
    await doomed.getByRole('button', { name: /^Delete the backup of / }).click();
    await page.getByTestId('confirm-delete-backup').click();
    await expect.poll(() => rows.count()).toBe(before - 1);
    expect(readdirSync(dirname(doomedPath ?? '/'))).not.toContain(doomedPath?.split('/').pop());
    await shot(page, 'backups-05-deleted');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a damaged catalogue says so at startup and is back in two clicks', async () => {
    await stop();
    const bytes = readFileSync(dbPath);
    bytes.fill(0xde, 4096 * 2, 4096 * 6);
    writeFileSync(dbPath, bytes);
    await serve();
    expect(service.backups.damaged).toBe(true);
    const { page } = await open();
    const dialog = page.getByTestId('damaged-dialog');
    await dialog.waitFor({ timeout: 15_000 });
    expect(await dialog.textContent()).toMatch(/opened read-only, and the file as it was found is kept at .*c\.damaged-.*\.sqlite/);
    expect(await dialog.textContent()).toMatch(/newest backup that passes its check/);
    await shot(page, 'backups-05-damaged-offer');
    await page.getByTestId('restore-offer').click();
    await page.getByTestId('restored-notice').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('restored-notice').textContent()).toMatch(
      /is back as it was on .*: 12 posters, 3 reviewed\. The damaged file is kept at .*c\.damaged-/,
    );
    expect(service.db.prepare('PRAGMA integrity_check').pluck().get()).toBe('ok');
    expect(labelHistory(service.db, 1)).toHaveLength(1);
    await page.getByRole('tab', { name: 'Library' }).click();
    await expect.poll(() => page.getByTestId('library-total').textContent(), { timeout: 15_000 }).toBe('12 posters');
    await shot(page, 'backups-06-back');
    await page.close();
  });
});
