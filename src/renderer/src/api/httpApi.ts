/**
 * `window.api` for the browser host: the same operations as the Electron preload (createApi),
 * over HTTP; job progress over server-sent events. The host's secret travels in its HttpOnly
 * session cookie, which same-origin fetch and EventSource send by themselves: this page never
 * sees it, and it is never in a URL after the first load.
 */
import { createApi, splitChannel, storedReviewer, type Api, type Channel, type IpcResult } from '../../../shared/ipc';
import type { JobProgress } from '../../../shared/types';

import { OFFLINE_MESSAGE, RESTARTED_MESSAGE, setOnline, setRestarted } from './connection';

const OFFLINE = { code: 'offline', message: OFFLINE_MESSAGE };
// The same code as a lost connection: both are said once, app-wide, so no screen says them again.
const RESTARTED = { code: 'offline', message: RESTARTED_MESSAGE };

/**
 * Whether a call has got through with this page's session. A refusal (401) before that is a page
 * opened without the link, and the host's own words say what to do; after it, the host was started
 * again with a new secret — it answers, but this page is no longer signed in.
 */
let signedIn = false;

/** Calls made as the page goes away: `keepalive` lets the request outlive the page (for small bodies only, so not for every call). */
const AS_THE_PAGE_CLOSES: ReadonlySet<Channel> = new Set<Channel>(['review:release']);

async function send(channel: Channel, args: unknown): Promise<IpcResult<unknown>> {
  const [domain, verb] = splitChannel(channel);
  let response: Response;
  try {
    response = await fetch(`/api/${domain}/${verb}`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json' },
      body: args === undefined ? '' : JSON.stringify(args),
      keepalive: AS_THE_PAGE_CLOSES.has(channel),
    });
  } catch {
    setOnline(false);
    return { ok: false, error: OFFLINE };
  }
  if (response.status === 401 && signedIn) {
    setRestarted();
    return { ok: false, error: RESTARTED };
  }
  if (response.status !== 401) signedIn = true;
  setOnline(true);
  try {
    return (await response.json()) as IpcResult<unknown>;
  } catch {
    return { ok: false, error: { code: `http-${response.status}`, message: `The host answered ${response.status} ${response.statusText}.` } };
  }
}

export function createHttpApi(): Api {
  return createApi(
    send,
    {
      onJobProgress(listener: (progress: JobProgress) => void): () => void {
        const source = new EventSource('/api/events');
        // The stream drops when the host stops; EventSource keeps trying, and its reopening says it is back.
        source.onopen = () => setOnline(true);
        source.onerror = () => {
          // Closed for good: the host answered, but not with the stream (a host started anew refuses
          // this page's session). One call finds out which, instead of taking it for a stopped host.
          if (source.readyState === EventSource.CLOSED) void send('jobs:list', undefined);
          else setOnline(false);
        };
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
