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

/**
 * Other names of the default genres: the research sources' (MovieLens, IMDb) and the short one the
 * library cards show ("Sci-Fi"). Training maps them onto the vocabulary; a genre typed by a person
 * is found by them when no genre has that very name. Unlisted names map to themselves.
 */
export const GENRE_SYNONYMS: Record<string, string> = {
  'Sci-Fi': 'Science Fiction',
  'Sci Fi': 'Science Fiction',
  SciFi: 'Science Fiction',
  "Children's": 'Family',
  Children: 'Family',
  Musical: 'Music',
};

/** Separator of genre names inside one CSV cell or command-line argument. */
export const GENRE_SEPARATOR = '|';

export function decadeOf(year: number | null): number | null {
  return year === null ? null : Math.floor(year / 10) * 10;
}
