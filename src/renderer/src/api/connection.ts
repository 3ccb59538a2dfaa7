/**
 * Whether the host answers, said once for the whole app. Only the browser host can go away under
 * the page (its process stopped or crashed); in Electron the main process is the window's own.
 */
import { useSyncExternalStore } from 'react';

export const OFFLINE_MESSAGE = 'The Poster Catalogue host cannot be reached: it has stopped. Start it again with "npm start", then reload this page.';

/** A call that failed because the host is gone: the banner says so, so no screen needs to say it again. */
export const isOffline = (e: unknown): boolean => (e as { code?: unknown } | null)?.code === 'offline';

let online = true;
let restarted = false;
const listeners = new Set<() => void>();

export function setOnline(now: boolean): void {
  // Once the host was started again, this page's session with it is over for good: only a reload helps.
  if (restarted || now === online) return;
  online = now;
  for (const listener of listeners) listener();
}

export function isOnline(): boolean {
  return online;
}

export function onConnectionChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The connection as React state: false while the host cannot be reached. */
export const useOnline = (): boolean => useSyncExternalStore(onConnectionChange, isOnline);

/**
 * The host answers again but refuses this page: it was started anew, with a new secret, so the page's
 * session (and every job it was showing as running) ended with the old one. Said app-wide in place
 * of the lost-connection banner, until the page is reloaded.
 */
export const RESTARTED_MESSAGE =
  'Poster Catalogue was restarted, so this page is no longer connected to it. Reload the page to carry on; if it then asks for a link, open the new one printed where Poster Catalogue was started.';

export function setRestarted(): void {
  if (restarted) return;
  restarted = true;
  online = true; // it answers: the lost-connection banner would say the wrong thing
  for (const listener of listeners) listener();
}

export function isRestarted(): boolean {
  return restarted;
}

/** Whether the host was started again under this page (never in Electron, whose window is the app's own). */
export const useRestarted = (): boolean => useSyncExternalStore(onConnectionChange, isRestarted);
