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
import { labelsOf } from '../src/main/catalogue/labelRepository';
import { DEFAULT_GENRES } from '../src/shared/genres';
import { browserAvailable, focused, launchChromium, onTab, openApp, pressUntil, serve, shot, VIEWPORTS, type Viewport } from './browserHarness';
import { importedCatalogue, poll, type serve as serveCatalogue } from './browserKit';
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

/**
 * Review by keyboard: the genre chips are one Tab stop (arrows inside, Space toggles the chip
 * focused, Enter still confirms), so the strip of just-confirmed posters is a few Tabs away; the
 * theme button reached by Shift+Tab does its own thing on Enter or Space and nothing else.
 */
describe.skipIf(!browserAvailable)('review by keyboard', () => {
  let browser: Browser;
  let served: Awaited<ReturnType<typeof serveCatalogue>>;
  let stop = async () => {};
  beforeAll(async () => {
    ({ served, browser, stop } = await importedCatalogue());
  }, 120_000);
  afterAll(() => stop());

  const openReview = async (viewport: Viewport) => {
    const { page, errors } = await openApp(browser, served.host, viewport, 'light');
    await page.getByRole('tab', { name: 'Review' }).click();
    await page.getByTestId('genre-chips').waitFor({ timeout: 15_000 });
    return { page, errors };
  };
  const posterId = async (page: Page) => Number((await page.getByRole('img').first().getAttribute('src'))?.split('/').pop());
  const pressedChips = (page: Page) =>
    page.locator('[data-testid^="genre-"][aria-pressed="true"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')?.slice(6) ?? ''));
  const reviewed = () => served.service.review.counts(new Date(0).toISOString()).reviewed;

  for (const viewport of VIEWPORTS) {
    it(`${viewport.width}×${viewport.height}: the genre chips are one Tab stop with arrows inside; Space toggles the focused chip, Enter confirms`, async () => {
      const { page, errors } = await openReview(viewport);
      const confirmedFirst = await posterId(page);
      await page.keyboard.press('Enter'); // something in the strip
      await poll(() => posterId(page)).not.toBe(confirmedFirst);
      // From the Queue menu to the strip: the chips are one stop, not one each.
      await page.getByRole('combobox', { name: 'Queue' }).focus();
      let tabs = 0;
      while (!(await focused(page)).testId?.startsWith('recent-') && tabs < 40) {
        await page.keyboard.press('Tab');
        tabs++;
      }
      expect(tabs).toBeLessThanOrEqual(6);
      // Back into the chips: the first, the group's one stop, named as a toolbar for screen readers.
      await pressUntil(page, 'Shift+Tab', (f) => f.testId?.startsWith('genre-') ?? false, 10);
      expect((await focused(page)).testId).toBe(`genre-${DEFAULT_GENRES[0]}`);
      expect(await page.getByRole('toolbar', { name: /^Genres/ }).count()).toBe(1);
      const shown = await posterId(page);
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      expect((await focused(page)).testId).toBe(`genre-${DEFAULT_GENRES[2]}`);
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowUp');
      expect((await focused(page)).testId).toBe(`genre-${DEFAULT_GENRES[2]}`);
      await page.keyboard.press('End');
      expect((await focused(page)).testId).toBe(`genre-${DEFAULT_GENRES.at(-1)}`);
      await page.keyboard.press('Home');
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      await page.waitForTimeout(200);
      expect(await posterId(page)).toBe(shown); // the arrows moved between chips, not posters
      // Space toggles the chip focused (and skips nothing).
      const chip = page.getByTestId(`genre-${DEFAULT_GENRES[2]}`);
      const was = await chip.getAttribute('aria-pressed');
      await page.keyboard.press('Space');
      await poll(() => chip.getAttribute('aria-pressed')).toBe(was === 'true' ? 'false' : 'true');
      expect(await posterId(page)).toBe(shown);
      // Enter confirms the poster with the chips as they are, and toggles nothing.
      const set = await pressedChips(page);
      const before = reviewed();
      await page.keyboard.press('Enter');
      await poll(() => reviewed()).toBe(before + 1);
      expect(labelsOf(served.service.db, shown)).toEqual(DEFAULT_GENRES.filter((g) => set.includes(g)));
      await poll(() => posterId(page)).not.toBe(shown);
      const next = await posterId(page);
      const current = served.service.review.queue('uncertain', 50).find((q) => q.poster.id === next)?.current ?? [];
      expect((await pressedChips(page)).sort()).toEqual([...current].sort());
      // Out of the group and back: the chip last focused is the stop.
      await page.keyboard.press('Tab');
      await page.keyboard.press('Shift+Tab');
      expect((await focused(page)).testId).toBe(`genre-${DEFAULT_GENRES[2]}`);
      expect(errors, errors.join('\n')).toEqual([]);
      await page.close();
      for (const id of [confirmedFirst, shown]) served.service.library.unsetLabels(id);
    });

    it(`${viewport.width}×${viewport.height}: Enter or Space on the theme button, reached by Shift+Tab, switches the theme and does nothing else`, async () => {
      const { page, errors } = await openReview(viewport);
      const shown = await posterId(page);
      const before = reviewed();
      const theme = () => page.evaluate(() => localStorage.getItem('theme'));
      await page.getByRole('combobox', { name: 'Queue' }).focus();
      await pressUntil(page, 'Shift+Tab', (f) => f.testId === 'theme-toggle', 5);
      await page.keyboard.press('Enter');
      await poll(() => theme()).toBe('dark');
      await page.keyboard.press('Space');
      await poll(() => theme()).toBe('light');
      await page.waitForTimeout(300);
      expect(await theme()).toBe('light'); // each key switched it once
      expect(await posterId(page)).toBe(shown); // neither confirmed nor skipped
      expect(reviewed()).toBe(before);
      expect((await focused(page)).testId).toBe('theme-toggle');
      expect(errors, errors.join('\n')).toEqual([]);
      await page.close();
    });
  }
});
