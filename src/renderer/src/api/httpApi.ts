/**
 * `window.api` for the browser host: the same operations as the Electron preload (createApi),
 * over HTTP; job progress over server-sent events. The host's secret travels in its HttpOnly
 * session cookie, which same-origin fetch and EventSource send by themselves: this page never
 * sees it, and it is never in a URL after the first load.
 */
import { createApi, splitChannel, storedReviewer, type Api, type IpcResult } from '../../../shared/ipc';
import type { JobProgress } from '../../../shared/types';

import { OFFLINE_MESSAGE, setOnline } from './connection';

const OFFLINE = { code: 'offline', message: OFFLINE_MESSAGE };

export function createHttpApi(): Api {
  return createApi(
    async (channel, args) => {
      const [domain, verb] = splitChannel(channel);
      let response: Response;
      try {
        response = await fetch(`/api/${domain}/${verb}`, {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'content-type': 'application/json' },
          body: args === undefined ? '' : JSON.stringify(args),
        });
      } catch {
        setOnline(false);
        return { ok: false, error: OFFLINE };
      }
      setOnline(true);
      try {
        return (await response.json()) as IpcResult<unknown>;
      } catch {
        return { ok: false, error: { code: `http-${response.status}`, message: `The host answered ${response.status} ${response.statusText}.` } };
      }
    },
    {
      onJobProgress(listener: (progress: JobProgress) => void): () => void {
        const source = new EventSource('/api/events');
        // The stream drops when the host stops; EventSource keeps trying, and its reopening says it is back.
        source.onopen = () => setOnline(true);
        source.onerror = () => setOnline(false);
        source.onmessage = (event: MessageEvent<string>) => {
          try {
            listener(JSON.parse(event.data) as JobProgress);
          } catch {
            // A message cut off as the host stopped: nothing to show from it.
          }
        };
        return () => source.close();
      },
    },
    storedReviewer,
  );
}
