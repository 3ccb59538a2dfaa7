/** TMDb's 19 movie genres: the vocabulary a new catalogue starts with. Users may add, rename, retire. */
export const DEFAULT_GENRES = [
  'Action',
  'Adventure',
  'Animation',
  'Comedy',
  'Crime',
  'Documentary',
  'Drama',
  'Family',
  'Fantasy',
  'History',
  'Horror',
  'Music',
  'Mystery',
  'Romance',
  'Science Fiction',
  'TV Movie',
  'Thriller',
  'War',
  'Western',
] as const;

/** Separator of genre names inside one CSV cell or command-line argument. */
export const GENRE_SEPARATOR = '|';

export function decadeOf(year: number | null): number | null {
  return year === null ? null : Math.floor(year / 10) * 10;
}
