/**
 * The crop box editor in the poster's detail view, in Chromium against the real services over the
 * browser host: a vendor's scan is found at import; staff move a corner with the keyboard and save,
 * drag a corner with the mouse and save, then use the whole scan — each time the poster is cropped
 * anew in the catalogue. Screenshots are left in test-results/screenshots.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BEDS, CASTS, makeScanVariant } from '../scripts/lib/scanVariants';
import { startHttpHost, type RunningHost } from '../src/main/host/httpHost';
import { CatalogueService } from '../src/main/service';
import type { CropBox } from '../src/shared/types';
import { POSTERS, posterFiles, tempDir } from './helpers';
import { browserAvailable, launchChromium, RENDERER, SHOTS } from './browserHarness';
import { openCropEditor } from './browserKit';

describe.skipIf(!browserAvailable)('crop box editor in Chromium', () => {
  let browser: Browser;
  let service: CatalogueService;
  let host: RunningHost;
  beforeAll(async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'vendor'));
    const { jpeg } = await makeScanVariant(readFileSync(join(POSTERS, posterFiles()[0] as string)), {
      posterHeight: 700,
      margins: { left: 0.05, top: 0.04, right: 0.06, bottom: 0.05 },
      bed: BEDS['dark grey'] as [number, number, number],
      angle: -2,
      cast: CASTS.warm as [number, number, number],
      quality: 85,
      grain: 1,
    });
    writeFileSync(join(dir, 'vendor', 'scan.jpg'), jpeg);
    service = CatalogueService.open(join(dir, 'c.sqlite'));
    await service.startImport({ folder: join(dir, 'vendor') }).promise;
    host = await startHttpHost(service, { port: 0, rendererDir: RENDERER });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await service?.close();
  });
  const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`) });
  const stored = () => service.library.listPosters(0, 1).items[0]?.crop;
  /** The first poster's detail in a new page whose errors are collected, once its detected crop is shown, the editor opened. */
  const openFirstDetail = async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(host.openUrl);
    await page.getByRole('tab', { name: 'Library' }).click();
    await page.locator('[data-testid^="poster-"]').first().dblclick();
    const dialog = page.getByRole('dialog');
    await expect.poll(() => dialog.getByTestId('crop-state').textContent(), { timeout: 15_000 }).toBe('Found in the scan automatically.');
    await openCropEditor(dialog);
    return { page, errors, dialog };
  };

  it('moves a corner by keyboard and by mouse, saves each, then uses the whole scan', async () => {
    const detected = stored()?.box as CropBox;
    expect(stored()?.state).toBe('detected');
    const { page, errors, dialog } = await openFirstDetail();
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="crop-editor"] img')].every((i) => (i as HTMLImageElement).complete));
    await shot(page, 'crop-01-detected');

    // Keyboard only: the top-left corner, four Shift+Right (2% each) and two Down (0.5% each).
    const corner = dialog.getByRole('button', { name: /^top left corner of the poster/ });
    await corner.focus();
    for (let i = 0; i < 4; i++) await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await dialog.getByRole('button', { name: 'Save crop' }).click();
    await expect.poll(() => dialog.getByTestId('crop-state').textContent(), { timeout: 15_000 }).toBe('Drawn by staff.');
    const keyed = stored()?.box as CropBox;
    expect(stored()?.state).toBe('manual');
    expect(keyed.left).toBeCloseTo(detected.left + 0.08, 3);
    expect(keyed.top).toBeCloseTo(detected.top + 0.01, 3);
    expect(keyed.left + keyed.width).toBeCloseTo(detected.left + detected.width, 3);
    expect(keyed.angle).toBeCloseTo(detected.angle, 6);
    // Saved, the editor gives way to the scan; it is opened again to go on.
    await dialog.getByTestId('crop-editor').waitFor({ state: 'detached' });
    await openCropEditor(dialog);

    // The mouse: the bottom-right corner dragged up and left by a tenth of the frame.
    const handle = dialog.getByTestId('crop-corner-bottom-right');
    const frame = (await dialog.getByTestId('crop-editor').locator('img').boundingBox()) as { width: number; height: number };
    const at = (await handle.boundingBox()) as { x: number; y: number; width: number; height: number };
    await page.mouse.move(at.x + at.width / 2, at.y + at.height / 2);
    await page.mouse.down();
    await page.mouse.move(at.x + at.width / 2 - frame.width * 0.1, at.y + at.height / 2 - frame.height * 0.1, { steps: 5 });
    await page.mouse.up();
    await dialog.getByRole('button', { name: 'Save crop' }).click();
    await expect.poll(() => stored()?.box?.width, { timeout: 15_000 }).toBeLessThan(keyed.width - 0.05);
    const dragged = stored()?.box as CropBox;
    expect(dragged.left + dragged.width).toBeCloseTo(keyed.left + keyed.width - 0.1, 1);
    expect(dragged.top + dragged.height).toBeCloseTo(keyed.top + keyed.height - 0.1, 1);
    await shot(page, 'crop-02-drawn');

    await openCropEditor(dialog);
    await dialog.getByRole('button', { name: 'Use whole scan' }).click();
    await expect.poll(() => dialog.getByTestId('crop-state').textContent(), { timeout: 15_000 }).toBe('Turned off: the whole scan is used.');
    expect(stored()).toEqual({ state: 'off', box: dragged });
    // The box drawn is the whole scan now (the last one is kept in the record only).
    await expect
      .poll(() => dialog.getByTestId('crop-corner-top-left').getAttribute('aria-label'))
      .toMatch(/^top left corner of the poster, at 0\.0% across and 0\.0% down/);
    expect(await dialog.getByTestId('crop-corner-bottom-right').getAttribute('aria-label')).toMatch(/at 100\.0% across and 100\.0% down/);
    expect(await dialog.getByTestId('crop-angle').inputValue()).toBe('0.0');
    await shot(page, 'crop-03-whole-scan');
    await dialog.getByRole('button', { name: 'Find again' }).click();
    await expect.poll(() => dialog.getByTestId('crop-state').textContent(), { timeout: 15_000 }).toBe('Found in the scan automatically.');
    expect(stored()).toEqual({ state: 'detected', box: detected });
    expect(errors, errors.join('\n')).toEqual([]);
  });

  it('the crop buttons keep a title typed and not saved; Find again puts a moved corner back even where it finds the same box', async () => {
    const detected = stored()?.box as CropBox;
    expect(stored()?.state).toBe('detected');
    const { page, errors, dialog } = await openFirstDetail();
    const title = dialog.getByRole('textbox', { name: 'Title' });
    await title.fill('Typed Before Cropping');
    const corner = dialog.getByRole('button', { name: /^top left corner of the poster/ });
    const label = await corner.getAttribute('aria-label');
    await corner.focus();
    await page.keyboard.press('Shift+ArrowRight');
    await expect.poll(() => corner.getAttribute('aria-label')).not.toBe(label);

    // Find again finds the box it had: the corner goes back to it; the title stays as typed.
    await dialog.getByRole('button', { name: 'Find again' }).click();
    await expect.poll(() => corner.getAttribute('aria-label'), { timeout: 15_000 }).toBe(label);
    expect(stored()).toEqual({ state: 'detected', box: detected });
    expect(await title.inputValue()).toBe('Typed Before Cropping');

    // Save crop: saved, and the title is still typed and still said to be unsaved.
    await corner.focus();
    await page.keyboard.press('Shift+ArrowRight');
    await dialog.getByRole('button', { name: 'Save crop' }).click();
    await expect.poll(() => dialog.getByTestId('crop-state').textContent(), { timeout: 15_000 }).toBe('Drawn by staff.');
    expect(await title.inputValue()).toBe('Typed Before Cropping');
    expect(await dialog.getByTestId('detail-unsaved').textContent()).toContain('title');
    const saved = stored();

    // Cancel drops a corner moved since: the scan is back, the keyboard on "Adjust crop…", and leaving saves no box.
    await openCropEditor(dialog);
    await page.keyboard.press('Shift+ArrowDown'); // the editor opens with the keyboard on its first corner
    await page.keyboard.press('z');
    await expect.poll(() => dialog.getByRole('button', { name: 'Cancel', exact: true }).count()).toBe(1);
    await dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
    await dialog.getByTestId('crop-editor').waitFor({ state: 'detached' });
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Adjust crop… (C)');
    // Z pressed in the editor zoomed nothing out of sight: the scan comes back whole.
    expect(await dialog.getByTestId('zoom').getAttribute('aria-pressed')).toBe('false');
    // Esc in the editor is its Cancel: the corner moved is dropped, the dialog stays open.
    await openCropEditor(dialog);
    await page.keyboard.press('Shift+ArrowDown');
    await expect.poll(() => dialog.getByRole('button', { name: 'Cancel', exact: true }).count()).toBe(1);
    await page.keyboard.press('Escape');
    await dialog.getByTestId('crop-editor').waitFor({ state: 'detached' });
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Adjust crop… (C)');
    expect(await dialog.isVisible()).toBe(true);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(stored()).toEqual(saved);
    expect(service.library.listPosters(0, 1).items[0]?.title).toBe('Typed Before Cropping');
    expect(errors, errors.join('\n')).toEqual([]);
  });
});

/**
 * The crop editor as a person first sees it at 1280×720 (the smallest window the app is used at):
 * tall scans — a one-sheet with the scanner bed around it, an insert (14×36 in) — in a vendor's
 * deep consignment folder, the scan with its crop box fitting beside the dialog's buttons.
 */
describe.skipIf(!browserAvailable)('crop box editor on the first screen', () => {
  let browser: Browser;
  let service: CatalogueService;
  let host: RunningHost;
  const ids: Record<string, number> = {};
  beforeAll(async () => {
    const dir = tempDir();
    const folder = join(dir, 'Scans', 'Acme Posters', '2026-11 consignment from the Harlan estate, second lot');
    mkdirSync(folder, { recursive: true });
    const poster = readFileSync(join(POSTERS, posterFiles()[0] as string));
    const scan = (source: Buffer, margins: { left: number; top: number; right: number; bottom: number }) =>
      makeScanVariant(source, {
        posterHeight: 900,
        margins,
        bed: BEDS['dark grey'] as [number, number, number],
        angle: 1,
        cast: CASTS.none as [number, number, number],
        quality: 85,
        grain: 1,
      });
    const insert = await sharp(poster).resize(140, 360, { fit: 'fill' }).jpeg().toBuffer();
    writeFileSync(join(folder, 'one-sheet-godzilla-1998.jpg'), (await scan(poster, { left: 0.04, top: 0.06, right: 0.04, bottom: 0.06 })).jpeg);
    writeFileSync(join(folder, 'insert-godzilla-1998.jpg'), (await scan(insert, { left: 0.03, top: 0.03, right: 0.03, bottom: 0.03 })).jpeg);
    service = CatalogueService.open(join(dir, 'c.sqlite'));
    await service.startImport({ folder, vendor: 'Acme Posters' }).promise;
    for (const item of service.library.listPosters(0, 10).items) ids[item.path.split('/').pop() as string] = item.id;
    host = await startHttpHost(service, { port: 0, rendererDir: RENDERER });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await service?.close();
  });

  type Box = { x: number; y: number; width: number; height: number };
  const within = (outer: Box, inner: Box) =>
    inner.x >= outer.x - 0.5 &&
    inner.y >= outer.y - 0.5 &&
    inner.x + inner.width <= outer.x + outer.width + 0.5 &&
    inner.y + inner.height <= outer.y + outer.height + 0.5;

  /** The names of those `shown` (each within the window, and within `content` too where named there) that are not. */
  async function notShown(
    viewport: { width: number; height: number },
    content: Box,
    inContent: Record<string, Locator>,
    inDialog: Record<string, Locator> = {},
  ) {
    const hidden: string[] = [];
    for (const [name, locator] of Object.entries({ ...inContent, ...inDialog })) {
      const box = (await locator.boundingBox()) as Box;
      if (!within({ x: 0, y: 0, ...viewport }, box) || (name in inContent && !within(content, box))) hidden.push(`${name} at ${JSON.stringify(box)}`);
    }
    return hidden;
  }

  /**
   * What a person sees on opening a poster, without scrolling: the scan once, with its crop box, and
   * beside it the genres and their Confirm; then, the crop editor opened in its place, the scan with
   * the corners, the crop's own buttons and the dialog's (Previous/Next, Close), each whole within
   * the window and within the dialog's unscrolled content. Returns the height the editor shows the scan at.
   */
  async function firstScreen(file: string, viewport: { width: number; height: number }): Promise<number> {
    const page = await browser.newPage({ viewport });
    await page.goto(host.openUrl);
    await page.getByRole('tab', { name: 'Library' }).click();
    await page.getByTestId(`poster-${ids[file]}`).dblclick();
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('crop-state').waitFor({ timeout: 15_000 });
    await dialog.getByTestId('detail-genres').waitFor();
    const content = dialog.getByTestId('detail-content');
    await page.waitForFunction(() => [...document.querySelectorAll('[role="dialog"] img')].every((i) => (i as HTMLImageElement).complete));
    const name = `${file.replace(/\.jpg$/, '')}-${viewport.width}x${viewport.height}`;
    await page.waitForTimeout(300); // the dialog has faded in, for the picture
    await page.screenshot({ path: join(SHOTS, `detail-first-screen-${name}.png`) });
    expect(await content.evaluate((el) => el.scrollTop)).toBe(0);
    // The scan is shown once (its box drawn on it), not as a preview and again in an editor.
    expect(await dialog.locator(`img[src$="/images/${ids[file]}"]`).count()).toBe(1);
    const opened = {
      'the scan': dialog.locator(`img[src$="/images/${ids[file]}"]`),
      'the genres': dialog.getByTestId('detail-genres'),
      'Confirm these genres': dialog.getByRole('button', { name: 'Confirm these genres (mark reviewed)' }),
      'Adjust crop': dialog.getByRole('button', { name: 'Adjust crop… (C)' }),
    };
    const hiddenOnOpening = await notShown(viewport, (await content.boundingBox()) as Box, opened);
    expect(hiddenOnOpening, `${file} at ${viewport.width}×${viewport.height}: not on the first screen`).toEqual([]);

    await openCropEditor(dialog);
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="crop-editor"] img')].every((i) => (i as HTMLImageElement).complete));
    await page.screenshot({ path: join(SHOTS, `crop-first-screen-${name}.png`) });
    expect(await content.evaluate((el) => el.scrollTop)).toBe(0);
    const visible = (await content.boundingBox()) as Box;
    const scan = dialog.getByTestId('crop-editor').locator('img');
    const inContent = {
      'the scan': scan,
      'top left corner': dialog.getByTestId('crop-corner-top-left'),
      'bottom right corner': dialog.getByTestId('crop-corner-bottom-right'),
      'Save crop': dialog.getByRole('button', { name: 'Save crop' }),
      'Use whole scan': dialog.getByRole('button', { name: 'Use whole scan' }),
      'Find again': dialog.getByRole('button', { name: 'Find again' }),
    };
    const inDialog = {
      Previous: dialog.getByRole('button', { name: '‹ Previous' }),
      Next: dialog.getByRole('button', { name: 'Next ›' }),
      Close: dialog.getByRole('button', { name: 'Close', exact: true }),
    };
    const hidden = await notShown(viewport, visible, inContent, inDialog);
    expect(hidden, `${file} at ${viewport.width}×${viewport.height}: not on the first screen (the content shows ${JSON.stringify(visible)})`).toEqual([]);
    // The frame the box is drawn over is the scan's shape: a corner at 100% is the scan's corner.
    const shown = (await scan.boundingBox()) as Box;
    const natural = await scan.evaluate((i) => (i as HTMLImageElement).naturalWidth / (i as HTMLImageElement).naturalHeight);
    expect(shown.width / shown.height).toBeCloseTo(natural, 1);
    await page.close();
    return shown.height;
  }

  it.each(['one-sheet-godzilla-1998.jpg', 'insert-godzilla-1998.jpg'])(
    'at 1280×720 %s opens with the scan once and the genres with their Confirm on the first screen; its crop editor fits there with the crop and dialog buttons; a larger window shows it bigger',
    async (file) => {
      const small = await firstScreen(file, { width: 1280, height: 720 });
      expect(small).toBeGreaterThan(240); // still big enough to place a corner on
      expect(await firstScreen(file, { width: 1440, height: 900 })).toBeGreaterThan(small + 100);
    },
  );
});
