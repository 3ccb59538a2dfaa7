/** `npm start`'s decisions (scripts/lib/launch.ts): desktop window or browser, and the one sentence that says why. */
import { describe, expect, it } from 'vitest';
import {
  decideAfterDesktopExit,
  decideLaunch,
  describeFetchFailure,
  hasDisplay,
  parseStartArgs,
  type FetchFailure,
  type LaunchFacts,
} from '../scripts/lib/launch';

const facts = (over: Partial<LaunchFacts>): LaunchFacts => ({
  forced: null,
  hasDisplay: true,
  electronBinaryPresent: false,
  fetchResult: null,
  ...over,
});
const failedFetch = { ok: false as const, reason: "Electron's binary could not be downloaded: github.com refused the connection; …" };

describe('parseStartArgs', () => {
  it('reads the flags, and rejects both shells at once or an unknown flag', () => {
    expect(parseStartArgs([])).toEqual({ ok: true, options: { forced: null, db: undefined, port: undefined, open: true } });
    expect(parseStartArgs(['--browser', '--db', 'x.sqlite', '--port', '0', '--no-open'])).toEqual({
      ok: true,
      options: { forced: 'browser', db: 'x.sqlite', port: '0', open: false },
    });
    expect(parseStartArgs(['--desktop'])).toMatchObject({ ok: true, options: { forced: 'desktop' } });
    expect(parseStartArgs(['--desktop', '--browser'])).toEqual({ ok: false, message: '--desktop and --browser exclude each other' });
    expect(parseStartArgs(['--dektop'])).toMatchObject({ ok: false, message: expect.stringContaining('--dektop') });
  });
});

describe('hasDisplay', () => {
  it('is always true on Windows and macOS, and needs DISPLAY or WAYLAND_DISPLAY elsewhere', () => {
    expect(hasDisplay('win32', {})).toBe(true);
    expect(hasDisplay('darwin', {})).toBe(true);
    expect(hasDisplay('linux', {})).toBe(false);
    expect(hasDisplay('linux', { DISPLAY: '' })).toBe(false);
    expect(hasDisplay('linux', { DISPLAY: ':0' })).toBe(true);
    expect(hasDisplay('linux', { WAYLAND_DISPLAY: 'wayland-0' })).toBe(true);
    expect(hasDisplay('freebsd', { DISPLAY: ':1' })).toBe(true);
  });
});

describe('decideLaunch', () => {
  it('opens the desktop window when the binary is here and there is a display', () => {
    expect(decideLaunch(facts({ electronBinaryPresent: true }))).toEqual({ action: 'desktop' });
    expect(decideLaunch(facts({ electronBinaryPresent: true, forced: 'desktop' }))).toEqual({ action: 'desktop' });
  });

  it('fetches a missing binary first, then opens the window, or falls back to the browser saying why', () => {
    expect(decideLaunch(facts({}))).toEqual({ action: 'fetch-electron' });
    expect(decideLaunch(facts({ fetchResult: { ok: true } }))).toEqual({ action: 'desktop' });
    expect(decideLaunch(facts({ fetchResult: failedFetch }))).toEqual({ action: 'browser', reason: failedFetch.reason });
  });

  it('never fetches a binary that no display could show: straight to the browser', () => {
    const decision = decideLaunch(facts({ hasDisplay: false }));
    expect(decision).toMatchObject({ action: 'browser', reason: expect.stringMatching(/no display.*DISPLAY.*WAYLAND_DISPLAY/) });
    expect(decideLaunch(facts({ hasDisplay: false, electronBinaryPresent: true })).action).toBe('browser');
  });

  it('--browser serves without a reason to give, whatever the machine has', () => {
    for (const over of [{}, { electronBinaryPresent: true }, { hasDisplay: false }]) {
      expect(decideLaunch(facts({ ...over, forced: 'browser' }))).toEqual({ action: 'browser', reason: null });
    }
  });

  it('--desktop never falls back: it fails with the reason instead', () => {
    expect(decideLaunch(facts({ forced: 'desktop' }))).toEqual({ action: 'fetch-electron' });
    expect(decideLaunch(facts({ forced: 'desktop', fetchResult: failedFetch }))).toEqual({ action: 'fail', reason: failedFetch.reason });
    expect(decideLaunch(facts({ forced: 'desktop', hasDisplay: false }))).toMatchObject({ action: 'fail', reason: expect.stringContaining('no display') });
  });
});

describe('decideAfterDesktopExit', () => {
  const exit = { forced: null, code: 0, signal: null, seconds: 3 };
  it('passes on how the window ended, once it has run', () => {
    expect(decideAfterDesktopExit(exit)).toEqual({ action: 'exit', code: 0 });
    expect(decideAfterDesktopExit({ ...exit, code: 3, seconds: 600 })).toEqual({ action: 'exit', code: 3 });
    expect(decideAfterDesktopExit({ ...exit, code: null, signal: 'SIGINT' })).toEqual({ action: 'exit', code: 1 });
  });
  it('falls back to the browser when the shell died at start, unless --desktop was asked for', () => {
    expect(decideAfterDesktopExit({ ...exit, code: 1 })).toEqual({
      action: 'browser',
      reason: 'The desktop window could not start (Electron exited with code 1 after 3 s; its message is above).',
    });
    expect(decideAfterDesktopExit({ ...exit, code: null, signal: 'SIGTRAP' })).toMatchObject({ action: 'browser', reason: expect.stringContaining('SIGTRAP') });
    expect(decideAfterDesktopExit({ ...exit, code: 1, forced: 'desktop' })).toEqual({ action: 'exit', code: 1 });
  });
});

describe('describeFetchFailure', () => {
  const failure: FetchFailure = { cause: null, output: '', timedOut: false, timeoutSeconds: 900 };
  const url = 'https://github.com/electron/electron/releases/download/v45.4.1/electron-v45.4.1-linux-x64.zip';
  it('says in one sentence what failed and what to do, never a stack trace', () => {
    const cases: [Partial<FetchFailure>, RegExp][] = [
      [{ cause: { code: 'ENOTFOUND', url } }, /the name github\.com could not be resolved \(no network, or no DNS\); with a working network/],
      [
        { cause: { code: 'ECONNREFUSED', url: 'http://127.0.0.1:45833/v45.4.1/x.zip' } },
        /127\.0\.0\.1:45833 refused the connection; .*HTTPS_PROXY.*ELECTRON_MIRROR/,
      ],
      [{ cause: { code: 'UND_ERR_CONNECT_TIMEOUT', url } }, /github\.com did not answer \(a firewall may block it\)/],
      [{ cause: { code: 'SELF_SIGNED_CERT_IN_CHAIN', url } }, /certificate of github\.com was not trusted/],
      [{ cause: { code: 'bad port', url: 'http://127.0.0.1:1/' } }, /the request to 127\.0\.0\.1:1 failed \(bad port\)/],
      [
        { output: `HTTPError: Response code 404 (Not Found) for ${url}\n    at FetchDownloader.download (x.js:1:1)` },
        /github\.com answered 404 Not Found for https:.*; check ELECTRON_MIRROR/,
      ],
      [{ output: 'Error: Generated checksum for "electron.zip" did not match expected checksum.\n    at x' }, /did not match Electron's published checksum/],
      [{ timedOut: true }, /did not finish within 900 s/],
      [{ output: 'TypeError: something odd\n    at a (b.js:1:1)\n' }, /downloaded: TypeError: something odd; /],
    ];
    for (const [over, expected] of cases) {
      const sentence = describeFetchFailure({ ...failure, ...over });
      expect(sentence).toMatch(expected);
      expect(sentence).toMatch(/^Electron's binary could not be downloaded: [^\n]*\.$/);
      expect(sentence).not.toMatch(/\n|\bat \S+ \(/);
    }
  });
});
