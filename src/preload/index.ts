/**
 * The narrow bridge: exactly one function per operation of the IPC contract, as
 * window.api.<domain>.<verb>, each turning `{ ok: false }` back into an Error with a stable code.
 * Nothing else (no ipcRenderer, no process.env, no generic invoke) reaches the page.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { ipcContract, ipcEvents, splitChannel, type Channel, type IpcResult } from '../shared/ipc';
import type { JobProgress } from '../shared/types';

class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const api: Record<string, Record<string, unknown>> = {};
for (const channel of Object.keys(ipcContract) as Channel[]) {
  const [domain, verb] = splitChannel(channel);
  api[domain] ??= {};
  (api[domain] as Record<string, unknown>)[verb] = async (args?: unknown) => {
    const result = (await ipcRenderer.invoke(channel, args)) as IpcResult<unknown>;
    if (!result.ok) throw new ApiError(result.error.code, result.error.message);
    return result.value;
  };
}
api.events = {
  onJobProgress(listener: (progress: JobProgress) => void): () => void {
    const wrapped = (_event: unknown, progress: JobProgress): void => listener(progress);
    ipcRenderer.on(ipcEvents.jobProgress, wrapped);
    return () => ipcRenderer.removeListener(ipcEvents.jobProgress, wrapped);
  },
};

contextBridge.exposeInMainWorld('api', api);
