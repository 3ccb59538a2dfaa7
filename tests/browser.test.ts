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
    await service.startImport({ folder: join(dir, 'in'), tag: false }).promise;
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
});
