/**
 * A host that stops and is started again under an open page, in Chromium against the real
 * services. A new start has a new secret, so the page's session ends with the old host: its calls
 * are refused (401), which once read as "back online" — the job bar went back to "running" with
 * frozen numbers and a Cancel button, and every call failed with "A valid token is required". Now
 * a job the page lost its host under is said to have died with it and is never shown as running
 * again, and the refusals are said once, app-wide, as a restart with a Reload button. A page whose
 * calls get through again (the new link opened in another tab of the same browser) finds its job
 * gone from the new host's list, and says the same.
 */
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeLock } from '../src/main/catalogue/lockRepository';
import { startHttpHost, type RunningHost } from '../src/main/host/httpHost';
import { CatalogueService } from '../src/main/service';
import { browserAvailable, goTo, launchChromium, openApp, RENDERER, serve, shot, VIEWPORTS } from './browserHarness';
import { poll } from './browserKit';
import { copyPosters, posterFiles, tempDir } from './helpers';

/** Page errors other than the failed loads a stopped or refusing host causes. */
const unexpected = (errors: string[]) => errors.filter((e) => !/Failed to load resource|net::ERR_CONNECTION_REFUSED|EventSource/.test(e));

/** A catalogue with a vendor folder to import, and an import lock held by another process: an import started here waits, running. */
function waitingCatalogue(): { folder: string; service: CatalogueService } {
  const dir = tempDir();
  const folder = join(dir, 'vendor');
  copyPosters(folder, posterFiles().slice(0, 3));
  const service = CatalogueService.open(join(dir, 'c.sqlite'));
  writeLock(service.db, { name: 'import', pid: process.ppid, host: hostname(), detail: 'an import in another window' });
  return { folder, service };
}

async function startImport(page: Page, folder: string): Promise<void> {
  await goTo(page, 'Import');
  await page.getByTestId('import-folder').fill(folder);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page.getByTestId('job-import').and(page.locator('[data-state="running"]')).waitFor({ timeout: 15_000 });
}

async function stopJobs(service: CatalogueService): Promise<void> {
  for (const job of service.jobs.list()) service.jobs.cancel(job.jobId);
  await service.close();
}

describe.skipIf(!browserAvailable)('a host started again under an open page, in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('says the running job died with the host and never shows it running again; the refusals say "restarted", with a reload', async () => {
    const { folder, service } = waitingCatalogue();
    let host: RunningHost = await serve(service);
    const port = Number(new URL(host.url).port);
    try {
      const { page, errors } = await openApp(browser, host, VIEWPORTS[0], 'light');
      await startImport(page, folder);
      const bar = page.getByTestId('job-import');
      await host.close();
      await page.getByTestId('offline').waitFor({ timeout: 15_000 });
      await poll(() => bar.getAttribute('data-state')).toBe('failed');
      expect(await bar.textContent()).toContain('Poster Catalogue stopped while the import was running, so it did not finish.');

      // Started again on the same port: a new secret. (The same service here, so the job is even
      // still listed as running; a real restart is a new process, whose list no longer has it.)
      host = await startHttpHost(service, { port, rendererDir: RENDERER });
      // Several reads of the job list (every 2 s) later, the job is still over, and says why.
      await page.waitForTimeout(5_000);
      expect(await bar.getAttribute('data-state')).toBe('failed');
      expect(await bar.textContent()).toContain(
        'Poster Catalogue was restarted while the import was running, so it did not finish. The posters catalogued so far are kept.',
      );
      expect(await bar.getByRole('button', { name: 'Cancel' }).count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Import', exact: true }).isEnabled()).toBe(true);
      const restarted = page.getByTestId('restarted');
      await restarted.waitFor({ timeout: 15_000 });
      expect(await restarted.textContent()).toMatch(/^Poster Catalogue was restarted, so this page is no longer connected to it\. Reload the page/);
      expect(await page.getByTestId('offline').count()).toBe(0);
      await shot(page, 'host-restarted');
      // Other screens' calls are refused too: said as the restart, never as the host's token words.
      await goTo(page, 'Library');
      await page.waitForTimeout(500);
      expect(await page.getByText('A valid token is required').count()).toBe(0);
      expect(await restarted.count()).toBe(1);
      // The Models screen's calls too: the one app-wide notice, not its own box beside it.
      await goTo(page, 'Models');
      await page.waitForTimeout(500);
      expect(await page.getByText(/was restarted, so this page is no longer connected/).count()).toBe(1);
      expect(await page.getByRole('alert').count()).toBe(1);
      expect(unexpected(errors)).toEqual([]);

      // Reloading: the new host asks for its new link.
      await page.getByRole('button', { name: 'Reload page' }).click();
      await page.getByText('This browser has no session with the host').waitFor({ timeout: 15_000 });
      await page.close();
    } finally {
      await host.close();
      await stopJobs(service);
    }
  }, 120_000);

  it('a job gone from the job list of a host started anew is said to have ended with the old one, when the page’s calls get through again', async () => {
    const { folder, service } = waitingCatalogue();
    const old = await serve(service);
    const port = Number(new URL(old.url).port);
    const context = await browser.newContext({ viewport: VIEWPORTS[0] });
    let fresh: { service: CatalogueService; host: RunningHost } | null = null;
    try {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(old.openUrl);
      await page.getByTestId('header-stats').waitFor({ timeout: 15_000 });
      await startImport(page, folder);
      const bar = page.getByTestId('job-import');
      // The old process goes, its jobs with it; a new one opens the same catalogue on the same port.
      await old.close();
      await page.getByTestId('offline').waitFor({ timeout: 15_000 });
      const reopened = CatalogueService.open(service.dbPath);
      fresh = { service: reopened, host: await startHttpHost(reopened, { port, rendererDir: RENDERER }) };
      // Its link opened in another tab of the same browser: the session cookie is now the new host's.
      const other = await context.newPage();
      await other.goto(fresh.host.openUrl);
      await other.getByTestId('header-stats').waitFor({ timeout: 15_000 });

      // The first page's calls get through again, and its job is not in the new host's list.
      await page.getByTestId('offline').waitFor({ state: 'detached', timeout: 15_000 });
      await poll(() => bar.textContent()).toContain('Poster Catalogue was restarted while the import was running, so it did not finish.');
      await page.waitForTimeout(4_000);
      expect(await bar.getAttribute('data-state')).toBe('failed');
      expect(await bar.getByRole('button', { name: 'Cancel' }).count()).toBe(0);
      expect(await page.getByTestId('restarted').count()).toBe(0); // nothing to reload: this page works again
      expect(unexpected(errors)).toEqual([]);
    } finally {
      await context.close();
      await fresh?.host.close();
      await fresh?.service.close();
      await stopJobs(service);
    }
  }, 120_000);
});
