/**
 * One handler per channel of the IPC contract, over the catalogue service, plus `dispatch`: the
 * single place arguments are validated and errors become `{ ok: false, error: { code, message } }`.
 */
import { ipcContract, type Channel, type IpcResult, type ParsedArgsOf, type ResultOf } from '../shared/ipc';
import { withBusyRetry } from './db/busy';
import { AppError, messageOf } from './errors';
import type { CatalogueService } from './service';

export type Handlers = { [C in Channel]: (args: ParsedArgsOf<C>) => ResultOf<C> | Promise<ResultOf<C>> };

/** A job started for the UI: its outcome reaches the screens through job progress events. */
function background(started: { jobId: string; promise: Promise<unknown> }): { jobId: string } {
  started.promise.catch(() => undefined);
  return { jobId: started.jobId };
}

/** Adapters translate, the service decides: every handler is one call below the door. */
export function createHandlers(service: CatalogueService): Handlers {
  const { library } = service;
  return {
    'stats:get': () => service.stats(),
    'posters:list': ({ offset, limit }) => library.listPosters(offset, limit),
    'posters:search': ({ filter, sort, offset, limit }) => library.search(filter, sort, offset, limit),
    'posters:idsAt': ({ filter, sort, offset, limit }) => library.idsAt(filter, sort, offset, limit),
    'posters:get': ({ id }) => library.poster(id),
    'posters:update': ({ id, reviewer, expected, ...edit }) => service.updatePoster(id, edit, reviewer ?? null, expected),
    'posters:crop': ({ id, crop }) => service.cropPoster(id, crop),
    'posters:bulk': ({ ids, filter, action, genre, reviewer, expectedCount }) =>
      ids ? library.bulk(ids, action, genre, reviewer ?? null) : library.bulkMatching(filter ?? {}, action, genre, reviewer ?? null, expectedCount),
    'posters:countSelected': ({ filter, ids }) => library.countSelected(filter, ids),
    'posters:setGenre': ({ posterId, genre, present, reviewer, expected }) => library.setGenre(posterId, genre, present, reviewer ?? null, expected),
    'posters:keepDuplicate': ({ keep, setAside, reviewer }) => library.keepDuplicate(keep, setAside, reviewer ?? null),
    'posters:notDuplicate': ({ posterId, otherId, reviewer }) => library.notDuplicate(posterId, otherId, reviewer ?? null),
    'posters:restore': ({ posterId, reviewer }) => library.restorePoster(posterId, reviewer ?? null),
    'posters:undoEdit': ({ editId }) => service.undoPosterEdit(editId),
    'genres:list': () => library.genres(),
    'genres:add': ({ name }) => library.addGenre(name),
    'genres:rename': ({ id, name }) => library.renameGenre(id, name),
    'genres:retire': ({ id, retired }) => library.retireGenre(id, retired),
    'files:browse': ({ path, purpose }) => service.browse(path, purpose),
    'files:reveal': () => {
      throw new AppError('desktop-only', 'Showing a file in its folder works in the desktop app; in the browser, the folder is shown in the picker.');
    },
    'dialog:chooseFolder': () => {
      throw new AppError('desktop-only', 'Folder dialogs open in the desktop app; in the browser, type the folder path.');
    },
    'import:start': ({ folder, vendor, tag }) => background(service.startImport({ folder, vendor, tag })),
    'labels:set': ({ posterId, genres, reviewer, expected }) => library.setLabels(posterId, genres, reviewer ?? null, expected),
    'labels:unset': ({ posterId, reviewer }) => library.unsetLabels(posterId, reviewer ?? null),
    'labels:undo': ({ posterId, changeId, reviewer }) => library.undo(posterId, reviewer ?? null, changeId),
    'labels:undoBulk': ({ batch, reviewer }) => library.undoBulk(batch, reviewer ?? null),
    'labels:history': ({ posterId }) => library.history(posterId),
    'review:queue': ({ order, limit, exclude, session }) => service.review.queue(order, limit, exclude, session),
    'review:counts': ({ since, session }) => service.review.counts(since, session),
    'review:release': ({ session, posterId }) => {
      service.review.release(session, posterId);
      return null;
    },
    'review:flag': ({ posterId, unsure, since, reviewer }) => service.review.flag(posterId, unsure, since, reviewer ?? null),
    'tag:start': ({ all }) => background(service.startTag({ all })),
    'inference:status': () => service.inferenceStatus(),
    'models:list': () => service.models(),
    'models:train': ({ decade, autoActivate }) => background(service.startTrain({ decade, autoActivate })),
    'models:activate': ({ version }) => {
      const { versions, ...job } = service.activate(version);
      return { ...background(job), versions: versions.map((v) => v.version) };
    },
    'models:rollback': () => {
      const { versions, ...job } = service.rollback();
      return { ...background(job), versions: versions.map((v) => v.version) };
    },
    'models:autoActivate': ({ on }) => {
      service.setAutoActivate(on);
      return on;
    },
    'insights:get': ({ days, tzOffsetMinutes, timeZone }) => service.insights(days, timeZone ?? tzOffsetMinutes),
    'jobs:list': () => service.jobs.list(),
    'jobs:get': ({ jobId }) => service.jobs.get(jobId),
    'jobs:cancel': ({ jobId }) => service.jobs.cancel(jobId),
    'export:count': ({ filter }) => library.count(filter),
    'export:preview': ({ filter }) => library.exportPreview(filter),
    'export:start': ({ file, filter, bom, columns, overwrite, formulaGuard }) =>
      background(service.startExport({ file, filter, bom, columns, overwrite, formulaGuard })),
    'export:csv': ({ file, filter, bom }) => service.startExport({ file, filter, bom }).promise,
    'catalogue:integrity': ({ full }) => service.health(full),
    'backups:list': () => service.listBackups(),
    'backups:create': () => service.backupNow(),
    'backups:folder': ({ folder }) => service.setBackupsFolder(folder),
    'backups:restore': ({ name }) => service.restore(name),
    'backups:delete': ({ name }) => service.deleteBackup(name),
  };
}

export async function dispatch(handlers: Handlers, channel: string, rawArgs: unknown): Promise<IpcResult<unknown>> {
  if (!Object.hasOwn(ipcContract, channel)) {
    return { ok: false, error: { code: 'unknown-channel', message: `Unknown operation "${channel}".` } };
  }
  const c = channel as Channel;
  const parsed = ipcContract[c].args.safeParse(rawArgs);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'argument'}: ${i.message}`).join('; ');
    return { ok: false, error: { code: 'invalid-arguments', message: `Invalid arguments for ${c}: ${issues}` } };
  }
  try {
    const handler = handlers[c] as (args: unknown) => unknown;
    // A handler's write is one transaction: when another process holds the write lock it was
    // rolled back whole, and runs again once the lock is free (waiting without blocking).
    return { ok: true, value: await withBusyRetry(() => handler(parsed.data), 10_000) };
  } catch (error) {
    const code = error instanceof AppError ? error.code : 'internal';
    return { ok: false, error: { code, message: messageOf(error) } };
  }
}
