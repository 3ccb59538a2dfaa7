/**
 * What the browser tests share: Debian's Chromium driven by playwright-core against the real
 * services over the browser host, the two viewports of issue 15 (1440×900 and 1280×720), the two
 * themes, axe-core injected from node_modules, and screenshots under test-results/screenshots.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startHttpHost, type RunningHost } from '../src/main/host/httpHost';
import type { CatalogueService } from '../src/main/service';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const RENDERER = join(import.meta.dirname, '..', 'out', 'renderer');
export const SHOTS = join(import.meta.dirname, '..', 'test-results', 'screenshots');
export const browserAvailable = existsSync(CHROMIUM) && existsSync(join(RENDERER, 'index.html'));
if (!browserAvailable && process.env.CI) throw new Error(`CI needs ${CHROMIUM} and a built renderer (npm run build) for the browser tests.`);

export const VIEWPORTS = [
  { width: 1440, height: 900 },
  { width: 1280, height: 720 },
] as const;
export type Viewport = (typeof VIEWPORTS)[number];
export type Theme = 'light' | 'dark';
export const THEMES: readonly Theme[] = ['light', 'dark'];

export function launchChromium(): Promise<Browser> {
  mkdirSync(SHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export const serve = (service: CatalogueService): Promise<RunningHost> => startHttpHost(service, { port: 0, rendererDir: RENDERER });

/** A page on `host` at `viewport` in `theme` (set before the app reads it), collecting page errors. */
export async function openApp(browser: Browser, host: RunningHost, viewport: Viewport, theme: Theme): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.addInitScript((t) => localStorage.setItem('theme', t), theme);
  await page.goto(host.openUrl);
  await page.getByRole('tablist').waitFor({ timeout: 15_000 });
  // The catalogue's counts have arrived (an empty catalogue has switched itself to Import by then).
  await page.getByTestId('header-stats').waitFor({ timeout: 15_000 });
  await page.locator('main h1').filter({ hasText: /\S/ }).waitFor({ state: 'attached' });
  return { page, errors };
}

export const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`) });

const AXE = join(import.meta.dirname, '..', 'node_modules', 'axe-core', 'axe.min.js');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/**
 * axe-core's violations of impact serious or critical on the page as it is now. axe is evaluated
 * through the DevTools protocol, which the page's Content-Security-Policy does not govern, so the
 * app's strict CSP (script-src 'self') stays as it ships.
 */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(readFileSync(AXE, 'utf8'));
  return page.evaluate(async () => {
    type Result = { id: string; impact: string | null; help: string; nodes: { target: string[]; failureSummary?: string }[] };
    const axe = (window as unknown as { axe: { run(ctx: Document, options: object): Promise<{ violations: Result[] }> } }).axe;
    const { violations } = await axe.run(document, { resultTypes: ['violations'] });
    return violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary ?? ''}`) }));
  });
}

/** The screens as the app lists them: the names of the tabs in its navigation. */
export const tabNames = (page: Page): Promise<string[]> =>
  page
    .getByRole('navigation')
    .getByRole('tab')
    .evaluateAll((tabs) => tabs.map((t) => t.textContent?.trim() ?? ''));

/** Opens a screen by its tab and waits until its h1 names it and it has settled. */
export async function goTo(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation').getByRole('tab', { name, exact: true }).click();
  await page.locator('main h1').filter({ hasText: name }).waitFor({ timeout: 10_000 });
  await page.waitForTimeout(700); // data arrives and MUI's transitions finish before axe reads colours
}

/** What has the keyboard focus: its role, its text, its data-testid. */
export interface Focused {
  role: string | null;
  text: string;
  testId: string | null;
}
export const focused = (page: Page): Promise<Focused> =>
  page.evaluate(() => {
    const el = document.activeElement;
    return { role: el?.getAttribute('role') ?? null, text: el?.textContent?.trim() ?? '', testId: el?.getAttribute('data-testid') ?? null };
  });

/** Presses `key` until the focused element matches, at most `limit` times: how a keyboard user gets somewhere. */
export async function pressUntil(page: Page, key: string, match: (f: Focused) => boolean, limit = 60): Promise<void> {
  for (let i = 0; i < limit; i++) {
    if (match(await focused(page))) return;
    await page.keyboard.press(key);
  }
  throw new Error(`${key} never reached the element (focus is on ${JSON.stringify(await focused(page))})`);
}
export const onTab = (name: string) => (f: Focused) => f.role === 'tab' && f.text === name;
