/** Turning labelled posters from several sources into one training set over the catalogue's genres. */

import { GENRE_SYNONYMS } from '../../shared/genres';

export function canonicalGenre(name: string): string {
  return GENRE_SYNONYMS[name.trim()] ?? name.trim();
}

/**
 * Normalised title + year: the key that finds the same film across sources whose titles differ in
 * form ("Curse of the Cat People, The" / "The Curse of the Cat People"; alternative titles in
 * parentheses; accents and punctuation).
 */
export function filmKey(title: string, year: number | null): string {
  let t = title.replace(/\s*\([^)]*\)\s*/g, ' ').trim();
  const article = /^(.*),\s*(the|a|an|la|le|les|el|il|der|die|das)$/i.exec(t);
  if (article) t = `${article[2]} ${article[1]}`;
  t = t
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, ' ')
    .replace(/^(the|a|an) /, '')
    .trim();
  return `${t}|${year ?? ''}`;
}

/** A stable pseudo-random number in [0, 1) for a string: the split never changes with order. */
export function stableFraction(key: string, salt = 0): number {
  let h = 2166136261 ^ salt;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
  h = Math.imul(h ^ (h >>> 15), 2246822507);
  h = Math.imul(h ^ (h >>> 13), 3266489909);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}
