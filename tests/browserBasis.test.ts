/**
 * What a suggestion was based on (issue 13), as staff see it in Chromium against the real services:
 * a poster whose file name gives a title says the image and that title; one named like a camera's
 * file (`IMG_0412.jpg`) says the image only; the detail and the review screen say the same as the
 * catalogue stored at tagging time, and Models says which inputs the active head reads.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suggestionBasisFor } from '../src/main/catalogue/suggestionBasisRepository';
import { basisInWords } from '../src/renderer/src/components/SuggestionBasis';
import { browserAvailable, importedCatalogue, openPage, poll, type serve, VIEWPORTS } from './browserKit';
import { posterFiles } from './helpers';

type Served = Awaited<ReturnType<typeof serve>>;
const viewport = VIEWPORTS[1];

describe.skipIf(!browserAvailable)('what a suggestion was based on, in Chromium', () => {
  let browser: Browser;
  let served: Served;
  let stop = async () => {};
  beforeAll(async () => {
    const [titled, untitled] = posterFiles();
    const names: Record<string, string> = { [titled as string]: 'Vertigo (1958).jpg', [untitled as string]: 'IMG_0412.jpg' };
    ({ served, browser, stop } = await importedCatalogue([titled as string, untitled as string], (n) => names[n] as string));
  }, 120_000);
  afterAll(() => stop());

  const idOf = (title: string | null): number =>
    served.service.db
      .prepare(title === null ? 'SELECT id FROM posters WHERE title IS NULL' : 'SELECT id FROM posters WHERE title = ?')
      .pluck()
      .get(...(title === null ? [] : [title])) as number;
  /** The caption the screens must show for a poster: from what tagging stored. */
  const expected = (id: number): string => {
    const basis = suggestionBasisFor(served.service.db, id);
    if (!basis) throw new Error(`poster ${id} was never scored`);
    return `Based on ${basisInWords(basis)}${basis.title === null ? ' (no usable title was read)' : ''}.`;
  };
  const caption = (page: Page) => page.getByTestId('suggestion-basis').first().textContent();

  it('stores the title as read for a titled poster and nothing for a camera file name', () => {
    expect(suggestionBasisFor(served.service.db, idOf('Vertigo'))?.title).toBe('Vertigo');
    expect(suggestionBasisFor(served.service.db, idOf(null))?.title).toBeNull();
    expect(expected(idOf('Vertigo'))).toContain('the title “Vertigo”');
    expect(expected(idOf(null))).toBe('Based on the image only (no usable title was read).');
  });

  it('says it in the detail, poster by poster', async () => {
    const { page, errors } = await openPage(browser, served.host, viewport);
    await page.getByRole('tab', { name: 'Library' }).click();
    await page.getByTestId('library-grid').focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    const title = dialog.getByRole('textbox', { name: 'Title' });
    await title.waitFor();
    const seen = new Set<string>();
    for (let n = 0; n < 2; n++) {
      const value = await title.inputValue();
      const id = idOf(value === '' ? null : value);
      await poll(() => caption(page)).toBe(expected(id));
      seen.add(value);
      if (n === 1) break;
      await dialog.getByRole('button', { name: 'Next ›' }).click();
      await poll(() => title.inputValue()).not.toBe(value);
    }
    expect([...seen].sort()).toEqual(['', 'Vertigo']);
    expect(errors, errors.join('\n')).toEqual([]);
    await page.close();
  });

  it('says it on the review screen for the poster under review, and Models says what the head reads', async () => {
    const { page, errors } = await openPage(browser, served.host, viewport);
    await page.getByRole('tab', { name: 'Review' }).click();
    await page.getByTestId('genre-chips').waitFor({ timeout: 15_000 });
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    const shown = async () => Number((await page.getByRole('img').first().getAttribute('src'))?.split('/').pop());
    const first = await shown();
    await poll(() => caption(page)).toBe(expected(first));
    await page.keyboard.press('Space'); // skip: the other poster
    await poll(() => shown()).not.toBe(first);
    await poll(() => caption(page)).toBe(expected(await shown()));

    await page.getByRole('tab', { name: 'Models' }).click();
    const { headInputs } = await served.service.inferenceStatus();
    expect(headInputs).toContain('title');
    await poll(() => page.getByTestId('head-inputs').first().textContent()).toBe(`Reads: ${(headInputs ?? []).join(' + ')}`);
    expect(errors, errors.join('\n')).toEqual([]);
    await page.close();
  });
  it('a title or year changed in the detail re-scores the suggestions from cached features: new basis, new percentages, confirmed genres kept', async () => {
    const id = idOf('Vertigo');
    const suggestions = () =>
      served.service.db
        .prepare('SELECT g.name, s.probability FROM suggestions s JOIN genres g ON g.id = s.genre_id WHERE s.poster_id = ? ORDER BY g.name')
        .all(id) as { name: string; probability: number }[];
    const before = suggestions();
    served.service.library.setLabels(id, ['Drama']); // reviewed: its confirmed genres must stay as they are
    // From the cached features only: decoding the scan again would go through tagPosters.
    const tagger = await served.service.tagger();
    const tagPosters = tagger.tagPosters;
    tagger.tagPosters = () => Promise.reject(new Error('the scan was decoded again'));
    try {
      const { page, errors } = await openPage(browser, served.host, viewport);
      await page.getByRole('tab', { name: 'Library' }).click();
      await page.getByTestId(`poster-${id}`).dblclick();
      const dialog = page.getByRole('dialog');
      await poll(() => dialog.getByRole('textbox', { name: 'Title' }).inputValue()).toBe('Vertigo');
      await dialog.getByRole('textbox', { name: 'Year' }).fill('1962');
      await dialog.getByRole('textbox', { name: 'Title' }).fill('12 Angry Men');
      await page.keyboard.press('Enter');
      await poll(() => caption(page)).toContain('the title “12 Angry Men”');
      expect(await caption(page)).toBe(expected(id));
      expect(suggestionBasisFor(served.service.db, id)).toMatchObject({ title: '12 Angry Men', decade: 1960 });
      const after = suggestions();
      expect(after.map((s) => s.name)).toEqual(before.map((s) => s.name));
      expect(after.some((s, k) => Math.abs(s.probability - (before[k] as { probability: number }).probability) > 1e-6)).toBe(true);
      for (const s of after) await poll(() => dialog.getByText(`${s.name} ${Math.round(s.probability * 100)}%`, { exact: true }).count()).toBeGreaterThan(0);
      expect(served.service.library.poster(id).labels).toEqual(['Drama']);
      // Undoing the title edit re-scores too: the basis says the title again.
      await dialog.getByRole('button', { name: 'Undo Title: Vertigo → 12 Angry Men', exact: true }).click();
      await poll(() => caption(page)).toContain('the title “Vertigo”');
      expect(await caption(page)).toBe(expected(id));
      expect(errors, errors.join('\n')).toEqual([]);
      await page.close();
    } finally {
      tagger.tagPosters = tagPosters;
    }
  });
});
