/**
 * What `npm start` does, decided from facts about this machine: the desktop window when Electron's
 * binary is here (or can be fetched) and there is a display to show it on, else the same
 * application served to the browser. Pure: scripts/start.ts gathers the facts and acts.
 */
import { parseArgs } from 'node:util';

export type Shell = 'desktop' | 'browser';

export interface StartOptions {
  /** `--desktop` / `--browser`: no fallback to the other. */
  forced: Shell | null;
  db: string | undefined;
  port: string | undefined;
  /** `--no-open`: in the browser, print the address without opening it. */
  open: boolean;
}

export const START_USAGE = 'Usage: npm start -- [--desktop | --browser] [--db PATH] [--port N] [--no-open]';

export function parseStartArgs(argv: string[]): { ok: true; options: StartOptions } | { ok: false; message: string } {
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        desktop: { type: 'boolean', default: false },
        browser: { type: 'boolean', default: false },
        db: { type: 'string' },
        port: { type: 'string' },
        'no-open': { type: 'boolean', default: false },
      },
    });
    if (values.desktop && values.browser) return { ok: false, message: '--desktop and --browser exclude each other' };
    const forced = values.desktop ? 'desktop' : values.browser ? 'browser' : null;
    return { ok: true, options: { forced, db: values.db, port: values.port, open: !values['no-open'] } };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

/** Windows and macOS always have one; elsewhere a window needs an X or Wayland server. */
export function hasDisplay(platform: NodeJS.Platform, env: Record<string, string | undefined>): boolean {
  if (platform === 'win32' || platform === 'darwin') return true;
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}

export type FetchResult = { ok: true } | { ok: false; reason: string };

export interface LaunchFacts {
  forced: Shell | null;
  hasDisplay: boolean;
  electronBinaryPresent: boolean;
  /** null until a fetch was tried. */
  fetchResult: FetchResult | null;
}

export type LaunchDecision =
  | { action: 'desktop' }
  | { action: 'fetch-electron' }
  /** `reason` says why not the desktop window; null when the browser was asked for. */
  | { action: 'browser'; reason: string | null }
  /** `--desktop` was asked for and cannot be had. */
  | { action: 'fail'; reason: string };

const NO_DISPLAY = 'There is no display here (neither DISPLAY nor WAYLAND_DISPLAY is set), so the desktop window cannot open.';

/** Called once, and again after a fetch with its result. Never fetches a binary that could not be shown. */
export function decideLaunch(facts: LaunchFacts): LaunchDecision {
  if (facts.forced === 'browser') return { action: 'browser', reason: null };
  const fallback = (reason: string): LaunchDecision => (facts.forced === 'desktop' ? { action: 'fail', reason } : { action: 'browser', reason });
  if (!facts.hasDisplay) return fallback(NO_DISPLAY);
  if (facts.electronBinaryPresent) return { action: 'desktop' };
  if (facts.fetchResult === null) return { action: 'fetch-electron' };
  if (facts.fetchResult.ok) return { action: 'desktop' };
  return fallback(facts.fetchResult.reason);
}

/** A desktop shell that dies this soon with an error never showed a usable window. */
export const EARLY_EXIT_SECONDS = 20;

/** After Electron exits: done, or (when it could not start at all) the browser instead. */
export function decideAfterDesktopExit(exit: {
  forced: Shell | null;
  code: number | null;
  signal: string | null;
  seconds: number;
}): { action: 'exit'; code: number } | { action: 'browser'; reason: string } {
  const failed = exit.code !== 0;
  const code = exit.code ?? 1;
  if (!failed || exit.forced === 'desktop' || exit.seconds >= EARLY_EXIT_SECONDS || exit.signal === 'SIGINT' || exit.signal === 'SIGTERM') {
    return { action: 'exit', code: failed ? code : 0 };
  }
  const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${code}`;
  return { action: 'browser', reason: `The desktop window could not start (Electron ${how} after ${Math.round(exit.seconds)} s; its message is above).` };
}

/** What the fetch of Electron's binary reported: the cause of a failed request, its output, a timeout. */
export interface FetchFailure {
  /** From a failed request: the system error code (ENOTFOUND, ECONNREFUSED…) or message, and the URL. */
  cause: { code: string; url: string } | null;
  /** stdout and stderr of Electron's install script. */
  output: string;
  timedOut: boolean;
  timeoutSeconds: number;
}

const hostOf = (url: string): string => {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
};

const TODO =
  'with a working network the next `npm start` fetches it; behind a proxy set HTTPS_PROXY and ELECTRON_GET_USE_PROXY=1, or point ELECTRON_MIRROR at a mirror you can reach';
const TODO_MIRROR = 'check ELECTRON_MIRROR (unset, the download comes from GitHub) and run `npm start` again';

/** One sentence: what failed, and what to do. Never a stack trace. */
export function describeFetchFailure(failure: FetchFailure): string {
  const lead = "Electron's binary could not be downloaded";
  if (failure.timedOut) return `${lead}: it did not finish within ${failure.timeoutSeconds} s; ${TODO}.`;
  const cause = failure.cause;
  if (cause) {
    const host = hostOf(cause.url);
    const why = (() => {
      const code = cause.code;
      if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `the name ${host} could not be resolved (no network, or no DNS)`;
      if (code === 'ECONNREFUSED') return `${host} refused the connection`;
      if (code === 'ECONNRESET') return `the connection to ${host} was cut (a firewall or proxy may block it)`;
      if (code === 'ENETUNREACH' || code === 'EHOSTUNREACH') return `there is no network route to ${host}`;
      if (code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') return `${host} did not answer (a firewall may block it)`;
      if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)) return `the certificate of ${host} was not trusted (an intercepting proxy?)`;
      return `the request to ${host} failed (${code})`;
    })();
    return `${lead}: ${why}; ${TODO}.`;
  }
  const http = /Response code (\d+) \(([^)]*)\) for (\S+)/.exec(failure.output);
  if (http) return `${lead}: ${hostOf(http[3] as string)} answered ${http[1]} ${http[2]} for ${http[3]}; ${TODO_MIRROR}.`;
  if (/checksum/i.test(failure.output))
    return `${lead}: the file did not match Electron's published checksum (a corrupted or tampered download); ${TODO_MIRROR}.`;
  const first = failure.output
    .split('\n')
    .map((line) => line.trim())
    .find((line) => line && !line.startsWith('at '));
  return `${lead}: ${first ?? 'its install script failed without a message'}; ${TODO}.`;
}
