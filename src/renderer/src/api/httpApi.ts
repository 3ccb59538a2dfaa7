/**
 * `window.api` for the browser host: the same operations as the Electron preload (createApi),
 * over HTTP; job progress over server-sent events.
 */
import { createApi, splitChannel, type Api, type IpcResult } from '../../../shared/ipc';
import type { JobProgress } from '../../../shared/types';

/** The host's token, when it needs one: taken from ?token= once, then kept for the tab. */
function token(): string | null {
  const fromUrl = new URLSearchParams(location.search).get('token');
  if (fromUrl) sessionStorage.setItem('poster-catalogue-token', fromUrl);
  return sessionStorage.getItem('poster-catalogue-token');
}

export function createHttpApi(): Api {
  return createApi(
    async (channel, args) => {
      const [domain, verb] = splitChannel(channel);
      const t = token();
      try {
        const response = await fetch(`/api/${domain}/${verb}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(t ? { authorization: `Bearer ${t}` } : {}) },
          body: args === undefined ? '' : JSON.stringify(args),
        });
        return (await response.json()) as IpcResult<unknown>;
      } catch {
        return { ok: false, error: { code: 'offline', message: 'The Poster Catalogue host cannot be reached. Is "npm run serve" still running?' } };
      }
    },
    {
      onJobProgress(listener: (progress: JobProgress) => void): () => void {
        const t = token();
        const source = new EventSource(`/api/events${t ? `?token=${encodeURIComponent(t)}` : ''}`);
        source.onmessage = (event: MessageEvent<string>) => listener(JSON.parse(event.data) as JobProgress);
        return () => source.close();
      },
    },
  );
}
