import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir, testPoster } from '../../../tests/helpers';
import { findGenreByName } from '../catalogue/genreRepository';
import { csvRow } from '../csv/csv';
import { labelsOf } from '../catalogue/labelRepository';
import { getPoster, insertPoster } from '../catalogue/posterRepository';
import { replaceSuggestions, suggestionsFor } from '../catalogue/suggestionRepository';
import { CatalogueService } from '../service';

let service: CatalogueService;
afterEach(async () => service?.close());

function catalogue(posters = 3): number[] {
  service = CatalogueService.open(join(tempDir(), 'c.sqlite'));
  return Array.from({ length: posters }, (_, i) => insertPoster(service.db, testPoster(i)));
}

const genreId = (name: string) => findGenreByName(service.db, name)?.id as number;
/** The model suggests these genres (above threshold) for the poster. */
const suggest = (posterId: number, names: string[]) =>
  replaceSuggestions(
    service.db,
    posterId,
    'm1',
    names.map((n) => ({ genreId: genreId(n), probability: 0.8, aboveThreshold: true })),
  );
const reviewedAt = (id: number) => service.library.poster(id).poster.reviewedAt;

describe('labels', () => {
  it('confirms a complete genre set, records every change, and undo walks back one change at a time to the original state', () => {
    const [p] = catalogue();
    const id = p as number;
    const { library } = service;
    expect(labelsOf(service.db, id)).toBeNull();
    library.setLabels(id, ['thriller', 'Horror'], 'ana');
    expect(labelsOf(service.db, id)).toEqual(['Horror', 'Thriller']); // vocabulary order, canonical names
    library.setLabels(id, ['Horror']);
    library.setLabels(id, ['Horror']); // no change: no history row
    library.unsetLabels(id);
    expect(labelsOf(service.db, id)).toBeNull();
    expect(library.history(id).map((c) => [c.oldGenres, c.newGenres, c.reviewer])).toEqual([
      [null, ['Horror', 'Thriller'], 'ana'],
      [['Horror', 'Thriller'], ['Horror'], null],
      [['Horror'], null, null],
    ]);
    expect(library.undo(id).oldGenres).toEqual(['Horror']);
    expect(labelsOf(service.db, id)).toEqual(['Horror']);
    expect(library.undo(id).newGenres).toEqual(['Horror']);
    expect(labelsOf(service.db, id)).toEqual(['Horror', 'Thriller']);
    library.undo(id);
    expect(labelsOf(service.db, id)).toBeNull(); // back to "not reviewed", the original state
    expect(reviewedAt(id)).toBeNull();
    expect(() => library.undo(id)).toThrow(/has no label changes to undo/);
    // Undo adds no rows: the three changes are there, each marked undone.
    expect(library.history(id).map((c) => c.undoneAt !== null)).toEqual([true, true, true]);
    library.setLabels(id, []);
    expect(labelsOf(service.db, id)).toEqual([]); // reviewed, no genre: different from unreviewed
    // the short name the cards show, typed back (a CSV, the command line): the genre it stands for
    library.setLabels(id, ['sci-fi', 'Musical']);
    expect(labelsOf(service.db, id)).toEqual(['Music', 'Science Fiction']);
  });

  it('undo by change id takes back exactly that change, and refuses once the poster changed since', () => {
    const [p, q] = catalogue();
    const [id, other] = [p as number, q as number];
    const { library } = service;
    const confirmed = library.setLabels(id, ['Horror'], 'ana'); // Review's confirmation
    const edited = library.setLabels(id, ['Horror', 'Comedy']); // then a Library edit
    expect(() => library.undo(id, 'ana', confirmed?.id)).toThrow(/was changed again since \(in the Library or another window\)/);
    expect(labelsOf(service.db, id)).toEqual(['Comedy', 'Horror']); // the edit is kept
    expect(() => library.undo(other, null, confirmed?.id)).toThrow(/has no label change/); // another poster's change
    expect(library.undo(id, null, edited?.id).newGenres).toEqual(['Comedy', 'Horror']);
    expect(() => library.undo(id, null, edited?.id)).toThrow(/already been undone/);
    expect(library.undo(id, 'ana', confirmed?.id).oldGenres).toBeNull(); // the latest open change again: undone
    expect(labelsOf(service.db, id)).toBeNull();
  });

  it('a confirmation carrying what the reviewer saw is refused once someone else reviewed the poster since', () => {
    const [p] = catalogue();
    const id = p as number;
    const { library } = service;
    const first = library.setLabels(id, ['Horror'], 'ana', { reviewedAt: null }); // reviewer 1, shown it unreviewed
    // Reviewer 2 was shown it unreviewed too: refused, reviewer 1's set stands.
    expect(() => library.setLabels(id, ['Comedy'], 'bo', { reviewedAt: null })).toThrow(
      expect.objectContaining({ code: 'reviewed-since', message: expect.stringMatching(/was just reviewed by someone else/) }),
    );
    expect(labelsOf(service.db, id)).toEqual(['Horror']);
    // Re-confirmed deliberately, having seen reviewer 1's set: accepted.
    const reviewedAt = getPoster(service.db, id)?.reviewedAt ?? null;
    expect(reviewedAt).toBe(first?.changedAt);
    expect(library.setLabels(id, ['Horror', 'Comedy'], 'bo', { reviewedAt })?.newGenres).toEqual(['Comedy', 'Horror']);
    // Callers that pass nothing (Library, CLI, bulk) are never refused.
    expect(library.setLabels(id, ['Western'])?.newGenres).toEqual(['Western']);
  });

  it('a confirmation refused because its own reviewer confirmed the poster in the Library meanwhile says so, not "someone else"', () => {
    const [p, q] = catalogue();
    const [id, other] = [p as number, q as number];
    const { library } = service;
    // Ana is shown the poster in Review; meanwhile she confirms it in the Library.
    library.setLabels(id, ['Horror'], 'ana');
    expect(() => library.setLabels(id, ['Comedy'], 'ana', { reviewedAt: null })).toThrow(
      expect.objectContaining({
        code: 'reviewed-since',
        message:
          'P0 was confirmed under your name in another window (a second Review tab, or the Library) since it was shown here, so this confirmation was not saved: the genres confirmed there stand.',
      }),
    );
    expect(labelsOf(service.db, id)).toEqual(['Horror']); // still refused
    // Saved under another name, or with no name on either side: someone else.
    expect(() => library.setLabels(id, ['Comedy'], 'bo', { reviewedAt: null })).toThrow(
      /^P0 was just reviewed by someone else, so this confirmation was not saved/,
    );
    library.setLabels(other, ['Horror']);
    expect(() => library.setLabels(other, ['Comedy'], null, { reviewedAt: null })).toThrow(/was just reviewed by someone else/);
    // Bo confirms it after her: the change that reviewed it is his now.
    library.setLabels(id, ['Western'], 'bo');
    expect(() => library.setLabels(id, ['Comedy'], 'ana', { reviewedAt: null })).toThrow(/was just reviewed by someone else/);
  });

  it("a confirmation carrying the label change it was shown is refused once the poster's genres were edited in the Library since", () => {
    const [p, q] = catalogue();
    const [id, other] = [p as number, q as number];
    const { library } = service;
    suggest(id, ['Drama', 'Comedy']);
    suggest(other, ['Drama']);
    const shown = (posterId: number) => {
      const item = service.review.queue('import', 10).find((i) => i.poster.id === posterId);
      return { reviewedAt: item?.poster.reviewedAt ?? null, labelChange: item?.labelChange ?? null };
    };
    const seen = shown(id);
    expect(seen).toEqual({ reviewedAt: null, labelChange: null });
    // In the Library, one genre more on the poster not yet reviewed: it stays not reviewed, its review time unchanged.
    const edit = library.setGenre(id, 'Horror', true, 'cy');
    expect(reviewedAt(id)).toBeNull();
    const edited = library.poster(id).current;
    expect(edited).toContain('Horror');
    // The reviewer confirms the genres they were shown: refused, in plain words, the Library's edit kept.
    expect(() => library.setLabels(id, ['Drama', 'Comedy'], 'bo', seen)).toThrow(
      expect.objectContaining({
        code: 'edited-since',
        message: `P0 was edited in the Library since it was shown, so this confirmation was not saved: its genres are now ${edited.join(', ')}.`,
      }),
    );
    expect(labelsOf(service.db, id)).toBeNull();
    expect(library.poster(id).current).toEqual(edited);
    // Shown again as it is now, and confirmed: saved.
    const again = shown(id);
    expect(again.labelChange).toBe(edit?.id);
    expect(library.setLabels(id, ['Drama', 'Comedy'], 'bo', again)?.newGenres).toEqual(['Comedy', 'Drama']);

    // Nothing changed since it was shown: saved.
    const seenOther = shown(other);
    expect(library.setLabels(other, ['Western'], 'bo', seenOther)?.newGenres).toEqual(['Western']);
    // Review's undo of that confirmation puts back the change before it, the one it was shown: confirmed again, saved.
    const confirmed = library.setLabels(other, ['Drama'], 'bo', { reviewedAt: reviewedAt(other), labelChange: library.history(other).at(-1)?.id ?? null });
    library.undo(other, 'bo', confirmed?.id);
    const back = library
      .history(other)
      .filter((c) => c.undoneAt === null)
      .at(-1)?.id;
    expect(library.setLabels(other, ['Drama', 'Comedy'], 'bo', { reviewedAt: reviewedAt(other), labelChange: back })?.newGenres).toEqual(['Comedy', 'Drama']);
  });

  it('a confirmation is not refused for a Library edit taken back before it, nor for an old caller that sends only the review time', () => {
    const [p] = catalogue();
    const id = p as number;
    const { library } = service;
    suggest(id, ['Drama']);
    const item = service.review.queue('import', 10).find((i) => i.poster.id === id);
    const edit = library.setGenre(id, 'Horror', true);
    library.undo(id, null, edit?.id); // the genres are as shown again
    expect(library.setLabels(id, ['Drama'], 'bo', { reviewedAt: null, labelChange: item?.labelChange ?? null })?.newGenres).toEqual(['Drama']);
    library.unsetLabels(id);
    library.setGenre(id, 'Horror', true);
    expect(library.setLabels(id, ['Western'], 'bo', { reviewedAt: null })?.newGenres).toEqual(['Western']);
  });

  it('refuses unknown genres and posters, naming them, and changes nothing', () => {
    const [p] = catalogue();
    const { library } = service;
    expect(() => library.setLabels(p as number, ['Horror', 'Giallo', 'Blaxploitation'])).toThrow(
      'Unknown genres: Giallo, Blaxploitation (add with "genres add").',
    );
    expect(labelsOf(service.db, p as number)).toBeNull();
    expect(library.history(p as number)).toEqual([]);
    expect(() => library.setLabels(999, ['Horror'])).toThrow('There is no poster with id 999.');
    expect(() => library.undo(p as number)).toThrow(/has no label changes to undo/);
  });

  it('keeps labels apart from suggestions, and a renamed genre keeps its labels and its history', () => {
    const [p] = catalogue();
    const id = p as number;
    service.library.setLabels(id, ['Western']);
    replaceSuggestions(service.db, id, 'm2', [{ genreId: genreId('Horror'), probability: 0.9, aboveThreshold: true }]);
    expect(labelsOf(service.db, id)).toEqual(['Western']);
    expect(suggestionsFor(service.db, id)).toEqual([{ genre: 'Horror', probability: 0.9, aboveThreshold: true, modelVersion: 'm2' }]);
    service.library.renameGenre(genreId('Western'), 'Spaghetti Western');
    expect(labelsOf(service.db, id)).toEqual(['Spaghetti Western']);
    // History refers to genres by id: after the rename, undo restores the renamed genre, not nothing.
    service.library.setLabels(id, ['Horror']);
    service.library.undo(id);
    expect(labelsOf(service.db, id)).toEqual(['Spaghetti Western']);
  });
});

describe('bulk actions', () => {
  it('"Add genre" changes that genre only: an unreviewed poster stays unreviewed and is not training data', () => {
    const [a, b] = catalogue(2) as [number, number];
    suggest(a, ['Comedy', 'Romance']);
    service.library.setLabels(b, ['Drama']);
    const { changed, batch } = service.library.bulk([a, b], 'add-genre', 'horror');
    expect(changed).toBe(2);
    expect(reviewedAt(a)).toBeNull(); // not confirmed: Comedy and Romance are still the model's guesses
    expect(labelsOf(service.db, a)).toBeNull();
    expect(service.library.poster(a).current).toEqual(['Comedy', 'Horror', 'Romance']);
    expect(service.library.search({ status: 'reviewed' }, 'imported', 0, 10).items.map((i) => i.id)).toEqual([b]);
    expect(labelsOf(service.db, b)).toEqual(['Drama', 'Horror']); // a reviewed poster's set gains it
    expect(service.library.search({ genre: 'Horror' }, 'imported', 0, 10).total).toBe(2);
    // Removing a suggested genre is an edit too; the poster is still not reviewed.
    service.library.bulk([a], 'remove-genre', 'Comedy');
    expect(service.library.poster(a).current).toEqual(['Horror', 'Romance']);
    expect(reviewedAt(a)).toBeNull();
    // Marking reviewed is the explicit act that confirms the current set.
    service.library.bulk([a], 'mark-reviewed', undefined);
    expect(labelsOf(service.db, a)).toEqual(['Horror', 'Romance']);
    expect(batch).toMatch(/\w/);
  });

  it('is one undoable step for all its posters; a poster changed since keeps its later change', () => {
    const [a, b, c] = catalogue(3) as [number, number, number];
    suggest(a, ['Comedy']);
    const { batch } = service.library.bulk([a, b, c], 'add-genre', 'Horror');
    service.library.setLabels(c, ['War']); // changed again after the bulk action
    expect(service.library.undoBulk(batch)).toEqual({ undone: 2, skipped: 1 });
    expect(service.library.poster(a).current).toEqual(['Comedy']);
    expect(service.library.poster(b).current).toEqual([]);
    expect(labelsOf(service.db, c)).toEqual(['War']);
    expect(service.library.undoBulk(batch)).toEqual({ undone: 0, skipped: 1 }); // walking back changes nothing more
  });

  it('a genre clicked on genres shown before a colleague changed them is refused, naming what they are now', () => {
    const [id] = catalogue(1) as [number];
    suggest(id, ['Comedy']);
    const { library } = service;
    const shown = library.poster(id).labelChange;
    library.setLabels(id, ['Drama'], 'colleague');
    expect(() => library.setGenre(id, 'Horror', true, 'ana', { labelChange: shown })).toThrow(
      /P0 was reviewed or edited in another window since its genres were shown, so Horror was not added: its genres are now Drama/,
    );
    expect(labelsOf(service.db, id)).toEqual(['Drama']);
    library.setGenre(id, 'Horror', true, 'ana', { labelChange: library.poster(id).labelChange });
    expect(labelsOf(service.db, id)).toEqual(['Drama', 'Horror']);
  });

  it('"Mark reviewed" leaves posters flagged unsure or never tagged as they are, and says how many', () => {
    const [tagged, unsure, untagged, edited] = catalogue(4) as [number, number, number, number];
    suggest(tagged, ['Comedy']);
    suggest(unsure, ['Drama']);
    service.review.flag(unsure, true, '2026-01-01T00:00:00Z', 'ana');
    service.library.setGenre(edited, 'War', true); // never tagged, but a person gave it a genre
    const result = service.library.bulk([tagged, unsure, untagged, edited], 'mark-reviewed', undefined);
    expect(result).toMatchObject({ changed: 2, leftUnsure: 1, leftUntagged: 1 });
    expect(labelsOf(service.db, tagged)).toEqual(['Comedy']);
    expect(labelsOf(service.db, edited)).toEqual(['War']);
    expect(labelsOf(service.db, unsure)).toBeNull();
    expect(labelsOf(service.db, untagged)).toBeNull();
  });

  it('on "all matching" is refused when the filter matches another number of posters than the person selected', () => {
    const ids = catalogue(3);
    for (const id of ids) suggest(id, ['Comedy']);
    const { library } = service;
    const selected = library.search({ status: 'unreviewed' }, 'imported', 0, 10).total;
    library.setLabels(ids[0] as number, ['Drama']); // another window reviews one meanwhile
    expect(() => library.bulkMatching({ status: 'unreviewed' }, 'mark-reviewed', undefined, 'ana', selected)).toThrow(
      /2 posters match the filter now, not the 3 selected.*Nothing was changed/,
    );
    expect(labelsOf(service.db, ids[1] as number)).toBeNull();
    expect(library.bulkMatching({ status: 'unreviewed' }, 'mark-reviewed', undefined, 'ana', 2)).toMatchObject({ changed: 2 });
  });
});

describe('labels from a CSV', () => {
  it('applies only lines that are exactly right, and says why each other line was skipped', () => {
    const ids = catalogue(3);
    const csv = [
      'id,file_path,genres,title',
      `${ids[0]},,Horror|Thriller,a`,
      `,/scans/p1.jpg,Comedy,b`,
      `999,,Drama,c`,
      `${ids[2]},,Nope,d`,
      `,/scans/missing.jpg,Drama,e`,
      `${ids[2]},`, // the genres cell is missing: not "reviewed with no genre"
      `${ids[2]},,Drama,f,extra`, // an extra cell: the line is not what the header says
    ].join('\n');
    const result = service.library.labelFromCsv(csv, 'bulk');
    expect(result.applied).toBe(2);
    expect(result.skipped.map((s) => s.line)).toEqual([4, 5, 6, 7, 8]);
    expect(result.skipped[0]?.reason).toBe('There is no poster with id 999.');
    expect(result.skipped[1]?.reason).toBe('Unknown genre: Nope (add with "genres add").');
    expect(result.skipped[2]?.reason).toBe('There is no poster at /scans/missing.jpg.');
    expect(result.skipped[3]?.reason).toMatch(/expected 4 fields, found 2/);
    expect(result.skipped[4]?.reason).toMatch(/expected 4 fields, found 5/);
    expect(labelsOf(service.db, ids[0] as number)).toEqual(['Horror', 'Thriller']);
    expect(labelsOf(service.db, ids[1] as number)).toEqual(['Comedy']);
    expect(labelsOf(service.db, ids[2] as number)).toBeNull(); // nothing from lines 5, 7 and 8
    expect(() => service.library.labelFromCsv('title\nx', null)).toThrow(/needs a "genres" column/);
  });

  it("reading back an export of everything confirms only the lines a person marked 'reviewed', never the model's guesses, even after a retraining", async () => {
    const [guessed, corrected, untagged, reviewed, marked] = catalogue(5) as [number, number, number, number, number];
    suggest(guessed, ['Comedy']);
    suggest(corrected, ['Drama']);
    suggest(marked, ['Western']);
    service.library.setLabels(reviewed, ['Horror']);
    const file = join(tempDir(), 'all.csv');
    await service.startExport({ file }).promise;
    // A retraining since changes what the model suggests: the file's lines still hold the old guesses.
    suggest(guessed, ['Drama']);
    suggest(untagged, ['War']);
    const lines = readFileSync(file, 'utf8').split(/\r?\n/);
    const edited = lines
      .map((line) => (line.startsWith(`${corrected},`) ? line.replace(',Drama,suggested,', ',Drama|War,reviewed,') : line))
      .map((line) => (line.startsWith(`${marked},`) ? line.replace(',suggested,', ',reviewed,') : line));
    expect(edited.filter((line, i) => line !== lines[i])).toHaveLength(2);
    const result = service.library.labelFromCsv(edited.join('\n'), 'ana');
    expect(result).toEqual({ applied: 3, skipped: [], leftUnreviewed: [2, 4] });
    expect(labelsOf(service.db, guessed)).toBeNull();
    expect(labelsOf(service.db, untagged)).toBeNull();
    expect(labelsOf(service.db, corrected)).toEqual(['Drama', 'War']);
    expect(labelsOf(service.db, reviewed)).toEqual(['Horror']);
    expect(labelsOf(service.db, marked)).toEqual(['Western']);
    // An export without its genre_source column cannot say which lines staff confirmed: refused whole.
    const bare = join(tempDir(), 'bare.csv');
    await service.startExport({ file: bare, columns: ['id', 'genres', 'model_version'] }).promise;
    expect(() => service.library.labelFromCsv(readFileSync(bare, 'utf8'), 'ana')).toThrow(/without its genre_source column/);
  });

  it("reads back the export's own cells: the formula guard on a genre like =cmd comes off", () => {
    const ids = catalogue(1);
    service.library.addGenre('=cmd');
    const csv = csvRow(['id', 'genres']) + csvRow([ids[0] as number, '=cmd|Drama']);
    expect(csv).toContain("'=cmd|Drama"); // as the shop's spreadsheet sees it
    expect(service.library.labelFromCsv(csv, 'bulk')).toEqual({ applied: 1, skipped: [], leftUnreviewed: [] });
    expect(labelsOf(service.db, ids[0] as number)).toEqual(expect.arrayContaining(['=cmd', 'Drama']));
  });
});

describe('retired genres', () => {
  it('keep their labels through a confirmation that could not offer them, and have them back when restored', () => {
    const [id] = catalogue(1) as [number];
    const { library } = service;
    library.setLabels(id, ['Horror', 'Drama']);
    const horror = library.genreByName('Horror');
    library.retireGenre(horror.id, true);
    library.setLabels(id, ['Drama', 'War']);
    library.retireGenre(horror.id, false);
    expect(labelsOf(service.db, id)).toEqual(['Drama', 'Horror', 'War']);
    library.setGenre(id, 'Horror', false);
    expect(labelsOf(service.db, id)).toEqual(['Drama', 'War']);
  });
});

describe('genre names', () => {
  it('follow one rule for add and rename, whichever door they come through', () => {
    catalogue(0);
    const { library } = service;
    expect(() => library.addGenre('Film|Noir')).toThrow(/cannot contain "\|"/);
    expect(() => library.addGenre('   ')).toThrow(/cannot be empty/);
    expect(() => library.addGenre('x'.repeat(61))).toThrow(/at most 60 characters/);
    expect(() => library.addGenre('HORROR')).toThrow(/"Horror" already exists/);
    expect(() => library.addGenre('Tab\there')).toThrow(/control characters/);
    const noir = library.addGenre('  Film   Noir ');
    expect(noir.name).toBe('Film Noir');
    expect(() => library.renameGenre(noir.id, 'Film|Noir')).toThrow(/cannot contain "\|"/);
    expect(() => library.renameGenre(noir.id, 'western')).toThrow(/"Western" already exists/);
    expect(library.renameGenre(noir.id, 'film noir').name).toBe('film noir'); // its own name, in another case
  });
});
