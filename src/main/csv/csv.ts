/** RFC 4180 CSV: a writer safe for spreadsheets, and a tolerant reader for vendors' sidecar files. */

const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV cell. A cell a spreadsheet would run as a formula gets a leading apostrophe (OWASP's
 * advice) unless `guard` is off (a file for a shop's importer, which would keep the apostrophe in a
 * title such as "-30-"), and a cell with a delimiter, quote or line break is quoted with quotes doubled.
 */
export function csvCell(value: string | number | null | undefined, guard = true): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (guard && typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A cell as written before `csvCell` guarded it: the apostrophe before a formula's first character goes. */
export function unguardedCell(text: string): string {
  return text.startsWith("'") && FORMULA_START.test(text.slice(1)) ? text.slice(1) : text;
}

export function csvRow(values: readonly (string | number | null | undefined)[], guard = true): string {
  return `${values.map((v) => csvCell(v, guard)).join(',')}\r\n`;
}

export interface ParsedCsv {
  delimiter: string;
  header: string[];
  /** Each record with the line it started on (1-based, header is line 1). */
  rows: { line: number; cells: string[] }[];
  /** Problems found; the records around them are still returned. */
  errors: { line: number; reason: string }[];
}

function detectDelimiter(firstLine: string): string {
  const counts = [',', ';', '\t'].map((d) => [d, firstLine.split(d).length - 1] as const);
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0]?.[1] ? counts[0][0] : ',';
}

/** Parses CSV text: BOM stripped, `,` `;` or tab detected from the header, quoted fields, CRLF or LF. */
export function parseCsv(input: string): ParsedCsv {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const delimiter = detectDelimiter(text.slice(0, text.search(/\r?\n|$/)));
  const records: { line: number; cells: string[] }[] = [];
  const errors: ParsedCsv['errors'] = [];
  let cells: string[] = [];
  let cell = '';
  let line = 1;
  let recordLine = 1;
  let inQuotes = false;
  let quoteLine = 0;
  const endRecord = (): void => {
    cells.push(cell);
    if (!(cells.length === 1 && cells[0] === '')) records.push({ line: recordLine, cells });
    cells = [];
    cell = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else inQuotes = false;
      } else {
        if (ch === '\n') line++;
        cell += ch;
      }
    } else if (ch === '"' && cell === '') {
      inQuotes = true;
      quoteLine = line;
    } else if (ch === delimiter) {
      cells.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      cell += ch;
    }
  }
  if (inQuotes) errors.push({ line: quoteLine, reason: 'a quoted field is never closed' });
  else if (cell !== '' || cells.length > 0) endRecord();
  const [head, ...rows] = records;
  const header = (head?.cells ?? []).map((h) => h.trim());
  for (const row of rows) {
    if (row.cells.length !== header.length) {
      errors.push({ line: row.line, reason: `expected ${header.length} fields, found ${row.cells.length}` });
    }
  }
  errors.sort((a, b) => a.line - b.line);
  return { delimiter, header, rows, errors };
}
