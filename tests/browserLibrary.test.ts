/**
 * The library and the poster's detail in Chromium (issue 15), at 1440×900 and at 1280×720, against
 * the real services over the browser host: the grid by keyboard, the selection against the filter,
 * whole-poster thumbnails with badges and a size slider, compact chrome, forgiving filters, and the
 * detail dialog (labels, previous/next, zoom, genres in place, edit history, near-duplicates).
 * Screenshots of each screen, in both themes, go to test-results/screenshots/library-*.png.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpHost, type RunningHost } from '../src/main/host/httpHost';
import { labelsOf } from '../src/main/catalogue/labelRepository';
import { CatalogueService } from '../src/main/service';
import { copyPosters, tempDir } from './helpers';
import { browserAvailable, launchChromium, RENDERER, SHOTS, VIEWPORTS } from './browserHarness';
import { openCropEditor } from './browserKit';
import { count as plural } from '../src/renderer/src/components/plural';

const AXE = join(import.meta.dirname, '..', 'node_modules', 'axe-core', 'axe.min.js');

/** Serious or critical axe-core violations inside the library's own parts (the app shell is checked elsewhere). */
async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(readFileSync(AXE, 'utf8'));
  return page.evaluate(async () => {
    type Result = { violations: { id: string; impact: string; nodes: { target: string[] }[] }[] };
    const axe = (window as unknown as { axe: { run: (context: unknown) => Promise<Result> } }).axe;
    const parts = ['[data-testid="library-filters"]', '[data-testid="library-grid"]', '[role="dialog"]'].filter((s) => document.querySelector(s));
    const result = await axe.run({ include: parts.map((s) => [s]) });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}

let browser: Browser;
beforeAll(async () => {
  if (!browserAvailable) return;
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

describe.skipIf(!browserAvailable).each(VIEWPORTS)('library at $width×$height', (viewport) => {
  const size = `${viewport.width}x${viewport.height}`;
  let service: CatalogueService;
  let host: RunningHost;
  /** Poster ids in the grid's first order (newest import first). */
  let ids: number[];
  beforeAll(async () => {
    const dir = tempDir();
    copyPosters(join(dir, 'vendor'));
    service = CatalogueService.open(join(dir, 'c.sqlite'));
    await service.startImport({ folder: join(dir, 'vendor'), vendor: 'Acme Posters' }).promise;
    ids = (service.db.prepare('SELECT id FROM posters ORDER BY id DESC').pluck().all() as number[]).slice();
    host = await startHttpHost(service, { port: 0, rendererDir: RENDERER });
  }, 120_000);
  afterAll(async () => {
    await host?.close();
    await service?.close();
  });

  const open = async (width: number = viewport.width, height: number = viewport.height) => {
    const page = await browser.newPage({ viewport: { width, height } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(host.openUrl);
    await page.getByRole('tab', { name: 'Library' }).click();
    await expect.poll(() => page.getByTestId('library-total').textContent(), { timeout: 15_000 }).toMatch(/^\d+ posters$/);
    return { page, errors };
  };
  const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `library-${name}-${size}.png`) });
  /** Both themes: the light one, then the dark one, back to light (the toggle is clicked from script: focus stays, a dialog stays open). */
  const toggleTheme = (page: Page) => page.evaluate(() => (document.querySelector('[data-testid="theme-toggle"]') as HTMLElement).click());
  const shots = async (page: Page, name: string, axe = false) => {
    await page.waitForTimeout(250);
    await shot(page, `${name}-light`);
    if (axe) expect(await axeViolations(page), `${name}, light theme`).toEqual([]);
    await toggleTheme(page);
    await page.waitForTimeout(350);
    await shot(page, `${name}-dark`);
    if (axe) expect(await axeViolations(page), `${name}, dark theme`).toEqual([]);
    await toggleTheme(page);
    await page.waitForTimeout(100);
  };
  const activeIndex = (page: Page) =>
    page.evaluate(() => {
      const grid = document.querySelector('[data-testid="library-grid"]');
      const id = grid?.getAttribute('aria-activedescendant');
      return id ? Number(id.replace('poster-cell-', '')) : null;
    });
  const selectionText = async (page: Page) => ((await page.getByTestId('selection-count').count()) ? page.getByTestId('selection-count').textContent() : '');

  it('is usable from the keyboard: Tab reaches the grid, arrows move with a visible ring, Space, Shift, Ctrl+A, Esc and Enter', async () => {
    const { page, errors } = await open();
    const grid = page.getByTestId('library-grid');
    expect(await grid.getAttribute('tabindex')).toBe('0');
    expect(await grid.getAttribute('aria-label')).toMatch(/^Posters, 12 matching/);
    // Tab from the top of the page reaches the grid.
    await page.locator('body').focus();
    let tabs = 0;
    while (!(await grid.evaluate((el) => el === document.activeElement)) && tabs < 40) {
      await page.keyboard.press('Tab');
      tabs++;
    }
    expect(await grid.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await activeIndex(page)).toBe(0);
    // The active poster has a visible focus ring.
    const ring = () =>
      page.locator('[data-active="true"]').evaluate((el) => {
        const s = getComputedStyle(el);
        return { style: s.outlineStyle, width: parseFloat(s.outlineWidth) };
      });
    expect(await ring()).toEqual({ style: 'solid', width: 3 });
    const columns = Number(await grid.getAttribute('data-columns'));
    await page.keyboard.press('ArrowRight');
    expect(await activeIndex(page)).toBe(1);
    await page.keyboard.press('ArrowDown');
    expect(await activeIndex(page)).toBe(Math.min(11, 1 + columns));
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Space');
    expect(await selectionText(page)).toBe('1 selected');
    expect(await page.locator(`[data-testid="poster-${ids[1]}"]`).getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('Shift+ArrowRight');
    expect(await selectionText(page)).toBe('3 selected');
    await shots(page, 'keyboard-selection', true);
    await page.keyboard.press('Space'); // toggles the active one off
    expect(await selectionText(page)).toBe('2 selected');
    // Ctrl+A selects every poster matching the filter, not the page's text.
    await page.keyboard.press('Control+a');
    expect(await selectionText(page)).toBe('All 12 matching selected');
    expect(await page.evaluate(() => window.getSelection()?.toString() ?? '')).toBe('');
    await page.keyboard.press('Escape');
    expect(await selectionText(page)).toBe('');
    // Enter opens the active poster; Esc closes it and the grid has the focus again.
    await page.keyboard.press('End');
    expect(await activeIndex(page)).toBe(11);
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor();
    expect(await page.getByTestId('detail-position').textContent()).toBe('12 of 12');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    expect(await grid.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(errors, errors.join('\n')).toEqual([]);
    await page.close();
  });

  it('a click on a card of a scrolled grid that has not had the focus selects and opens that card', async () => {
    // Short enough that the 12 posters scroll. The grid's focus used to make poster 1 active,
    // which scrolled the clicked card away before the click landed.
    const { page, errors } = await open(viewport.width, 520);
    const grid = page.getByTestId('library-grid');
    await grid.evaluate((el) => (el.scrollTop = el.scrollHeight));
    await page.waitForTimeout(150);
    const scrolled = await grid.evaluate((el) => el.scrollTop);
    expect(scrolled).toBeGreaterThan(0);
    expect(await grid.evaluate((el) => el === document.activeElement)).toBe(false);
    await page.locator(`[data-testid="poster-${ids[11]}"]`).click();
    expect(await activeIndex(page)).toBe(11);
    expect(await selectionText(page)).toBe('1 selected');
    expect(await page.locator(`[data-testid="poster-${ids[11]}"]`).getAttribute('aria-selected')).toBe('true');
    expect(await grid.evaluate((el) => el.scrollTop)).toBe(scrolled);
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor();
    expect(await page.getByTestId('detail-position').textContent()).toBe('12 of 12');
    expect(errors, errors.join('\n')).toEqual([]);
    await page.close();
  });

  it('says how many selected posters the filter hides, and a bulk action on "all N matching" changes the whole filter', async () => {
    const { page, errors } = await open();
    const grid = page.getByTestId('library-grid');
    await grid.focus();
    for (const _ of [0, 1, 2]) {
      await page.keyboard.press('Space');
      await page.keyboard.press('ArrowRight');
    }
    expect(await selectionText(page)).toBe('3 selected');
    // Filter down to one of the three: the other two are still selected, and the bar says so.
    const title = service.db.prepare('SELECT title FROM posters WHERE id = ?').pluck().get(ids[0]) as string;
    const word = title.split(/\s+/).sort((a, b) => b.length - a.length)[0] as string;
    await page.getByTestId('filter-title').fill(word);
    const shown = Number((await page.getByTestId('library-total').textContent())?.split(' ')[0]);
    await expect.poll(() => page.getByTestId('library-total').textContent()).not.toBe('12 posters');
    const matchingSelected = service.db
      .prepare(`SELECT count(*) FROM posters WHERE id IN (${ids.slice(0, 3).join(',')}) AND title LIKE ?`)
      .pluck()
      .get(`%${word}%`) as number;
    await expect.poll(() => page.getByTestId('selection-hidden').textContent()).toBe(`⚠ ${3 - matchingSelected} hidden by the filter`);
    await shots(page, 'selection-hidden');
    void shown;
    await page.getByTestId('filter-title').fill('');
    await expect.poll(() => page.getByTestId('library-total').textContent()).toBe('12 posters');
    await expect.poll(() => page.getByTestId('selection-hidden').count()).toBe(0);

    // "Select all 12 matching" on a vendor filter, then Mark reviewed: every matching poster, server-side.
    await page.getByRole('combobox', { name: 'Status' }).click();
    await page.getByRole('option', { name: 'Not reviewed' }).click();
    await expect.poll(() => page.getByTestId('library-total').textContent()).toMatch(/^\d+ posters$/);
    const unreviewed = Number((await page.getByTestId('library-total').textContent())?.split(' ')[0]);
    await page
      .getByTestId('selection-bar')
      .getByRole('button', { name: `Select all ${unreviewed} matching` })
      .click();
    expect(await selectionText(page)).toBe(`All ${unreviewed} matching selected`);
    // Another window reviews one of them meanwhile: "all N" no longer means what was selected, and nothing changes.
    const first = service.db.prepare('SELECT min(id) FROM posters WHERE reviewed_at IS NULL').pluck().get() as number;
    service.library.setLabels(first, ['Drama']);
    await page.getByRole('button', { name: 'Mark reviewed' }).click();
    await page.getByText(`${unreviewed - 1} posters match the filter now, not the ${unreviewed} selected`, { exact: false }).waitFor();
    expect(service.db.prepare('SELECT count(*) FROM posters WHERE reviewed_at IS NULL').pluck().get()).toBe(unreviewed - 1);
    service.library.undo(first);
    await page.getByRole('button', { name: 'Mark reviewed' }).click();
    await expect.poll(() => page.getByTestId('library-total').textContent()).toBe('0 posters');
    expect(service.db.prepare('SELECT count(*) FROM posters WHERE reviewed_at IS NULL').pluck().get()).toBe(0);
    // And one Undo takes it back for all of them.
    await page.getByTestId('bulk-undo').click();
    await expect.poll(() => page.getByTestId('library-total').textContent()).toBe(plural(unreviewed, 'poster'));
    expect(errors, errors.join('\n')).toEqual([]);
    await page.close();
  });

  it('shows whole posters with badges, a remembered size, the year in every caption, and compact chrome', async () => {
    service.library.setLabels(ids[0] as number, ['Drama']);
    service.db.prepare('UPDATE posters SET duplicate_of = ? WHERE id = ?').run(ids[2], ids[3]);
    service.db
      .prepare('UPDATE posters SET title = ?, year = 1931, decade = 1930 WHERE id = ?')
      .run('A Very Long Title That Cannot Possibly Fit On One Card Line', ids[4]);
    const { page, errors } = await open();
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll('[data-testid="poster-thumb"]')].filter(
          (i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth > 0,
        ).length >= 6,
    );
    // Letterboxed: each thumbnail shows the whole image at its own aspect ratio, inside its box.
    const fits = await page.locator('[data-testid="poster-thumb"]').evaluateAll((imgs) =>
      imgs
        .map((el) => el as HTMLImageElement)
        .filter((i) => i.complete && i.naturalWidth > 0)
        .map((i) => {
          const r = i.getBoundingClientRect();
          const box = (i.parentElement as HTMLElement).getBoundingClientRect();
          return {
            fit: getComputedStyle(i).objectFit,
            ratio: Math.abs(r.width / r.height - i.naturalWidth / i.naturalHeight) < 0.03,
            inside: r.width <= box.width + 0.5 && r.height <= box.height + 0.5,
          };
        }),
    );
    expect(fits.length).toBeGreaterThan(5);
    for (const f of fits) expect(f).toEqual({ fit: 'contain', ratio: true, inside: true });
    // Badges.
    await expect.poll(() => page.getByTestId(`poster-${ids[0]}`).getByTestId('badges').textContent()).toContain('Reviewed');
    expect(await page.getByTestId(`poster-${ids[3]}`).getByTestId('badges').textContent()).toContain('Dup');
    expect(await page.getByTestId(`poster-${ids[2]}`).getByTestId('badges').textContent()).toContain('Dup');
    expect(await page.getByTestId(`poster-${ids[5]}`).getByTestId('badges').textContent()).toMatch(/High|Med|Low/);
    // The year stays in a caption whose title is too long.
    const year = page.getByTestId(`poster-${ids[4]}`).getByTestId('card-year');
    expect(await year.textContent()).toBe('(1931)');
    const yearBox = await year.boundingBox();
    const cardBox = await page.getByTestId(`poster-${ids[4]}`).boundingBox();
    expect((yearBox?.x ?? 0) + (yearBox?.width ?? 0)).toBeLessThanOrEqual((cardBox?.x ?? 0) + (cardBox?.width ?? 0));

    // Compact chrome: one row of filters, and more than 1.6 rows of posters in view.
    const tops = await page.getByTestId('library-filters').evaluate((el) => [...el.children].map((c) => Math.round(c.getBoundingClientRect().top)));
    expect(new Set(tops).size).toBe(1);
    expect(await page.getByTestId('library-filters').evaluate((el) => el.scrollWidth <= el.clientWidth + 1)).toBe(true);
    const grid = page.getByTestId('library-grid');
    const rowsInView = await grid.evaluate((el) => el.clientHeight / Number(el.getAttribute('data-row-height')));
    expect(rowsInView).toBeGreaterThan(1.6);
    await shots(page, 'grid', true);

    // The size slider (by keyboard) changes the thumbnails and is remembered.
    const width = () =>
      page
        .getByTestId(`poster-${ids[1]}`)
        .getByTestId('poster-thumb')
        .evaluate((i) => (i.parentElement as HTMLElement).clientWidth);
    const before = await width();
    await page.getByRole('slider', { name: 'Size' }).focus();
    for (const _ of [0, 1, 2, 3, 4]) await page.keyboard.press('ArrowRight');
    await expect.poll(width).toBe(before + 40);
    await page.reload();
    await page.getByRole('tab', { name: 'Library' }).click();
    await expect.poll(width, { timeout: 15_000 }).toBe(before + 40);
    await page.getByRole('slider', { name: 'Size' }).focus();
    for (const _ of [0, 1, 2, 3, 4]) await page.keyboard.press('ArrowLeft');
    await expect.poll(width).toBe(before);

    // Sorted by least certain, each card shows the suggestion the model is least sure of.
    await page.getByRole('combobox', { name: 'Sort' }).click();
    await page.getByRole('option', { name: 'Least certain' }).click();
    await expect.poll(() => page.getByTestId('card-detail').first().textContent()).toMatch(/^[A-Za-z ]+ \d+% · threshold \d+%$/);
    await shots(page, 'least-certain');
    expect(errors, errors.join('\n')).toEqual([]);
    await page.close();
  });

  it('filters forgivingly: vendor and title in any case and without accents, several genres, confidence from the thresholds, new sorts', async () => {
    service.db.prepare('UPDATE posters SET title = ? WHERE id = ?').run('Mädchen in Uniform', ids[6]);
    service.db.prepare('UPDATE posters SET vendor = ? WHERE id = ?').run('Élan Vintage', ids[7]);
    service.library.setLabels(ids[5] as number, ['Comedy']);
    const { page, errors } = await open();
    const total = () => page.getByTestId('library-total').textContent();
    await page.getByRole('textbox', { name: 'Vendor' }).fill('acme');
    await expect.poll(total).toBe('11 posters');
    await page.getByRole('textbox', { name: 'Vendor' }).fill('elan');
    await expect.poll(total).toBe('1 poster');
    await page.getByRole('textbox', { name: 'Vendor' }).fill('');
    await page.getByTestId('filter-title').fill('madchen');
    await expect.poll(total).toBe('1 poster');
    await page.getByTestId('filter-title').fill('');
    await expect.poll(total).toBe('12 posters');

    // Genres: two at once, any or all — by keyboard.
    await page.getByRole('combobox', { name: 'Genres' }).focus();
    await page.keyboard.press('Enter');
    const listbox = page.getByRole('listbox');
    await listbox.getByRole('option', { name: 'Drama' }).click();
    await listbox.getByRole('option', { name: 'Comedy' }).click();
    await page.keyboard.press('Escape');
    const count = (f: string) => service.library.count(JSON.parse(f));
    await expect.poll(total).toBe(plural(count('{"genres":["Drama","Comedy"]}'), 'poster'));
    await page.getByRole('button', { name: 'All', exact: true }).click();
    await expect.poll(total).toBe(plural(count('{"genres":["Drama","Comedy"],"genreMode":"all"}'), 'poster'));
    await shots(page, 'genres-all');
    await page.getByRole('combobox', { name: 'Genres' }).click();
    await page.getByRole('listbox').getByRole('option', { name: 'Drama' }).click();
    await page.getByRole('listbox').getByRole('option', { name: 'Comedy' }).click();
    await page.keyboard.press('Escape');
    await expect.poll(total).toBe('12 posters');

    // Confidence "High" matches posters under the shipped model.
    await page.getByRole('combobox', { name: 'Confidence' }).click();
    expect(await page.getByTestId('confidence-help').textContent()).toMatch(/threshold/);
    await page.getByRole('option', { name: 'High', exact: true }).click();
    const high = service.library.count({ confidence: 'high' });
    expect(high).toBeGreaterThan(0);
    await expect.poll(total).toBe(plural(high, 'poster'));
    await page.getByRole('combobox', { name: 'Confidence' }).click();
    await page.getByRole('option', { name: 'Any', exact: true }).click();

    // Sort by vendor, then by review date.
    await page.getByRole('combobox', { name: 'Sort' }).click();
    await page.getByRole('option', { name: 'Vendor', exact: true }).click();
    await expect.poll(() => page.locator('[role="option"][aria-posinset="12"]').getAttribute('data-testid')).toBe(`poster-${ids[7]}`);
    await page.getByRole('combobox', { name: 'Sort' }).click();
    await page.getByRole('option', { name: 'Latest reviewed' }).click();
    const latest = service.db.prepare('SELECT id FROM posters WHERE reviewed_at IS NOT NULL ORDER BY reviewed_at DESC LIMIT 1').pluck().get();
    await expect.poll(() => page.locator('[role="option"][aria-posinset="1"]').getAttribute('data-testid')).toBe(`poster-${latest}`);
    expect(errors, errors.join('\n')).toEqual([]);
    await page.close();
  });

  it('detail: labels never clipped (also at 800 px), previous/next, zoom, genres in place, edit history, near-duplicates', async () => {
    for (const width of [viewport.width, 800]) {
      const { page } = await open(width, viewport.height);
      await page.getByTestId('library-grid').focus();
      await page.keyboard.press('Enter');
      const dialog = page.getByRole('dialog');
      await dialog.getByRole('textbox', { name: 'Title' }).waitFor();
      for (const name of ['Title', 'Year', 'Vendor']) {
        const clipped = await dialog
          .locator('label')
          .filter({ hasText: new RegExp(`^${name}$`) })
          .evaluate((label) => {
            const r = label.getBoundingClientRect();
            let el = label.parentElement;
            while (el) {
              const s = getComputedStyle(el);
              if (s.overflow !== 'visible' || s.overflowY !== 'visible') {
                const c = el.getBoundingClientRect();
                if (r.top < c.top - 0.5 || r.bottom > c.bottom + 0.5 || r.left < c.left - 0.5 || r.right > c.right + 0.5) return `outside ${el.className}`;
              }
              el = el.parentElement;
            }
            return label.scrollWidth > label.clientWidth + 1 ? 'ellipsis' : '';
          });
        expect(clipped, `${name} label at ${width} px`).toBe('');
      }
      await shots(page, `detail-${width}`, true);
      await page.close();
    }

    const { page, errors } = await open();
    await page.getByTestId('library-grid').focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('textbox', { name: 'Title' }).waitFor();
    const titleValue = () => dialog.getByRole('textbox', { name: 'Title' }).inputValue();
    const titleOf = (id: number) => (service.db.prepare('SELECT title FROM posters WHERE id = ?').pluck().get(id) as string | null) ?? '';
    await expect.poll(titleValue).toBe(titleOf(ids[0] as number));
    // Next / previous: buttons and keys.
    await dialog.getByRole('button', { name: 'Next ›' }).click();
    await expect.poll(titleValue).toBe(titleOf(ids[1] as number));
    await dialog.getByRole('button', { name: 'Close' }).focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(titleValue).toBe(titleOf(ids[2] as number));
    await dialog.getByRole('textbox', { name: 'Title' }).focus();
    await page.keyboard.press('Alt+ArrowLeft');
    await expect.poll(titleValue).toBe(titleOf(ids[1] as number));
    expect(await page.getByTestId('detail-position').textContent()).toBe('2 of 12');

    // Zoom: the scan at full size in a box that scrolls.
    await dialog.getByTestId('zoom').click();
    expect(await dialog.getByTestId('zoom').getAttribute('aria-pressed')).toBe('true');
    expect(await dialog.getByTestId('scan-box').evaluate((el) => el.scrollHeight > el.clientHeight + 10)).toBe(true);
    await shots(page, 'detail-zoomed');
    await dialog.getByTestId('zoom').click();
    expect(await dialog.getByTestId('scan-box').evaluate((el) => el.scrollHeight <= el.clientHeight + 1)).toBe(true);

    // Genres in place, through the service, undoable.
    const id = ids[1] as number;
    const western = dialog.getByTestId('detail-genre-Western');
    const had = (await western.getAttribute('aria-pressed')) === 'true';
    await western.click();
    await expect.poll(() => western.getAttribute('aria-pressed')).toBe(String(!had));
    expect(service.library.poster(id).current.includes('Western')).toBe(!had);
    await dialog.getByRole('button', { name: 'Undo last genre change' }).click();
    await expect.poll(() => western.getAttribute('aria-pressed')).toBe(String(had));

    // Title, year and vendor edits are in the history, and undoable.
    await dialog.getByRole('textbox', { name: 'Year' }).fill('1958');
    await dialog.getByRole('textbox', { name: 'Vendor' }).fill('Bob');
    await dialog.getByRole('textbox', { name: 'Vendor' }).press('Enter'); // Enter in a field saves, as Save does
    const history = dialog.getByTestId('detail-history');
    await expect.poll(() => history.textContent()).toContain('Vendor: Acme Posters→ Bob');
    expect(await history.textContent()).toMatch(/Year: .*→ 1958/);
    // Each Undo is named by the change it takes back.
    await history.getByRole('button', { name: 'Undo Vendor: Acme Posters → Bob', exact: true }).click();
    await expect.poll(() => dialog.getByRole('textbox', { name: 'Vendor' }).inputValue()).toBe('Acme Posters');
    expect(service.db.prepare('SELECT vendor FROM posters WHERE id = ?').pluck().get(id)).toBe('Acme Posters');

    // Near-duplicates: keep one (the other set aside, hidden, restorable), or "not a duplicate".
    service.db.prepare('UPDATE posters SET duplicate_of = ? WHERE id = ?').run(ids[8], ids[9]);
    service.db.prepare('UPDATE posters SET duplicate_of = ? WHERE id = ?').run(ids[10], ids[11]);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await page.getByRole('combobox', { name: 'Show' }).click();
    await page.getByRole('option', { name: 'Near-duplicates' }).click();
    const pairs = service.library.count({ duplicates: true });
    await expect.poll(() => page.getByTestId('library-total').textContent()).toBe(plural(pairs, 'poster'));
    await page.getByTestId(`poster-${ids[8]}`).dblclick();
    await dialog.getByTestId(`duplicate-${ids[9]}`).waitFor();
    await shots(page, 'detail-duplicates', true);
    await dialog
      .getByTestId(`duplicate-${ids[9]}`)
      .getByRole('button', { name: /^Keep this poster, set .+ aside$/ })
      .click();
    await expect.poll(() => service.db.prepare('SELECT set_aside_at IS NOT NULL FROM posters WHERE id = ?').pluck().get(ids[9])).toBe(1);
    // Said where it was done, with the way back; the pair is not offered for resolving again.
    await dialog.getByTestId(`duplicate-${ids[9]}-set-aside`).waitFor();
    expect(await dialog.getByRole('button', { name: /^Keep / }).count()).toBe(0);
    expect(
      await dialog
        .getByTestId(`duplicate-${ids[9]}`)
        .getByRole('button', { name: /^Restore / })
        .count(),
    ).toBe(1);
    await expect.poll(() => history.textContent()).toBeDefined();
    await page.keyboard.press('Escape');
    // Resolved: the copy set aside is hidden, and the poster kept is no longer a near-duplicate to look at.
    await expect.poll(() => page.getByTestId('library-total').textContent()).toBe(plural(pairs - 2, 'poster'));
    await page.getByTestId(`poster-${ids[10]}`).dblclick();
    await dialog.getByRole('button', { name: 'Not a duplicate' }).click();
    await expect.poll(() => service.db.prepare('SELECT duplicate_of FROM posters WHERE id = ?').pluck().get(ids[11])).toBeNull();
    await dialog.getByRole('button', { name: 'Not a duplicate' }).waitFor({ state: 'detached' });
    // The button pressed is gone: the focus is back in the dialog, so Esc still closes it.
    await expect.poll(() => page.evaluate(() => !!document.activeElement?.closest('[role="dialog"]'))).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('library-total').textContent()).toBe(plural(pairs - 4, 'poster'));
    // The set-aside poster is found under "Set aside", and restored from its detail.
    await page.getByRole('combobox', { name: 'Show' }).click();
    await page.getByRole('option', { name: 'Set aside' }).click();
    await expect.poll(() => page.getByTestId('library-total').textContent()).toBe('1 poster');
    await page.getByTestId(`poster-${ids[9]}`).dblclick();
    await dialog.getByRole('button', { name: 'Restore' }).click();
    await expect.poll(() => service.db.prepare('SELECT set_aside_at FROM posters WHERE id = ?').pluck().get(ids[9])).toBeNull();
    expect(labelsOf(service.db, ids[9] as number)).toBeNull(); // nothing else about it changed
    expect(errors, errors.join('\n')).toEqual([]);
    await page.close();
  });
  it('detail: a near-duplicate copy is named as staff know a poster (title or file name, vendor, year), not by its catalogue id', async () => {
    const [a, b, c] = [ids[3], ids[4], ids[5]] as [number, number, number];
    service.db.prepare('UPDATE posters SET title = ?, year = 1931, decade = 1930 WHERE id = ?').run('Dracula', b);
    service.db.prepare('UPDATE posters SET title = NULL, year = NULL, decade = NULL WHERE id = ?').run(c);
    service.db.prepare('UPDATE posters SET duplicate_of = ? WHERE id IN (?, ?)').run(a, b, c);
    const fileOfC = service.library.poster(c).poster.path.split('/').pop() as string;
    const { page, errors } = await open();
    await page.getByRole('combobox', { name: 'Show' }).click();
    await page.getByRole('option', { name: 'Near-duplicates' }).click();
    await page.getByTestId(`poster-${a}`).dblclick();
    const dialog = page.getByRole('dialog');
    const copyB = dialog.getByTestId(`duplicate-${b}`);
    const copyC = dialog.getByTestId(`duplicate-${c}`);
    // Title, vendor and year; with no title, the scan's file name.
    await expect.poll(() => copyB.getByTestId(`duplicate-${b}-name`).textContent(), { timeout: 15_000 }).toBe('Dracula (Acme Posters, 1931)');
    expect(await copyC.getByTestId(`duplicate-${c}-name`).textContent()).toBe(`${fileOfC} (Acme Posters)`);
    expect(await copyB.getByRole('img').getAttribute('alt')).toBe('Near-duplicate: Dracula (Acme Posters, 1931)');
    // The buttons say which copy they act on by the same name; the id is said nowhere.
    expect(await copyB.getByRole('button', { name: 'Keep this poster, set Dracula (Acme Posters, 1931) aside', exact: true }).count()).toBe(1);
    expect(await copyB.getByRole('button', { name: 'Keep Dracula (Acme Posters, 1931), set this aside', exact: true }).count()).toBe(1);
    expect(await copyC.getByRole('button', { name: `Keep ${fileOfC} (Acme Posters), set this aside`, exact: true }).count()).toBe(1);
    for (const [copy, id] of [
      [copyB, b],
      [copyC, c],
    ] as const)
      expect(await copy.textContent()).not.toMatch(new RegExp(`#${id}\\b`));
    await copyB.scrollIntoViewIfNeeded();
    await shots(page, 'detail-duplicates-named');
    // Resolved: what was set aside is named too, and so is the way back.
    await copyB.getByRole('button', { name: 'Keep this poster, set Dracula (Acme Posters, 1931) aside', exact: true }).click();
    await expect.poll(() => copyB.getByTestId(`duplicate-${b}-set-aside`).textContent()).toBe('Kept this poster; Dracula (Acme Posters, 1931) is set aside.');
    expect(await copyB.getByRole('button', { name: 'Restore Dracula (Acme Posters, 1931)', exact: true }).count()).toBe(1);
    // The poster kept tells it in its own history too (the edit is the other poster's), with its Undo.
    const keptHistory = dialog.getByTestId('detail-history');
    await expect.poll(() => keptHistory.textContent()).toContain('Kept over Dracula (Acme Posters, 1931), which was set aside');
    expect(await keptHistory.getByRole('button', { name: 'Undo Kept over Dracula (Acme Posters, 1931), which was set aside', exact: true }).count()).toBe(1);
    await keptHistory.scrollIntoViewIfNeeded();
    await shots(page, 'detail-kept-history');
    // Not a duplicate, then the copy's own history: the poster it was paired with is still named, no longer paired.
    await copyC.getByRole('button', { name: `Not a duplicate: ${fileOfC} (Acme Posters)`, exact: true }).click();
    await copyC.waitFor({ state: 'detached' });
    const nameOfA = service.library.poster(a).poster.title ?? '';
    await page.keyboard.press('Escape');
    await page.getByRole('combobox', { name: 'Show' }).click();
    await page.getByRole('option', { name: 'All posters' }).click();
    await page.getByTestId(`poster-${c}`).dblclick();
    const history = dialog.getByTestId('detail-history');
    await expect.poll(() => history.textContent(), { timeout: 15_000 }).toContain(`Near-duplicate of: ${nameOfA}`);
    expect(await history.textContent()).not.toContain(`poster ${a}`);
    expect(errors, errors.join('\n')).toEqual([]);
    await page.close();
    service.db.prepare('UPDATE posters SET duplicate_of = NULL, set_aside_at = NULL WHERE id IN (?, ?)').run(b, c);
  });
  it('at the smallest size a caption still reads: titles on two lines, the year, genre names whole, nothing scrolling sideways', async () => {
    service.db.prepare('UPDATE posters SET title = ?, year = 1935, decade = 1930 WHERE id = ?').run('Bride of Frankenstein', ids[1]);
    service.library.setLabels(ids[1] as number, ['Science Fiction', 'Horror']);
    service.db
      .prepare('UPDATE posters SET title = ?, year = 1931, decade = 1930 WHERE id = ?')
      .run('A Very Long Title That Cannot Possibly Fit On One Card Line', ids[2]);
    const { page, errors } = await open();
    await page.getByRole('slider', { name: 'Size' }).focus();
    await page.keyboard.press('Home');
    const card = page.getByTestId(`poster-${ids[1]}`);
    await expect.poll(() => card.getByTestId('poster-thumb').evaluate((i) => (i.parentElement as HTMLElement).clientWidth)).toBe(96);
    const layout = (testId: string, id: number) =>
      page
        .getByTestId(`poster-${id}`)
        .getByTestId(testId)
        .evaluate((el) => ({
          whole: el.scrollHeight <= el.clientHeight + 1 && el.scrollWidth <= el.clientWidth + 1,
          lines: Math.round(el.getBoundingClientRect().height / parseFloat(getComputedStyle(el).lineHeight)),
          width: el.getBoundingClientRect().width,
          tooltip: el.getAttribute('title'),
        }));

    // A 21-character title is whole, on two lines as wide as the card (one line beside the year held about seven characters).
    const bride = await layout('card-title', ids[1] as number);
    expect(bride).toMatchObject({ whole: true, lines: 2, tooltip: 'Bride of Frankenstein' });
    expect(bride.width).toBeGreaterThan(80);
    // A title too long even for two: two lines, the rest in its tooltip; the year still shows.
    const long = await layout('card-title', ids[2] as number);
    expect(long).toMatchObject({ whole: false, lines: 2, tooltip: 'A Very Long Title That Cannot Possibly Fit On One Card Line' });
    expect(await page.getByTestId(`poster-${ids[2]}`).getByTestId('card-year').isVisible()).toBe(true);

    // Genre names are never cut inside a name: the long stock name by its short form, the full one in its tooltip.
    const detail = card.getByTestId('card-detail');
    expect(await detail.textContent()).toBe('Horror, Sci-Fi');
    expect(await detail.locator('span[title="Science Fiction"]').textContent()).toBe('Sci-Fi');
    const names = await detail.evaluate((el) => {
      const box = (el.parentElement as HTMLElement).getBoundingClientRect();
      return [...el.querySelectorAll('span[title]')].map((s) => {
        const r = s.getBoundingClientRect();
        return { name: s.textContent, inside: r.right <= box.right + 0.5 && r.bottom <= box.bottom + 0.5 };
      });
    });
    expect(names).toEqual([
      { name: 'Horror', inside: true },
      { name: 'Sci-Fi', inside: true },
    ]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
    await shots(page, 'grid-smallest', true);
    expect(errors, errors.join('\n')).toEqual([]);
    await page.close();
  });
  it('detail: arrows on a crop corner move only the corner; leaving a poster saves what was typed or drawn; Ctrl+Z after a save undoes it in the catalogue', async () => {
    const { page, errors } = await open();
    const dialog = page.getByRole('dialog');
    const field = (name: string) => dialog.getByRole('textbox', { name });
    const position = () => page.getByTestId('detail-position').textContent();
    const stored = (id: number) => service.library.posterFile(id) as NonNullable<ReturnType<typeof service.library.posterFile>>;
    const [first, second] = [ids[3] as number, ids[4] as number];
    await page.getByTestId(`poster-${first}`).dblclick();
    await expect.poll(() => field('Title').inputValue()).toBe(stored(first).title ?? '');
    const at = await position();

    // C opens the crop editor in place of the scan, the keyboard on its first corner.
    await dialog.getByTestId('detail-content').focus();
    await page.keyboard.press('c');
    const corner = dialog.getByRole('button', { name: /^top left corner of the poster/ });
    await expect.poll(() => corner.evaluate((el) => el === document.activeElement)).toBe(true);
    await shots(page, 'detail-crop-editor', true);
    // → on a focused corner moves the corner, and only the corner: still this poster.
    const label = await corner.getAttribute('aria-label');
    await corner.focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => corner.getAttribute('aria-label')).not.toBe(label);
    await page.waitForTimeout(300);
    expect(await position()).toBe(at);
    expect(await field('Title').inputValue()).toBe(stored(first).title ?? '');

    // Next › with the box moved and not saved: it is saved on the way.
    await dialog.getByRole('button', { name: 'Next ›' }).click();
    await expect.poll(() => position(), { timeout: 15_000 }).not.toBe(at);
    expect(stored(first).crop?.state).toBe('manual');

    // Esc with a title typed and not saved: saved as the dialog closes.
    await expect.poll(() => field('Title').inputValue()).toBe(stored(second).title ?? '');
    await field('Title').fill('Edited Title');
    await expect.poll(() => dialog.getByTestId('detail-unsaved').textContent()).toContain('title');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(stored(second).title).toBe('Edited Title');

    // A year that is not one is not dropped on leaving: the poster stays open and says why.
    await page.getByTestId(`poster-${second}`).dblclick();
    await expect.poll(() => field('Title').inputValue()).toBe('Edited Title');
    const here = await position();
    await field('Year').fill('19x8');
    await dialog.getByRole('button', { name: '‹ Previous' }).click();
    await expect.poll(() => dialog.getByTestId('detail-not-saved').textContent()).toContain('"19x8" is not a year');
    expect(await position()).toBe(here);
    await field('Year').fill('1961');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(stored(second).year).toBe(1961);

    // Ctrl+Z after Enter saved: the saved edit is taken back in the catalogue, and the field shows it.
    await page.getByTestId(`poster-${second}`).dblclick();
    await expect.poll(() => field('Title').inputValue()).toBe('Edited Title');
    await field('Title').focus();
    await page.keyboard.press('End');
    await page.keyboard.type(' II');
    await page.keyboard.press('Enter');
    await expect.poll(() => stored(second).title).toBe('Edited Title II');
    await expect.poll(() => dialog.getByTestId('detail-unsaved').count()).toBe(0);
    await page.keyboard.press('Control+z');
    await expect.poll(() => stored(second).title).toBe('Edited Title');
    await expect.poll(() => field('Title').inputValue()).toBe('Edited Title');
    expect(await dialog.getByTestId('detail-history').textContent()).toMatch(/Title: Edited Title→ Edited Title II.*undone/);
    expect(errors, errors.join('\n')).toEqual([]);
    await page.close();
  });

  it('detail: typing and a moved crop corner survive every action in the dialog (genres, confirm, undo) until they are saved', async () => {
    const { page, errors } = await open();
    const dialog = page.getByRole('dialog');
    const field = (name: string) => dialog.getByRole('textbox', { name });
    const stored = (id: number) => service.library.posterFile(id) as NonNullable<ReturnType<typeof service.library.posterFile>>;
    const id = ids[6] as number;
    // A box drawn before, at an angle finer than the field shows (0.1°): left untouched, it is saved as it is.
    await service.cropPoster(id, { left: 0.02, top: 0.02, width: 0.96, height: 0.96, angle: 1.23 });
    await page.getByTestId(`poster-${id}`).dblclick();
    await expect.poll(() => field('Title').inputValue()).toBe(stored(id).title ?? '');
    await field('Title').fill('Typed And Not Saved');
    await field('Year').fill('1957');
    await openCropEditor(dialog);
    const corner = dialog.getByRole('button', { name: /^top left corner of the poster/ });
    const label = await corner.getAttribute('aria-label');
    await corner.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => corner.getAttribute('aria-label')).not.toBe(label);
    const moved = await corner.getAttribute('aria-label');
    /** After each action the poster reloads: what was typed and drawn is still there, still said to be unsaved. */
    const stillThere = async (after: string) => {
      await page.waitForTimeout(300);
      expect(await field('Title').inputValue(), after).toBe('Typed And Not Saved');
      expect(await field('Year').inputValue(), after).toBe('1957');
      expect(await corner.getAttribute('aria-label'), after).toBe(moved);
      expect(await dialog.getByTestId('detail-unsaved').textContent(), after).toContain('title, year');
    };

    const western = dialog.getByTestId('detail-genre-Western');
    const had = (await western.getAttribute('aria-pressed')) === 'true';
    await western.click();
    await expect.poll(() => western.getAttribute('aria-pressed')).toBe(String(!had));
    await stillThere('a genre chip');
    // Another window draws another box meanwhile: the corner moved here and not saved stays where it was put.
    const theirs = { left: 0.1, top: 0.1, width: 0.8, height: 0.8, angle: 0 };
    await service.cropPoster(id, theirs);
    await western.click();
    await expect.poll(() => western.getAttribute('aria-pressed')).toBe(String(had));
    await stillThere('a box drawn in another window');
    await western.click();
    await expect.poll(() => western.getAttribute('aria-pressed')).toBe(String(!had));
    await dialog.getByRole('button', { name: 'Confirm these genres (mark reviewed)' }).click();
    await expect.poll(() => dialog.getByText('Confirmed genres', { exact: true }).count()).toBe(1);
    await stillThere('Confirm these genres');
    await dialog.getByRole('button', { name: 'Undo last genre change' }).click();
    await expect.poll(() => dialog.getByRole('button', { name: 'Confirm these genres (mark reviewed)' }).count()).toBe(1);
    await stillThere('Undo last genre change');
    expect(stored(id).title).not.toBe('Typed And Not Saved');

    // Close saves all three.
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(stored(id).title).toBe('Typed And Not Saved');
    expect(stored(id).year).toBe(1957);
    expect(stored(id).crop?.state).toBe('manual');
    expect(stored(id).crop?.box).not.toEqual(theirs);
    expect(stored(id).crop?.box?.angle).toBe(1.23);

    // Typing just after Enter is not overwritten when the saved poster comes back.
    await page.getByTestId(`poster-${id}`).dblclick();
    await expect.poll(() => field('Title').inputValue()).toBe('Typed And Not Saved');
    await field('Title').focus();
    await page.keyboard.press('End');
    await page.keyboard.type(' II');
    await page.keyboard.press('Enter');
    await page.keyboard.type(' and more');
    await expect.poll(() => stored(id).title).toBe('Typed And Not Saved II');
    await page.waitForTimeout(300);
    expect(await field('Title').inputValue()).toBe('Typed And Not Saved II and more');
    expect(await dialog.getByTestId('detail-unsaved').textContent()).toContain('title');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(stored(id).title).toBe('Typed And Not Saved II and more');
    expect(errors, errors.join('\n')).toEqual([]);
    await page.close();
  });

  it('detail: Ctrl+Z in a field takes back only what was saved on this visit, never an older correction', async () => {
    const { page, errors } = await open();
    const dialog = page.getByRole('dialog');
    const title = dialog.getByRole('textbox', { name: 'Title' });
    const id = ids[7] as number;
    const storedTitle = () => service.library.posterFile(id)?.title;
    service.library.updatePoster(id, { title: 'Corrected Title' }); // saved earlier, perhaps by someone else
    await page.getByTestId(`poster-${id}`).dblclick();
    await expect.poll(() => title.inputValue()).toBe('Corrected Title');
    await title.focus();
    await page.keyboard.press('End');
    // In one piece, as a paste: the field's own undo takes it back in one step however fast the machine types.
    await page.keyboard.insertText(' (1968)');
    await page.keyboard.press('Control+z');
    await expect.poll(() => title.inputValue()).toBe('Corrected Title');
    await page.keyboard.press('Control+z');
    await page.keyboard.press('Control+z');
    await page.waitForTimeout(500);
    expect(storedTitle()).toBe('Corrected Title');
    expect(await title.inputValue()).toBe('Corrected Title');

    // Saved here, then Ctrl+Z: this visit's edit is taken back, and only it.
    await page.keyboard.press('End');
    await page.keyboard.insertText(' (1968)');
    await page.keyboard.press('Enter');
    await expect.poll(() => storedTitle()).toBe('Corrected Title (1968)');
    await expect.poll(() => dialog.getByTestId('detail-unsaved').count()).toBe(0);
    await page.keyboard.press('Control+z');
    await expect.poll(() => storedTitle()).toBe('Corrected Title');
    await expect.poll(() => title.inputValue()).toBe('Corrected Title');
    await page.keyboard.press('Control+z');
    await page.waitForTimeout(500);
    expect(storedTitle()).toBe('Corrected Title');
    // The older correction is still there to undo from the history, where it is seen.
    expect(await dialog.getByRole('button', { name: /^Undo Title: .* → Corrected Title$/ }).count()).toBe(1);
    expect(errors, errors.join('\n')).toEqual([]);
    await page.close();
  });

  it('detail: leaving past the first poster saves the typing and shows the poster as saved', async () => {
    const { page, errors } = await open();
    const dialog = page.getByRole('dialog');
    const title = dialog.getByRole('textbox', { name: 'Title' });
    const id = ids[0] as number;
    await page.getByTestId(`poster-${id}`).dblclick();
    await expect.poll(() => page.getByTestId('detail-position').textContent()).toBe('1 of 12');
    await expect.poll(() => title.inputValue()).toBe(service.library.posterFile(id)?.title ?? '');
    await title.fill('Saved At The Start');
    await expect.poll(() => dialog.getByTestId('detail-unsaved').count()).toBe(1);
    await page.keyboard.press('Alt+ArrowLeft');
    await expect.poll(() => service.library.posterFile(id)?.title).toBe('Saved At The Start');
    await expect.poll(() => dialog.getByTestId('detail-unsaved').count()).toBe(0);
    await expect.poll(() => page.locator('#poster-detail-title').textContent()).toContain('Saved At The Start');
    expect(await page.getByTestId('detail-position').textContent()).toBe('1 of 12');
    expect(errors, errors.join('\n')).toEqual([]);
    await page.close();
  });
  it('detail: saving one field never puts back another window’s change to a field left alone', async () => {
    const one = await open();
    const two = await open();
    const id = ids[5] as number;
    const stored = () => service.library.posterFile(id) as NonNullable<ReturnType<typeof service.library.posterFile>>;
    const was = stored();
    const before = new Set(service.library.poster(id).edits.map((x) => x.id));
    for (const { page } of [one, two]) {
      await page.getByTestId(`poster-${id}`).dblclick();
      await expect.poll(() => page.getByRole('dialog').getByRole('textbox', { name: 'Vendor' }).inputValue()).toBe(was.vendor ?? '');
    }
    // Window 2 corrects the vendor; window 1, still showing the old vendor, then saves a title.
    await two.page.getByRole('dialog').getByRole('textbox', { name: 'Vendor' }).fill('Bravo Posters');
    await two.page.keyboard.press('Enter');
    await expect.poll(() => stored().vendor).toBe('Bravo Posters');
    await one.page.getByRole('dialog').getByRole('textbox', { name: 'Title' }).fill('Window One Title');
    await one.page.keyboard.press('Enter');
    await expect.poll(() => stored().title).toBe('Window One Title');
    expect(stored().vendor).toBe('Bravo Posters');
    expect(stored().year).toBe(was.year);
    // The history holds the two changes made, and no vendor change nobody made.
    const edits = service.library
      .poster(id)
      .edits.filter((x) => !before.has(x.id))
      .map((x) => `${x.field}: ${x.before ?? ''} → ${x.after ?? ''}`);
    expect(edits.sort()).toEqual([`title: ${was.title ?? ''} → Window One Title`, `vendor: ${was.vendor ?? ''} → Bravo Posters`].sort());
    // Leaving saves only what was typed too: window 1 closes with nothing typed, window 2's vendor stays.
    await one.page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();
    await one.page.getByRole('dialog').waitFor({ state: 'detached' });
    expect(stored().vendor).toBe('Bravo Posters');
    for (const { page, errors } of [one, two]) {
      expect(errors, errors.join('\n')).toEqual([]);
      await page.close();
    }
  });

  it("detail: Confirm, Undo and a genre clicked act on the genres shown — a colleague's confirmation or change made since is neither overwritten nor undone", async () => {
    const { page, errors } = await open();
    const id = ids[7] as number;
    while (service.library.poster(id).labels !== null) service.library.undo(id);
    const labels = () => service.library.poster(id).labels;
    const dialog = page.getByRole('dialog');
    const confirm = dialog.getByRole('button', { name: 'Confirm these genres (mark reviewed)' });
    await page.getByTestId(`poster-${id}`).dblclick();
    await confirm.waitFor();
    service.library.setLabels(id, ['War'], 'colleague'); // confirmed in another window meanwhile
    await confirm.click();
    await expect.poll(() => dialog.textContent()).toMatch(/just reviewed by someone else, so this confirmation was not saved/);
    expect(labels()).toEqual(['War']);
    // Refused, the poster is shown as it is now: reviewed, so there is nothing left to confirm.
    await confirm.waitFor({ state: 'detached' });
    // The keyboard is back in the dialog (the button pressed is gone), so Esc closes it.
    await expect.poll(() => page.evaluate(() => !!document.activeElement?.closest('[role="dialog"]'))).toBe(true);
    // Shown again, the colleague's confirmation is the latest change; one more made since is not undone in its place.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await page.getByTestId(`poster-${id}`).dblclick();
    /** The genre changes the detail's history shows, as many as the catalogue has once it is shown as it is now. */
    const genreRows = dialog.locator('tr', { hasText: 'Genres: ' });
    const shownChanges = async () => [await genreRows.count(), await genreRows.filter({ hasText: '· undone' }).count()];
    const storedChanges = () => {
      const history = service.library.history(id);
      return [history.length, history.filter((h) => h.undoneAt !== null).length];
    };
    await expect.poll(shownChanges).toEqual(storedChanges());
    service.library.setGenre(id, 'Drama', true, 'colleague');
    await dialog.getByRole('button', { name: 'Undo last genre change' }).click();
    await expect.poll(() => dialog.textContent()).toMatch(/changed again since \(in the Library or another window\), so this was not undone/);
    expect(labels()).toEqual(['Drama', 'War']);
    // Refused, the poster is shown as it is now: a second press takes back the change now on screen.
    await expect.poll(shownChanges).toEqual(storedChanges());
    await dialog.getByRole('button', { name: 'Undo last genre change' }).click();
    await expect.poll(() => labels()).toEqual(['War']);
    // A genre clicked on genres a colleague changed since is refused too, and taken on a second click.
    await expect.poll(shownChanges).toEqual(storedChanges());
    service.library.setGenre(id, 'Drama', true, 'colleague');
    await dialog.getByTestId('detail-genre-Horror').click();
    await expect.poll(() => dialog.textContent()).toMatch(/so Horror was not added: its genres are now Drama, War/);
    expect(labels()).toEqual(['Drama', 'War']);
    await expect.poll(shownChanges).toEqual(storedChanges());
    await dialog.getByTestId('detail-genre-Horror').click();
    await expect.poll(() => labels()).toEqual(['Drama', 'Horror', 'War']);
    // Two genres clicked before the poster has reloaded after the first: this window's own change is no one else's.
    await expect.poll(shownChanges).toEqual(storedChanges());
    const reloads = gate();
    await page.route('**/api/posters/get', async (route) => {
      await reloads.shut;
      await route.continue();
    });
    await dialog.getByTestId('detail-genre-Comedy').click();
    await expect.poll(() => labels()).toEqual(['Comedy', 'Drama', 'Horror', 'War']);
    await dialog.getByTestId('detail-genre-Crime').click();
    await expect.poll(() => labels()).toEqual(['Comedy', 'Crime', 'Drama', 'Horror', 'War']);
    reloads.open();
    await expect.poll(() => dialog.getByText(/was not added/).count()).toBe(0);
    expect(errors, errors.join('\n')).toEqual([]);
    await page.close();
  });

  /** Poster ids[6] given `shown` as its title, its detail opened with that title in the field. */
  const openTitled = async (shown: string) => {
    const { page, errors } = await open();
    const dialog = page.getByRole('dialog');
    const title = dialog.getByRole('textbox', { name: 'Title' });
    const id = ids[6] as number;
    const storedTitle = () => service.library.posterFile(id)?.title ?? '';
    service.library.updatePoster(id, { title: shown });
    await page.getByTestId(`poster-${id}`).dblclick();
    await expect.poll(() => title.inputValue()).toBe(shown);
    return { page, errors, dialog, title, id, storedTitle };
  };

  /** A gate a held request waits at until the test opens it. */
  const gate = () => {
    let open = () => {};
    const shut = new Promise<void>((resolve) => (open = resolve));
    return { shut, open };
  };

  it('detail: Next pressed before a change is answered shows the next poster, not "Loading…" for good', async () => {
    const { page, errors } = await open();
    const dialog = page.getByRole('dialog');
    const title = dialog.getByRole('textbox', { name: 'Title' });
    const [id, next] = [ids[2] as number, ids[3] as number];
    await page.getByTestId(`poster-${id}`).dblclick();
    await expect.poll(() => title.inputValue()).toBe(service.library.posterFile(id)?.title ?? '');
    const at = await page.getByTestId('detail-position').textContent();
    // The genre change waits until Next is pressed; the posters asked for wait until both are asked.
    const change = gate();
    const loads = gate();
    let hold = false;
    const asked: number[] = [];
    await page.route('**/api/posters/setGenre', async (route) => {
      await change.shut;
      await route.continue();
    });
    await page.route('**/api/posters/get', async (route) => {
      if (hold) {
        asked.push((route.request().postDataJSON() as { id: number }).id);
        await loads.shut;
      }
      await route.continue();
    });
    hold = true;
    await dialog.locator('[data-testid^="detail-genre-"]').first().click();
    await dialog.getByRole('button', { name: 'Next ›' }).click();
    await expect.poll(() => page.getByTestId('detail-position').textContent()).not.toBe(at);
    await expect.poll(() => asked).toEqual([next]);
    // The change is answered after Next: the poster left reloads too, after the next one was asked for.
    change.open();
    await expect.poll(() => asked).toEqual([next, id]);
    loads.open();
    await expect.poll(() => title.count(), { timeout: 5_000 }).toBe(1);
    expect(await title.inputValue()).toBe(service.library.posterFile(next)?.title ?? '');
    expect(await dialog.getByText('Loading…').count()).toBe(0);
    expect(errors, errors.join('\n')).toEqual([]);
    await page.close();
  });

  it('detail: Ctrl+Z takes back both of two saves made before the poster came back', async () => {
    const { page, errors } = await open();
    const dialog = page.getByRole('dialog');
    const title = dialog.getByRole('textbox', { name: 'Title' });
    const id = ids[6] as number;
    const storedTitle = () => service.library.posterFile(id)?.title ?? '';
    await page.getByTestId(`poster-${id}`).dblclick();
    const was = storedTitle();
    await expect.poll(() => title.inputValue()).toBe(was);
    // The reloads after each save wait until both saves are made.
    const loads = gate();
    await page.route('**/api/posters/get', async (route) => {
      await loads.shut;
      await route.continue();
    });
    await title.fill('First Save');
    await page.keyboard.press('Enter');
    await expect.poll(() => storedTitle()).toBe('First Save');
    await title.fill('Second Save');
    await page.keyboard.press('Enter');
    await expect.poll(() => storedTitle()).toBe('Second Save');
    loads.open();
    await expect.poll(() => dialog.getByTestId('detail-unsaved').count()).toBe(0);
    await page.keyboard.press('Control+z');
    await expect.poll(() => storedTitle()).toBe('First Save');
    await expect.poll(() => title.inputValue()).toBe('First Save');
    await page.keyboard.press('Control+z');
    await expect.poll(() => storedTitle()).toBe(was);
    await expect.poll(() => title.inputValue()).toBe(was);
    expect(errors, errors.join('\n')).toEqual([]);
    await page.close();
  });

  it("detail: a save that records nothing (a colleague saved the same correction first) gives Ctrl+Z nothing of the colleague's to take back", async () => {
    const { page, errors, dialog, title, id, storedTitle } = await openTitled('Before Anyone');
    await title.fill('The Same Correction');
    // Another window saves the very title typed here before Enter: this save then changes nothing.
    service.library.updatePoster(id, { title: 'The Same Correction' });
    await page.keyboard.press('Enter');
    await expect.poll(() => dialog.getByTestId('detail-unsaved').count()).toBe(0);
    await expect.poll(() => dialog.getByRole('button', { name: /^Undo Title: Before Anyone → The Same Correction$/ }).count()).toBe(1);
    await page.keyboard.press('Control+z');
    await page.waitForTimeout(500);
    expect(storedTitle()).toBe('The Same Correction');
    expect(errors, errors.join('\n')).toEqual([]);
    await page.close();
  });

  it('detail: a refusal answered after staff went on to the next poster names the poster it was for', async () => {
    const { page, errors } = await open();
    const dialog = page.getByRole('dialog');
    const id = ids[6] as number;
    service.library.updatePoster(id, { title: 'Refused Title' });
    await page.getByTestId(`poster-${id}`).dblclick();
    const history = dialog.getByTestId('detail-history');
    const undo = history.getByRole('button', { name: /^Undo Title: .* → Refused Title$/ });
    await undo.waitFor();
    service.library.updatePoster(id, { title: 'Changed Since' }); // another window: the undo will be refused
    const answer = gate();
    await page.route('**/api/posters/undoEdit', async (route) => {
      await answer.shut;
      await route.continue();
    });
    await undo.click();
    await page.keyboard.press('Alt+ArrowRight');
    await expect.poll(() => dialog.getByRole('textbox', { name: 'Title' }).inputValue()).not.toBe('Refused Title');
    answer.open();
    await expect.poll(() => dialog.getByRole('alert').first().textContent()).toMatch(/^Refused Title( \(.*\))?: The poster's title has been changed since/);
    expect(errors, errors.join('\n')).toEqual([]);
    await page.close();
  });

  it('detail: a title another window saved since it was shown is not overwritten unasked: refused, named, and saved on a second Enter', async () => {
    const { page, errors, dialog, title, storedTitle, id } = await openTitled('Shown Here');
    await title.fill('Typed Here');
    service.library.updatePoster(id, { title: 'Saved Elsewhere' }); // another window, meanwhile
    await page.keyboard.press('Enter');
    await expect
      .poll(() => dialog.getByRole('alert').first().textContent())
      .toBe(
        "This poster's title (now “Saved Elsewhere”) was changed in another window since it was shown here, so nothing was saved. Save again to put yours in its place.",
      );
    expect(storedTitle()).toBe('Saved Elsewhere');
    expect(await title.inputValue()).toBe('Typed Here');
    // Now knowing theirs: Enter again saves what was typed.
    await expect.poll(() => dialog.getByTestId('detail-history').textContent()).toContain('Saved Elsewhere');
    await page.keyboard.press('Enter');
    await expect.poll(() => storedTitle()).toBe('Typed Here');
    expect(errors, errors.join('\n')).toEqual([]);
    await page.close();
  });
});
