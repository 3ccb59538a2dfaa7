/**
 * `window.api` for the browser host: the same operations as the Electron preload, one function per
 * channel of the contract, over HTTP; job progress over server-sent events.
 */
import { ipcContract, splitChannel, type Api, type Channel, type IpcResult } from '../../../shared/ipc';
import type { JobProgress } from '../../../shared/types';

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The host's token, when it needs one: taken from ?token= once, then kept for the tab. */
function token(): string | null {
  const fromUrl = new URLSearchParams(location.search).get('token');
  if (fromUrl) sessionStorage.setItem('poster-catalogue-token', fromUrl);
  return sessionStorage.getItem('poster-catalogue-token');
}

export function createHttpApi(): Api {
  const api: Record<string, Record<string, unknown>> = {};
  for (const channel of Object.keys(ipcContract) as Channel[]) {
    const [domain, verb] = splitChannel(channel);
    api[domain] ??= {};
    (api[domain] as Record<string, unknown>)[verb] = async (args?: unknown) => {
      const t = token();
      let response: Response;
      try {
        response = await fetch(`/api/${domain}/${verb}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(t ? { authorization: `Bearer ${t}` } : {}) },
          body: args === undefined ? '' : JSON.stringify(args),
        });
      } catch {
        throw new ApiError('offline', 'The Poster Catalogue host cannot be reached. Is "npm run serve" still running?');
      }
      const result = (await response.json()) as IpcResult<unknown>;
      if (!result.ok) throw new ApiError(result.error.code, result.error.message);
      return result.value;
    };
  }
  api.events = {
    onJobProgress(listener: (progress: JobProgress) => void): () => void {
      const t = token();
      const source = new EventSource(`/api/events${t ? `?token=${encodeURIComponent(t)}` : ''}`);
      source.onmessage = (event: MessageEvent<string>) => listener(JSON.parse(event.data) as JobProgress);
      return () => source.close();
    },
  };
  return api as unknown as Api;
}
