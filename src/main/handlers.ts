/**
 * One handler per channel of the IPC contract, over the catalogue service, plus `dispatch`: the
 * single place arguments are validated and errors become `{ ok: false, error: { code, message } }`.
 */
import { ipcContract, type Channel, type IpcResult, type ParsedArgsOf, type ResultOf } from '../shared/ipc';
import { addGenre, listGenres, renameGenre, setGenreRetired } from './catalogue/genreRepository';
import { labelHistory, setLabels, undoLastLabelChange, unsetLabels } from './catalogue/labelRepository';
import { countPosters, listPosters } from './catalogue/posterRepository';
import { reviewCounts, reviewQueue } from './catalogue/reviewRepository';
import { bulkLabel, posterDetail, searchPosters, updatePoster } from './catalogue/libraryRepository';
import { countForExport } from './export/exportCsv';
import { AppError, messageOf } from './errors';
import type { CatalogueService } from './service';

export type Handlers = { [C in Channel]: (args: ParsedArgsOf<C>) => ResultOf<C> | Promise<ResultOf<C>> };

/** A job started for the UI: its outcome reaches the screens through job progress events. */
function background(started: { jobId: string; promise: Promise<unknown> }): { jobId: string } {
  started.promise.catch(() => undefined);
  return { jobId: started.jobId };
}

export function createHandlers(service: CatalogueService): Handlers {
  const { db } = service;
  return {
    'stats:get': () => service.stats(),
    'posters:list': ({ offset, limit }) => ({ total: countPosters(db), items: listPosters(db, offset, limit) }),
    'posters:search': ({ filter, sort, offset, limit }) => searchPosters(db, filter, sort, offset, limit),
    'posters:get': ({ id }) => posterDetail(db, id),
    'posters:update': ({ id, ...edit }) => updatePoster(db, id, edit),
    'posters:bulk': ({ ids, action, genre, reviewer }) => {
      if (action !== 'mark-reviewed' && !genre) throw new AppError('genre-required', `Choose a genre to ${action === 'add-genre' ? 'add' : 'remove'}.`);
      return bulkLabel(db, ids, action === 'mark-reviewed' ? { action } : { action, genre: genre as string }, reviewer ?? null);
    },
    'genres:list': () => listGenres(db, { includeRetired: true }),
    'genres:add': ({ name }) => addGenre(db, name),
    'genres:rename': ({ id, name }) => renameGenre(db, id, name),
    'genres:retire': ({ id, retired }) => setGenreRetired(db, id, retired),
    'dialog:chooseFolder': () => {
      throw new AppError('desktop-only', 'Folder dialogs open in the desktop app; in the browser, type the folder path.');
    },
    'import:start': ({ folder, vendor, tag }) => background(service.startImport({ folder, vendor, tag })),
    'labels:set': ({ posterId, genres, reviewer }) => setLabels(db, posterId, genres, reviewer ?? null),
    'labels:unset': ({ posterId, reviewer }) => unsetLabels(db, posterId, reviewer ?? null),
    'labels:undo': ({ posterId, reviewer }) => undoLastLabelChange(db, posterId, reviewer ?? null),
    'labels:history': ({ posterId }) => labelHistory(db, posterId),
    'review:queue': ({ order, limit }) => reviewQueue(db, order, limit),
    'review:counts': ({ since }) => reviewCounts(db, since),
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
    'jobs:list': () => service.jobs.list(),
    'jobs:cancel': ({ jobId }) => service.jobs.cancel(jobId),
    'export:count': ({ filter }) => countForExport(db, filter),
    'export:start': ({ file, filter, bom, columns }) => background(service.startExport({ file, filter, bom, columns })),
    'export:csv': ({ file, filter, bom }) => service.startExport({ file, filter, bom }).promise,
    'catalogue:integrity': ({ full }) => service.health(full),
    'backups:list': () => service.listBackups(),
    'backups:create': () => service.backupNow(),
    'backups:folder': ({ folder }) => service.setBackupsFolder(folder),
    'backups:restore': ({ name }) => service.restore(name),
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
    return { ok: true, value: await handler(parsed.data) };
  } catch (error) {
    const code = error instanceof AppError ? error.code : 'internal';
    return { ok: false, error: { code, message: messageOf(error) } };
  }
}
