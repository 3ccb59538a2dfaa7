/**
 * A whole working day in Chromium, at 1440×900 and 1280×720, with one mouse click (on the Import
 * tab) and the keyboard for everything after it: an empty catalogue → import a vendor's folder →
 * the library by keyboard (move, select, extend, select all, clear, open a poster, next, close) →
 * review 20 posters → retrain → Insights → export the CSV. The page's mouse is wrapped so that any
 * click after the first fails the test.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CatalogueService } from '../src/main/service';
import { browserAvailable, focused, launchChromium, onTab, openApp, pressUntil, serve, shot, VIEWPORTS, type Viewport } from './browserHarness';
import { POSTERS, posterFiles, tempDir } from './helpers';

const h1 = (page: Page) => page.locator('main h1').textContent();
const reviewedInDb = (service: CatalogueService) => service.db.prepare('SELECT count(*) FROM posters WHERE reviewed_at IS NOT NULL').pluck().get() as number;

/** 24 different scans: the 12 fixtures and their mirror images (a mirrored poster is another picture to the hash). */
async function vendorFolder(dir: string): Promise<string> {
  const folder = join(dir, 'Acme vendor');
  mkdirSync(folder, { recursive: true });
  for (const name of posterFiles()) {
    const file = join(POSTERS, name);
    await sharp(file).toFile(join(folder, name));
    await sharp(file)
      .flop()
      .jpeg({ quality: 90 })
      .toFile(join(folder, `mirrored-${name}`));
  }
  return folder;
}

/** Tab (or Shift+Tab) to the element with this data-testid. */
const tabTo = (page: Page, testId: string, key = 'Tab') => pressUntil(page, key, (f) => f.testId === testId);

/** From anywhere on a screen back to the tab strip, then along it to `name`, and open it. */
async function openScreen(page: Page, name: string): Promise<void> {
  await pressUntil(page, 'Shift+Tab', (f) => f.role === 'tab');
  await pressUntil(page, 'ArrowRight', onTab(name), 12);
  await page.keyboard.press('Enter');
  await expect.poll(() => h1(page)).toBe(name);
}

describe.skipIf(!browserAvailable)('a whole day by keyboard', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  for (const viewport of VIEWPORTS) {
    it(`${viewport.width}×${viewport.height}: empty catalogue → import → library → review 20 → retrain → insights → export, no mouse after the first click`, async () => {
      await day(browser, viewport);
    }, 420_000);
  }
});

async function day(browser: Browser, viewport: Viewport): Promise<void> {
  const dir = tempDir('poster-day-');
  const folder = await vendorFolder(dir);
  const service = CatalogueService.open(join(dir, 'catalogue.sqlite'));
  const host = await serve(service);
  const size = `${viewport.width}x${viewport.height}`;
  try {
    const { page, errors } = await openApp(browser, host, viewport, 'light');
    // The first and only click. After it, any use of the mouse fails the test.
    await page.getByRole('tab', { name: 'Import' }).click();
    let mouseUsed = 0;
    for (const method of ['click', 'dblclick', 'down', 'up', 'move', 'wheel'] as const) {
      const original = page.mouse[method].bind(page.mouse) as (...args: unknown[]) => Promise<void>;
      (page.mouse as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
        mouseUsed++;
        return original(...args);
      };
    }
    await expect.poll(() => h1(page)).toBe('Import');

    // Import: the folder and the vendor typed, Enter (in the vendor field, the last one typed in) starts it.
    await tabTo(page, 'import-folder');
    await page.keyboard.type(folder);
    await tabTo(page, 'import-vendor');
    await page.keyboard.type('Acme');
    await page.keyboard.press('Enter');
    await page.getByTestId('import-report').waitFor({ timeout: 180_000 });
    const posters = service.db.prepare('SELECT count(*) FROM posters').pluck().get() as number;
    expect(posters).toBe(24);
    await shot(page, `day-${size}-1-imported`);

    // Library: Tab into the grid; arrows, Space, Shift+arrows, Ctrl+A, Esc, Enter, → in the detail, Esc.
    await openScreen(page, 'Library');
    await tabTo(page, 'library-grid');
    const selection = () => page.getByTestId('selection-count').textContent();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Space');
    await expect.poll(selection).toBe('1 selected');
    await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('Shift+ArrowRight');
    await expect.poll(selection).toBe('3 selected');
    await page.keyboard.press('Control+a');
    await expect.poll(selection).toBe(`All ${posters} matching selected`);
    await shot(page, `day-${size}-2-library-all-selected`);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('selection-count').count()).toBe(0);
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor();
    const position = page.getByTestId('detail-position');
    const first = await position.textContent();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => position.textContent()).not.toBe(first);
    await shot(page, `day-${size}-3-library-detail`);
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    // The focus came back to the grid, and the next Tab stops are reachable from there.
    expect((await focused(page)).testId).toBe('library-grid');

    // Review 20: a genre key on every other poster, Enter to confirm; the catalogue counts each one.
    await openScreen(page, 'Review');
    await page.getByTestId('review-title').waitFor();
    for (let i = 0; i < 20; i++) {
      const title = await page.getByTestId('review-title').textContent();
      if (i % 2 === 1) await page.keyboard.press(i % 4 === 1 ? '1' : '2');
      await page.keyboard.press('Enter');
      await expect.poll(() => reviewedInDb(service), { timeout: 15_000 }).toBe(i + 1);
      if (i < 19) await expect.poll(() => page.getByTestId('review-title').textContent()).not.toBe(title);
    }
    await expect.poll(() => page.getByTestId('review-counts').getAttribute('data-reviewed')).toBe('20');
    await shot(page, `day-${size}-4-reviewed-20`);

    // Retrain on the 20, by keyboard.
    const versions = () => service.db.prepare('SELECT count(*) FROM model_versions').pluck().get() as number;
    const versionsBefore = versions();
    await openScreen(page, 'Models');
    await pressUntil(page, 'Tab', (f) => f.text === 'Retrain on reviewed posters');
    await page.keyboard.press('Enter');
    await page.getByTestId('train-result').waitFor({ timeout: 240_000 });
    expect(versions()).toBeGreaterThan(versionsBefore);
    await shot(page, `day-${size}-5-retrained`);

    // Insights: the charts, and one chart's figures as a table.
    await openScreen(page, 'Insights');
    await page.getByTestId('chart-by-decade').waitFor();
    await pressUntil(page, 'Tab', (f) => f.text === 'Show table');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('chart-by-decade').getByRole('row').count()).toBeGreaterThan(1);
    await shot(page, `day-${size}-6-insights`);

    // Export: the file typed, Enter writes it.
    await openScreen(page, 'Export');
    const csv = join(dir, 'shop.csv');
    await tabTo(page, 'export-file');
    await page.keyboard.press('Control+a');
    await page.keyboard.type(csv);
    await page.keyboard.press('Enter');
    await page.getByTestId('export-done').waitFor({ timeout: 60_000 });
    expect(existsSync(csv)).toBe(true);
    const lines = readFileSync(csv, 'utf8').trim().split(/\r?\n/);
    expect(lines.length).toBe(posters + 1);
    await shot(page, `day-${size}-7-exported`);

    expect(mouseUsed, 'the mouse was used after the first click').toBe(0);
    expect(errors, errors.join('\n')).toEqual([]);
    await page.close();
  } finally {
    await host.close();
    await service.close();
  }
}
