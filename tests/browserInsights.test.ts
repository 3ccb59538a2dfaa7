/**
 * The Insights screen in Chromium at 1440×900 and 1280×720, against the real services: charts of
 * the catalogue (decade, genre, vendor), review progress and confirmations per day and reviewer,
 * model quality per version, genre and decade with sample sizes, and where the model is least
 * sure — each with its figures as a table, checked against the catalogue itself. Reached and read
 * with the keyboard only.
 */
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHost } from '../src/main/host/httpHost';
import { listPosters } from '../src/main/catalogue/posterRepository';
import { CatalogueService } from '../src/main/service';
import { browserAvailable, launchChromium, openApp, serve, shot, VIEWPORTS } from './browserHarness';
import { copyPosters, tempDir } from './helpers';

const REVIEWS = ['Comedy', 'Drama', 'Comedy|Horror', 'Drama|Romance', 'Horror', 'Action|Adventure', 'Drama', 'Comedy', 'Horror|Thriller'];

/** Moves to the Insights tab with arrow keys from the selected tab, and opens it with Enter. */
async function openInsightsByKeyboard(page: Page): Promise<void> {
  await page.getByRole('tab', { selected: true }).focus();
  for (let i = 0; i < 10; i++) {
    const focused = await page.evaluate(() => document.activeElement?.textContent);
    if (focused === 'Insights') break;
    await page.keyboard.press('ArrowRight');
  }
  await page.keyboard.press('Enter');
  await page.locator('main h1', { hasText: 'Insights' }).waitFor();
}

/** A chart card's figures, read from its table (opened with the keyboard). */
async function tableOf(page: Page, card: Locator): Promise<string[][]> {
  const toggle = card.getByRole('button', { name: 'Show table' });
  await toggle.focus();
  await page.keyboard.press('Enter');
  const rows = await card.getByRole('row').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent ?? '')));
  await card.getByRole('button', { name: 'Show chart' }).focus();
  await page.keyboard.press('Enter');
  return rows;
}

describe.skipIf(!browserAvailable)('the Insights screen in Chromium', () => {
  let browser: Browser;
  let service: CatalogueService;
  let host: RunningHost;
  let empty: { service: CatalogueService; host: RunningHost };
  beforeAll(async () => {
    const dir = tempDir();
    service = CatalogueService.open(join(dir, 'c.sqlite'));
    copyPosters(join(dir, 'vendor'));
    await service.startImport({ folder: join(dir, 'vendor'), vendor: 'Acme Posters' }).promise;
    // ann confirmed five posters yesterday, bob four today; one of bob's was undone.
    const posters = listPosters(service.db, 0, 100);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString();
    REVIEWS.forEach((genres, i) => {
      const id = posters[i]?.id as number;
      service.library.setLabels(id, genres.split('|'), i < 5 ? 'ann' : 'bob');
      if (i < 5) {
        service.db.prepare('UPDATE label_changes SET changed_at = ? WHERE poster_id = ?').run(yesterday, id);
        service.db.prepare('UPDATE posters SET reviewed_at = ? WHERE id = ?').run(yesterday, id);
      }
    });
    service.library.undo(posters[8]?.id as number);
    await service.startTrain().promise;
    host = await serve(service);
    const emptyService = CatalogueService.open(join(dir, 'empty.sqlite'));
    empty = { service: emptyService, host: await serve(emptyService) };
    browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    for (const s of [{ service, host }, empty]) {
      await s?.host?.close();
      await s?.service?.close();
    }
  });

  for (const viewport of VIEWPORTS) {
    const size = `${viewport.width}x${viewport.height}`;
    it(`${viewport.width}×${viewport.height}: charts of the catalogue, the reviews, model quality and doubt, with figures that match the catalogue`, async () => {
      const { page, errors } = await openApp(browser, host, viewport, 'light');
      await openInsightsByKeyboard(page);
      const one = (sql: string) => service.db.prepare(sql).pluck().get() as number;
      await expect
        .poll(() => page.getByTestId('insights-summary').textContent())
        .toBe(`12 posters · ${one('SELECT count(*) FROM posters WHERE reviewed_at IS NOT NULL')} reviewed · 1 retrained model version`);
      const cards = ['by-decade', 'by-vendor', 'by-genre', 'progress', 'throughput', 'quality-over-time', 'quality-per-decade', 'least-sure'];
      // Per genre needs a validation poster with a confirmed genre: on 8 reviewed posters there may be none, and it says so.
      const v1 = service.models().versions.find((v) => v.version === 'v1');
      if (v1?.validation?.candidate.perGenre.some((g) => g.support > 0)) cards.push('quality-per-genre');
      else expect(await page.getByTestId('chart-quality-per-genre').textContent()).toContain('No validation poster has a confirmed genre yet.');
      for (const id of cards) {
        const card = page.getByTestId(`chart-${id}`);
        await card.waitFor();
        // Each chart is drawn (an SVG with marks) and named for screen readers by its description.
        expect(await card.locator('[role="img"] svg').count(), id).toBeGreaterThan(0);
        expect(await card.locator('[role="img"]').first().getAttribute('aria-label'), id).toBeTruthy();
      }
      await page.waitForTimeout(300);
      await shot(page, `insights-${size}-top`);

      const byDecade = await tableOf(page, page.getByTestId('chart-by-decade'));
      const decades = service.db
        .prepare('SELECT decade, count(*) AS n, count(reviewed_at) AS r FROM posters GROUP BY decade ORDER BY decade IS NULL, decade')
        .all() as { decade: number | null; n: number; r: number }[];
      expect(byDecade.slice(1).map((r) => r.slice(0, 3))).toEqual(
        decades.map((d) => [d.decade === null ? 'year unknown' : `${d.decade}s`, String(d.n), String(d.r)]),
      );

      const vendors = await tableOf(page, page.getByTestId('chart-by-vendor'));
      expect(vendors.slice(1)).toEqual([['Acme Posters', '12', String(one('SELECT count(*) FROM posters WHERE reviewed_at IS NOT NULL'))]]);

      const genres = await tableOf(page, page.getByTestId('chart-by-genre'));
      const drama = genres.find((r) => r[0] === 'Drama');
      const confirmedDrama = one(
        "SELECT count(*) FROM poster_labels x JOIN genres g ON g.id = x.genre_id JOIN posters p ON p.id = x.poster_id WHERE g.name = 'Drama' AND p.reviewed_at IS NOT NULL",
      );
      expect(drama?.[1]).toBe(String(confirmedDrama));

      // Confirmations per day and reviewer: ann's five yesterday, bob's three that stand today.
      const throughput = await tableOf(page, page.getByTestId('chart-throughput'));
      expect(throughput[0]).toEqual(['day', 'ann', 'bob']);
      expect(throughput.slice(-2).map((r) => r.slice(1))).toEqual([
        ['5', '0'],
        ['0', '3'],
      ]);
      const progress = await tableOf(page, page.getByTestId('chart-progress'));
      expect(progress.slice(-2).map((r) => r[1])).toEqual(['5', '8']);

      // Model quality: the version with its sample size; decades under the minimum marked.
      const quality = await tableOf(page, page.getByTestId('chart-quality-over-time'));
      expect(quality[1]?.[0]).toBe('v1');
      expect(quality[1]?.[5]).toBe(String(v1?.validation?.candidate.n));
      const perDecade = await tableOf(page, page.getByTestId('chart-quality-per-decade'));
      for (const row of perDecade.slice(1)) expect(row[3]).toBe(Number(row[2]) >= 20 ? 'yes' : 'no (needs 20)');
      expect(perDecade.length - 1).toBe(v1?.perDecade.filter((d) => d.n > 0).length);

      // Where the model is least sure.
      const unsure = one('SELECT count(*) FROM posters WHERE reviewed_at IS NULL AND uncertainty < 0.05');
      expect(await page.getByTestId('chart-least-sure').textContent()).toContain(`${unsure} are within 0.05`);
      const leastSure = await tableOf(page, page.getByTestId('chart-least-sure'));
      expect(leastSure.slice(1).reduce((s, r) => s + Number(r[2]), 0)).toBe(unsure);

      await page.getByTestId('chart-least-sure').scrollIntoViewIfNeeded();
      await shot(page, `insights-${size}-bottom`);
      expect(errors, errors.join('\n')).toEqual([]);
      await page.close();
    }, 120_000);

    it(`${viewport.width}×${viewport.height}: an empty catalogue says what each chart is waiting for`, async () => {
      const { page, errors } = await openApp(browser, empty.host, viewport, 'dark');
      await openInsightsByKeyboard(page);
      await expect.poll(() => page.getByTestId('insights-summary').textContent()).toBe('0 posters · 0 reviewed · 0 retrained model versions');
      expect(await page.getByTestId('chart-by-decade').textContent()).toContain('No posters yet: import a vendor folder.');
      expect(await page.getByTestId('chart-quality-over-time').textContent()).toContain('Shows after the first retraining');
      expect(await page.getByTestId('chart-throughput').textContent()).toContain('No poster confirmed in the last 30 days.');
      await shot(page, `insights-${size}-empty-dark`);
      expect(errors, errors.join('\n')).toEqual([]);
      await page.close();
    });
  }
});
