/** Sidecar CSVs a vendor puts beside the scans: title and year per file name. */
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseCsv } from '../csv/csv';
import { messageOf } from '../errors';
import { validYear } from './filename';
import { decodeText } from './textEncoding';

export interface SidecarEntry {
  title: string | null;
  year: number | null;
}

const FILE_COLUMNS = ['file', 'filename', 'file_name', 'file name', 'image', 'image_file', 'path', 'file_path'];
const TITLE_COLUMNS = ['title', 'film', 'movie', 'name'];
const YEAR_COLUMNS = ['year', 'release_year', 'release year', 'released'];
/** Longer "titles" are a wrong column or a pasted description; kept cut, with a warning. */
export const MAX_TITLE_LENGTH = 300;
/** A sidecar is a list of file names and titles; one this large is not one (and is not read whole). */
export const MAX_SIDECAR_BYTES = 32 * 1024 * 1024;

const findColumn = (header: string[], names: string[]): number => header.findIndex((h) => names.includes(h.toLowerCase().trim()));

/**
 * Entries by lower-cased file name; warnings name the file, the line and the reason.
 * `open` gives the path to read for a listed file (its bytes, when its name is not UTF-8).
 */
export async function readSidecars(
  files: string[],
  open: (file: string) => string | Buffer = (f) => f,
): Promise<{ entries: Map<string, SidecarEntry>; warnings: string[] }> {
  const entries = new Map<string, SidecarEntry>();
  const warnings: string[] = [];
  for (const file of files) {
    let parsed;
    try {
      const size = (await stat(open(file))).size;
      if (size > MAX_SIDECAR_BYTES) {
        warnings.push(`${file}: ${Math.round(size / 2 ** 20)} MB is too large for a sidecar (limit ${MAX_SIDECAR_BYTES / 2 ** 20} MB); not used`);
        continue;
      }
      const decoded = decodeText(await readFile(open(file)), file);
      if (decoded.warning) warnings.push(decoded.warning);
      parsed = parseCsv(decoded.text);
    } catch (error) {
      warnings.push(`${file}: cannot be read (${messageOf(error)})`);
      continue;
    }
    const fileCol = findColumn(parsed.header, FILE_COLUMNS);
    if (fileCol < 0) {
      warnings.push(`${file}: no file-name column (expected one of: ${FILE_COLUMNS.join(', ')}); not used`);
      continue;
    }
    const titleCol = findColumn(parsed.header, TITLE_COLUMNS);
    const yearCol = findColumn(parsed.header, YEAR_COLUMNS);
    for (const e of parsed.errors) warnings.push(`${file} line ${e.line}: ${e.reason}`);
    for (const row of parsed.rows) {
      const name = row.cells[fileCol]?.trim();
      if (!name) continue;
      const rawYear = yearCol >= 0 ? (row.cells[yearCol]?.trim() ?? '') : '';
      const year = validYear(rawYear);
      if (rawYear && year === null) warnings.push(`${file} line ${row.line}: "${rawYear.slice(0, 40)}" is not a year; ignored`);
      let title = titleCol >= 0 ? row.cells[titleCol]?.trim() || null : null;
      if (title && title.length > MAX_TITLE_LENGTH) {
        warnings.push(`${file} line ${row.line}: title of ${title.length} characters cut to ${MAX_TITLE_LENGTH}`);
        title = Array.from(title).slice(0, MAX_TITLE_LENGTH).join('').trimEnd(); // by code point: no half emoji
      }
      entries.set(basename(name.replaceAll('\\', '/')).toLowerCase(), { title, year });
    }
  }
  return { entries, warnings };
}
