/**
 * The genre head's title and decade inputs, computed here (tokenising is not ONNX's job) with the
 * parameters stored in the head file itself, so a head and its tokeniser can never disagree.
 *
 * A title becomes the ids of its hashed word n-grams and character n-grams (fastText style, each
 * word wrapped in < >): case, accents and punctuation are normalised away, a trailing article
 * ("Curse of the Cat People, The") moves to the front, and any script hashes (code points, not
 * bytes, so 七人の侍 gives character n-grams like any other word).
 */

/** How titles become ids; stored in the head's metadata ("title_hashing"). */
export interface TitleHashing {
  /** Bumped whenever normalisation or hashing changes: a head never meets a tokeniser it was not trained with. */
  scheme: typeof TITLE_HASH_SCHEME;
  /** Hash buckets; id `buckets` is the padding row (always zero). */
  buckets: number;
  /** Word n-grams up to this length (1 = single words). */
  wordNgrams: number;
  /** Character n-grams of each word from charMin to charMax code points; 0 = none. */
  charMin: number;
  charMax: number;
}

export const TITLE_HASH_SCHEME = 'fnv1a32-words-chars-v1';

/** Decade slots of the one-hot: the first holds everything before 1910, the last everything from 2020. */
export const DECADE_SLOTS = [1900, 1910, 1920, 1930, 1940, 1950, 1960, 1970, 1980, 1990, 2000, 2010, 2020];

const ARTICLES = /^(.*?),\s*(the|a|an|la|le|les|l'|el|il|lo|der|die|das|de|het)(\s*[([].*)?$/i;
/** Default names of cameras and scanners, and names with no letter at all: no title to read. */
const NOT_A_TITLE = /^(?:img|dsc[fn]?|dcim|pict?|p|image|photo|scan|scanned|document|doc|untitled|poster)?[\s_\-]*\d*$/i;
/** A catalogue or database number read as a title before file names were checked for them (`tt0095756` → "Tt0095756"). */
const CATALOGUE_NUMBER = /^(?:tt\d{7,8}|[a-z]{1,4} ?\d{5,})$/;

/** Lowercase, no accents, punctuation as spaces, a trailing article in front. */
export function normaliseTitle(title: string): string {
  let t = title.normalize('NFKC').trim();
  const article = ARTICLES.exec(t);
  if (article) t = `${article[2]} ${article[1]}${article[3] ?? ''}`;
  return t
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/['’]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** The title as model input, or null when it says nothing (missing, a camera's name, no letters). */
export function usableTitle(title: string | null | undefined): string | null {
  if (!title) return null;
  const normalised = normaliseTitle(title);
  if (!normalised || NOT_A_TITLE.test(normalised) || CATALOGUE_NUMBER.test(normalised) || !/\p{L}/u.test(normalised)) return null;
  return normalised;
}

/** FNV-1a over UTF-16 code units (callers prefix the kind, so a word and a character n-gram hash apart). */
function fnv1a(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** Distinct hashed n-gram ids of a title, sorted; empty when the title is not usable. */
export function titleIds(title: string | null | undefined, hashing: TitleHashing): number[] {
  if (hashing.scheme !== TITLE_HASH_SCHEME) throw new Error(`unknown title hashing scheme "${hashing.scheme}"`);
  const normalised = usableTitle(title);
  if (!normalised) return [];
  const words = normalised.split(' ');
  const ids = new Set<number>();
  for (let n = 1; n <= hashing.wordNgrams; n++) {
    for (let i = 0; i + n <= words.length; i++) ids.add(fnv1a(`w${n}:${words.slice(i, i + n).join(' ')}`) % hashing.buckets);
  }
  if (hashing.charMin > 0) {
    for (const word of words) {
      const chars = Array.from(`<${word}>`);
      for (let n = hashing.charMin; n <= hashing.charMax; n++) {
        for (let i = 0; i + n <= chars.length; i++) ids.add(fnv1a(`c:${chars.slice(i, i + n).join('')}`) % hashing.buckets);
      }
    }
  }
  return [...ids].sort((a, b) => a - b);
}

const indexes = new WeakMap<readonly string[], Map<string, number>>();

/** Word → id for a vocabulary (built once per vocabulary array). */
export function vocabularyIndex(vocabulary: readonly string[]): ReadonlyMap<string, number> {
  let index = indexes.get(vocabulary);
  if (!index) {
    index = new Map(vocabulary.map((w, i) => [w, i]));
    indexes.set(vocabulary, index);
  }
  return index;
}

/**
 * Ids of a title's words in a head's word-vector vocabulary (words it lacks are skipped; a word
 * said twice counts twice); empty when the title is not usable or no word is known.
 */
export function titleWordIds(title: string | null | undefined, vocabulary: ReadonlyMap<string, number>): number[] {
  const normalised = usableTitle(title);
  if (!normalised) return [];
  return normalised.split(' ').flatMap((word) => {
    const id = vocabulary.get(word);
    return id === undefined ? [] : [id];
  });
}

/** Index of a year's decade slot, or -1 when the year is unknown (the one-hot is then all zero). */
export function decadeSlot(year: number | null | undefined, slots: number[] = DECADE_SLOTS): number {
  if (year === null || year === undefined || !Number.isFinite(year) || slots.length === 0) return -1;
  let slot = 0;
  for (let k = 0; k < slots.length; k++) if (year >= (slots[k] as number)) slot = k;
  return slot;
}
