import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { EXPORT_COLUMN_NAMES } from '../../../../shared/exportColumns';
import type { ExportPreview } from '../../../../shared/types';
import { ExportColumns } from './ExportColumns';
import { ExportCaveats } from './ExportScreen';

const text = (preview: ExportPreview) =>
  renderToStaticMarkup(createElement(ExportCaveats, { preview }))
    .replace(/<style[^>]*>[\s\S]*?<\/style>/g, '') // MUI's emotion CSS, when rendered on a server
    .replace(/<[^>]+>/g, '')
    .replaceAll('&#x27;', "'");

describe('the export preview', () => {
  it('says what in the export the shop may not expect, each with where to change it', () => {
    const said = text({ rows: 72, unreviewed: 25, untitled: 1, noGenres: 3, pairedCopies: 2 });
    expect(said).toContain("25 posters not reviewed: their genres are the model's suggestions");
    expect(said).toContain('1 poster without a title (give it one in the Library)');
    expect(said).toContain('3 posters with no genre: the shop cannot file them under one');
    expect(said).toContain('2 posters in near-duplicate pairs nobody has resolved: both copies of each are exported');
  });

  it('says nothing when every row is plain', () => {
    expect(text({ rows: 72, unreviewed: 0, untitled: 0, noGenres: 0, pairedCopies: 0 })).toBe('');
  });
});

describe('the export column tick boxes', () => {
  const html = renderToStaticMarkup(createElement(ExportColumns, { chosen: new Set(['id', 'genre_source']), onChange: () => undefined })).replace(
    /<style[^>]*>[\s\S]*?<\/style>/g,
    '',
  );
  /** The text of the element with `id`, its nested elements included. */
  const textOf = (id: string) => {
    const at = html.indexOf(`id="${id}"`);
    expect(at, `no element with id ${id}`).toBeGreaterThan(-1);
    const start = html.indexOf('>', at) + 1;
    const tags = /<(\/?)\w+[^>]*?(\/?)>/g;
    tags.lastIndex = start;
    for (let depth = 1, tag = tags.exec(html); tag; tag = tags.exec(html)) {
      if (tag[1]) depth--;
      else if (!tag[2]) depth++;
      if (depth === 0) return html.slice(start, tag.index).replace(/<[^>]+>/g, '');
    }
    throw new Error(`element ${id} is not closed`);
  };
  const boxes = [...html.matchAll(/<input[^>]*>/g)].map(([input]) => ({
    checked: / checked=""/.test(input),
    name: textOf(/aria-labelledby="([^"]+)"/.exec(input)?.[1] ?? ''),
    description: textOf(/aria-describedby="([^"]+)"/.exec(input)?.[1] ?? ''),
  }));

  it('names each box in words, with its CSV header as the description a screen reader reads after it', () => {
    expect(boxes).toHaveLength(EXPORT_COLUMN_NAMES.length);
    expect(boxes.find((b) => b.description === 'CSV header genre_source')).toEqual({
      checked: true,
      name: 'Where the genres came from',
      description: 'CSV header genre_source',
    });
    expect(boxes.find((b) => b.description === 'CSV header sha256')).toMatchObject({ checked: false, name: 'Fingerprint of the scan (finds identical files)' });
    // Every column in words of its own, never the raw field name again; every header shown as it is written.
    for (const [k, column] of EXPORT_COLUMN_NAMES.entries()) {
      expect(boxes[k]?.description).toBe(`CSV header ${column}`);
      expect(boxes[k]?.name).not.toMatch(/_/);
    }
    expect(new Set(boxes.map((b) => b.name)).size).toBe(boxes.length);
    expect(html).toMatch(/<legend[^>]*>Columns in the file<\/legend>/);
  });
});
