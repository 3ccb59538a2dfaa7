/**
 * The narrow bridge: exactly one function per operation of the IPC contract, as
 * window.api.<domain>.<verb> (built by createApi), plus the job-progress event. Nothing else
 * (no ipcRenderer, no process.env, no generic invoke) reaches the page.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createApi, ipcEvents, type IpcResult } from '../shared/ipc';
import type { JobProgress } from '../shared/types';

const api = createApi((channel, args) => ipcRenderer.invoke(channel, args) as Promise<IpcResult<unknown>>, {
  onJobProgress(listener: (progress: JobProgress) => void): () => void {
    const wrapped = (_event: unknown, progress: JobProgress): void => listener(progress);
    ipcRenderer.on(ipcEvents.jobProgress, wrapped);
    return () => ipcRenderer.removeListener(ipcEvents.jobProgress, wrapped);
  },
});

contextBridge.exposeInMainWorld('api', api);
