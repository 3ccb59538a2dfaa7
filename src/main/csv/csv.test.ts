import { describe, expect, it } from 'vitest';
import { csvCell, csvRow, parseCsv } from './csv';

describe('csv writer', () => {
  it('quotes delimiters, quotes and line breaks (RFC 4180)', () => {
    expect(csvRow(['a', 'b,c', 'say "hi"', 'two\nlines', null, 3])).toBe('a,"b,c","say ""hi""","two\nlines",,3\r\n');
  });
  it('neutralises cells a spreadsheet would run as a formula', () => {
    for (const evil of ['=HYPERLINK("x")', '+1', '-2+3', '@SUM(A1)', '\tx', '\rx']) expect(csvCell(evil).replace(/^"/, '')).toMatch(/^'/);
    expect(csvCell(-5)).toBe('-5'); // numbers are data, not formulas
    expect(csvCell('Horror|Thriller')).toBe('Horror|Thriller');
  });
  it('round-trips through the parser', () => {
    const rows = [
      ['x', 'y'],
      ['1', 'a "quoted", value'],
      ['2', 'multi\r\nline'],
    ];
    const parsed = parseCsv(rows.map((r) => csvRow(r)).join(''));
    expect(parsed.errors).toEqual([]);
    expect(parsed.rows.map((r) => r.cells)).toEqual(rows.slice(1));
  });
});

describe('csv parser', () => {
  it('strips a BOM and detects semicolons', () => {
    const parsed = parseCsv('\uFEFFfile;title\nA.jpg;"B; C"\n');
    expect(parsed.delimiter).toBe(';');
    expect(parsed.header).toEqual(['file', 'title']);
    expect(parsed.rows[0]?.cells).toEqual(['A.jpg', 'B; C']);
  });
  it('reports the line of a row with the wrong number of fields and of an unclosed quote', () => {
    const parsed = parseCsv('a,b\n1,2\n3\n4,"never closed\n5,6\n');
    expect(parsed.errors).toEqual([
      { line: 3, reason: 'expected 2 fields, found 1' },
      { line: 4, reason: 'a quoted field is never closed' },
    ]);
    expect(parsed.rows[0]?.cells).toEqual(['1', '2']);
  });
});
