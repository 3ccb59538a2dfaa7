import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../tests/helpers';
import { CatalogueService } from '../service';
import { replaceSuggestions, suggestionsFor } from './suggestionRepository';
import { findGenreByName, renameGenre } from './genreRepository';
import { insertPoster } from './posterRepository';
import { labelFromCsvText, labelHistory, labelsOf, setLabels, undoLastLabelChange, unsetLabels } from './labelRepository';

let service: CatalogueService;
afterEach(async () => service?.close());

function catalogue(posters = 3): number[] {
  service = CatalogueService.open(join(tempDir(), 'c.sqlite'));
  return Array.from({ length: posters }, (_, i) =>
    insertPoster(service.db, {
      path: `/scans/p${i}.jpg`,
      sha256: String(i).padStart(64, '0'),
      bytes: 1,
      width: 1,
      height: 1,
      title: `P${i}`,
      year: 1958,
      decade: 1950,
      vendor: 'v',
      importedAt: '2026-11-21T00:00:00Z',
      thumbnail: 't.jpg',
      phash: '0'.repeat(16),
      duplicateOf: null,
    }),
  );
}

describe('labels', () => {
  it('confirms a complete genre set, records every change, and undoes them in order', () => {
    const [p] = catalogue();
    const id = p as number;
    expect(labelsOf(service.db, id)).toBeNull();
    setLabels(service.db, id, ['thriller', 'Horror'], 'ana');
    expect(labelsOf(service.db, id)).toEqual(['Horror', 'Thriller']); // vocabulary order, canonical names
    setLabels(service.db, id, ['Horror']);
    unsetLabels(service.db, id);
    expect(labelsOf(service.db, id)).toBeNull();
    expect(labelHistory(service.db, id).map((c) => [c.oldGenres, c.newGenres, c.reviewer])).toEqual([
      [null, ['Horror', 'Thriller'], 'ana'],
      [['Horror', 'Thriller'], ['Horror'], null],
      [['Horror'], null, null],
    ]);
    undoLastLabelChange(service.db, id);
    expect(labelsOf(service.db, id)).toEqual(['Horror']);
    undoLastLabelChange(service.db, id); // undo the undo: back to unreviewed
    expect(labelsOf(service.db, id)).toBeNull();
    setLabels(service.db, id, []);
    expect(labelsOf(service.db, id)).toEqual([]); // reviewed, no genre: different from unreviewed
  });

  it('refuses unknown genres and posters, naming them, and changes nothing', () => {
    const [p] = catalogue();
    expect(() => setLabels(service.db, p as number, ['Horror', 'Giallo', 'Blaxploitation'])).toThrow(
      'Unknown genres: Giallo, Blaxploitation (add with "genres add").',
    );
    expect(labelsOf(service.db, p as number)).toBeNull();
    expect(labelHistory(service.db, p as number)).toEqual([]);
    expect(() => setLabels(service.db, 999, ['Horror'])).toThrow('There is no poster with id 999.');
    expect(() => undoLastLabelChange(service.db, p as number)).toThrow(/has no label changes to undo/);
  });

  it('keeps labels apart from suggestions: re-tagging never overwrites what staff confirmed', () => {
    const [p] = catalogue();
    const id = p as number;
    setLabels(service.db, id, ['Western']);
    const horror = findGenreByName(service.db, 'Horror')?.id as number;
    replaceSuggestions(service.db, id, 'm2', [{ genreId: horror, probability: 0.9, aboveThreshold: true }]);
    expect(labelsOf(service.db, id)).toEqual(['Western']);
    expect(suggestionsFor(service.db, id)).toEqual([{ genre: 'Horror', probability: 0.9, aboveThreshold: true, modelVersion: 'm2' }]);
    renameGenre(service.db, findGenreByName(service.db, 'Western')?.id as number, 'Spaghetti Western');
    expect(labelsOf(service.db, id)).toEqual(['Spaghetti Western']);
  });

  it('labels in bulk from a CSV with the export’s columns, reporting each bad line', () => {
    const ids = catalogue(3);
    const csv = [
      'id,file_path,genres,title',
      `${ids[0]},,Horror|Thriller,a`,
      `,/scans/p1.jpg,Comedy,b`,
      `999,,Drama,c`,
      `${ids[2]},,Nope,d`,
      `,/scans/missing.jpg,Drama,e`,
    ].join('\n');
    const result = labelFromCsvText(service.db, csv, 'bulk');
    expect(result.labelled).toBe(2);
    expect(result.errors).toEqual([
      { line: 4, reason: 'no poster with id 999' },
      { line: 5, reason: 'Unknown genre: Nope (add with "genres add").' },
      { line: 6, reason: 'no poster at /scans/missing.jpg' },
    ]);
    expect(labelsOf(service.db, ids[0] as number)).toEqual(['Horror', 'Thriller']);
    expect(labelsOf(service.db, ids[1] as number)).toEqual(['Comedy']);
    expect(() => labelFromCsvText(service.db, 'title\nx', null)).toThrow(/needs a "genres" column/);
  });
});
