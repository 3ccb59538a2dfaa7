import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { ExportPreview } from '../../../../shared/types';
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
