/** Sidecar CSVs a vendor puts beside the scans: title and year per file name. */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseCsv } from '../csv/csv';
import { messageOf } from '../errors';
import { validYear } from './filename';

export interface SidecarEntry {
  title: string | null;
  year: number | null;
}

const FILE_COLUMNS = ['file', 'filename', 'file_name', 'file name', 'image', 'image_file', 'path', 'file_path'];
const TITLE_COLUMNS = ['title', 'film', 'movie', 'name'];
const YEAR_COLUMNS = ['year', 'release_year', 'release year', 'released'];

const findColumn = (header: string[], names: string[]): number => header.findIndex((h) => names.includes(h.toLowerCase().trim()));

/** Entries by lower-cased file name; warnings name the file, the line and the reason. */
export async function readSidecars(files: string[]): Promise<{ entries: Map<string, SidecarEntry>; warnings: string[] }> {
  const entries = new Map<string, SidecarEntry>();
  const warnings: string[] = [];
  for (const file of files) {
    let parsed;
    try {
      parsed = parseCsv(await readFile(file, 'utf8'));
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
      if (rawYear && year === null) warnings.push(`${file} line ${row.line}: "${rawYear}" is not a year; ignored`);
      const title = titleCol >= 0 ? row.cells[titleCol]?.trim() || null : null;
      entries.set(basename(name.replaceAll('\\', '/')).toLowerCase(), { title, year });
    }
  }
  return { entries, warnings };
}
