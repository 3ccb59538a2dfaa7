/**
 * What the browser tests of review, import and export share: Debian's Chromium driven by
 * playwright-core, a catalogue served by the real browser host, both viewport sizes the issue
 * names, and screenshots in both themes under test-results/screenshots.
 */
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { startHttpHost, type RunningHost } from '../src/main/host/httpHost';
import { CatalogueService } from '../src/main/service';
import { launchChromium, RENDERER, SHOTS, type Viewport } from './browserHarness';
import { copyPosters, tempDir } from './helpers';

export { browserAvailable, CHROMIUM, launchChromium, RENDERER, SHOTS, VIEWPORTS, type Viewport } from './browserHarness';
export const sizeName = (v: Viewport) => `${v.width}x${v.height}`;

export async function serve(dbPath: string): Promise<{ service: CatalogueService; host: RunningHost; stop(): Promise<void> }> {
  const service = CatalogueService.open(dbPath);
  const host = await startHttpHost(service, { port: 0, rendererDir: RENDERER });
  return {
    service,
    host,
    stop: async () => {
      await host.close();
      await service.close();
    },
  };
}

/**
 * A catalogue with a vendor folder imported (with suggestions) and Chromium started, for a test
 * file's beforeAll; `names` picks fixture posters, `rename` what the vendor called them.
 */
export async function importedCatalogue(
  names?: string[],
  rename?: (name: string) => string,
): Promise<{ served: Awaited<ReturnType<typeof serve>>; browser: Browser; stop(): Promise<void> }> {
  const dir = tempDir();
  copyPosters(join(dir, 'vendor'), names, rename);
  const served = await serve(join(dir, 'c.sqlite'));
  await served.service.startImport({ folder: join(dir, 'vendor'), vendor: 'Acme' }).promise;
  const browser = await launchChromium();
  return {
    served,
    browser,
    stop: async () => {
      await browser.close();
      await served.stop();
    },
  };
}

/** A page on the host at `viewport`, collecting the page's errors. */
export async function openPage(browser: Browser, host: RunningHost, viewport: Viewport): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(host.openUrl);
  return { page, errors };
}

/**
 * Screenshots of the screen as it is, in the light and the dark theme (the theme is left as it was
 * found). The toggle is clicked as an element, not at a point: an open dialog stays open, and the
 * focus stays where the keyboard left it.
 */
export async function shotBothThemes(page: Page, name: string, viewport: Viewport): Promise<void> {
  const toggle = page.getByTestId('theme-toggle');
  const dark = async () => (await page.evaluate(() => localStorage.getItem('theme'))) === 'dark';
  const flip = () => toggle.evaluate((el: HTMLElement) => el.click());
  const first = (await dark()) ? 'dark' : 'light';
  await page.waitForTimeout(300); // transitions settle before the picture
  await page.screenshot({ path: join(SHOTS, `${name}-${sizeName(viewport)}-${first}.png`) });
  await flip();
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(SHOTS, `${name}-${sizeName(viewport)}-${first === 'dark' ? 'light' : 'dark'}.png`) });
  await flip();
  await page.waitForTimeout(100);
}

/** The header's "N reviewed". */
export async function headerReviewed(page: Page): Promise<number> {
  const text = (await page.getByTestId('header-stats').textContent()) ?? '';
  const match = /(\d+) reviewed/.exec(text);
  if (!match) throw new Error(`The header says "${text}", with no "N reviewed" in it.`);
  return Number(match[1]);
}

/** expect.poll with room for a loaded machine (vitest's default gives up after one second). */
export const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 15_000 });

/** Swaps the poster detail's scan for its crop editor, as staff do ("Adjust crop…"), once its corners are there. */
export async function openCropEditor(dialog: Locator): Promise<void> {
  await dialog.getByRole('button', { name: 'Adjust crop… (C)' }).click();
  await dialog.getByTestId('crop-corner-top-left').waitFor();
}
