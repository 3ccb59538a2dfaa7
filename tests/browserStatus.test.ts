/**
 * What the app says about the catalogue's state as a whole, in Chromium against the real services:
 * posters a crashed import left without genre suggestions (and the button that gives them theirs),
 * the header's counts after a command-line import into the same catalogue, the last run's
 * throughput on the Models screen (kept in the catalogue, not only in this session's job list), an
 * empty import folder said as such, and a host that stops under the page: one clear message naming
 * `npm start` (the Library adds no second one, though its other errors still show), no job shown as
 * still running, and no uncaught page error.
 */
import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteLock, writeLock } from '../src/main/catalogue/lockRepository';
import type { RunningHost } from '../src/main/host/httpHost';
import { CatalogueService } from '../src/main/service';
import { browserAvailable, goTo, launchChromium, openApp, serve, VIEWPORTS } from './browserHarness';
import { copyPosters, posterFiles, tempDir } from './helpers';

describe.skipIf(!browserAvailable)('the catalogue’s state, app-wide, in Chromium', () => {
  let browser: Browser;
  let service: CatalogueService;
  let host: RunningHost | null = null;
  const dir = tempDir();
  const db = join(dir, 'c.sqlite');
  const files = posterFiles();
  beforeAll(async () => {
    copyPosters(join(dir, 'crashed'), files.slice(0, 3));
    copyPosters(join(dir, 'cli'), files.slice(3, 7));
    mkdirSync(join(dir, 'empty'));
    service = CatalogueService.open(db);
    // Catalogued without suggestions: what an import cut short by a crash leaves.
    await service.startImport({ folder: join(dir, 'crashed'), tag: false }).promise;
    host = await serve(service);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await service?.close();
  });

  it('offers suggestions for posters left without, follows a CLI import, shows the last throughput, and says an empty folder plainly', async () => {
    const { page, errors } = await openApp(browser, host as RunningHost, VIEWPORTS[0], 'light');
    const banner = page.getByTestId('suggest-genres');
    await expect.poll(() => banner.textContent()).toMatch(/3 posters have no genre suggestions yet/);
    // While an import runs in another process (the command line), its new posters are without
    // suggestions only until it reaches them: no offer to make them meanwhile.
    writeLock(service.db, { name: 'import', pid: process.ppid, host: hostname(), detail: 'an import from the command line' });
    await page.evaluate(() => window.dispatchEvent(new Event('focus')));
    await expect.poll(() => page.getByText(/have no genre suggestions yet/).count()).toBe(0);
    deleteLock(service.db, 'import', process.ppid, hostname());
    await page.evaluate(() => window.dispatchEvent(new Event('focus')));
    await expect.poll(() => banner.textContent()).toMatch(/3 posters have no genre suggestions yet/);
    await page.getByRole('button', { name: 'Suggest genres now' }).click();
    await page.getByTestId('job-tag').and(page.locator('[data-state="succeeded"]')).waitFor({ timeout: 60_000 });
    await expect.poll(() => page.getByText(/have no genre suggestions yet/).count()).toBe(0);
    expect(service.stats().withoutSuggestions).toBe(0);

    // The command line imports into the same catalogue while the window is open.
    expect(await page.getByTestId('header-stats').textContent()).toMatch(/^3 posters/);
    const cli = CatalogueService.open(db);
    await cli.startImport({ folder: join(dir, 'cli') }).promise;
    await cli.close();
    await page.evaluate(() => window.dispatchEvent(new Event('focus')));
    await expect.poll(() => page.getByTestId('header-stats').textContent()).toMatch(/^7 posters/);

    // The last run that worked on posters was that import, in another process: it is the one reported.
    await goTo(page, 'Models');
    await expect.poll(() => page.getByTestId('provider').textContent(), { timeout: 15_000 }).toMatch(/last import ran at \d+\.\d posters a second/);

    await goTo(page, 'Import');
    await page.getByTestId('import-folder').fill(join(dir, 'empty'));
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await expect.poll(() => page.getByTestId('import-empty').textContent()).toBe(`No JPEG scans were found in ${join(dir, 'empty')}. Nothing was imported.`);
    expect(await page.getByTestId('job-import').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  }, 180_000);

  it('records changes under the name of the person at the window, typed once and remembered', async () => {
    const { page, errors } = await openApp(browser, host as RunningHost, VIEWPORTS[0], 'light');
    await page.getByTestId('reviewer-name').click();
    await page.getByTestId('reviewer-input').fill('Ann');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('reviewer-name').textContent()).toBe('Reviewer: Ann');
    await page.reload();
    await expect.poll(() => page.getByTestId('reviewer-name').textContent()).toBe('Reviewer: Ann');
    // Any change made from this window: here a confirmation through the page's own api.
    await page.evaluate(() => window.api.labels.set({ posterId: 2, genres: ['Horror'] }));
    expect(service.library.history(2).at(-1)).toMatchObject({ newGenres: ['Horror'], reviewer: 'Ann' });
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it('says once, app-wide, that the host stopped, naming npm start; a running import no longer shows as running', async () => {
    const { page, errors } = await openApp(browser, host as RunningHost, VIEWPORTS[0], 'light');
    // While the host answers, the Library still says its own errors (here one the host gave).
    const refused = 'The catalogue could not be read: a test said so.';
    await goTo(page, 'Import');
    await page.route('**/api/posters/search', (route) => route.fulfill({ json: { ok: false, error: { code: 'test', message: refused } } }));
    await goTo(page, 'Library');
    await page.getByRole('alert').filter({ hasText: refused }).waitFor({ timeout: 10_000 });
    await page.unroute('**/api/posters/search');
    // Another process holds the import lock: this import waits, running, until the host goes.
    writeLock(service.db, { name: 'import', pid: process.ppid, host: hostname(), detail: 'an import in another window' });
    await goTo(page, 'Import');
    await page.getByTestId('import-folder').fill(join(dir, 'crashed'));
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByTestId('job-import').and(page.locator('[data-state="running"]')).waitFor({ timeout: 15_000 });
    await host?.close();
    host = null;
    await page.getByTestId('offline').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('offline').textContent()).toMatch(/npm start/);
    await expect.poll(() => page.getByTestId('job-import').getAttribute('data-state')).not.toBe('running');
    expect(await page.getByRole('button', { name: 'Cancel' }).count()).toBe(0);
    // Other screens' calls fail too: said by the one banner, not as page errors or another message.
    const libraryAsked = page.waitForEvent('requestfailed', { predicate: (r) => r.url().includes('/api/posters/'), timeout: 15_000 });
    await goTo(page, 'Library');
    await libraryAsked;
    await page.waitForTimeout(300); // the failed call's answer reaches the screen
    expect(await page.getByText('npm run serve').count()).toBe(0);
    expect(await page.getByRole('alert').allTextContents()).toEqual([await page.getByTestId('offline').textContent()]);
    expect(errors.filter((e) => !/Failed to load resource|net::ERR_CONNECTION_REFUSED|EventSource/.test(e))).toEqual([]);
    await page.close();
  }, 120_000);
});
