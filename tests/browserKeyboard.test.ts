/**
 * The app shell by keyboard alone, in Chromium at 1440×900 and 1280×720: after one click on a tab,
 * arrows and Enter move between screens (arrows in the tab strip never reach a screen's own
 * shortcuts), Tab reaches Models' Retrain and Insights' tables, and Shift+Tab finds the way back.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHost } from '../src/main/host/httpHost';
import { listPosters } from '../src/main/catalogue/posterRepository';
import { CatalogueService } from '../src/main/service';
import { browserAvailable, focused, launchChromium, onTab, openApp, pressUntil, serve, shot, VIEWPORTS } from './browserHarness';
import { copyPosters, tempDir } from './helpers';

const h1 = (page: Page) => page.locator('main h1').textContent();

describe.skipIf(!browserAvailable)('the shell by keyboard', () => {
  let browser: Browser;
  let service: CatalogueService;
  let host: RunningHost;
  beforeAll(async () => {
    const dir = tempDir();
    service = CatalogueService.open(join(dir, 'c.sqlite'));
    copyPosters(join(dir, 'vendor'));
    await service.startImport({ folder: join(dir, 'vendor'), vendor: 'Acme Posters' }).promise;
    browser = await launchChromium();
    host = await serve(service);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await service?.close();
  });

  let reviews = 0;
  for (const viewport of VIEWPORTS) {
    it(`${viewport.width}×${viewport.height}: one click, then tabs, Review, Models' Retrain and Insights by keyboard only`, async () => {
      // Something new to learn from at each viewport's retraining.
      const genres = reviews++ % 2 ? ['Drama'] : ['Comedy'];
      for (const p of listPosters(service.db, 0, 6)) service.library.setLabels(p.id, genres, 'ann');
      const { page, errors } = await openApp(browser, host, viewport, 'light');
      await page.getByRole('tab', { name: 'Library' }).click(); // the only mouse action
      await pressUntil(page, 'ArrowRight', onTab('Review'));
      await page.keyboard.press('Enter');
      await expect.poll(() => h1(page)).toBe('Review');
      const title = page.getByTestId('review-title');
      await title.waitFor();
      const before = await title.textContent();
      // Arrows in the tab strip move between tabs, not between posters.
      await page.keyboard.press('ArrowRight');
      expect(await focused(page)).toMatchObject({ role: 'tab', text: 'Models' });
      await page.waitForTimeout(200);
      expect(await title.textContent()).toBe(before);
      await page.keyboard.press('Enter');
      await expect.poll(() => h1(page)).toBe('Models');

      await pressUntil(page, 'Tab', (f) => f.text === 'Retrain on reviewed posters');
      const ring = await page.evaluate(() => getComputedStyle(document.activeElement as Element).outlineStyle);
      expect(ring).toBe('solid');
      await page.keyboard.press('Enter');
      await page.getByTestId('train-result').waitFor({ timeout: 180_000 });
      await shot(page, `keyboard-${viewport.width}x${viewport.height}-models-retrained`);

      await pressUntil(page, 'Shift+Tab', (f) => f.role === 'tab');
      await pressUntil(page, 'ArrowRight', onTab('Insights'));
      await page.keyboard.press('Enter');
      await expect.poll(() => h1(page)).toBe('Insights');
      await page.getByTestId('chart-by-decade').waitFor();
      await pressUntil(page, 'Tab', (f) => f.text === 'Show table');
      await page.keyboard.press('Enter');
      await expect.poll(() => page.getByTestId('chart-by-decade').getByRole('row').count()).toBeGreaterThan(1);
      await shot(page, `keyboard-${viewport.width}x${viewport.height}-insights-table`);
      expect(errors, errors.join('\n')).toEqual([]);
      await page.close();
    }, 300_000);
  }
});
