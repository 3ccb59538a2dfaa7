/**
 * The renderer in a real browser (Debian's Chromium, driven by playwright-core) against the real
 * services over the browser host. Screenshots are left in test-results/screenshots.
 * CI installs Chromium (.ci/run) and requires this test; elsewhere it is skipped when Chromium is absent.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpHost, type RunningHost } from '../src/main/host/httpHost';
import { labelHistory, labelsOf } from '../src/main/catalogue/labelRepository';
import { suggestionsFor } from '../src/main/catalogue/suggestionRepository';
import { DEFAULT_GENRES } from '../src/shared/genres';
import { CatalogueService } from '../src/main/service';
import { copyPosters, tempDir } from './helpers';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const RENDERER = join(import.meta.dirname, '..', 'out', 'renderer');
const SHOTS = join(import.meta.dirname, '..', 'test-results', 'screenshots');
const available = existsSync(CHROMIUM) && existsSync(join(RENDERER, 'index.html'));
if (!available && process.env.CI) throw new Error(`CI needs ${CHROMIUM} and a built renderer (npm run build) for the browser tests.`);

describe.skipIf(!available)('renderer in Chromium', () => {
  let browser: Browser;
  let service: CatalogueService;
  let host: RunningHost;
  beforeAll(async () => {
    const dir = tempDir();
    service = CatalogueService.open(join(dir, 'c.sqlite'));
    copyPosters(join(dir, 'in'));
    await service.startImport({ folder: join(dir, 'in') }).promise; // tagged: the review queue shows suggestions
    host = await startHttpHost(service, { port: 0, rendererDir: RENDERER });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await service?.close();
  });

  it('shows what the catalogue holds, through the HTTP api, with no console errors', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(host.url);
    await expect.poll(() => page.getByRole('heading', { name: '12 posters' }).count(), { timeout: 15_000 }).toBe(1);
    await page.screenshot({ path: join(SHOTS, 'home.png'), fullPage: true });
    expect(errors, errors.join("\n")).toEqual([]);
  });

  it('reviews three posters with the keyboard only, and undoes one', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(host.url);
    await page.getByRole('tab', { name: 'Review' }).click();
    const counts = page.getByTestId('review-counts');
    await expect.poll(() => counts.textContent(), { timeout: 15_000 }).toBe('0 reviewed today · 12 remaining');
    await page.waitForTimeout(500); // let the chips' colour transitions finish before the picture
    await page.screenshot({ path: join(SHOTS, 'review.png') });
    await page.keyboard.press('?');
    await page.getByRole('dialog').waitFor();
    await page.screenshot({ path: join(SHOTS, 'review-keys.png') });
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });

    const reviewed: number[] = [];
    const posterId = async () => Number((await page.getByRole('img').getAttribute('src'))?.split('/').pop());
    for (const keys of [['1'], ['2', '3'], []]) {
      reviewed.push(await posterId());
      for (const k of keys) await page.keyboard.press(k);
      await page.keyboard.press('Enter');
      await expect.poll(() => counts.textContent()).toBe(`${reviewed.length} reviewed today · ${12 - reviewed.length} remaining`);
    }
    await page.keyboard.press('Backspace');
    await expect.poll(() => counts.textContent()).toBe('2 reviewed today · 10 remaining');
    expect(await posterId()).toBe(reviewed[2]); // back on the poster whose confirmation was undone
    await page.screenshot({ path: join(SHOTS, 'review-after-undo.png') });

    expect(labelsOf(service.db, reviewed[2] as number)).toBeNull();
    expect(labelHistory(service.db, reviewed[2] as number)).toHaveLength(2); // confirmed, then undone
    // Each confirmed set is the model's suggested set with exactly the pressed genres flipped
    // (keys 1, 2, 3 are the first three genres of the vocabulary: Action, Adventure, Animation).
    const flipped = (id: number, toggled: string[]) => {
      const set = new Set(suggestionsFor(service.db, id).filter((x) => x.aboveThreshold).map((x) => x.genre));
      for (const g of toggled) if (!set.delete(g)) set.add(g);
      return DEFAULT_GENRES.filter((g) => set.has(g));
    };
    expect(labelsOf(service.db, reviewed[0] as number)).toEqual(flipped(reviewed[0] as number, ['Action']));
    expect(labelsOf(service.db, reviewed[1] as number)).toEqual(flipped(reviewed[1] as number, ['Adventure', 'Animation']));
    expect(errors).toEqual([]);
  });
});
