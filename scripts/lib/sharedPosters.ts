/** The research posters in ../shared/datasets/posters, read the same way by every script. */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseCsv } from '../../src/main/csv/csv';

export const SHARED_POSTERS = resolve(import.meta.dirname, '..', '..', '..', 'shared', 'datasets', 'posters');
export const SOURCES = ['movielens-1m', 'imdb-modern', 'imdb-vintage'] as const;
export type Source = (typeof SOURCES)[number];

export interface SharedPoster {
  source: Source;
  file: string;
  path: string;
  title: string;
  year: number | null;
  /** The source's own genre names. */
  genres: string[];
  imdbId: string;
}

export function loadSharedPosters(): SharedPoster[] {
  const posters: SharedPoster[] = [];
  for (const source of SOURCES) {
    const csv = parseCsv(readFileSync(join(SHARED_POSTERS, source, 'labels.csv'), 'utf8'));
    const col = (name: string) => csv.header.indexOf(name);
    for (const row of csv.rows) {
      const cell = (name: string) => row.cells[col(name)] ?? '';
      posters.push({
        source,
        file: cell('file'),
        path: join(SHARED_POSTERS, source, cell('file')),
        title: cell('title'),
        year: cell('year') ? Number(cell('year')) : null,
        genres: cell('genres') ? cell('genres').split('|') : [],
        imdbId: cell('imdb_id'),
      });
    }
  }
  return posters;
}
