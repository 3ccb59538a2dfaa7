/**
 * Review in Chromium at both viewport sizes, against the real services: each genre's chip keeps
 * its place and key from poster to poster with the probability as a bar on it; Space skips, X
 * keeps a poster for later in the Unsure queue; the strip of just-confirmed posters goes back to
 * one; the header's "N reviewed" and the review counter agree after every step.
 */
import { basename } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { labelsOf } from '../src/main/catalogue/labelRepository';
import { findGenreByName } from '../src/main/catalogue/genreRepository';
import { getPoster } from '../src/main/catalogue/posterRepository';
import { suggestionsFor } from '../src/main/catalogue/suggestionRepository';
import { DEFAULT_GENRES } from '../src/shared/genres';
import { REVIEWER_STORAGE_KEY } from '../src/shared/ipc';
const KEYS = '1234567890qwertyuiopasdfghjkl';
import { browserAvailable, headerReviewed, importedCatalogue, openPage, type serve, shotBothThemes, VIEWPORTS, poll } from './browserKit';
import { seriousViolations } from './browserHarness';

type Served = Awaited<ReturnType<typeof serve>>;

/**
 * No Review page of an earlier test holds posters any more (a page lets go of them as it closes,
 * a moment later, or not at all while the test held its requests back), so the test's first page
 * is handed the queue as the catalogue has it.
 */
const noneHeld = (served: Served) => served.service.review.releaseAll();

/** Holds the page's requests to `path` back until the returned function lets them go. */
const holdBack = async (page: Page, path: string) => {
  let letGo = () => {};
  const held = new Promise<void>((resolve) => (letGo = resolve));
  await page.route(`**/api/${path}`, async (route) => {
    await held;
    await route.continue();
  });
  return letGo;
};

describe.skipIf(!browserAvailable).each(VIEWPORTS)('review in Chromium at %o', (viewport) => {
  let browser: Browser;
  let served: Served;
  const db = () => served.service.db;
  let stop = async () => {};
  beforeAll(async () => {
    ({ served, browser, stop } = await importedCatalogue()); // with suggestions
  }, 120_000);
  afterAll(() => stop());
  beforeEach(() => noneHeld(served));

  const openReview = async () => {
    const { page, errors } = await openPage(browser, served.host, viewport);
    await page.getByRole('tab', { name: 'Review' }).click();
    await page.getByTestId('genre-chips').waitFor({ timeout: 15_000 });
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    return { page, errors };
  };
  const posterId = async (page: Page) => Number((await page.getByRole('img').first().getAttribute('src'))?.split('/').pop());
  const chipLayout = (page: Page) =>
    page.locator('[data-testid^="genre-"][aria-pressed]').evaluateAll((els) =>
      els.map((e) => {
        const r = e.getBoundingClientRect();
        return {
          genre: e.getAttribute('data-testid')?.slice(6),
          key: e.getAttribute('data-key'),
          shown: e.textContent?.startsWith(e.getAttribute('data-key') ?? '-'),
          x: Math.round(r.x),
          y: Math.round(r.y),
        };
      }),
    );

  it('keeps each genre chip in its place with its key on every poster, the probability a bar on it', async () => {
    const { page, errors } = await openReview();
    const first = await posterId(page);
    const layout = await chipLayout(page);
    // The vocabulary's order, keys 1–0 then q–p, whatever the model thinks of this poster.
    expect(layout.map((c) => c.genre)).toEqual(DEFAULT_GENRES);
    expect(layout.slice(0, 12).map((c) => c.key)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '0', 'q', 'w']);
    expect(layout.every((c) => c.shown)).toBe(true); // the key is written on the chip
    const checkBars = async (id: number) => {
      for (const s of suggestionsFor(db(), id)) {
        const [bar, chip] = await Promise.all([page.getByTestId(`probability-${s.genre}`).boundingBox(), page.getByTestId(`genre-${s.genre}`).boundingBox()]);
        expect(bar && chip ? bar.width / chip.width : -1).toBeCloseTo(s.probability, 1);
        // Hovering says why it is pre-selected or not: the genre's own threshold.
        expect(await page.getByTestId(`genre-${s.genre}`).getAttribute('title')).toBe(
          `${s.genre}: ${Math.round(s.probability * 100)}%, ${s.aboveThreshold ? 'over' : 'under'} this genre's own threshold, so ${s.aboveThreshold ? '' : 'not '}suggested`,
        );
      }
    };
    await checkBars(first);
    const unsuggested = DEFAULT_GENRES.filter((g) => !suggestionsFor(db(), first).some((s) => s.genre === g));
    for (const g of unsuggested.slice(0, 2))
      expect(await page.getByTestId(`genre-${g}`).getAttribute('title')).toBe(`${g}: no figure from the active model (it has not learned this genre)`);
    await shotBothThemes(page, 'review', viewport);
    for (let n = 0; n < 3; n++) {
      await page.keyboard.press('Space'); // skip: another poster, with other probabilities
      await poll(() => posterId(page)).not.toBe(first);
      expect(await chipLayout(page)).toEqual(layout);
    }
    await checkBars(await posterId(page));
    expect(errors, errors.join('\n')).toEqual([]);
    await page.close();
  });

  it('fits long genre names on their chips, selected or not, with no sideways scrolling', async () => {
    const { page, errors } = await openReview();
    const cut = () =>
      page
        .locator('[data-testid^="genre-"][aria-pressed] .MuiChip-label')
        .evaluateAll((els) => els.filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => e.textContent));
    expect(await cut()).toEqual([]);
    // Every chip selected (bold, wider): "Science Fiction" and its figure still fit.
    const off = await page.locator('[data-testid^="genre-"][aria-pressed="false"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-key') ?? ''));
    for (const key of off) await page.keyboard.press(key);
    await poll(() => page.locator('[data-testid^="genre-"][aria-pressed="true"]').count()).toBe(DEFAULT_GENRES.length);
    expect(await cut()).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
    await shotBothThemes(page, 'review-all-selected', viewport);
    expect(errors, errors.join('\n')).toEqual([]);
    await page.close(); // nothing confirmed
  }, 60_000);

  it('skips with Space and keeps a poster for later with X, findable in the Unsure queue', async () => {
    const { page, errors } = await openReview();
    const counts = page.getByTestId('review-counts');
    await poll(() => counts.textContent()).toMatch(/ reviewed today · \d+ remaining/);
    const before = await counts.textContent();
    const skipped = await posterId(page);
    await page.keyboard.press('Space');
    await poll(() => posterId(page)).not.toBe(skipped);
    expect(labelsOf(db(), skipped)).toBeNull(); // nothing confirmed
    expect(await counts.textContent()).toBe(before);

    const unsure = await posterId(page);
    await page.keyboard.press('x');
    await poll(() => page.getByTestId('review-unsure').textContent()).toBe('1 unsure');
    expect(await posterId(page)).not.toBe(unsure);
    expect(db().prepare('SELECT poster_id FROM review_flags').pluck().all()).toEqual([unsure]);
    expect(labelsOf(db(), unsure)).toBeNull();

    // Findable later: the Unsure queue holds it, flagged.
    await page.getByRole('combobox', { name: 'Queue' }).click();
    await page.getByRole('option', { name: /Unsure, kept for later \(1\)/ }).click();
    await poll(() => posterId(page)).toBe(unsure);
    await page.getByTestId('unsure-flag').waitFor();
    // The closed menu let go of the focus: Enter confirms, it does not open the menu again.
    await poll(() => page.evaluate(() => document.activeElement?.getAttribute('role') ?? null)).not.toBe('combobox');
    await shotBothThemes(page, 'review-unsure', viewport);
    // Settling it: confirming its genres takes it out of the Unsure queue.
    await page.keyboard.press('Enter');
    await poll(() => page.getByTestId('review-unsure').textContent()).toBe('0 unsure');
    await page.getByText('No poster is kept for later.').waitFor();
    expect(labelsOf(db(), unsure)).not.toBeNull();
    expect(db().prepare('SELECT count(*) FROM review_flags').pluck().get()).toBe(0);
    served.service.library.unsetLabels(unsure); // the next test starts from a queue without it reviewed
    expect(errors, errors.join('\n')).toEqual([]);
    await page.close();
  });

  it('Enter right after a queue is chosen from the keyboard confirms the poster, and does not open the menu again', async () => {
    const { page, errors } = await openReview();
    // A slow machine: the render after the choice takes long enough for the next key to come in it.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 8 });
    const reviewed = () => db().prepare('SELECT count(*) FROM posters WHERE reviewed_at IS NOT NULL').pluck().get() as number;
    const reviewedBefore = reviewed();
    const first = served.service.review.queue('decade', 1)[0]?.poster.id as number;
    // The new queue comes only once the test lets it go, so the quick Enter surely lands while it loads (on
    // a slow machine it came after the new queue's first poster was shown, and confirmed that one).
    const letGo = await holdBack(page, 'review/queue');
    const queueMenu = page.getByRole('combobox', { name: 'Queue' });
    await queueMenu.focus();
    await page.keyboard.press('Enter'); // opens the menu
    await page.getByRole('option', { name: 'By decade' }).waitFor();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter'); // chooses "By decade"
    await page.keyboard.press('Enter'); // at once: the closed menu must not open again
    await page.waitForTimeout(500);
    expect(await page.getByRole('listbox').count()).toBe(0);
    // Nor does it confirm a poster of the queue before: none is on screen while the next loads.
    expect(reviewed()).toBe(reviewedBefore);
    letGo();
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
    await poll(() => posterId(page)).toBe(first);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('role') ?? null)).not.toBe('combobox');
    await page.keyboard.press('Enter');
    await poll(() => labelsOf(db(), first)).not.toBeNull();
    await poll(() => posterId(page)).not.toBe(first);
    // Letters in the open menu move to a queue by its first letter: never a genre's key on the poster behind as well.
    const chip = page.getByTestId(`genre-${DEFAULT_GENRES[KEYS.indexOf('u')]}`);
    const pressedBefore = await chip.getAttribute('aria-pressed');
    await queueMenu.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('option', { name: /Unsure/ }).waitFor();
    await page.keyboard.press('u');
    await poll(() => page.evaluate(() => document.activeElement?.textContent ?? '')).toMatch(/^Unsure/);
    await page.keyboard.press('Escape');
    await poll(() => page.getByRole('listbox').count()).toBe(0);
    expect(await chip.getAttribute('aria-pressed')).toBe(pressedBefore);
    expect(await queueMenu.textContent()).toContain('By decade');
    expect(reviewed()).toBe(reviewedBefore + 1); // the one confirmed on purpose, nothing else
    expect(errors, errors.join('\n')).toEqual([]);
    await page.close();
    served.service.library.unsetLabels(first);
  });

  it('goes back to a just-confirmed poster from the strip, and the header agrees with the counter at every step', async () => {
    const { page, errors } = await openReview();
    const counts = page.getByTestId('review-counts');
    const agree = async () => {
      await poll(async () => Number(await counts.getAttribute('data-reviewed'))).toBe(await reviewedInDb());
      await poll(() => headerReviewed(page)).toBe(await reviewedInDb());
      expect(Number((await counts.textContent())?.split(' ')[0])).toBe(await reviewedInDb()); // all of them today
    };
    const reviewedInDb = async () => db().prepare('SELECT count(*) FROM posters WHERE reviewed_at IS NOT NULL').pluck().get() as number;
    await agree();
    const confirmed: number[] = [];
    for (const keys of [['1'], ['2'], ['3']]) {
      confirmed.push(await posterId(page));
      for (const k of keys) await page.keyboard.press(k);
      await page.keyboard.press('Enter');
      await poll(() => reviewedInDb()).toBe(confirmed.length);
      await agree();
    }
    const strip = page.getByTestId('recent-strip').getByRole('button');
    expect(await strip.count()).toBe(3);
    const next = await posterId(page);
    // Keyboard only: Tab to the first of the strip, Enter opens it with the genres it was confirmed with.
    const target = confirmed[0] as number;
    await page.getByTestId(`recent-${target}`).focus();
    await page.keyboard.press('Enter');
    await poll(() => posterId(page)).toBe(target);
    const pressed = async () =>
      (await page.locator('[data-testid^="genre-"][aria-pressed="true"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')?.slice(6)))).sort();
    expect(await pressed()).toEqual([...(labelsOf(db(), target) ?? [])].sort());
    await shotBothThemes(page, 'review-strip', viewport);
    // A change and Enter confirm it again; the queue goes on where it was.
    await page.keyboard.press('4');
    await page.keyboard.press('Enter');
    await poll(() => posterId(page)).toBe(next);
    expect(labelsOf(db(), target)).toEqual([...(await pressedOf(target))]);
    await agree();
    // Undo takes back the latest confirmation — the one made again — and shows that poster with the set before it.
    const firstSet = served.service.library.history(target).find((c) => c.oldGenres === null)?.newGenres;
    await page.keyboard.press('Backspace');
    await poll(() => labelsOf(db(), target)).toEqual(firstSet);
    await poll(() => posterId(page)).toBe(target);
    expect(await reviewedInDb()).toBe(3);
    // Again: the confirmation before that one; header and counter follow.
    await page.keyboard.press('Backspace');
    await poll(() => reviewedInDb()).toBe(2);
    expect(labelsOf(db(), confirmed[2] as number)).toBeNull();
    await poll(() => posterId(page)).toBe(confirmed[2]);
    await agree();
    expect(errors, errors.join('\n')).toEqual([]);
    await page.close();
  });

  it('opened by a click on its tab, the arrows move between posters, not between tabs', async () => {
    const { page, errors } = await openPage(browser, served.host, viewport);
    await page.getByRole('tab', { name: 'Review' }).click();
    await page.getByTestId('genre-chips').waitFor({ timeout: 15_000 });
    const first = await posterId(page);
    // Its title, or for a poster without one, the file name to find the sheet by.
    const poster = getPoster(db(), first) as NonNullable<ReturnType<typeof getPoster>>;
    expect(await page.getByTestId('review-title').textContent()).toContain(poster.title ?? `Untitled: ${basename(poster.path)}`);
    await page.keyboard.press('ArrowRight');
    await poll(() => posterId(page)).not.toBe(first);
    expect(await page.getByRole('tab', { name: 'Review' }).getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('ArrowLeft');
    await poll(() => posterId(page)).toBe(first);
    expect(errors, errors.join('\n')).toEqual([]);
    await page.close();
  });

  it('confirms each poster with its own genres however fast the keys come, and keeps the strip to one entry a poster', async () => {
    const { page, errors } = await openReview();
    const queue = served.service.review.queue('uncertain', 10);
    const [a, ...rest] = queue;
    if (!a || rest.length < 5) throw new Error('the fixture catalogue has too few unreviewed posters');
    await poll(() => posterId(page)).toBe(a.poster.id);
    const reviewedBefore = served.service.review.counts(new Date(0).toISOString()).reviewed;
    // A key, then Enter six times with no wait: the last poster's toggle must never reach the next.
    await page.keyboard.press('1');
    for (let n = 0; n < 6; n++) await page.keyboard.press('Enter');
    await poll(() => served.service.review.counts(new Date(0).toISOString()).reviewed).toBe(reviewedBefore + 6);
    const flipped = new Set(a.current);
    if (!flipped.delete(DEFAULT_GENRES[0] as string)) flipped.add(DEFAULT_GENRES[0] as string);
    expect(labelsOf(db(), a.poster.id)).toEqual(DEFAULT_GENRES.filter((g) => flipped.has(g)));
    for (const b of rest.slice(0, 5)) expect(labelsOf(db(), b.poster.id), `poster ${b.poster.id}`).toEqual(DEFAULT_GENRES.filter((g) => b.current.includes(g)));
    await poll(() => posterId(page)).toBe(rest[5]?.poster.id);
    const strip = await page
      .getByTestId('recent-strip')
      .getByRole('button')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
    expect(strip).toEqual(queue.slice(0, 6).map((q) => `recent-${q.poster.id}`));
    // Another screen and back: the strip and undo are still there.
    await page.getByRole('tab', { name: 'Library' }).click();
    await page.getByRole('tab', { name: 'Review' }).click();
    await page.getByTestId('genre-chips').waitFor();
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    expect(await page.getByTestId('recent-strip').getByRole('button').count()).toBe(6);
    // Two Backspaces with no wait take back two confirmations, the latest first, and show the earlier.
    const [d, e] = [rest[3]?.poster.id as number, rest[4]?.poster.id as number];
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await poll(() => [labelsOf(db(), d), labelsOf(db(), e)]).toEqual([null, null]);
    expect(labelsOf(db(), rest[2]?.poster.id as number)).not.toBeNull();
    await poll(() => posterId(page)).toBe(d);
    // X, then a key and Enter with no wait: the flag is this poster's, the genre and Enter the next one's.
    await page.keyboard.press('x');
    await page.keyboard.press('2');
    await page.keyboard.press('Enter');
    await poll(() => labelsOf(db(), e)).not.toBeNull();
    const flippedE = new Set(rest[4]?.current);
    if (!flippedE.delete(DEFAULT_GENRES[1] as string)) flippedE.add(DEFAULT_GENRES[1] as string);
    expect(labelsOf(db(), e)).toEqual(DEFAULT_GENRES.filter((g) => flippedE.has(g)));
    expect(labelsOf(db(), d)).toBeNull();
    await poll(() => db().prepare('SELECT poster_id FROM review_flags').pluck().all()).toEqual([d]);
    expect(errors, errors.join('\n')).toEqual([]);
    await page.close();
    served.service.review.flag(d, false, new Date().toISOString());
    for (const id of [...queue.slice(0, 4).map((q) => q.poster.id), e]) served.service.library.unsetLabels(id);
  });

  it('undo takes back only the confirmation it names: a poster changed in the Library since is refused, not undone under it', async () => {
    const { page, errors } = await openReview();
    const [b, a] = served.service.review.queue('uncertain', 2).map((q) => q.poster.id) as [number, number];
    await poll(() => posterId(page)).toBe(b);
    await page.keyboard.press('Enter');
    await poll(() => posterId(page)).toBe(a);
    await page.keyboard.press('1');
    await page.keyboard.press('Enter');
    await poll(() => labelsOf(db(), a)).not.toBeNull();
    const confirmedSet = labelsOf(db(), a) as string[];
    // In the Library: one more genre on the poster just confirmed.
    await page.getByRole('tab', { name: 'Library' }).click();
    const extra = DEFAULT_GENRES.find((g) => !confirmedSet.includes(g)) as string;
    served.service.library.setGenre(a, extra, true);
    const edited = labelsOf(db(), a);
    await page.getByRole('tab', { name: 'Review' }).click();
    await page.getByTestId('genre-chips').waitFor();
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('Backspace');
    await page.getByText(/was changed again since \(in the Library or another window\), so this was not undone/).waitFor();
    // Neither the Library's change nor the confirmation is taken back; the poster shows the genres it has now.
    expect(labelsOf(db(), a)).toEqual(edited);
    expect(served.service.library.history(a).every((c) => c.undoneAt === null)).toBe(true);
    await poll(() => posterId(page)).toBe(a);
    await poll(() => page.getByTestId(`genre-${extra}`).getAttribute('aria-pressed')).toBe('true');
    await shotBothThemes(page, 'review-undo-refused', viewport);
    // The next Backspace goes on down the stack: the confirmation before, as it was.
    await page.keyboard.press('Backspace');
    await poll(() => labelsOf(db(), b)).toBeNull();
    expect(labelsOf(db(), a)).toEqual(edited);
    expect(errors, errors.join('\n')).toEqual([]);
    await page.close();
    served.service.library.unsetLabels(a);
  });

  /** Where the poster's scan is on the page: its box's top and bottom. */
  /** Where the poster's scan stands, once it has loaded (a scan still loading has no height yet). */
  const scanBox = async (page: Page) => {
    const scan = page.getByRole('img').first();
    await poll(() => scan.evaluate((el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth > 0)).toBe(true);
    return scan.evaluate((el) => {
      const r = el.getBoundingClientRect();
      return { top: Math.round(r.top), bottom: Math.round(r.bottom) };
    });
  };

  it("shows a refusal without pushing the poster's scan down: its bottom stays inside the window", async () => {
    const { page, errors } = await openReview();
    const id = await posterId(page);
    const before = await scanBox(page);
    expect(before.bottom).toBeLessThanOrEqual(viewport.height);
    // In the Library meanwhile, one more genre on the poster shown: Enter is refused, the longest banner Review shows.
    const extra = DEFAULT_GENRES.find((g) => !served.service.library.poster(id).current.includes(g)) as string;
    served.service.library.setGenre(id, extra, true);
    await page.keyboard.press('Enter');
    await page.getByTestId('review-notice').waitFor({ timeout: 15_000 });
    await poll(() => posterId(page)).toBe(id);
    const during = await scanBox(page);
    expect(during.bottom).toBeLessThanOrEqual(viewport.height);
    expect(during).toEqual(before);
    // Polled: the genre chips of the poster shown again fade between colours for a moment, and axe may catch one half-way.
    await poll(() => seriousViolations(page)).toEqual([]);
    await shotBothThemes(page, 'review-refused-layout', viewport);
    expect(errors, errors.join('\n')).toEqual([]);
    await page.close();
    served.service.library.setGenre(id, extra, false);
  });

  it('after a refused undo, the poster is back on the strip: its confirmation stands, with the genres it has now', async () => {
    const { page, errors } = await openReview();
    const id = await posterId(page);
    await page.keyboard.press('Enter');
    await poll(() => labelsOf(db(), id)).not.toBeNull();
    const strip = page.getByTestId(`recent-${id}`);
    await strip.waitFor();
    // In the Library meanwhile, one more genre on the poster just confirmed: Backspace is refused.
    const extra = DEFAULT_GENRES.find((g) => !labelsOf(db(), id)?.includes(g)) as string;
    served.service.library.setGenre(id, extra, true);
    const edited = labelsOf(db(), id) as string[];
    await page.keyboard.press('Backspace');
    await page.getByText(/was changed again since \(in the Library or another window\), so this was not undone/).waitFor();
    expect(getPoster(db(), id)?.reviewedAt).not.toBeNull();
    await poll(() => strip.getAttribute('aria-label')).toMatch(new RegExp(`: ${edited.join(', ')}$`));
    expect(errors, errors.join('\n')).toEqual([]);
    await page.close();
    served.service.library.unsetLabels(id);
  });

  it('after an undo refused because the review was taken back elsewhere, the poster is not on the strip: nothing of it stands', async () => {
    const { page, errors } = await openReview();
    const id = await posterId(page);
    await page.keyboard.press('Enter');
    await poll(() => labelsOf(db(), id)).not.toBeNull();
    await page.getByTestId(`recent-${id}`).waitFor();
    served.service.library.unsetLabels(id); // in the Library meanwhile: Backspace is refused
    await page.keyboard.press('Backspace');
    await page.getByTestId('review-error').waitFor({ timeout: 15_000 });
    await poll(() => posterId(page)).toBe(id);
    await poll(() => page.getByTestId(`recent-${id}`).count()).toBe(0);
    expect(errors, errors.join('\n')).toEqual([]);
    await page.close();
  });

  /** What poster `id`'s labels must be after pressing 4 on the set it was confirmed with: Comedy flipped. */
  const pressedOf = async (id: number): Promise<string[]> => {
    const history = served.service.library.history(id);
    const firstSet = new Set(history.find((c) => c.oldGenres === null)?.newGenres ?? []);
    if (!firstSet.delete('Comedy')) firstSet.add('Comedy');
    return DEFAULT_GENRES.filter((g) => firstSet.has(g));
  };
});

describe.skipIf(!browserAvailable)('a review queue longer than one batch, in Chromium', () => {
  let browser: Browser;
  let served: Served;
  let stop = async () => {};
  const EXTRA = 230;
  beforeAll(async () => {
    ({ served, browser, stop } = await importedCatalogue());
    // More unreviewed posters than the screen fetches at once: copies of the first poster's row.
    const db = served.service.db;
    const columns = (db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('posters') as string[]).filter(
      (c) => !['id', 'sha256', 'title'].includes(c),
    );
    db.prepare(
      `WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < ?)
       INSERT INTO posters (sha256, title, ${columns.join(', ')}) SELECT sha256 || '-' || k, 'Copy ' || k, ${columns.join(', ')} FROM posters, n WHERE posters.id = 1`,
    ).run(EXTRA);
  }, 120_000);
  afterAll(() => stop());

  it('goes on past the first batch, counts what was skipped, and at the end offers the skipped ones again', async () => {
    const { page, errors } = await openPage(browser, served.host, VIEWPORTS[0]);
    await page.getByRole('tab', { name: 'Review' }).click();
    await page.getByTestId('genre-chips').waitFor({ timeout: 15_000 });
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    const total = served.service.review.counts(new Date().toISOString()).remaining;
    expect(total).toBeGreaterThan(EXTRA);
    const title = page.getByTestId('review-title');
    const first = await title.textContent();
    const seen = new Set<string>();
    for (let k = 0; k < total; k++) {
      seen.add((await title.textContent()) ?? '');
      await page.keyboard.press('ArrowRight');
      if (k + 1 < total) await poll(() => page.getByText(`${k + 1} skipped in this queue (← goes back)`).count()).toBe(1);
    }
    expect(seen.size).toBe(total); // every poster once, none twice across the batches
    const end = page.getByTestId('review-end');
    await poll(() => end.textContent()).toContain('You have been through this queue.');
    expect(await end.textContent()).toContain(`${total} posters are still unreviewed`);
    // The button has the focus: Enter goes round again, from the first poster.
    await page.keyboard.press('Enter');
    await poll(() => title.textContent()).toBe(first);
    expect(await page.getByText(/skipped in this queue/).count()).toBe(0);
    expect(errors, errors.join('\n')).toEqual([]);
    await page.close();
  }, 180_000);

  it('two Review windows on one host are shown different posters, and what one skips goes back to the others', async () => {
    const windows = [];
    for (let w = 0; w < 2; w++) {
      const { page, errors } = await openPage(browser, served.host, VIEWPORTS[0]);
      await page.getByRole('tab', { name: 'Review' }).click();
      await page.getByTestId('genre-chips').waitFor({ timeout: 15_000 });
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      windows.push({ page, errors });
    }
    /** The posters a window shows, one after another as its reviewer skips them. */
    const shown = async (page: Page): Promise<number[]> => {
      const ids: number[] = [];
      for (let k = 0; k < 5; k++) {
        ids.push(Number((await page.getByRole('img').first().getAttribute('src'))?.split('/').pop()));
        await page.keyboard.press('ArrowRight');
        await poll(() => page.getByText(`${k + 1} skipped in this queue (← goes back)`).count()).toBe(1);
      }
      return ids;
    };
    const [one, two] = [await shown(windows[0]!.page), await shown(windows[1]!.page)];
    expect(new Set(one).size).toBe(5);
    expect(two.filter((id) => one.includes(id))).toEqual([]);
    expect(await windows[1]!.page.getByTestId('review-held-elsewhere').count()).toBe(0);
    // What a window skipped it lets go of: a third window, opened now, starts with the first poster the first one skipped.
    const { page: third, errors: thirdErrors } = await openPage(browser, served.host, VIEWPORTS[0]);
    await third.getByRole('tab', { name: 'Review' }).click();
    await third.getByTestId('genre-chips').waitFor({ timeout: 15_000 });
    expect(Number((await third.getByRole('img').first().getAttribute('src'))?.split('/').pop())).toBe(one[0]);
    windows.push({ page: third, errors: thirdErrors });
    // A window closed lets go of what it still holds at once, not when its lease would have run out.
    const heldByWindows = () => served.service.review.counts(new Date(0).toISOString(), 'a-window-that-only-counts').heldElsewhere ?? 0;
    const held = heldByWindows();
    await windows[1]!.page.close({ runBeforeUnload: true });
    await poll(() => heldByWindows()).toBeLessThan(held);
    const errors = windows.flatMap((w) => w.errors);
    expect(errors, errors.join('\n')).toEqual([]);
    await Promise.all([windows[0]!, windows[2]!].map((w) => w.page.close()));
  }, 90_000);
});

describe.skipIf(!browserAvailable)('review next to other reviewers, retired genres and restores, in Chromium', () => {
  let browser: Browser;
  let served: Served;
  const db = () => served.service.db;
  let stop = async () => {};
  beforeAll(async () => {
    ({ served, browser, stop } = await importedCatalogue());
  }, 120_000);
  afterAll(() => stop());
  beforeEach(() => noneHeld(served));

  const openReview = async () => {
    const { page, errors } = await openPage(browser, served.host, VIEWPORTS[0]);
    await page.getByRole('tab', { name: 'Review' }).click();
    await page.getByTestId('genre-chips').waitFor({ timeout: 15_000 });
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    return { page, errors };
  };
  const posterId = async (page: Page) => Number((await page.getByRole('img').first().getAttribute('src'))?.split('/').pop());
  const pressed = (page: Page) =>
    page.locator('[data-testid^="genre-"][aria-pressed="true"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')?.slice(6)));

  it('refuses a confirmation made on what someone else reviewed meanwhile, shows theirs, and takes a deliberate one', async () => {
    const one = await openReview();
    const two = await openReview();
    // The first window holds every poster left (fewer than a batch), so the second is shown them too,
    // from the far end of the queue, and told so.
    const id = await posterId(two.page);
    expect(id).not.toBe(await posterId(one.page));
    expect(await two.page.getByTestId('review-held-elsewhere').textContent()).toMatch(/^The \d+ posters left are being reviewed in another window too/);
    expect(await seriousViolations(two.page)).toEqual([]);
    // The first window's reviewer gets there first (they meet in the middle) and confirms it.
    served.service.library.setLabels(id, [DEFAULT_GENRES[4] as string], 'reviewer one');
    await poll(() => labelsOf(db(), id)).not.toBeNull();
    const theirs = labelsOf(db(), id) as string[];
    // Reviewer 2, still on it, changes a genre and confirms: refused, in plain words, theirs kept.
    await two.page.keyboard.press('1');
    await two.page.keyboard.press('Enter');
    const notice = two.page.getByTestId('review-notice');
    await notice.waitFor({ timeout: 15_000 });
    expect(await notice.textContent()).toContain(`${getPoster(db(), id)?.title} was just reviewed by someone else`);
    expect(labelsOf(db(), id)).toEqual(theirs);
    // The poster is shown again as it is now: their genres.
    await poll(() => posterId(two.page)).toBe(id);
    await poll(() => pressed(two.page)).toEqual(theirs);
    // Confirmed again knowing theirs: that one is saved.
    await two.page.keyboard.press('1');
    await two.page.keyboard.press('Enter');
    await poll(() => labelsOf(db(), id)).not.toEqual(theirs);
    const first = DEFAULT_GENRES[0] as string;
    expect(labelsOf(db(), id)?.includes(first)).toBe(!theirs.includes(first));
    expect([...one.errors, ...two.errors], [...one.errors, ...two.errors].join('\n')).toEqual([]);
    await Promise.all([one.page.close(), two.page.close()]);
    served.service.library.unsetLabels(id);
  }, 90_000);

  it('refuses a confirmation made on a poster whose genres were edited in the Library meanwhile, shows them, and takes a deliberate one', async () => {
    const review = await openReview();
    const id = await posterId(review.page);
    const shown = await pressed(review.page);
    // Someone in the Library, in another window, turns one more genre on for that poster: it stays not reviewed.
    const library = await openPage(browser, served.host, VIEWPORTS[0]);
    const extra = DEFAULT_GENRES.find((g) => !shown.includes(g)) as string;
    await library.page.evaluate(({ posterId, genre }) => window.api.posters.setGenre({ posterId, genre, present: true }), { posterId: id, genre: extra });
    expect(getPoster(db(), id)?.reviewedAt).toBeNull();
    const edited = served.service.library.poster(id).current;
    expect(edited).toContain(extra);
    // The reviewer, still shown the genres before, confirms: refused, in plain words, the Library's edit kept.
    await review.page.keyboard.press('Enter');
    const notice = review.page.getByTestId('review-notice');
    await notice.waitFor({ timeout: 15_000 });
    expect(await notice.textContent()).toContain(`${getPoster(db(), id)?.title} was edited in the Library while it was shown here, so yours was not saved`);
    expect(labelsOf(db(), id)).toBeNull();
    expect(served.service.library.poster(id).current).toEqual(edited);
    // The poster is shown again as it is now, the Library's genre on.
    await poll(() => posterId(review.page)).toBe(id);
    await poll(() => pressed(review.page)).toEqual(edited);
    // Confirmed again knowing them: saved.
    await review.page.keyboard.press('Enter');
    await poll(() => labelsOf(db(), id)).toEqual(edited);
    expect([...review.errors, ...library.errors], [...review.errors, ...library.errors].join('\n')).toEqual([]);
    await Promise.all([review.page.close(), library.page.close()]);
    served.service.library.unsetLabels(id);
  }, 90_000);

  it('after an undo refused for a Library change, confirms the poster as it is now without a refusal', async () => {
    const { page, errors } = await openReview();
    const id = await posterId(page);
    await page.keyboard.press('Enter');
    await poll(() => labelsOf(db(), id)).not.toBeNull();
    // In the Library meanwhile, one more genre on the poster just confirmed: Backspace is refused and shows it as it is now.
    const extra = DEFAULT_GENRES.find((g) => !labelsOf(db(), id)?.includes(g)) as string;
    served.service.library.setGenre(id, extra, true);
    const edited = labelsOf(db(), id) as string[];
    await page.keyboard.press('Backspace');
    await page.getByText(/was changed again since \(in the Library or another window\), so this was not undone/).waitFor();
    await poll(() => posterId(page)).toBe(id);
    await poll(() => pressed(page)).toEqual(edited);
    // What the screen read back is what it was shown: one genre flipped and Enter is saved, not refused.
    await page.keyboard.press('1');
    await page.keyboard.press('Enter');
    const first = DEFAULT_GENRES[0] as string;
    await poll(() => labelsOf(db(), id)?.includes(first)).toBe(!edited.includes(first));
    expect(await page.getByTestId('review-notice').count()).toBe(0);
    expect(errors, errors.join('\n')).toEqual([]);
    await page.close();
    served.service.library.unsetLabels(id);
  }, 60_000);

  /** Another queue, then the first again: the screen loads the queue anew, as a reviewer switching queues does. */
  const loadQueueAgain = async (page: Page) => {
    for (const queue of [/^By import/, /^Most uncertain first/]) {
      await page.getByRole('combobox', { name: 'Queue' }).click();
      await page.getByRole('option', { name: queue }).click();
      await page.getByTestId('genre-chips').waitFor();
    }
  };

  it('after an undo, a Library edit seen in a queue loaded since is what a confirmation says was shown: saved, not refused', async () => {
    const { page, errors } = await openReview();
    const id = await posterId(page);
    await page.keyboard.press('Enter');
    await poll(() => labelsOf(db(), id)).not.toBeNull();
    await page.keyboard.press('Backspace');
    await poll(() => labelsOf(db(), id)).toBeNull();
    await poll(() => posterId(page)).toBe(id);
    // In the Library meanwhile, one more genre on the poster; the reviewer loads the queue again and sees it.
    const extra = DEFAULT_GENRES.find((g) => !served.service.library.poster(id).current.includes(g)) as string;
    served.service.library.setGenre(id, extra, true);
    const edited = served.service.library.poster(id).current;
    await loadQueueAgain(page);
    await poll(() => posterId(page)).toBe(id);
    await poll(() => pressed(page)).toEqual(edited);
    await page.keyboard.press('Enter');
    await poll(() => labelsOf(db(), id)).toEqual(edited);
    expect(await page.getByTestId('review-notice').count()).toBe(0);
    expect(errors, errors.join('\n')).toEqual([]);
    await page.close();
    served.service.library.unsetLabels(id);
  }, 60_000);

  it('a confirmation says what was shown when Enter was pressed, not what a queue loaded while it waited its turn brings', async () => {
    const { page, errors } = await openReview();
    const first = await posterId(page);
    // The first confirmation's save is held, so the next one waits its turn behind it.
    let release = () => undefined as void;
    const held = new Promise<void>((r) => (release = r));
    let calls = 0;
    await page.route('**/api/labels/set', async (route) => {
      if (++calls === 1) await held;
      await route.continue();
    });
    await page.keyboard.press('Enter');
    await poll(() => posterId(page)).not.toBe(first);
    const id = await posterId(page);
    const shownThen = await pressed(page);
    // In the Library meanwhile, one more genre on the poster shown; Enter is pressed without seeing it.
    const extra = DEFAULT_GENRES.find((g) => !served.service.library.poster(id).current.includes(g)) as string;
    served.service.library.setGenre(id, extra, true);
    await page.keyboard.press('Enter');
    // While that confirmation waits, the queue is loaded again: it shows the Library's edit.
    await loadQueueAgain(page);
    release();
    // Refused: it was made on the genres shown before the edit, which stands.
    const notice = page.getByTestId('review-notice');
    await notice.waitFor({ timeout: 15_000 });
    expect(await notice.textContent()).toContain('was edited in the Library while it was shown here');
    expect(labelsOf(db(), id)).toBeNull();
    expect(shownThen).not.toContain(extra);
    expect(errors, errors.join('\n')).toEqual([]);
    await page.close();
    served.service.library.unsetLabels(first);
    served.service.library.unsetLabels(id);
  }, 60_000);

  it('a confirmation saved whose poster cannot be taken out of the Unsure queue says so, and stays confirmed and undoable', async () => {
    const { page, errors } = await openReview();
    const id = await keepForLater(page);
    await page.getByRole('combobox', { name: 'Queue' }).click();
    await page.getByRole('option', { name: /^Unsure, kept for later/ }).click();
    await poll(() => posterId(page)).toBe(id);
    await page.route('**/api/review/flag', (route) =>
      route.fulfill({ contentType: 'application/json', body: JSON.stringify({ ok: false, error: { code: 'busy', message: 'The catalogue is busy.' } }) }),
    );
    await page.keyboard.press('Enter');
    const error = page.getByTestId('review-error');
    await error.waitFor({ timeout: 15_000 });
    const title = getPoster(db(), id)?.title;
    expect(await error.textContent()).toBe(`${title} is confirmed, but it is still kept for later in the Unsure queue: The catalogue is busy.`);
    expect(labelsOf(db(), id)).not.toBeNull();
    // Still this session's confirmation: Backspace takes it back.
    await page.unroute('**/api/review/flag');
    await page.keyboard.press('Backspace');
    await poll(() => labelsOf(db(), id)).toBeNull();
    expect(errors, errors.join('\n')).toEqual([]);
    await page.close();
    db().prepare('DELETE FROM review_flags').run();
  }, 60_000);

  const unsureIds = () => served.service.review.queue('unsure', 50).map((q) => q.poster.id);
  /** Keeps the poster shown for later (X); once the screen has gone on and the catalogue has it in the Unsure queue, its id. */
  const keepForLater = async (page: Page) => {
    const id = await posterId(page);
    await page.keyboard.press('x');
    await poll(() => posterId(page)).not.toBe(id);
    await poll(unsureIds).toContain(id);
    return id;
  };

  it('takes back "unsure" (X) with Backspace like a confirmation', async () => {
    const { page, errors } = await openReview();
    const id = await keepForLater(page);
    await page.keyboard.press('Backspace');
    await poll(() => posterId(page)).toBe(id); // back on it
    await poll(unsureIds).not.toContain(id);
    // The screen's flag and counter follow the server's answer, which lands a moment after the catalogue changed.
    await poll(() => page.getByTestId('unsure-flag').count()).toBe(0);
    await poll(() => page.getByTestId('review-unsure').textContent()).toBe('0 unsure');
    expect(errors, errors.join('\n')).toEqual([]);
    await page.close();
  }, 60_000);

  it('Backspace on a confirmation of a poster kept for later keeps it for later again, in the Unsure queue too', async () => {
    const { page, errors } = await openReview();
    const id = await keepForLater(page);
    // Back to it and confirmed after all: settled, no longer kept for later.
    await page.keyboard.press('ArrowLeft');
    await poll(() => posterId(page)).toBe(id);
    await page.getByTestId('unsure-flag').waitFor();
    await page.keyboard.press('Enter');
    await poll(() => labelsOf(db(), id)).not.toBeNull();
    await poll(unsureIds).not.toContain(id);
    // Taken back: unconfirmed, and kept for later as it was before the confirmation.
    await page.keyboard.press('Backspace');
    await poll(() => labelsOf(db(), id)).toBeNull();
    await poll(() => posterId(page)).toBe(id);
    await poll(unsureIds).toContain(id);
    await page.getByTestId('unsure-flag').waitFor();
    await poll(() => page.getByTestId('review-unsure').textContent()).toBe('1 unsure');
    expect(errors, errors.join('\n')).toEqual([]);
    await page.close();
    served.service.review.flag(id, false, new Date().toISOString());
  }, 60_000);

  it('lets go of the notice about a refused confirmation once another poster is shown', async () => {
    const { page, errors } = await openReview();
    const id = await posterId(page);
    served.service.library.setLabels(id, ['Drama']); // someone else, meanwhile
    await page.keyboard.press('Enter');
    const notice = page.getByTestId('review-notice');
    await notice.waitFor({ timeout: 15_000 });
    expect(await notice.textContent()).toContain(`${getPoster(db(), id)?.title} was just reviewed by someone else`);
    await poll(() => posterId(page)).toBe(id);
    // Space: the next poster, without a word about the one before.
    await page.keyboard.press('Space');
    await poll(() => posterId(page)).not.toBe(id);
    expect(await notice.count()).toBe(0);
    // Nor does it come back with that poster.
    await page.keyboard.press('ArrowLeft');
    await poll(() => posterId(page)).toBe(id);
    expect(await notice.count()).toBe(0);
    expect(errors, errors.join('\n')).toEqual([]);
    await page.close();
    served.service.library.unsetLabels(id);
  }, 60_000);

  it('says a refused confirmation was confirmed in the Library meanwhile when it was, under the same name, not "someone else"', async () => {
    const { page, errors } = await openReview();
    await page.evaluate((key) => localStorage.setItem(key, 'Ana'), REVIEWER_STORAGE_KEY);
    const id = await posterId(page);
    served.service.library.setLabels(id, ['Drama'], 'Ana'); // Ana herself, in the Library meanwhile
    await page.keyboard.press('Enter');
    const notice = page.getByTestId('review-notice');
    await notice.waitFor({ timeout: 15_000 });
    expect(await notice.textContent()).toBe(
      `${getPoster(db(), id)?.title} was confirmed under your name in another window (a second Review tab, or the Library) since it was shown here, so this confirmation was not saved: the genres confirmed there stand. They are shown here: press Enter to confirm these (change them first if you disagree), or Space to go on.`,
    );
    expect(labelsOf(db(), id)).toEqual(['Drama']); // still refused
    await poll(() => pressed(page)).toEqual(['Drama']);
    expect(errors, errors.join('\n')).toEqual([]);
    await page.close();
    served.service.library.unsetLabels(id);
  }, 60_000);

  it('after a click on Confirm or Skip, Space still skips and Enter still confirms (the clicked button does not take the keys)', async () => {
    const { page, errors } = await openReview();
    const reviewed = () => db().prepare('SELECT count(*) FROM posters WHERE reviewed_at IS NOT NULL').pluck().get() as number;
    const before = reviewed();
    const first = await posterId(page);
    await page.getByRole('button', { name: 'Confirm (Enter)' }).click();
    await poll(reviewed).toBe(before + 1);
    const second = await posterId(page);
    expect(second).not.toBe(first);
    await page.keyboard.press(' ');
    await poll(() => posterId(page)).not.toBe(second);
    await page.waitForTimeout(300);
    expect(reviewed()).toBe(before + 1); // skipped, not confirmed
    expect(labelsOf(db(), second)).toBeNull();
    const third = await posterId(page);
    await page.getByTestId('review-skip').click();
    await poll(() => posterId(page)).not.toBe(third);
    const fourth = await posterId(page);
    await page.keyboard.press('Enter');
    await poll(() => labelsOf(db(), fourth)).not.toBeNull();
    expect(labelsOf(db(), third)).toBeNull();
    expect(errors, errors.join('\n')).toEqual([]);
    await page.close();
    for (const id of [first, fourth]) served.service.library.unsetLabels(id);
  }, 60_000);

  it('names a poster with no title by its scan file name in a refusal, not by its catalogue id', async () => {
    const { page, errors } = await openReview();
    const id = await posterId(page);
    const title = getPoster(db(), id)?.title ?? null;
    db().prepare('UPDATE posters SET title = NULL WHERE id = ?').run(id);
    served.service.library.setLabels(id, ['Drama']); // someone else, meanwhile
    await page.keyboard.press('Enter');
    const notice = page.getByTestId('review-notice');
    await notice.waitFor({ timeout: 15_000 });
    const file = getPoster(db(), id)?.path.split('/').pop() as string;
    expect(await notice.textContent()).toContain(`${file} was just reviewed by someone else`);
    expect(errors, errors.join('\n')).toEqual([]);
    await page.close();
    db().prepare('UPDATE posters SET title = ? WHERE id = ?').run(title, id);
    served.service.library.unsetLabels(id);
  }, 60_000);

  it('says so in plain words when a refused confirmation cannot be shown again, its poster gone', async () => {
    const { page, errors } = await openReview();
    const id = await posterId(page);
    const title = getPoster(db(), id)?.title;
    served.service.library.setLabels(id, ['Drama']); // someone else, meanwhile
    // The poster is gone by the time the screen reads it back (a restore in another window): the host's
    // own answer for a poster not in the catalogue.
    await page.route('**/api/posters/get', (route) => route.continue({ postData: JSON.stringify({ id: 999_999 }) }));
    await page.keyboard.press('Enter');
    const error = page.getByTestId('review-error');
    await error.waitFor({ timeout: 15_000 });
    expect(await error.textContent()).toBe(
      `${title} was not saved: it was changed elsewhere since it was shown here, and it is no longer in the catalogue (restored from a backup since?).`,
    );
    expect(labelsOf(db(), id)).toEqual(['Drama']);
    expect(errors, errors.join('\n')).toEqual([]);
    await page.close();
    served.service.library.unsetLabels(id);
  }, 60_000);

  it('says so in plain words when a refused undo cannot show its poster as it is now, its poster gone', async () => {
    const { page, errors } = await openReview();
    const id = await posterId(page);
    const title = getPoster(db(), id)?.title;
    await page.keyboard.press('Enter');
    await poll(() => labelsOf(db(), id)).not.toBeNull();
    const extra = DEFAULT_GENRES.find((g) => !labelsOf(db(), id)?.includes(g)) as string;
    served.service.library.setGenre(id, extra, true); // in the Library meanwhile: Backspace is refused
    await page.route('**/api/posters/get', (route) => route.continue({ postData: JSON.stringify({ id: 999_999 }) }));
    await page.keyboard.press('Backspace');
    const error = page.getByTestId('review-error');
    // Why the undo was refused, and then why the poster is not shown as it is now.
    await poll(() => error.textContent()).toContain(`${title}: it is no longer in the catalogue (restored from a backup since?).`);
    expect(await error.textContent()).toContain(
      `${title} was changed again since (in the Library or another window), so this was not undone: take back the later change first, from the poster's history in the Library. ${title}: it is no longer`,
    );
    expect(errors, errors.join('\n')).toEqual([]);
    await page.close();
    served.service.library.unsetLabels(id);
  }, 60_000);

  it('Backspace after another screen and back, while the confirmation is still being saved, takes it back once saved', async () => {
    const { page, errors } = await openReview();
    const id = await posterId(page);
    const before = served.service.library.history(id).length; // earlier tests' changes of this poster
    // A slow save: the host is sent the confirmation only once the test lets it go.
    const letGo = await holdBack(page, 'labels/set');
    await page.keyboard.press('Enter');
    await poll(() => posterId(page)).not.toBe(id);
    await page.getByRole('tab', { name: 'Library' }).click();
    await page.getByRole('tab', { name: 'Review' }).click();
    await page.getByTestId('genre-chips').waitFor();
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('Backspace');
    await poll(() => posterId(page)).toBe(id);
    expect(labelsOf(db(), id)).toBeNull(); // still on its way
    letGo();
    // Saved, then taken back: the catalogue agrees with the screen.
    await poll(() =>
      served.service.library
        .history(id)
        .slice(before)
        .map((c) => c.undoneAt !== null),
    ).toEqual([true]);
    expect(labelsOf(db(), id)).toBeNull();
    expect(await page.getByTestId(`recent-${id}`).count()).toBe(0);
    expect(errors, errors.join('\n')).toEqual([]);
    await page.close();
    served.service.library.unsetLabels(id);
  }, 60_000);

  it('a confirmation refused while the reviewer is on another screen is told on coming back, the poster shown as it is now', async () => {
    const { page, errors } = await openReview();
    const id = await posterId(page);
    const title = getPoster(db(), id)?.title;
    const shown = await pressed(page);
    const letGo = await holdBack(page, 'labels/set');
    await page.keyboard.press('Enter');
    await page.getByTestId(`recent-${id}`).waitFor();
    await page.getByRole('tab', { name: 'Library' }).click();
    // In the Library meanwhile, one more genre on that poster: the save still on its way is refused.
    const extra = DEFAULT_GENRES.find((g) => !shown.includes(g)) as string;
    await page.evaluate(({ posterId, genre }) => window.api.posters.setGenre({ posterId, genre, present: true }), { posterId: id, genre: extra });
    const edited = served.service.library.poster(id).current;
    expect(edited).toContain(extra);
    const answered = page.waitForResponse('**/api/labels/set');
    letGo();
    await answered;
    // Back on Review: not shown as confirmed, the refusal told, the poster shown with the Library's genres.
    await page.getByRole('tab', { name: 'Review' }).click();
    const notice = page.getByTestId('review-notice');
    await notice.waitFor({ timeout: 15_000 });
    expect(await notice.textContent()).toContain(`${title} was edited in the Library while it was shown here, so yours was not saved`);
    expect(await page.getByTestId(`recent-${id}`).count()).toBe(0);
    await poll(() => posterId(page)).toBe(id);
    await poll(() => pressed(page)).toEqual(edited);
    expect(labelsOf(db(), id)).toBeNull();
    expect(served.service.library.poster(id).current).toEqual(edited);
    expect(errors, errors.join('\n')).toEqual([]);
    await page.close();
    served.service.library.setGenre(id, extra, false);
  }, 60_000);

  it('an undo refused while the reviewer is on another screen is told on coming back', async () => {
    const { page, errors } = await openReview();
    const id = await posterId(page);
    const title = getPoster(db(), id)?.title;
    await page.keyboard.press('Enter');
    await poll(() => labelsOf(db(), id)).not.toBeNull();
    const confirmed = labelsOf(db(), id) as string[];
    const letGo = await holdBack(page, 'labels/undo');
    await page.keyboard.press('Backspace');
    await poll(() => posterId(page)).toBe(id);
    await page.getByRole('tab', { name: 'Library' }).click();
    // In the Library meanwhile, one more genre on that poster: the undo still on its way is refused.
    const extra = DEFAULT_GENRES.find((g) => !confirmed.includes(g)) as string;
    await page.evaluate(({ posterId, genre }) => window.api.posters.setGenre({ posterId, genre, present: true }), { posterId: id, genre: extra });
    const answered = page.waitForResponse('**/api/labels/undo');
    letGo();
    await answered;
    await page.getByRole('tab', { name: 'Review' }).click();
    const error = page.getByTestId('review-error');
    await error.waitFor({ timeout: 15_000 });
    expect(await error.textContent()).toContain(
      `${title} was changed again since (in the Library or another window), so this was not undone: take back the later change first, from the poster's history in the Library.`,
    );
    // Neither the confirmation nor the Library's change is taken back.
    expect(labelsOf(db(), id)).toEqual(expect.arrayContaining([...confirmed, extra]));
    expect(
      errors.filter((e) => !/status of 4\d\d/.test(e)),
      errors.join('\n'),
    ).toEqual([]);
    await page.close();
    served.service.library.unsetLabels(id);
  }, 60_000);

  it('keeps every other genre in its place with its key when one is retired', async () => {
    const layout = (page: Page) =>
      page.locator('[data-testid^="genre-"][aria-pressed]').evaluateAll((els) =>
        els.map((e) => {
          const r = e.getBoundingClientRect();
          return { genre: e.getAttribute('data-testid')?.slice(6), key: e.getAttribute('data-key'), x: Math.round(r.x), y: Math.round(r.y) };
        }),
      );
    const before = await openReview();
    const was = await layout(before.page);
    await before.page.close();
    const tv = was.find((c) => c.genre === 'TV Movie');
    expect(tv?.key).toBeTruthy();
    const genre = findGenreByName(db(), 'TV Movie') as NonNullable<ReturnType<typeof findGenreByName>>;
    served.service.library.retireGenre(genre.id, true);
    try {
      const { page, errors } = await openReview();
      expect(await layout(page)).toEqual(was.filter((c) => c.genre !== 'TV Movie'));
      // Its key is left unused: it toggles nothing else.
      const on = await pressed(page);
      await page.keyboard.press(tv?.key as string);
      expect(await pressed(page)).toEqual(on);
      expect(errors, errors.join('\n')).toEqual([]);
      await page.close();
    } finally {
      served.service.library.retireGenre(genre.id, false);
    }
  }, 60_000);

  it('forgets its undo and strip after a restore on the Backups screen', async () => {
    await served.service.backupNow();
    const { page, errors } = await openReview();
    const id = await posterId(page);
    await page.keyboard.press('Enter');
    await poll(() => labelsOf(db(), id)).not.toBeNull();
    await page.getByTestId(`recent-${id}`).waitFor();
    await page.getByRole('tab', { name: 'Backups' }).click();
    const row = page.getByTestId('backup-row').filter({ hasText: 'Backed up by hand' }); // the one made above, the only one by hand
    await row.waitFor();
    expect(await row.count()).toBe(1);
    await row.getByRole('button', { name: 'Restore…' }).click();
    await page.getByTestId('confirm-restore').click();
    await page.getByTestId('restore-result').waitFor({ timeout: 30_000 });
    expect(labelsOf(db(), id)).toBeNull(); // the backup was made before the confirmation
    await page.getByRole('tab', { name: 'Review' }).click();
    await page.getByTestId('genre-chips').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('recent-strip').count()).toBe(0);
    await page.keyboard.press('Backspace'); // nothing of the catalogue before to take back
    await page.waitForTimeout(500);
    expect(await page.getByTestId('review-error').count()).toBe(0);
    expect(errors, errors.join('\n')).toEqual([]);
    await page.close();
  }, 90_000);

  it('says in plain words that a confirmation restored away (in another window) has nothing to undo', async () => {
    const backup = await served.service.backupNow();
    const { page, errors } = await openReview();
    const id = await posterId(page);
    await page.keyboard.press('Enter');
    await poll(() => labelsOf(db(), id)).not.toBeNull();
    // The restore before starts a rebuild job; a restore waits for it.
    await poll(() => served.service.jobs.list().some((j) => j.state === 'running')).toBe(false);
    await served.service.restore(backup.name); // another window, or the command line
    await page.keyboard.press('Backspace');
    const error = page.getByTestId('review-error');
    await error.waitFor({ timeout: 15_000 });
    expect(await error.textContent()).toContain(`${getPoster(db(), id)?.title}: that confirmation is no longer in the catalogue`);
    expect(await error.textContent()).not.toMatch(/has no label change/);
    expect(
      errors.filter((e) => !/status of 4\d\d/.test(e)),
      errors.join('\n'),
    ).toEqual([]);
    await page.close();
  }, 90_000);
});
