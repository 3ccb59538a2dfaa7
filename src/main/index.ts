/** Electron entry: a thin adapter. All work lives in plain Node modules (service.ts, handlers.ts). */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, net, protocol, session, shell } from 'electron';
import { ipcContract, ipcEvents, type Channel } from '../shared/ipc';
import { messageOf } from './errors';
import { createHandlers, dispatch } from './handlers';
import { CatalogueService } from './service';

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: poster:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

// poster://image/<id> serves a poster's scan to the sandboxed page, as /images/<id> does in the
// browser host; the file path always comes from the catalogue, never from the URL.
protocol.registerSchemesAsPrivileged([{ scheme: 'poster', privileges: { standard: true, secure: true } }]);

function servePosterImages(service: CatalogueService): void {
  protocol.handle('poster', (request) => {
    // poster://image/<id>: the scan; poster://thumb/<id>: its thumbnail.
    const match = /^poster:\/\/(image|thumb)\/(\d+)$/.exec(request.url);
    const path = match ? service.posterImage(Number(match[2]), match[1] === 'image' ? 'image' : 'thumb') : undefined;
    return path ? net.fetch(pathToFileURL(path).toString()) : new Response('Not found', { status: 404 });
  });
}

function dbArgument(): string | undefined {
  const i = process.argv.indexOf('--db');
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 860,
    title: 'Poster Catalogue',
    webPreferences: {
      preload: join(__dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  // Navigation and new windows are denied; http(s) links open in the user's browser.
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (event) => event.preventDefault());
  if (process.env.ELECTRON_RENDERER_URL) void win.loadURL(process.env.ELECTRON_RENDERER_URL);
  else void win.loadFile(join(__dirname, '../renderer/index.html'));
  return win;
}

app.whenReady().then(
  () => {
    // Bundled, this file sits in out/main: tell the services where the shipped models are.
    process.env.POSTER_CATALOGUE_MODELS ??= app.isPackaged ? join(process.resourcesPath, 'models') : join(app.getAppPath(), 'resources', 'models');
    session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
      callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
    });
    let service: CatalogueService;
    try {
      service = CatalogueService.open(dbArgument());
    } catch (error) {
      dialog.showErrorBox('Poster Catalogue cannot open its catalogue', messageOf(error));
      app.exit(1);
      return;
    }
    servePosterImages(service);
    const win = createWindow();
    const handlers = {
      ...createHandlers(service),
      'dialog:chooseFolder': async () => {
        const chosen = await dialog.showOpenDialog(win, { title: 'Import a vendor folder', properties: ['openDirectory'] });
        return chosen.canceled ? null : (chosen.filePaths[0] ?? null);
      },
      'files:reveal': ({ path }: { path: string }) => {
        shell.showItemInFolder(path);
        return true;
      },
    };
    for (const channel of Object.keys(ipcContract) as Channel[]) {
      ipcMain.handle(channel, (_event, args: unknown) => dispatch(handlers, channel, args));
    }
    service.jobs.subscribe((progress) => {
      if (!win.isDestroyed()) win.webContents.send(ipcEvents.jobProgress, progress);
    });
    app.on('window-all-closed', () => {
      // Running jobs are cancelled (their work so far is committed) before the catalogue closes.
      void service.close().finally(() => app.quit());
    });
  },
  (error: unknown) => {
    console.error(messageOf(error));
    app.exit(1);
  },
);
