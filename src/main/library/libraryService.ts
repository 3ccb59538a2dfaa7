/**
 * The library below the door: posters, labels, genres (the review queue is ReviewService's). Every adapter (IPC,
 * browser host, command line) reaches these only through here, so each rule is written once.
 */
import { GENRE_SEPARATOR } from '../../shared/genres';
import { titleOrFile } from '../../shared/posterName';
import type { BulkResult, ExportFilter, Genre, LabelChange, LibrarySort, Poster, PosterEdit, PosterUpdated, ExportPreview } from '../../shared/types';
import { addGenre, findGenreByName, genreById, listGenres, renameGenre, setGenreRetired } from '../catalogue/genreRepository';
import {
  changeLabelState,
  labelHistory,
  labelState,
  latestLabelChangeId,
  newBatchId,
  notToMarkReviewed,
  requirePoster,
  retiredLabelIds,
  undoBatch,
  undoLabelChange,
  undoLastLabelChange,
} from '../catalogue/labelRepository';
import { countIdsMatching, currentGenres, idsInOrder, idsMatching, posterDetail, searchPosters, updatePoster } from '../catalogue/libraryRepository';
import { editPosterField, undoPosterEdit } from '../catalogue/posterEditRepository';
import { countPosters, findPosterIdByPath, getPoster, listPosters } from '../catalogue/posterRepository';
import { countMatching, exportPreview } from '../catalogue/filterSql';
import { parseCsv, unguardedCell } from '../csv/csv';
import type { Db } from '../db/open';
import { AppError, messageOf } from '../errors';

export type BulkAction = 'add-genre' | 'remove-genre' | 'mark-reviewed';

export class LibraryService {
  constructor(private readonly db: Db) {}

  listPosters(offset: number, limit: number): { total: number; items: Poster[] } {
    return { total: countPosters(this.db), items: listPosters(this.db, offset, limit) };
  }

  search(filter: ExportFilter, sort: LibrarySort, offset: number, limit: number) {
    return searchPosters(this.db, filter, sort, offset, limit);
  }

  /** The ids at positions offset… in the library's order for `filter` and `sort` (the order `search` pages through). */
  idsAt(filter: ExportFilter, sort: LibrarySort, offset: number, limit: number): number[] {
    return idsInOrder(this.db, filter, sort, offset, limit);
  }

  count(filter: ExportFilter): number {
    return countMatching(this.db, filter);
  }

  exportPreview(filter: ExportFilter): ExportPreview {
    return exportPreview(this.db, filter);
  }

  poster(id: number) {
    return posterDetail(this.db, id);
  }

  /** A poster named by id or by its file path (the command line's way), or a clear error. */
  findPoster(idOrPath: string): Poster {
    const byId = /^\d+$/.test(idOrPath);
    const id = byId ? Number(idOrPath) : findPosterIdByPath(this.db, idOrPath);
    const poster = id === undefined ? undefined : getPoster(this.db, id);
    if (!poster) throw new AppError('poster-not-found', `There is no poster ${byId ? 'with id ' : 'at '}${idOrPath}.`);
    return poster;
  }

  /** Where a poster's scan is, or undefined: the adapters that serve images ask here, never the URL. */
  posterFile(id: number): Poster | undefined {
    return getPoster(this.db, id);
  }

  updatePoster(
    id: number,
    edit: { title?: string | null; year?: number | null; vendor?: string | null },
    reviewer: string | null = null,
    expected?: { title?: string | null; year?: number | null; vendor?: string | null },
  ): PosterUpdated {
    return updatePoster(this.db, id, edit, reviewer, expected);
  }

  /** How many of the selected `ids` match `filter`: the library says how many the filter hides. */
  countSelected(filter: ExportFilter, ids: readonly number[]): number {
    return countIdsMatching(this.db, filter, ids);
  }

  /** Puts back the value before a title, year, vendor or near-duplicate change. */
  undoEdit(editId: number): PosterEdit {
    return undoPosterEdit(this.db, editId);
  }

  /** The two posters as a near-duplicate pair (either may point at the other), or a clear error. */
  private requirePair(a: number, b: number): { pointer: number } {
    const first = this.findPoster(String(a));
    const second = this.findPoster(String(b));
    if (first.duplicateOf === second.id) return { pointer: first.id };
    if (second.duplicateOf === first.id) return { pointer: second.id };
    throw new AppError('not-a-pair', `Posters ${a} and ${b} are not a near-duplicate pair.`);
  }

  /**
   * Keeps `keep` of a near-duplicate pair: the other is set aside — hidden from the library, the
   * export and the review queue, but never deleted (its scan, labels and pairing stay; the "set
   * aside" filter shows it and `restorePoster` or undo brings it back).
   */
  keepDuplicate(keep: number, setAside: number, reviewer: string | null = null): PosterEdit {
    return this.db.transaction(() => {
      this.requirePair(keep, setAside);
      const edit = editPosterField(this.db, setAside, 'set_aside_at', new Date().toISOString(), reviewer);
      if (!edit) throw new AppError('already-set-aside', `Poster ${setAside} is already set aside.`);
      return edit;
    })();
  }

  /** "Not a duplicate": the pairing is dropped (recorded, undoable); both posters stay. */
  notDuplicate(a: number, b: number, reviewer: string | null = null): PosterEdit {
    return this.db.transaction(() => {
      const { pointer } = this.requirePair(a, b);
      return editPosterField(this.db, pointer, 'duplicate_of', null, reviewer) as PosterEdit;
    })();
  }

  /** Brings a set-aside poster back into the catalogue (null when it was not set aside). */
  restorePoster(id: number, reviewer: string | null = null): PosterEdit | null {
    return this.db.transaction(() => editPosterField(this.db, this.findPoster(String(id)).id, 'set_aside_at', null, reviewer))();
  }

  /** Genre ids for names (case-insensitive, trimmed, blanks ignored); unknown names are refused, all at once. */
  private genreIds(names: readonly string[]): number[] {
    const unknown: string[] = [];
    const ids = new Set<number>();
    for (const raw of names) {
      const name = raw.trim();
      if (!name) continue;
      const genre = findGenreByName(this.db, name);
      if (genre) ids.add(genre.id);
      else unknown.push(name);
    }
    if (unknown.length) throw new AppError('genre-not-found', `Unknown genre${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')} (add with "genres add").`);
    return [...ids];
  }

  /**
   * Confirms a poster's complete genre set: it becomes reviewed, and training data. With `expected`
   * (what the reviewer was shown: the poster's review time then, null when not reviewed) it is
   * refused ('reviewed-since') when someone reviewed or took back the poster's review in between, so
   * a second reviewer never overwrites a confirmation they did not see. With `expected.labelChange`
   * as well (the poster's latest label change then, null when none) it is refused ('edited-since')
   * when anything else changed its genres in between — a per-genre Library edit or a bulk action on
   * a poster not yet reviewed leaves its review time alone, and would otherwise be overwritten unseen.
   */
  setLabels(
    posterId: number,
    genres: readonly string[],
    reviewer: string | null = null,
    expected?: { reviewedAt: string | null; labelChange?: number | null },
  ): LabelChange | null {
    return this.db.transaction(() => {
      const poster = requirePoster(this.db, posterId);
      const name = titleOrFile(poster) ?? `Poster ${posterId}`;
      if (expected && poster.reviewedAt !== expected.reviewedAt) {
        // The change that reviewed it, made under the name of the one saving now: their own, in another window (Review or the Library).
        const latest = labelHistory(this.db, posterId).findLast((c) => c.undoneAt === null);
        const theirOwn = reviewer !== null && latest?.changedAt === poster.reviewedAt && latest.reviewer === reviewer;
        throw new AppError(
          'reviewed-since',
          poster.reviewedAt === null
            ? `${name}: someone else took its review back since it was shown.`
            : theirOwn
              ? `${name} was confirmed under your name in another window (a second Review tab, or the Library) since it was shown here, so this confirmation was not saved: the genres confirmed there stand.`
              : `${name} was just reviewed by someone else, so this confirmation was not saved: their genres stand.`,
        );
      }
      if (expected?.labelChange !== undefined && latestLabelChangeId(this.db, posterId) !== expected.labelChange) {
        const now = currentGenres(this.db, posterId);
        throw new AppError(
          'edited-since',
          `${name} was edited in the Library since it was shown, so this confirmation was not saved: its genres are now ${now.length ? now.join(', ') : 'none'}.`,
        );
      }
      // A retired genre is offered nowhere, so a confirmation cannot have ruled it out: its label stays.
      const genreIds = [...this.genreIds(genres), ...retiredLabelIds(this.db, posterId)];
      return changeLabelState(this.db, posterId, { reviewed: true, genres: genreIds }, reviewer, null, true);
    })();
  }

  /** Takes a review back: the poster is not reviewed again, with no edits (suggestions apply). */
  unsetLabels(posterId: number, reviewer: string | null = null): LabelChange | null {
    return this.db.transaction(() => changeLabelState(this.db, posterId, { reviewed: false, add: [], remove: [] }, reviewer))();
  }

  /**
   * Undoes the poster's latest label change, or with `changeId` exactly that change — refused when
   * something changed the poster since (Review's undo names the confirmation it takes back).
   */
  undo(posterId: number, reviewer: string | null = null, changeId?: number): LabelChange {
    return changeId === undefined ? undoLastLabelChange(this.db, posterId, reviewer) : undoLabelChange(this.db, posterId, changeId, reviewer);
  }

  undoBulk(batch: string, reviewer: string | null = null): { undone: number; skipped: number } {
    return undoBatch(this.db, batch, reviewer);
  }

  history(posterId: number): LabelChange[] {
    requirePoster(this.db, posterId);
    return labelHistory(this.db, posterId);
  }

  /**
   * Adds or removes one genre on one poster, in place: a reviewed poster's confirmed set changes
   * (it stays reviewed); a poster not yet reviewed gets a per-genre edit and stays not reviewed.
   * With `expected.labelChange` (the poster's latest label change when its genres were shown) it
   * is refused ('edited-since') when a review or an edit came since: a click on a genre of a poster
   * a colleague has just confirmed would otherwise change their confirmed set unseen.
   */
  setGenre(posterId: number, genre: string, present: boolean, reviewer: string | null = null, expected?: { labelChange: number | null }): LabelChange | null {
    return this.db.transaction(() => {
      const poster = requirePoster(this.db, posterId);
      if (expected && latestLabelChangeId(this.db, posterId) !== expected.labelChange) {
        const now = currentGenres(this.db, posterId);
        throw new AppError(
          'edited-since',
          `${titleOrFile(poster) ?? `Poster ${posterId}`} was ${poster.reviewedAt === null ? 'edited' : 'reviewed or edited'} in another window since its genres were shown, so ${genre} was not ${present ? 'added' : 'taken off'}: its genres are now ${now.length ? now.join(', ') : 'none'}. Click the genre again if you still mean it.`,
        );
      }
      const [genreId] = this.genreIds([genre]);
      if (genreId === undefined) throw new AppError('genre-required', 'Name a genre to add or remove.');
      return changeLabelState(this.db, posterId, this.withGenre(labelState(this.db, posterId), genreId, present), reviewer);
    })();
  }

  private withGenre(state: ReturnType<typeof labelState>, g: number, on: boolean): ReturnType<typeof labelState> {
    return state.reviewed
      ? { reviewed: true, genres: on ? [...state.genres, g] : state.genres.filter((x) => x !== g) }
      : {
          reviewed: false,
          add: on ? [...state.add, g] : state.add.filter((x) => x !== g),
          remove: on ? state.remove.filter((x) => x !== g) : [...state.remove, g],
        };
  }

  /**
   * A bulk action on every poster matching `filter` (resolved here, in the same transaction as the
   * change). With `expectedCount` (how many the person selected) it is refused ('changed-since')
   * when another number matches now: an import, a retraining or another window changed which
   * posters the filter means since they chose "all matching".
   */
  bulkMatching(filter: ExportFilter, action: BulkAction, genre: string | undefined, reviewer: string | null = null, expectedCount?: number): BulkResult {
    return this.db.transaction(() => {
      const ids = idsMatching(this.db, filter);
      if (expectedCount !== undefined && ids.length !== expectedCount) {
        throw new AppError(
          'changed-since',
          `${ids.length} posters match the filter now, not the ${expectedCount} selected: the catalogue changed since (an import, a retraining, or another window). Nothing was changed — look at the list again and repeat.`,
        );
      }
      return this.bulk(ids, action, genre, reviewer);
    })();
  }

  /**
   * One action on many posters, one undoable step (its batch id). Adding or removing a genre
   * changes that genre only: a reviewed poster's confirmed set gains or loses it; a poster not yet
   * reviewed gets a per-genre edit and stays not reviewed (its other genres remain the model's
   * guesses, so it does not become training data). Marking reviewed is the explicit act that
   * confirms each poster's current genres as its complete set — except on a poster flagged unsure
   * or never tagged, which it leaves as it is and counts (`leftUnsure`, `leftUntagged`).
   */
  bulk(ids: readonly number[], action: BulkAction, genre: string | undefined, reviewer: string | null = null): BulkResult {
    if (action !== 'mark-reviewed' && !genre?.trim()) throw new AppError('genre-required', `Choose a genre to ${action === 'add-genre' ? 'add' : 'remove'}.`);
    const batch = newBatchId();
    const left = { unsure: 0, untagged: 0 };
    const changed = this.db.transaction(() => {
      const [genreId] = action === 'mark-reviewed' ? [] : this.genreIds([genre as string]);
      let n = 0;
      for (const id of ids) {
        const state = labelState(this.db, id);
        let next: Parameters<typeof changeLabelState>[2];
        if (action === 'mark-reviewed') {
          const not = state.reviewed ? null : notToMarkReviewed(this.db, id);
          if (not) {
            left[not]++;
            continue;
          }
          next = state.reviewed ? state : { reviewed: true, genres: this.genreIds(currentGenres(this.db, id)) };
        } else {
          next = this.withGenre(state, genreId as number, action === 'add-genre');
        }
        if (changeLabelState(this.db, id, next, reviewer, batch, action === 'mark-reviewed')) n++;
      }
      return n;
    })();
    return { changed, batch, leftUnsure: left.unsure, leftUntagged: left.untagged };
  }

  /**
   * Labels from a CSV with the export's columns: `id` or `file_path`, and `genres` (`|`-separated;
   * an empty cell confirms "no genre"). A line that is not exactly right changes nothing and is
   * reported with its reason: a missing or extra cell, an unknown poster or genre. A line of the
   * export itself whose `genre_source` is not `reviewed` carries the model's suggestions as they
   * were when it was exported: it confirms nothing until a person writes `reviewed` there, and is
   * listed in `leftUnreviewed` — so exporting everything, correcting a few lines and reading the
   * file back never turns the model's guesses into training data (comparing with the catalogue's
   * genres now would not tell: a retraining since changes them). An export without its
   * `genre_source` column cannot tell the two apart and is refused.
   */
  labelFromCsv(text: string, reviewer: string | null = null): { applied: number; skipped: { line: number; reason: string }[]; leftUnreviewed: number[] } {
    const csv = parseCsv(text);
    const column = (name: string) => csv.header.findIndex((h) => h.trim().toLowerCase() === name);
    const idCol = column('id');
    const pathCol = column('file_path');
    const genresCol = column('genres');
    const sourceCol = column('genre_source');
    if (sourceCol < 0 && (column('suggestions') >= 0 || column('model_version') >= 0)) {
      throw new AppError(
        'csv-columns',
        'This CSV looks like an export without its genre_source column, so its lines cannot say which genres staff confirmed and which the model suggested. Export again with "Where the genres came from" ticked, or keep only the id (or file_path) and genres columns of the lines you checked.',
      );
    }
    const leftUnreviewed: number[] = [];
    if (genresCol < 0 || (idCol < 0 && pathCol < 0)) throw new AppError('csv-columns', 'The CSV needs a "genres" column and an "id" or "file_path" column.');
    const skipped = [...csv.errors];
    const badLines = new Set(csv.errors.map((e) => e.line));
    let applied = 0;
    this.db.transaction(() => {
      for (const row of csv.rows) {
        if (badLines.has(row.line)) continue; // a missing or extra cell: the parser said which, and the line is not used
        // Our own export's cells come back as they were: its formula guard ('=…) is taken off.
        const cell = (k: number) => (k >= 0 ? unguardedCell((row.cells[k] ?? '').trim()) : '');
        const idText = cell(idCol);
        const path = cell(pathCol);
        try {
          const poster = this.findPoster(idText || path || '(no id or file_path)');
          const genres = cell(genresCol).split(GENRE_SEPARATOR);
          if (sourceCol >= 0 && cell(sourceCol).toLowerCase() !== 'reviewed') {
            leftUnreviewed.push(row.line);
            continue;
          }
          this.setLabels(poster.id, genres, reviewer);
          applied++;
        } catch (error) {
          skipped.push({ line: row.line, reason: messageOf(error) });
        }
      }
    })();
    skipped.sort((a, b) => a.line - b.line);
    return { applied, skipped, leftUnreviewed };
  }

  genres(): Genre[] {
    return listGenres(this.db, { includeRetired: true });
  }

  genreByName(name: string): Genre {
    const genre = findGenreByName(this.db, name);
    if (!genre) throw new AppError('genre-not-found', `There is no genre named "${name}".`);
    return genre;
  }

  addGenre(name: string): Genre {
    return addGenre(this.db, name);
  }

  renameGenre(id: number, name: string): Genre {
    return renameGenre(this.db, id, name);
  }

  retireGenre(id: number, retired: boolean): Genre {
    genreById(this.db, id);
    return setGenreRetired(this.db, id, retired);
  }
}
