/**
 * Command line over the same services as the application: `npm run cli -- <command>`.
 * With --json, the last line of standard output is a JSON summary; progress goes to standard error.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { GENRE_SEPARATOR } from '../../shared/genres';
import type { ExportFilter, JobProgress } from '../../shared/types';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { AppError, messageOf } from '../errors';
import { CatalogueService } from '../service';
import { resolveDbPath } from '../paths';
import { modelCommand } from './modelCommands';
import { backupCommand, damageWarning } from './backupCommands';
import { historyCommand, printChange, undoEditCommand } from './historyCommands';
import { formatSeconds } from './formatSeconds';

const USAGE = `Usage: npm run cli -- <command> [options]

Commands:
  import <folder> [--vendor NAME] [--no-tag]
                                      import every JPEG under <folder> (recursive); new posters get
                                      genre suggestions unless --no-tag
  tag [--all]                         genre suggestions for posters without any or from an inactive model (--all: every poster)
  export <file.csv> [--genre G] [--decade 1950] [--status reviewed|unreviewed] [--vendor V] [--bom]
         [--overwrite] [--no-formula-guard]
                                      write the shop's CSV; an existing file is replaced only with
                                      --overwrite. Cells starting with = + - @ get a leading ' so a
                                      spreadsheet does not run them; --no-formula-guard writes them as
                                      they are (for a shop importer, not a spreadsheet)
  label <poster> --genres "Horror|Thriller" [--reviewer NAME]
                                      confirm a poster's complete genre set (<poster>: id or file path)
  label --from-csv <file.csv>         the same for every row (columns id or file_path, and genres)
  unlabel <poster>                    take a review back
  history <poster>                    every change of a poster, oldest first: its genres, and its title,
                                      year, vendor and near-duplicate edits (each with [edit ID]),
                                      and, kept of a near-duplicate pair, the other's setting aside
  undo <poster> [--edit ID]           undo a poster's latest genre change; --edit: that title, year,
                                      vendor or near-duplicate edit instead (ID from "history")
  train [--decade 1950] [--activate]  retrain the genre model on reviewed posters (in the background
                                      thread); --decade: only that decade's head; --activate: activate
                                      the new version if it beats the active one
  models [auto-activate on|off]       model versions, their metrics beside the active one's, what is active
  activate <version>                  use a version (unreviewed posters are re-tagged from cached features)
  rollback                            back to the versions active before the latest activation (again: further back)
  crop <poster> --box L,T,W,H [--angle DEG] | --off | --detect
                                      where the poster is in its scan (fractions of the scan, after
                                      turning it DEG clockwise); --off: the whole scan; --detect: find
                                      it again. Re-hashes, re-thumbnails and re-tags the poster
  stats                               what the catalogue holds
  genres [list|add NAME|rename OLD NEW|retire NAME|restore NAME]
  backup [--to PATH]                  back up now (verified); --to: once, to another folder or disk
  backups [--folder PATH]             list the backups; --folder: keep them there from now on ("" = beside the catalogue)
  backups --delete <backup> [--yes]   delete a backup (name from "backups"; it asks first)
  restore <backup> [--yes] [--other-catalogue]
                                      restore a backup (name from "backups", its folder, or "latest");
                                      the current state is backed up first (a damaged file is kept
                                      aside); a folder holding another catalogue's backup is refused
                                      unless --other-catalogue
  check [--full]                      SQLite's quick (or full) integrity check of the catalogue

Options for every command:
  --db PATH     the catalogue (default: $POSTER_CATALOGUE_DB, else the application's user-data folder)
  --json        end standard output with a one-line JSON summary
  --help        this text`;

const OPTIONS = {
  db: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', default: false },
  vendor: { type: 'string' },
  genre: { type: 'string' },
  decade: { type: 'string' },
  status: { type: 'string' },
  bom: { type: 'boolean', default: false },
  'no-tag': { type: 'boolean', default: false },
  all: { type: 'boolean', default: false },
  genres: { type: 'string' },
  reviewer: { type: 'string' },
  'from-csv': { type: 'string' },
  activate: { type: 'boolean' },
  to: { type: 'string' },
  yes: { type: 'boolean', default: false },
  folder: { type: 'string' },
  delete: { type: 'string' },
  'other-catalogue': { type: 'boolean', default: false },
  overwrite: { type: 'boolean', default: false },
  'no-formula-guard': { type: 'boolean', default: false },
  full: { type: 'boolean', default: false },
  box: { type: 'string' },
  angle: { type: 'string' },
  off: { type: 'boolean', default: false },
  detect: { type: 'boolean', default: false },
  edit: { type: 'string' },
} satisfies ParseArgsConfig['options'];

class UsageError extends Error {}

function progressPrinter(): (p: JobProgress) => void {
  const tty = process.stderr.isTTY;
  let last = '';
  return (p) => {
    if (p.state !== 'running') return;
    // Before counting starts the message says what the job is doing (such as waiting for another process);
    // after, the count in the unit the job names ("12/30 files", "3/7 rounds"), and the step it is on.
    const units = p.unit === null ? '' : ` ${p.unit}s`;
    const line =
      p.total === 0 || p.unit === null
        ? p.message
          ? `${p.kind}: ${p.message}`
          : ''
        : [
            `${p.kind}: ${p.done}/${p.total}${p.total === 1 ? ` ${p.unit}` : units}`,
            // No rate before one is measured, and no ETA that is unknown or done ("0.0/s  ETA 0s" said nothing).
            p.rate > 0 && `${p.rate.toFixed(1)}${units}/s`,
            p.etaSeconds !== null && p.done < p.total && `ETA ${formatSeconds(Math.max(1, p.etaSeconds))}`,
            p.message,
          ]
            .filter(Boolean)
            .join('  ');
    if (!line) return;
    if (line === last) return;
    last = line;
    process.stderr.write(tty ? `\r${line}\x1b[K` : `${line}\n`);
  };
}

function parseDecade(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const decade = Number.parseInt(value.replace(/s$/, ''), 10);
  if (!Number.isInteger(decade) || decade % 10 !== 0) throw new UsageError(`--decade must be like 1950, not "${value}"`);
  return decade;
}

function parseStatus(given: string | undefined): ExportFilter['status'] {
  const value = given?.toLowerCase();
  if (value === undefined || value === 'reviewed' || value === 'unreviewed') return value;
  throw new UsageError(`--status must be reviewed or unreviewed, not "${given}"`);
}

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

async function run(command: string, positionals: string[], values: Values, service: CatalogueService): Promise<unknown> {
  const cancelOnSigint = (jobId: string): void => {
    process.once('SIGINT', () => {
      process.stderr.write('\nCancelling…\n'); // what is kept depends on the command: its summary says
      service.jobs.cancel(jobId);
    });
  };
  switch (command) {
    case 'import': {
      const folder = positionals[0];
      if (!folder) throw new UsageError('import needs a folder');
      const { jobId, promise } = service.startImport({ folder: resolve(folder), vendor: values.vendor, tag: !values['no-tag'] }); // relative to where the command runs
      cancelOnSigint(jobId);
      const summary = await promise;
      if (process.stderr.isTTY) process.stderr.write('\n');
      console.log(
        `Import ${summary.status}: ${summary.imported} imported, ${summary.alreadyPresent} already present, ` +
          `${summary.nearDuplicates} near-duplicates, ${summary.failed} failed (${summary.total} files, ${summary.seconds.toFixed(1)} s)` +
          (values['no-tag'] ? '' : `; ${summary.tagged} given genre suggestions`),
      );
      for (const f of summary.failures) console.log(`  failed: ${f.file}: ${f.reason}`);
      for (const f of summary.sameAsInRun ?? []) console.log(`  skipped: ${f.file}: the same file as ${f.sameAs}, which is catalogued`);
      for (const f of summary.tagFailures) console.log(`  not tagged: ${f.file}: ${f.reason}`);
      if (summary.earlier.tagged + summary.earlier.failures.length > 0)
        console.log(`  ${summary.earlier.tagged} posters an earlier run had left without genre suggestions were given them`);
      for (const f of summary.earlier.failures) console.log(`  earlier poster not tagged: ${f.file}: ${f.reason}`);
      for (const w of summary.sidecarWarnings) console.log(`  sidecar: ${w}`);
      return summary;
    }
    case 'export': {
      const file = positionals[0];
      if (!file) throw new UsageError('export needs an output file');
      // A mistyped genre is said, not answered with a file of no posters.
      const genre = values.genre === undefined ? undefined : service.library.genreByName(values.genre).name;
      const filter: ExportFilter = {
        genre,
        decade: parseDecade(values.decade),
        status: parseStatus(values.status),
        vendor: values.vendor,
      };
      let started;
      try {
        started = service.startExport({ file: resolve(file), filter, bom: values.bom, overwrite: values.overwrite, formulaGuard: !values['no-formula-guard'] });
      } catch (error) {
        if (error instanceof AppError && error.code === 'file-exists')
          throw new AppError('file-exists', `${resolve(file)} already exists, and nothing was written: add --overwrite to replace it.`);
        throw error;
      }
      const { jobId, promise } = started;
      cancelOnSigint(jobId);
      const summary = await promise;
      console.log(`Exported ${summary.rows} posters to ${summary.file}`);
      if (summary.rows === 0) console.log('  No poster matches these filters: the file holds only the header line.');
      return summary;
    }
    case 'tag': {
      const { jobId, promise } = service.startTag({ all: values.all });
      cancelOnSigint(jobId);
      const summary = await promise;
      if (process.stderr.isTTY) process.stderr.write('\n');
      console.log(
        `Tagging ${summary.status}: ${summary.tagged} posters tagged (${summary.fromCache} from cached features), ` +
          `${summary.failed} failed (${summary.seconds.toFixed(1)} s)`,
      );
      for (const f of summary.failures) console.log(`  failed: ${f.file}: ${f.reason}`);
      return summary;
    }
    case 'stats': {
      const stats = { ...service.stats(), inference: await service.inferenceStatus() };
      const inf = stats.inference;
      console.log(`Execution provider: ${inf.provider}${inf.fallbacks.map((f) => ` (${f.provider} not used: ${f.reason})`).join('')}`);
      console.log(`Feature model: ${inf.featureModel} (square input: ${inf.squareStrategy}); genre model: ${inf.headVersion}`);
      console.log(`Feature model precision: ${inf.featurePrecision} (${inf.precisionReason})`);
      console.log(`Genre model reads: ${(inf.headInputs ?? ['image']).join(' + ')}`);
      console.log(`Catalogue: ${stats.dbPath} (schema ${stats.schemaVersion})`);
      console.log(`Posters: ${stats.posters} (${stats.reviewed} reviewed, ${stats.nearDuplicates} near-duplicates)`);
      console.log(`Import runs: ${stats.importRuns}; active genres: ${stats.genres}`);
      for (const d of stats.byDecade) console.log(`  ${d.decade === null ? 'year unknown' : `${d.decade}s`}: ${d.count}`);
      return stats;
    }
    case 'genres':
      return genresCommand(positionals, service);
    case 'train':
    case 'models':
    case 'activate':
    case 'rollback':
      return modelCommand(command, positionals, values, service, cancelOnSigint, (message) => new UsageError(message));
    case 'backup':
    case 'backups':
    case 'restore':
    case 'check':
      return backupCommand(command, positionals, values, service, (message) => new UsageError(message));
    case 'crop':
      return cropCommand(positionals, values, service);
    case 'label':
    case 'unlabel':
    case 'history':
    case 'undo':
      return labelCommand(command, positionals, values, service);
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

async function cropCommand(positionals: string[], values: Values, service: CatalogueService): Promise<unknown> {
  const id = posterArgument(service, positionals[0]);
  const chosen = [values.box !== undefined, values.off, values.detect].filter(Boolean).length;
  if (chosen !== 1) throw new UsageError('crop needs exactly one of --box L,T,W,H, --off or --detect');
  let request: 'off' | 'detect' | { left: number; top: number; width: number; height: number; angle: number } = values.off ? 'off' : 'detect';
  if (values.box !== undefined) {
    const parts = values.box.split(',').map((v) => Number(v.trim()));
    const angle = Number(values.angle ?? '0');
    if (parts.length !== 4 || !parts.every(Number.isFinite))
      throw new UsageError(`--box needs four numbers L,T,W,H (fractions of the scan), not "${values.box}"`);
    if (!Number.isFinite(angle)) throw new UsageError(`--angle needs a number of degrees, not "${values.angle}"`);
    const [left, top, width, height] = parts as [number, number, number, number];
    // Typed by hand: the box lies within the (turned) scan. (A corner dragged on screen may overhang a little.)
    const slack = 0.005;
    if (left < -slack || top < -slack || left + width > 1 + slack || top + height > 1 + slack) {
      throw new UsageError(
        `--box ${values.box} reaches beyond the scan: L and T from 0, L+W and T+H up to 1 (fractions of the scan's width and height), ` +
          `here ${(left + width).toFixed(3)} and ${(top + height).toFixed(3)}`,
      );
    }
    request = { left, top, width, height, angle };
  }
  const detail = await service.cropPoster(id, request);
  const crop = detail.poster.crop;
  const box = crop?.box;
  const described = box ? `box ${[box.left, box.top, box.width, box.height].map((v) => v.toFixed(3)).join(',')}, angle ${box.angle.toFixed(2)}°` : '';
  console.log(
    `Poster ${id}: ` +
      (crop?.state === 'off'
        ? `the whole scan is used${box ? ` (the ${described} is kept for turning the crop on again)` : ''}`
        : `crop ${crop?.state ?? 'unknown'}${box ? ` (${described})` : ''}`) +
      '; re-hashed, re-thumbnailed and re-tagged',
  );
  return crop;
}

/** A poster by id, or by file path as typed (relative paths are taken from the current folder). */
function posterArgument(service: CatalogueService, value: string | undefined): number {
  if (!value) throw new UsageError('name a poster by its id or file path');
  return service.library.findPoster(/^\d+$/.test(value) ? value : resolve(value)).id;
}

function labelCommand(command: string, positionals: string[], values: Values, service: CatalogueService): unknown {
  const { library } = service;
  const reviewer = values.reviewer ?? null;
  if (command === 'label' && values['from-csv']) {
    const file = resolve(values['from-csv']);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new AppError('file-unreadable', `Cannot read ${file}: ${messageOf(error)}`);
    }
    const result = library.labelFromCsv(text, reviewer);
    console.log(`Labelled from ${file}: ${result.applied} lines applied, ${result.skipped.length} skipped`);
    for (const e of result.skipped) console.log(`  line ${e.line} skipped: ${e.reason}`);
    if (result.leftUnreviewed.length) {
      const lines = result.leftUnreviewed;
      console.log(
        `  ${lines.length} line${lines.length === 1 ? '' : 's'} left unreviewed (${lines.length > 10 ? `${lines.slice(0, 10).join(', ')}, …` : lines.join(', ')}): ` +
          "their genre_source says the genres are the model's. Write 'reviewed' there on the lines you checked to confirm them.",
      );
    }
    return result;
  }
  const posterId = posterArgument(service, positionals[0]);
  switch (command) {
    case 'label': {
      if (values.genres === undefined) throw new UsageError('label needs --genres "A|B" (or --from-csv FILE)');
      const change = library.setLabels(posterId, values.genres.split(GENRE_SEPARATOR), reviewer);
      printChange(change, posterId);
      return change;
    }
    case 'unlabel': {
      const change = library.unsetLabels(posterId, reviewer);
      printChange(change, posterId);
      return change;
    }
    case 'undo': {
      if (values.edit !== undefined) return undoEditCommand(posterId, values.edit, service);
      const change = library.undo(posterId, reviewer);
      console.log('undone:');
      printChange(change, posterId);
      return change;
    }
    default:
      return historyCommand(posterId, service);
  }
}

function genresCommand(positionals: string[], service: CatalogueService): unknown {
  const { library } = service;
  const [action = 'list', a, b] = positionals;
  const byName = (name: string | undefined) => {
    if (!name) throw new UsageError(`genres ${action} needs a genre name`);
    return library.genreByName(name);
  };
  let result;
  switch (action) {
    case 'list':
      result = library.genres();
      for (const g of result) console.log(`${g.name}${g.retired ? ' (retired)' : ''}`);
      return result;
    case 'add':
      if (!a) throw new UsageError('genres add needs a name');
      result = library.addGenre(a);
      break;
    case 'rename':
      if (!b) throw new UsageError('genres rename needs the old and the new name');
      result = library.renameGenre(byName(a).id, b);
      break;
    case 'retire':
    case 'restore':
      result = library.retireGenre(byName(a).id, action === 'retire');
      break;
    default:
      throw new UsageError(`unknown genres action "${action}"`);
  }
  console.log(`${result.name}${result.retired ? ' (retired)' : ''}`);
  return result;
}

const NEED_A_CATALOGUE = new Set([
  'export',
  'tag',
  'stats',
  'train',
  'models',
  'activate',
  'rollback',
  'backup',
  'check',
  'crop',
  'label',
  'unlabel',
  'history',
  'undo',
]);

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    console.error(`error: ${messageOf(error)}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return command || values.help ? 0 : 2;
  }
  let service: CatalogueService | undefined;
  try {
    // A mistyped --db is said, not answered from a new, empty catalogue. Importing, setting up the
    // genres, and listing or restoring the backups of a catalogue whose file is gone may start one.
    const dbPath = resolveDbPath(values.db);
    if (NEED_A_CATALOGUE.has(command) && !existsSync(dbPath))
      throw new AppError('no-catalogue', `There is no catalogue at ${dbPath}: check the path ("import" starts a new one).`);
    service = CatalogueService.open(dbPath);
    service.jobs.subscribe(progressPrinter());
    if (service.backups.damaged && command !== 'restore' && command !== 'check') console.error(damageWarning(service.health()));
    const summary = await run(command, rest, values, service);
    if (values.json) console.log(JSON.stringify(summary));
    return 0;
  } catch (error) {
    const usage = error instanceof UsageError;
    console.error(`error: ${messageOf(error)}${usage ? `\n\n${USAGE}` : ''}`);
    if (values.json)
      console.log(JSON.stringify({ error: { code: error instanceof AppError ? error.code : usage ? 'usage' : 'internal', message: messageOf(error) } }));
    return usage ? 2 : 1;
  } finally {
    await service?.close();
  }
}

process.exitCode = await main(process.argv.slice(2));
