/**
 * Whether the host answers, said once for the whole app. Only the browser host can go away under
 * the page (its process stopped or crashed); in Electron the main process is the window's own.
 */
import { useSyncExternalStore } from 'react';

export const OFFLINE_MESSAGE = 'The Poster Catalogue host cannot be reached: it has stopped. Start it again with "npm start", then reload this page.';

/** A call that failed because the host is gone: the banner says so, so no screen needs to say it again. */
export const isOffline = (e: unknown): boolean => (e as { code?: unknown } | null)?.code === 'offline';

let online = true;
const listeners = new Set<() => void>();

export function setOnline(now: boolean): void {
  if (now === online) return;
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
