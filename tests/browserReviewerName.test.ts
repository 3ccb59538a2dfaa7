/**
 * The "Who is reviewing?" dialog on the Review screen, in Chromium against the real services:
 * closed, it gives the keys back to the review. It used to hand the focus back to the "Reviewer: …"
 * button it was opened from, so the next Enter (or Space) opened it again instead of confirming
 * (or skipping) the poster on screen.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labelsOf } from '../src/main/catalogue/labelRepository';
import { browserAvailable, focused } from './browserHarness';
import { importedCatalogue, openPage, poll, type serve, VIEWPORTS } from './browserKit';

type Served = Awaited<ReturnType<typeof serve>>;

describe.skipIf(!browserAvailable)('naming the reviewer on the Review screen, in Chromium', () => {
  let served: Served;
  let stop = async () => {};
  let page: Page;
  let errors: string[];
  beforeAll(async () => {
    let browser;
    ({ served, browser, stop } = await importedCatalogue());
    ({ page, errors } = await openPage(browser, served.host, VIEWPORTS[0]));
    await page.getByRole('tab', { name: 'Review' }).click();
    await page.getByTestId('genre-chips').waitFor({ timeout: 15_000 });
  }, 120_000);
  afterAll(() => stop());

  const posterId = async () => Number((await page.getByRole('img').first().getAttribute('src'))?.split('/').pop());
  const dialogs = () => page.getByRole('dialog').count();

  it('saved with Enter, the name dialog lets go of the focus: the next Enter confirms the poster shown', async () => {
    const shown = await posterId();
    await page.getByTestId('reviewer-name').click();
    await page.getByTestId('reviewer-input').fill('Ann');
    await page.keyboard.press('Enter');
    await poll(dialogs).toBe(0);
    await poll(() => page.getByTestId('reviewer-name').textContent()).toBe('Reviewer: Ann');
    expect((await focused(page)).testId).not.toBe('reviewer-name');
    await page.keyboard.press('Enter');
    await poll(() => labelsOf(served.service.db, shown)).not.toBeNull();
    expect(await dialogs()).toBe(0);
    expect(served.service.library.history(shown).at(-1)).toMatchObject({ reviewer: 'Ann' });
  }, 60_000);

  it('closed with Esc, it lets go too: the next Space skips the poster shown', async () => {
    const shown = await posterId();
    await page.getByTestId('reviewer-name').click();
    await page.getByTestId('reviewer-input').waitFor();
    await page.keyboard.press('Escape');
    await poll(dialogs).toBe(0);
    await page.keyboard.press('Space');
    await poll(posterId).not.toBe(shown);
    expect(await dialogs()).toBe(0);
    expect(labelsOf(served.service.db, shown)).toBeNull();
    // The name is unchanged by closing without saving.
    expect(await page.getByTestId('reviewer-name').textContent()).toBe('Reviewer: Ann');
    expect(errors).toEqual([]);
  }, 60_000);
});
