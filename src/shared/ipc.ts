/**
 * The one IPC contract: channel name (`domain:verb`) → argument schema and result type.
 * Main registers a handler per entry, the preload exposes one function per entry as
 * `window.api.<domain>.<verb>`, and no channel string is written anywhere else.
 */
import { z } from 'zod';
import { isTimeZone } from './timeZone';
import type {
  BulkResult,
  BackupInfo,
  CatalogueHealth,
  CatalogueStats,
  ExportPreview,
  ExportSummary,
  Genre,
  InferenceStatus,
  Insights,
  JobProgress,
  LabelChange,
  LibraryItem,
  ModelsOverview,
  PosterDetail,
  PosterEdit,
  ReviewItem,
  ReviewCounts,
  Poster,
  PosterUpdated,
  BrowseResult,
  RestoreSummary,
} from './types';

const channel =
  <Result>() =>
  <Args extends z.ZodType>(args: Args) => ({ args, result: undefined as unknown as Result });

const none = z.undefined();
// Shape only: the naming rule itself (trim, length, no "|", unique) lives once, below the door (checkGenreName).
const genreName = z.string().max(1000);
export const exportFilterSchema = z.object({
  genre: z.string().optional(),
  genres: z.array(z.string().max(200)).max(100).optional(),
  genreMode: z.enum(['any', 'all']).optional(),
  decade: z.number().int().optional(),
  status: z.enum(['reviewed', 'unreviewed']).optional(),
  vendor: z.string().optional(),
  search: z.string().max(200).optional(),
  confidence: z.enum(['low', 'medium', 'high']).optional(),
  duplicates: z.boolean().optional(),
  setAside: z.boolean().optional(),
});
const posterId = z.number().int().min(1);
/** One Review window (page or tab), made up by it once: what it is handed is held from the others. */
const reviewSession = z.string().min(8).max(100);

export const ipcContract = {
  'stats:get': channel<CatalogueStats>()(none),
  'posters:list': channel<{ total: number; items: Poster[] }>()(z.object({ offset: z.number().int().min(0), limit: z.number().int().min(1).max(1000) })),
  'posters:search': channel<{ total: number; items: LibraryItem[] }>()(
    z.object({
      filter: exportFilterSchema.default({}),
      sort: z.enum(['imported', 'title', 'year', 'uncertain', 'vendor', 'reviewed']).default('imported'),
      offset: z.number().int().min(0),
      limit: z.number().int().min(1).max(1000),
    }),
  ),
  /** The ids at positions offset… of the library's order (a Shift range over pages the grid has not loaded). */
  'posters:idsAt': channel<number[]>()(
    z.object({
      filter: exportFilterSchema.default({}),
      sort: z.enum(['imported', 'title', 'year', 'uncertain', 'vendor', 'reviewed']).default('imported'),
      offset: z.number().int().min(0),
      limit: z.number().int().min(1).max(50_000),
    }),
  ),
  'posters:get': channel<PosterDetail>()(z.object({ id: posterId })),
  /** `expected`: the changed fields as they were shown; one changed since (another window) refuses the save ('changed-since'). */
  'posters:update': channel<PosterUpdated>()(
    z.object({
      id: posterId,
      title: z.string().max(500).nullable().optional(),
      year: z.number().int().min(1880).max(2100).nullable().optional(),
      vendor: z.string().max(200).nullable().optional(),
      reviewer: z.string().optional(),
      expected: z
        .object({
          title: z.string().max(500).nullable().optional(),
          year: z.number().int().nullable().optional(),
          vendor: z.string().max(200).nullable().optional(),
        })
        .optional(),
    }),
  ),
  /** Crops a poster anew (a box drawn over its scan, 'off' for the whole scan, 'detect' to find it again); re-hashed, re-thumbnailed, re-featurised. */
  'posters:crop': channel<PosterDetail>()(
    z.object({
      id: posterId,
      crop: z.union([
        z.enum(['detect', 'off']),
        z.object({
          left: z.number().min(-0.25).max(1),
          top: z.number().min(-0.25).max(1),
          width: z.number().gt(0).max(1.5),
          height: z.number().gt(0).max(1.5),
          angle: z.number().min(-45).max(45),
        }),
      ]),
    }),
  ),
  /**
   * One undoable step: `batch` undoes it for every poster it changed (labels:undoBulk). On the
   * posters `ids`, or on every poster matching `filter` (resolved below the door).
   */
  'posters:bulk': channel<BulkResult>()(
    z
      .object({
        ids: z.array(posterId).min(1).max(50_000).optional(),
        filter: exportFilterSchema.optional(),
        /** With `filter`: how many posters the person selected; refused ('changed-since') when another number matches now. */
        expectedCount: z.number().int().nonnegative().optional(),
        action: z.enum(['add-genre', 'remove-genre', 'mark-reviewed']),
        genre: z.string().optional(),
        reviewer: z.string().optional(),
      })
      .refine((a) => (a.ids === undefined) !== (a.filter === undefined), { message: 'give either ids or filter, not both' }),
  ),
  /** How many of the selected `ids` match `filter` (the others are hidden by it). */
  'posters:countSelected': channel<number>()(z.object({ filter: exportFilterSchema.default({}), ids: z.array(posterId).max(50_000) })),
  /** One genre on or off one poster, in place (reviewed: its confirmed set; not reviewed: a per-genre edit). */
  'posters:setGenre': channel<LabelChange | null>()(
    z.object({
      posterId,
      genre: z.string().min(1).max(200),
      present: z.boolean(),
      reviewer: z.string().optional(),
      /** The poster's latest label change when its genres were shown: refused ('edited-since') when another came since. */
      expected: z.object({ labelChange: z.number().int().min(1).nullable() }).optional(),
    }),
  ),
  /** Keeps `keep` of a near-duplicate pair; the other is set aside (hidden, never deleted; undoable). */
  'posters:keepDuplicate': channel<PosterEdit>()(z.object({ keep: posterId, setAside: posterId, reviewer: z.string().optional() })),
  /** Drops a near-duplicate pairing: both posters stay (undoable). */
  'posters:notDuplicate': channel<PosterEdit>()(z.object({ posterId, otherId: posterId, reviewer: z.string().optional() })),
  /** Brings a set-aside poster back (null when it was not set aside). */
  'posters:restore': channel<PosterEdit | null>()(z.object({ posterId, reviewer: z.string().optional() })),
  /** Puts back the value before a title, year, vendor or near-duplicate change. */
  'posters:undoEdit': channel<PosterEdit>()(z.object({ editId: z.number().int().min(1) })),
  'genres:list': channel<Genre[]>()(none),
  'genres:add': channel<Genre>()(z.object({ name: genreName })),
  'genres:rename': channel<Genre>()(z.object({ id: z.number().int(), name: genreName })),
  'genres:retire': channel<Genre>()(z.object({ id: z.number().int(), retired: z.boolean() })),
  /** A host folder's subfolders and relevant files (never contents), `~` understood; with the recent folders for the purpose. */
  'files:browse': channel<BrowseResult>()(z.object({ path: z.string().max(4096).optional(), purpose: z.enum(['import', 'export']) })),
  /** Shows a file in the system's file manager: the desktop app only (the browser host answers "desktop-only"). */
  'files:reveal': channel<boolean>()(z.object({ path: z.string().min(1).max(4096) })),
  /** The native folder dialog: the desktop app only (the browser host answers "desktop-only"). */
  'dialog:chooseFolder': channel<string | null>()(none),
  'import:start': channel<{ jobId: string }>()(z.object({ folder: z.string().min(1), vendor: z.string().optional(), tag: z.boolean().default(true) })),
  /**
   * Confirms a poster's genres. `expected`: the poster as the reviewer was shown it — its review time
   * (null: not reviewed), refused ('reviewed-since') when it is not that any more; and its latest label
   * change (a review queue item's `labelChange`; null: none), refused ('edited-since') when its genres
   * were changed since (a Library edit of a poster not yet reviewed). Without `labelChange`, only the
   * review time is compared.
   */
  'labels:set': channel<LabelChange | null>()(
    z.object({
      posterId: z.number().int(),
      genres: z.array(z.string()),
      reviewer: z.string().optional(),
      expected: z.object({ reviewedAt: z.string().max(100).nullable(), labelChange: z.number().int().min(1).nullable().optional() }).optional(),
    }),
  ),
  'labels:unset': channel<LabelChange | null>()(z.object({ posterId: z.number().int(), reviewer: z.string().optional() })),
  /** Undoes the poster's latest label change; with `changeId`, exactly that one, refused ('changed-since') once something changed the poster after it. */
  'labels:undo': channel<LabelChange>()(
    z.object({ posterId: z.number().int(), changeId: z.number().int().min(1).optional(), reviewer: z.string().optional() }),
  ),
  'labels:undoBulk': channel<{ undone: number; skipped: number }>()(z.object({ batch: z.string().min(1).max(100), reviewer: z.string().optional() })),
  'labels:history': channel<LabelChange[]>()(z.object({ posterId: z.number().int() })),
  'review:queue': channel<ReviewItem[]>()(
    z.object({
      order: z.enum(['uncertain', 'decade', 'import', 'unsure']).default('uncertain'),
      limit: z.number().int().min(1).max(500).default(100),
      /** Posters the screen already holds: the next batch goes on after them. */
      exclude: z.array(posterId).max(1_000_000).default([]),
      /** The Review window asking: it is not handed what another window holds, and holds what it is handed (see ReviewLeases). */
      session: reviewSession.optional(),
    }),
  ),
  /** With `session`: also how many of the remaining posters other Review windows hold. */
  'review:counts': channel<ReviewCounts>()(z.object({ since: z.string().datetime(), session: reviewSession.optional() })),
  /**
   * The Review window is done with a poster (confirmed, skipped, kept for later): other windows'
   * queues may have it now. Without `posterId`: the window is closing, and lets go of all it holds.
   */
  'review:release': channel<null>()(z.object({ session: reviewSession, posterId: posterId.optional() })),
  /** Flags a poster "unsure" (kept for later, in the Unsure queue), or takes the flag off. */
  'review:flag': channel<ReviewCounts>()(z.object({ posterId, unsure: z.boolean(), since: z.string().datetime(), reviewer: z.string().max(200).optional() })),
  'tag:start': channel<{ jobId: string }>()(z.object({ all: z.boolean().default(false) })),
  'inference:status': channel<InferenceStatus>()(none),
  'models:list': channel<ModelsOverview>()(none),
  'models:train': channel<{ jobId: string }>()(
    z.object({ decade: z.number().int().multipleOf(10).nullable().default(null), autoActivate: z.boolean().optional() }),
  ),
  'models:activate': channel<{ jobId: string; versions: string[] }>()(z.object({ version: z.string().min(1) })),
  'models:rollback': channel<{ jobId: string; versions: string[] }>()(none),
  'models:autoActivate': channel<boolean>()(z.object({ on: z.boolean() })),
  /**
   * The Insights screen's figures; days are local to `timeZone` (an IANA zone: each date by its own
   * offset, summer time included) or, without one, to `tzOffsetMinutes` east of UTC.
   */
  'insights:get': channel<Insights>()(
    z.object({
      days: z.number().int().min(1).max(366).default(30),
      tzOffsetMinutes: z.number().int().min(-840).max(840).default(0),
      timeZone: z.string().min(1).max(64).refine(isTimeZone, 'not a time zone this application knows').optional(),
    }),
  ),
  'jobs:list': channel<JobProgress[]>()(none),
  /** One job as it stands (null: not listed — long finished, or never run by this host): what a screen following it polls. */
  'jobs:get': channel<JobProgress | null>()(z.object({ jobId: z.string().max(100) })),
  'jobs:cancel': channel<boolean>()(z.object({ jobId: z.string() })),
  'export:count': channel<number>()(z.object({ filter: exportFilterSchema.default({}) })),
  /** The count, with the rows the shop may not expect: unreviewed, untitled, without genres, unresolved near-duplicates. */
  'export:preview': channel<ExportPreview>()(z.object({ filter: exportFilterSchema.default({}) })),
  'export:start': channel<{ jobId: string }>()(
    z.object({
      file: z.string().min(1),
      filter: exportFilterSchema.default({}),
      bom: z.boolean().default(false),
      columns: z.array(z.string()).optional(),
      /** Replace an existing file; without it an existing file is refused ("file-exists") so the screen can ask. */
      overwrite: z.boolean().default(false),
      /** A leading ' before cells starting with = + - @ (spreadsheets run them); off for a shop's importer. */
      formulaGuard: z.boolean().default(true),
    }),
  ),
  /** The check at open (or a full integrity check now), and the backup to offer when the catalogue is damaged. */
  'catalogue:integrity': channel<CatalogueHealth>()(z.object({ full: z.boolean().default(false) })),
  'backups:list': channel<{ folder: string; backups: BackupInfo[] }>()(none),
  'backups:create': channel<BackupInfo>()(none),
  /** Keeps backups in this folder from now on (another disk); null: `backups/` beside the catalogue. */
  'backups:folder': channel<string>()(z.object({ folder: z.string().trim().min(1).max(1000).nullable() })),
  /** Backs up the current state (or keeps a damaged file aside), then restores the named backup. */
  'backups:restore': channel<RestoreSummary>()(z.object({ name: z.string().min(1).max(500) })),
  /** Deletes one of the catalogue's backups, by its name in the list. */
  'backups:delete': channel<BackupInfo>()(z.object({ name: z.string().min(1).max(500) })),
  'export:csv': channel<ExportSummary>()(z.object({ file: z.string().min(1), filter: exportFilterSchema.default({}), bom: z.boolean().default(false) })),
} as const;

export type Channel = keyof typeof ipcContract;
export type ArgsOf<C extends Channel> = z.input<(typeof ipcContract)[C]['args']>;
export type ParsedArgsOf<C extends Channel> = z.output<(typeof ipcContract)[C]['args']>;
export type ResultOf<C extends Channel> = (typeof ipcContract)[C]['result'];

/** Events main pushes to the renderer. */
export const ipcEvents = { jobProgress: 'jobs:progress' } as const;

export interface IpcError {
  code: string;
  message: string;
}
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError };

type Domain = Channel extends `${infer D}:${string}` ? D : never;
type Method<C extends Channel> = ArgsOf<C> extends undefined ? () => Promise<ResultOf<C>> : (args: ArgsOf<C>) => Promise<ResultOf<C>>;

/** What the preload exposes on `window.api`. */
export type Api = {
  [D in Domain]: { [C in Channel as C extends `${D}:${infer V}` ? V : never]: Method<C> };
} & {
  events: { onJobProgress(listener: (progress: JobProgress) => void): () => void };
  /** The desktop app only (absent in the browser): the path of a file or folder dropped on the window. */
  desktop?: { pathForFile(file: object): string };
};

export function splitChannel(c: Channel): [string, string] {
  const [domain, verb] = c.split(':');
  return [domain ?? c, verb ?? c];
}

/** An operation that failed on the other side, with the stable code the UI can act on. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Where the window keeps the name of the person working at it (localStorage), set on the app bar. */
export const REVIEWER_STORAGE_KEY = 'poster-catalogue.reviewer';

/** The name set on this window (the preload and the page share the origin's localStorage); null when none or unreadable. */
export function storedReviewer(): string | null {
  try {
    return globalThis.localStorage?.getItem(REVIEWER_STORAGE_KEY)?.trim() || null;
  } catch {
    return null;
  }
}

/** The channels whose arguments name the person making a change: those with a `reviewer` field. */
export const NAMED_CHANNELS: ReadonlySet<Channel> = new Set(
  (Object.keys(ipcContract) as Channel[]).filter((c) => {
    const args: z.ZodType = ipcContract[c].args;
    return args instanceof z.ZodObject && 'reviewer' in args.shape;
  }),
);

/**
 * Builds `window.api` from the contract over a transport: one function per channel, each turning
 * `{ ok: false }` into an ApiError. The Electron preload and the browser host differ only in `invoke`.
 * `reviewer`: the name of the person at this window, added to every change that can carry one and
 * does not name someone itself, so the history and Insights say who confirmed what.
 */
export function createApi(
  invoke: (channel: Channel, args: unknown) => Promise<IpcResult<unknown>>,
  events: Api['events'],
  reviewer: () => string | null = () => null,
): Api {
  const api: Record<string, Record<string, unknown>> = {};
  for (const channel of Object.keys(ipcContract) as Channel[]) {
    const [domain, verb] = splitChannel(channel);
    api[domain] ??= {};
    (api[domain] as Record<string, unknown>)[verb] = async (given?: unknown) => {
      const name = NAMED_CHANNELS.has(channel) ? reviewer()?.trim() : undefined;
      const named = name && typeof given === 'object' && given !== null && (given as { reviewer?: unknown }).reviewer === undefined;
      const args = named ? { ...given, reviewer: name } : given;
      const result = await invoke(channel, args);
      if (!result.ok) throw new ApiError(result.error.code, result.error.message);
      return result.value;
    };
  }
  return { ...api, events } as unknown as Api;
}
