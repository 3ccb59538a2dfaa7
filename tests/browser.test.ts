/**
 * The renderer in a real browser (Debian's Chromium, driven by playwright-core) against the real
 * services over the browser host. Screenshots are left in test-results/screenshots.
 * CI installs Chromium (.ci/run) and requires this test; elsewhere it is skipped when Chromium is absent.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpHost, type RunningHost } from '../src/main/host/httpHost';
import { labelHistory, labelsOf } from '../src/main/catalogue/labelRepository';
import { listPosters } from '../src/main/catalogue/posterRepository';
import type { Poster } from '../src/shared/types';
import { suggestionsFor } from '../src/main/catalogue/suggestionRepository';
import { DEFAULT_GENRES } from '../src/shared/genres';
import { CatalogueService } from '../src/main/service';
import { parseCsv } from '../src/main/csv/csv';
import { copyPosters, posterFiles, tempDir } from './helpers';
import { browserAvailable, launchChromium, RENDERER, SHOTS } from './browserHarness';

const BAD_FILE = 'torn-scan.jpg';

describe.skipIf(!browserAvailable)('renderer in Chromium', () => {
  let browser: Browser;
  let service: CatalogueService;
  let host: RunningHost;
  let dir: string;
  beforeAll(async () => {
    dir = tempDir();
    // An empty catalogue: the test imports through the screens, as the dealer would.
    service = CatalogueService.open(join(dir, 'c.sqlite'));
    copyPosters(join(dir, 'vendor'));
    writeFileSync(join(dir, 'vendor', BAD_FILE), readFileSync(join(dir, 'vendor', posterFiles()[0] as string)).subarray(0, 5000));
    host = await startHttpHost(service, { port: 0, rendererDir: RENDERER });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await service?.close();
  });

  const open = async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(host.openUrl); // the printed link: the secret becomes a cookie, then leaves the URL
    return { page, errors };
  };
  const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`) });

  it('imports a vendor folder with a bad file in it, then shows the library and a poster', async () => {
    const { page, errors } = await open();
    // An empty catalogue opens on the import screen.
    await page.getByTestId('import-folder').waitFor({ timeout: 15_000 });
    await shot(page, '01-import-empty');
    await page.getByTestId('import-folder').fill(join(dir, 'vendor'));
    await page.getByTestId('import-vendor').fill('Acme Posters');
    await page.getByRole('button', { name: 'Import' }).click();
    const report = page.getByTestId('import-report');
    await report.waitFor({ timeout: 60_000 });
    expect(await report.textContent()).toContain('12 imported');
    expect(await report.textContent()).toContain('1 failed');
    expect(await report.textContent()).toContain(BAD_FILE);
    expect(await report.textContent()).toMatch(/truncated/);
    // While the report is shown the screen is idle: it refreshes the app once, not on every render.
    let apiCalls = 0;
    const countApi = (r: { url(): string }) => void (r.url().includes('/api/') && !r.url().includes('/api/events') && apiCalls++);
    await page.waitForTimeout(500);
    page.on('request', countApi);
    await page.waitForTimeout(1500);
    page.off('request', countApi);
    expect(apiCalls).toBeLessThan(5);
    await shot(page, '02-import-report');

    await page.getByRole('tab', { name: 'Library' }).click();
    await expect.poll(() => page.getByTestId('library-total').textContent(), { timeout: 15_000 }).toBe('12 posters');
    await page.waitForFunction(() => [...document.querySelectorAll('img')].filter((i) => i.complete && i.naturalWidth > 0).length >= 12);
    await shot(page, '03-library');
    // Suggestions are there: every unreviewed card shows its suggested genres or says it has none.
    const first = page.locator('[data-testid^="poster-"]').first();
    await first.dblclick();
    await page
      .getByRole('dialog')
      .getByText(/Suggestions \(model /)
      .waitFor();
    await page.waitForTimeout(300);
    await shot(page, '04-poster-detail');
    await page.keyboard.press('Escape');
    await page.getByTestId('theme-toggle').click();
    await page.waitForTimeout(300);
    await shot(page, '05-library-dark');
    await page.getByTestId('theme-toggle').click();

    // A poster with no title is shown by its scan's file name, never by a catalogue id.
    const untitled = listPosters(service.db, 0, 1)[0] as Poster;
    await service.updatePoster(untitled.id, { title: null });
    await page.reload();
    const card = page.getByTestId(`poster-${untitled.id}`).getByTestId('card-title');
    await expect.poll(() => card.textContent(), { timeout: 15_000 }).toBe(basename(untitled.path));
    expect(errors, errors.join('\n')).toEqual([]);
  });

  it('reviews three posters with the keyboard only, and undoes one', async () => {
    const { page, errors } = await open();
    await page.getByRole('tab', { name: 'Review' }).click();
    const counts = page.getByTestId('review-counts');
    await expect.poll(() => counts.textContent(), { timeout: 15_000 }).toBe('0 reviewed today · 12 remaining');
    await page.waitForTimeout(500); // let the chips' colour transitions finish before the picture
    await shot(page, '06-review');
    await page.keyboard.press('?');
    await page.getByRole('dialog').waitFor();
    await shot(page, '07-review-keys');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });

    const reviewed: number[] = [];
    const posterId = async () => Number((await page.getByRole('img').getAttribute('src'))?.split('/').pop());
    for (const keys of [['1'], ['2', '3'], ['1', '3']]) {
      reviewed.push(await posterId());
      for (const k of keys) await page.keyboard.press(k);
      await page.keyboard.press('Enter');
      await expect.poll(() => counts.textContent()).toBe(`${reviewed.length} reviewed today · ${12 - reviewed.length} remaining`);
    }
    await page.keyboard.press('Backspace');
    await expect.poll(() => counts.textContent()).toBe('2 reviewed today · 10 remaining');
    expect(await posterId()).toBe(reviewed[2]); // back on the poster whose confirmation was undone
    await shot(page, '08-review-after-undo');

    expect(labelsOf(service.db, reviewed[2] as number)).toBeNull();
    // Undo adds no row: the confirmation is there, marked undone.
    expect(labelHistory(service.db, reviewed[2] as number).map((c) => c.undoneAt !== null)).toEqual([true]);
    // Each confirmed set is the model's suggested set with exactly the pressed genres flipped
    // (keys 1, 2, 3 are the first three genres of the vocabulary: Action, Adventure, Animation).
    const flipped = (id: number, toggled: string[]) => {
      const set = new Set(
        suggestionsFor(service.db, id)
          .filter((x) => x.aboveThreshold)
          .map((x) => x.genre),
      );
      for (const g of toggled) if (!set.delete(g)) set.add(g);
      return DEFAULT_GENRES.filter((g) => set.has(g));
    };
    // After the undo the chips show the set that had been confirmed, not the model's suggestions.
    const pressed = async () =>
      (await page.locator('[data-testid^="genre-"][aria-pressed="true"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')?.slice(6)))).sort();
    expect(await pressed()).toEqual([...flipped(reviewed[2] as number, ['Action', 'Animation'])].sort());
    expect(labelsOf(service.db, reviewed[0] as number)).toEqual(flipped(reviewed[0] as number, ['Action']));
    expect(labelsOf(service.db, reviewed[1] as number)).toEqual(flipped(reviewed[1] as number, ['Adventure', 'Animation']));
    expect(errors).toEqual([]);
  });

  it('retrains on the reviews, activates the new version, and exports a CSV', async () => {
    const { page, errors } = await open();
    await page.getByRole('tab', { name: 'Models' }).click();
    await page.getByTestId('provider').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('provider').textContent()).toMatch(/Running on (CPU|CUDA|DML|WEBGPU)/);
    expect(await page.getByTestId('feature-precision').textContent()).toMatch(/^(int8|fp32)$/);
    await shot(page, '09-models');
    await page.getByRole('button', { name: 'Retrain on reviewed posters' }).click();
    await page.getByTestId('train-result').waitFor({ timeout: 120_000 });
    expect(await page.getByTestId('train-result').textContent()).toMatch(/v1 trained on 2 reviewed posters/);
    await page.getByTestId('version-v1').getByRole('button', { name: 'Activate' }).click();
    await expect.poll(() => page.getByTestId('active-models').textContent(), { timeout: 30_000 }).toMatch(/Active: v1 \(All decades\)/);
    await expect
      .poll(() => service.db.prepare("SELECT count(*) FROM suggestions WHERE model_version = 'v1'").pluck().get(), { timeout: 30_000 })
      .toBeGreaterThan(0);
    await shot(page, '10-models-after-retrain');

    await page.getByRole('tab', { name: 'Export' }).click();
    await expect.poll(() => page.getByTestId('export-count').textContent(), { timeout: 15_000 }).toBe('12 posters will be exported.');
    await page.getByRole('combobox', { name: 'Status' }).click();
    await page.getByRole('option', { name: 'Reviewed', exact: true }).click();
    await expect.poll(() => page.getByTestId('export-count').textContent()).toBe('2 posters will be exported.');
    const file = join(dir, 'shop.csv');
    await page.getByTestId('export-file').fill(file);
    await page.getByRole('checkbox', { name: /^Fingerprint of the scan/ }).uncheck();
    await shot(page, '11-export');
    await page.getByRole('button', { name: 'Export' }).last().click();
    await page.getByTestId('export-done').waitFor({ timeout: 30_000 });
    await shot(page, '12-export-done');
    const csv = parseCsv(readFileSync(file, 'utf8'));
    expect(csv.rows).toHaveLength(2);
    expect(csv.header).toContain('genres');
    expect(csv.header).not.toContain('sha256');
    const ids = csv.rows.map((r) => Number(r.cells[csv.header.indexOf('id')]));
    for (const id of ids) {
      expect(csv.rows.find((r) => Number(r.cells[csv.header.indexOf('id')]) === id)?.cells[csv.header.indexOf('genres')]).toBe(
        (labelsOf(service.db, id) ?? []).join('|'),
      );
    }
    expect(errors, errors.join('\n')).toEqual([]);
  });

  it('keeps the library grid light at 50,000 posters: only the rows in view are in the page', async () => {
    const big = CatalogueService.open(join(tempDir(), 'big.sqlite'));
    const insert = big.db.prepare(
      `INSERT INTO posters (path, sha256, bytes, width, height, title, year, decade, vendor, imported_at, thumbnail, phash)
       VALUES (?, ?, 1, 1500, 2250, ?, 1950, 1950, 'bulk', '2026-01-01T00:00:00Z', ?, '0000000000000000')`,
    );
    const thumb = service.db.prepare('SELECT thumbnail FROM posters LIMIT 1').pluck().get() as string;
    mkdirSync(dirname(join(big.thumbnailsDir, thumb)), { recursive: true });
    copyFileSync(join(service.thumbnailsDir, thumb), join(big.thumbnailsDir, thumb));
    big.db.transaction(() => {
      for (let i = 1; i <= 50_000; i++) insert.run(`/bulk/${i}.jpg`, `sha-${i}`, `Poster ${String(i).padStart(5, '0')}`, thumb);
    })();
    const bigHost = await startHttpHost(big, { port: 0, rendererDir: RENDERER });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    try {
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(bigHost.openUrl);
      await page.getByRole('tab', { name: 'Library' }).click();
      await expect.poll(() => page.getByTestId('library-total').textContent(), { timeout: 15_000 }).toBe('50000 posters');
      const cells = () => page.locator('[data-testid="library-grid"] > div > div').count();
      await expect.poll(cells).toBeGreaterThan(10);
      expect(await cells()).toBeLessThan(200);
      // Shift+End from the first poster selects every poster to the last, not only the pages loaded.
      await page.locator('[data-testid="library-grid"] > div > div').first().click();
      await expect.poll(() => page.getByTestId('selection-count').textContent()).toBe('1 selected');
      await page.keyboard.press('Shift+End');
      await expect.poll(() => page.getByTestId('selection-count').textContent(), { timeout: 15_000 }).toBe('50000 selected');
      await page.keyboard.press('Escape');
      await page.getByTestId('library-grid').evaluate((el) => (el.scrollTop = 0));
      // Jump to the middle: the posters there load, and the page still holds only a screenful or two.
      await page.getByTestId('library-grid').evaluate((el) => (el.scrollTop = el.scrollHeight / 2));
      await expect.poll(() => page.getByText(/^Poster 2[45]\d{3}/).count(), { timeout: 15_000 }).toBeGreaterThan(0);
      expect(await cells()).toBeLessThan(200);
      await shot(page, '13-library-50000');
      expect(errors).toEqual([]);
    } finally {
      await page.close(); // before the host: an open page keeps reconnecting its event stream
      await bigHost.close();
      await big.close();
    }
  }, 120_000);
});
