/**
 * Title and year from a scan's file name, when no sidecar CSV says otherwise. Titles go to the
 * shop and into the genre model, so the parser removes only what vendors add, where they add it:
 *  - vendor tags (one-sheet, poster, scan, teaser, US, …) after the year, at the end of the name,
 *    or in brackets of their own — never inside a title (`It's a Mad… World`, `The Final Countdown`,
 *    `Aux frontières de l'Homme` keep every word), and never when they are the whole title (`It`, `Us`);
 *  - country codes (us, uk, fr, it, de) count as tags at the end of a title only when written in
 *    capitals (`Vertigo US`), since `Take It or Leave It` ends in one;
 *  - dots become spaces only when the name uses them as separators (`vertigo.1958.jpg`), never in
 *    `Mr. Smith Goes to Washington` or `2.0`; underscores are always separators;
 *  - brackets that belong to the title survive; those holding the year or only tags go.
 */

export const MIN_YEAR = 1880;
export const maxYear = (): number => new Date().getFullYear() + 2;

export function validYear(value: string | number | null | undefined): number | null {
  const year = typeof value === 'number' ? value : Number.parseInt(String(value ?? '').trim(), 10);
  return Number.isInteger(year) && year >= MIN_YEAR && year <= maxYear() ? year : null;
}

/** Words vendors add about the print, in any case. */
const TAG_WORDS = String.raw`one[- ]?sheets?|half[- ]?sheets?|three[- ]?sheet|six[- ]?sheet|insert|lobby[- ]?cards?|window[- ]?card|quad|poster|scan(?:ned)?|final|hi[- ]?res|print|teaser|advance|style[- ]?[a-z]|re[- ]?release|reissue|original|orig|linen[- ]?backed|folded|rolled|\d{2,4}x\d{2,4}|\d{2,3}\s?dpi|v\d`;
const COUNTRY_WORDS = 'us|uk|fr|it|de|usa|gb|ita|ger|jp|jpn|es';
const SEP = String.raw`(?:[\s,_\-–]+|^)`;
/** Trailing tags: tag words in any case; country codes in capitals, or in any case just before another tag. */
const TRAILING_TAGS = [new RegExp(String.raw`${SEP}(?:${TAG_WORDS})$`, 'i'), new RegExp(String.raw`${SEP}(?:${COUNTRY_WORDS.toUpperCase()})$`)];
const TRAILING_COUNTRY_ANY_CASE = new RegExp(String.raw`${SEP}(?:${COUNTRY_WORDS})$`, 'i');
/** A bracket group holding only tags (and separators). */
const TAG_BRACKET = new RegExp(String.raw`\s*[([](?:\s*(?:${TAG_WORDS}|${COUNTRY_WORDS})\b[\s,_\-–]*)+[)\]]`, 'gi');
/**
 * The names cameras, phones, scanners and apps give a file by themselves: a word of theirs followed
 * by a counter, a date, a time (`IMG_0412`, `PXL_20231105_142233123`, `Scan 2023-11-05 14.22.33`,
 * `WhatsApp Image 2023-11-05 at 14.22.33`, `CCI05112023_0001`, `Untitled-1`), or a few words alone
 * (`image (3)`, `Scanned Document`). Such a name has no title, and its date is when the sheet was
 * scanned, not the film's year (nor is a counter: `IMG_1958`).
 */
const DEVICE_WORDS = String.raw`img|pxl|mvimg|dsc[fn]?|dcim|pict?|picture|p|image|photo|gopr|cci|epson|hp\s?scan|scn|scan(?:ned)?|(?:new|scanned)\s+(?:scan|document|image)|document|doc|poster|screenshot|screen\s+shot|whatsapp\s+(?:image|photo)|untitled`;
/** Counters, dates, times and their glue: `0412`, `2023-11-05`, `05.11.2023`, `14.22.33`, `at`, WhatsApp's `WA0012`. */
const STAMP = String.raw`\d+|\d{1,4}[-.]\d{1,2}[-.]\d{1,4}|\d{1,2}[.:]\d{2}(?:[.:]\d{2})?|at|[ap]m|wa\d{4}`;
const STAMPS = String.raw`(?:[\s\-,]*(?:${STAMP}))*`;
const DEVICE_NAME = new RegExp(String.raw`^(?:${DEVICE_WORDS})[\s\-,]*\d${STAMPS}$`, 'i');
/** Alone, only the words no film is likely to be called by: `Doc`, `Photo` and `Poster` stay titles. */
const BARE_DEVICE_NAME = /^(?:image|document|scan|untitled|new\s+scan|scanned\s+(?:document|image)|screenshot|whatsapp\s+(?:image|photo))$/i;
/**
 * A name of counters and timestamps alone: a date (`20231105_142233`, `2023-11-05 14.22.33`) or a
 * counter with leading zeros (`00012`). Numbers that are titles and years (`2001 1968`, `1941`,
 * `2046`, `1984 1984`) are not.
 */
const STAMPS_ONLY = new RegExp(String.raw`^(?:${STAMP})${STAMPS}$`, 'i');
const TIMESTAMP = /^0|\d{6,}|\d{4}[-.]\d{1,2}[-.]\d{1,2}|\d{1,2}[-.]\d{1,2}[-.]\d{4}/;
/** A word of a device's that is a word too, with a year: `Doc 1971`, `Photo 1957` are a title and its year, `IMG_1958` a counter. */
const WORD_AND_YEAR = /^(?:picture|image|photo|document|doc|poster|scan(?:ned)?)[\s\-,]+(\d{4})$/i;
const deviceName = (stem: string): boolean => {
  if (validYear(WORD_AND_YEAR.exec(stem)?.[1]) !== null) return false;
  return DEVICE_NAME.test(stem) || BARE_DEVICE_NAME.test(stem) || (STAMPS_ONLY.test(stem) && TIMESTAMP.test(stem));
};
/** A camera's or scanner's name before or after a title (`IMG_0412 Vertigo`, `scan_001_vertigo`, `Vertigo DSC01234`). */
const DEVICE_PREFIX = /^(?:img|pxl|dsc[fn]?|gopr|cci|epson|scn|scan)\s?\d{3,}[\s\-–]+(?=\p{L})/iu;
/** A sheet's name before the title (`one-sheet-godzilla-1998`, `lobby card - Vertigo`, `27x41 Vertigo`): only names no title starts with. */
const LEADING_SHEET = /^(?:(?:one|half|three|six)[- ]?sheet|(?:lobby|window)[- ]?cards?|\d{2,4}\s?x\s?\d{2,4})[\s\-–,:]+(?=\p{L})/iu;
const DEVICE_SUFFIX = /(?<=\p{L})[\s\-–]+(?:img|pxl|dsc[fn]?|gopr|cci|epson|scn|scan)\s?\d{3,}$/iu;
/** Catalogue and database numbers (`tt0095756`, `SKU-12345`): no title either. Five digits at least, so `THX 1138` stays a title. */
const ID_NAME = /^(?:tt\d{7,8}|[a-z]{1,4}[\s\-#]?\d{5,})$/i;
const noTitle = (text: string): boolean => DEVICE_NAME.test(text) || BARE_DEVICE_NAME.test(text) || ID_NAME.test(text);

function removeTrailingTags(text: string): string {
  let out = text;
  let afterTag = false;
  for (;;) {
    // `vertigo us one-sheet`: a lowercase country code is a tag when it stands before one.
    const tags = afterTag ? [...TRAILING_TAGS, TRAILING_COUNTRY_ANY_CASE] : TRAILING_TAGS;
    const next = tags.reduce((t, tag) => (t === out ? t.replace(tag, '') : t), out);
    afterTag = true;
    // A tag word that is the whole title is the title (`It`, `Us`, `Insert`).
    if (next === out || !/[\p{L}\p{N}]/u.test(next)) return out;
    out = next;
  }
}

function tidyTitle(raw: string): string | null {
  let title = raw.trim().replace(DEVICE_PREFIX, '').replace(DEVICE_SUFFIX, '').replace(LEADING_SHEET, '').replace(TAG_BRACKET, ' ');
  title = title.replace(/\(\s*\)|\[\s*\]/g, ' ');
  title = title.replace(/^[\s\-–,;:]+|[\s\-–,;:]+$/g, '').replace(/\s+/g, ' ');
  title = removeTrailingTags(title);
  title = title.replace(/^[\s\-–,;:]+|[\s\-–,;:([]+$/g, '').trim();
  // An opening bracket whose closing one went with the year: `Alien (Director's Cut 1979)`.
  if (!/[\p{L}\p{N}]/u.test(title)) return null;
  // All-lowercase names (vertigo_1958) read better title-cased; names with capitals are kept as written.
  if (title === title.toLowerCase()) title = title.replace(/(^|\s)(\p{L})/gu, (_m, sp: string, c: string) => sp + c.toUpperCase());
  return title;
}

/** Underscores always, and dots or hyphens too when the name uses them between words instead of spaces. */
function separatorsToSpaces(stem: string): string {
  let s = stem.replace(/_+/g, ' ');
  if (!/\s/.test(s)) {
    // `vertigo.1958`, `The.Day.The.Earth.Stood.Still.1951`; a lone dot (`2.0`) is not a separator.
    if ((s.match(/\./g) ?? []).length >= 1 && /[\p{L}\p{N}]{2,}\.[\p{L}\p{N}]{2,}/u.test(s)) s = s.replace(/\.+/g, ' ');
    if (!/\s/.test(s) && (s.match(/-/g) ?? []).length >= 2) s = s.replace(/-+/g, ' ');
  }
  return s.replace(/\s+/g, ' ').trim();
}

interface YearMatch {
  year: number;
  start: number;
  end: number;
}

/** The year: a bracketed year first, then a leading `1958 - Title`, then the last plausible year. */
function findYear(stem: string): YearMatch | null {
  const bracketed = [...stem.matchAll(/[([]\s*(\d{4})\s*[)\]]/g)].find((m) => validYear(m[1]) !== null);
  if (bracketed?.index !== undefined) return { year: Number(bracketed[1]), start: bracketed.index, end: bracketed.index + bracketed[0].length };
  const all = [...stem.matchAll(/(?<![\p{L}\p{N}.])(\d{4})(?![\p{L}\p{N}]|\.\d)/gu)].filter((m) => validYear(m[1]) !== null && m.index !== undefined);
  const leading = all.find((m) => m.index === 0 && /^\d{4}\s*[-–_]\s*\S/.test(stem));
  const chosen = leading ?? all.at(-1);
  if (!chosen || chosen.index === undefined) return null;
  return { year: Number(chosen[1]), start: chosen.index, end: chosen.index + 4 };
}

/**
 * `Vertigo (1958).jpg`, `1958 - Vertigo.jpg`, `vertigo_1958_one-sheet.jpg` → { Vertigo, 1958 }.
 * The title is what stands before the year (or after it, when the year comes first); what follows
 * the year is the vendor's.
 */
/** What a file manager puts before a copy's name (`Copy of Vertigo`, `Copy (2) of Vertigo`): not the title's. */
const COPY_OF = /^copy(?:\s*\(\d+\))?\s+of\s+/i;
/**
 * …and after it: Windows' `Vertigo - Copy (2)`, macOS' `Vertigo copy 2` (a number of one or two
 * digits: `certified copy 2010` is a film and its year), a browser's `Vertigo (1)`. A bare
 * trailing `copy` stays: `Certified Copy`, `certified_copy.jpg` are titles.
 */
const COPY_SUFFIX = /(?:\s*-\s*[Cc]opy(?:\s*\(\d{1,2}\))?|\s+copy\s+\d{1,2}|\s*\(\d{1,2}\))$/;

export function parseFileName(fileName: string): { title: string | null; year: number | null } {
  const stem = separatorsToSpaces(fileName.replace(/\.[^.\s]{1,5}$/, ''))
    .replace(COPY_OF, '')
    .replace(COPY_SUFFIX, '');
  if (deviceName(stem)) return { title: null, year: null };
  const match = findYear(stem);
  if (!match) return { title: noTitle(stem) ? null : tidyTitle(stem), year: null };
  const before = stem.slice(0, match.start);
  const after = stem.slice(match.end);
  // Year first: the title runs to the next ` - <year>` (a re-release's), where the vendor's part begins.
  let title = tidyTitle(before) ?? tidyTitle(after.replace(/\s[-–]\s*(\d{4})\b.*$/, (all, y: string) => (validYear(y) === null ? all : '')));
  if (title !== null && noTitle(title)) title = null;
  return { title, year: match.year };
}
