/**
 * The folder and Save-as picker in Chromium at both viewport sizes against the real services: it
 * opens somewhere useful (the folder used last for the purpose; where that is gone, home, saying
 * so), an empty home folder says so and offers the way up and the top of the disk, and ↓ from the
 * path lands on the first folder (↑ from it goes back to the path).
 */
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { focused, seriousViolations } from './browserHarness';
import { browserAvailable, launchChromium, openPage, poll, serve, shotBothThemes, VIEWPORTS } from './browserKit';
import { tempDir } from './helpers';

describe.skipIf(!browserAvailable).each(VIEWPORTS)('the path picker in Chromium at %o', (viewport) => {
  let browser: Browser;
  let served: Awaited<ReturnType<typeof serve>>;
  let dir: string;
  let home: string;
  const savedHome = process.env.HOME;
  beforeAll(async () => {
    dir = tempDir();
    // A new account: a home folder with nothing in it, beside another account's.
    home = join(dir, 'home', 'dealer');
    mkdirSync(home, { recursive: true });
    mkdirSync(join(dir, 'home', 'assistant'));
    process.env.HOME = home; // os.homedir() reads it
    served = await serve(join(dir, 'c.sqlite'));
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    process.env.HOME = savedHome;
  });

  /** Opens the import's folder picker (a new catalogue opens on Import) and waits for its first listing. */
  async function openImportPicker(): Promise<{ page: Page; errors: string[] }> {
    const opened = await openPage(browser, served.host, viewport);
    await opened.page.getByTestId('import-browse').click({ timeout: 15_000 });
    await opened.page.getByTestId('picker-summary').waitFor();
    return opened;
  }

  it('opens on an empty home folder saying so in words, with the way up and the top of the disk', async () => {
    const { page, errors } = await openImportPicker();
    const address = page.getByTestId('picker-address');
    await poll(() => address.inputValue()).toBe(home);
    expect(await page.getByTestId('picker-no-folders').innerText()).toMatch(
      new RegExp(
        `^Your home folder \\(${home}\\) has no folders in it\\. Go up, or start from the top of the disk:\\s+Up to ${dirname(home)}\\s+Top of the disk \\(/\\)$`,
      ),
    );
    await shotBothThemes(page, 'picker-empty-home', viewport);
    expect(await seriousViolations(page)).toEqual([]);
    // By keyboard: ↓ from the path reaches the way up, and Enter goes there, to the first folder.
    await address.focus();
    await page.keyboard.press('ArrowDown');
    expect((await focused(page)).testId).toBe('picker-no-folders-up');
    await page.keyboard.press('Enter');
    await poll(() => address.inputValue()).toBe(dirname(home));
    await poll(async () => (await focused(page)).text).toBe('assistant');
    expect(await page.getByTestId('picker-no-folders').count()).toBe(0);
    // The top of the disk, from an empty home again.
    await page.getByRole('button', { name: 'Home', exact: true }).click();
    await page.getByTestId('picker-no-folders-top').click();
    await poll(() => address.inputValue()).toBe('/');
    expect(errors, errors.join('\n')).toEqual([]);
    await page.close();
  });

  it('moves from the path to the first folder with ↓, through the list, and back to the path with ↑ from the first', async () => {
    const { page, errors } = await openImportPicker();
    const address = page.getByTestId('picker-address');
    await address.fill(dirname(home));
    await address.press('Enter');
    await poll(() => address.inputValue()).toBe(dirname(home));
    await address.focus();
    await page.keyboard.press('ArrowDown');
    expect(await focused(page)).toMatchObject({ role: 'menuitem', text: 'assistant' });
    await page.keyboard.press('ArrowDown');
    expect(await focused(page)).toMatchObject({ role: 'menuitem', text: 'dealer' });
    await page.keyboard.press('ArrowUp');
    expect(await focused(page)).toMatchObject({ role: 'menuitem', text: 'assistant' });
    await page.keyboard.press('ArrowUp'); // not round to the last folder: back to the path, selected so typing replaces it
    expect((await focused(page)).testId).toBe('picker-address');
    await page.keyboard.type('~');
    expect(await address.inputValue()).toBe('~');
    expect(errors, errors.join('\n')).toEqual([]);
    await page.close();
  });

  it('opens Save as on the folder exported to last; where that folder is gone, at home, saying so', async () => {
    const shop = join(dir, 'shop-exports');
    mkdirSync(shop);
    await served.service.startExport({ file: join(shop, 'weekly.csv') }).promise;
    const { page, errors } = await openPage(browser, served.host, viewport);
    await page.getByRole('tab', { name: 'Export' }).click();
    const saveAs = page.getByTestId('export-save-as');
    const address = page.getByTestId('picker-address');
    await saveAs.click({ timeout: 15_000 });
    await poll(() => address.inputValue()).toBe(shop);
    await page.keyboard.press('Escape');
    await address.waitFor({ state: 'detached' });

    rmSync(shop, { recursive: true }); // the USB stick it was on is not plugged in today
    await saveAs.click();
    await poll(() => address.inputValue()).toBe(home);
    expect(await page.getByTestId('picker-error').textContent()).toBe(`The folder ${shop} does not exist. Showing ${home} instead.`);
    await page.getByTestId('picker-no-folders').waitFor();
    await shotBothThemes(page, 'picker-recent-gone', viewport);
    expect(errors, errors.join('\n')).toEqual([]);
    await page.close();
  });
});
