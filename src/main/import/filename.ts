/** Title and year from a scan's file name, when no sidecar CSV says otherwise. */

const SUFFIXES =
  /\b(one[- ]?sheet|half[- ]?sheet|insert|lobby[- ]?card|quad|poster|scan|final|hi[- ]?res|print|teaser|advance|style[- ]?[a-z]|re[- ]?release|us|uk|fr|it|de)\b/gi;

export const MIN_YEAR = 1880;
export const maxYear = (): number => new Date().getFullYear() + 2;

export function validYear(value: string | number | null | undefined): number | null {
  const year = typeof value === 'number' ? value : Number.parseInt(String(value ?? '').trim(), 10);
  return Number.isInteger(year) && year >= MIN_YEAR && year <= maxYear() ? year : null;
}

function tidyTitle(raw: string): string | null {
  let title = raw
    .replace(SUFFIXES, ' ')
    .replace(/[_.]+/g, ' ')
    .replace(/\s+-\s*$|^\s*-\s+/g, ' ');
  title = title
    .replace(/[\s\-–(),[\]]+$/g, '')
    .replace(/^[\s\-–(),[\]]+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (!title) return null;
  // All-lowercase names (vertigo_1958) read better title-cased; names with capitals are kept as written.
  if (title === title.toLowerCase()) title = title.replace(/(^|\s)(\p{L})/gu, (_m, sp: string, c: string) => sp + c.toUpperCase());
  return title;
}

/**
 * `Vertigo (1958).jpg`, `1958 - Vertigo.jpg`, `vertigo_1958_one-sheet.jpg` → { Vertigo, 1958 }.
 * The year is the last plausible four-digit year in the name; the title is what stands beside it.
 */
export function parseFileName(fileName: string): { title: string | null; year: number | null } {
  const stem = fileName.replace(/\.[^.]+$/, '');
  const matches = [...stem.matchAll(/(?<![\d])(\d{4})(?![\d])/g)].filter((m) => validYear(m[1]) !== null);
  const match = matches.at(-1);
  if (!match || match.index === undefined) return { title: tidyTitle(stem), year: null };
  const before = stem.slice(0, match.index);
  const after = stem.slice(match.index + 4);
  const title = tidyTitle(before) ?? tidyTitle(after);
  return { title, year: validYear(match[1]) };
}
