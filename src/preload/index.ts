/**
 * The narrow bridge: exactly one function per operation of the IPC contract, as
 * window.api.<domain>.<verb> (built by createApi), plus the job-progress event and the dropped-file
 * path (window.api.desktop). Nothing else
 * (no ipcRenderer, no process.env, no generic invoke) reaches the page.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { createApi, ipcEvents, storedReviewer, type IpcResult } from '../shared/ipc';
import type { JobProgress } from '../shared/types';

const api = createApi(
  (channel, args) => ipcRenderer.invoke(channel, args) as Promise<IpcResult<unknown>>,
  {
    onJobProgress(listener: (progress: JobProgress) => void): () => void {
      const wrapped = (_event: unknown, progress: JobProgress): void => listener(progress);
      ipcRenderer.on(ipcEvents.jobProgress, wrapped);
      return () => ipcRenderer.removeListener(ipcEvents.jobProgress, wrapped);
    },
  },
  storedReviewer,
);

// A folder dropped on the window: Electron tells its path (a File's `path` is gone since Electron 32).
const desktop = { pathForFile: (file: object): string => webUtils.getPathForFile(file as File) };

contextBridge.exposeInMainWorld('api', { ...api, desktop });
