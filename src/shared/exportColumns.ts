/** The export's columns, in their fixed order (a chosen subset keeps this order). */
export const EXPORT_COLUMN_NAMES = [
  'id',
  'file_path',
  'title',
  'year',
  'decade',
  'genres',
  'genre_source',
  'suggestions',
  'model_version',
  'vendor',
  'sha256',
  'width',
  'height',
  'imported_at',
  'duplicate_of',
] as const;

export type ExportColumnName = (typeof EXPORT_COLUMN_NAMES)[number];

/**
 * Each column in words a shop person understands, for the Export screen's tick boxes (the CSV's
 * header stays beside them: it is what the shop's importer is set up with). A new column does not
 * compile without its words.
 */
export const EXPORT_COLUMN_WORDS: Record<ExportColumnName, string> = {
  id: 'Catalogue number',
  file_path: 'Scan file (where it is stored)',
  title: 'Film title',
  year: 'Year',
  decade: 'Decade',
  genres: 'Genres (confirmed, else suggested)',
  genre_source: 'Where the genres came from',
  suggestions: 'Genres the model suggested, with how sure it is',
  model_version: 'Which model suggested them',
  vendor: 'Vendor',
  sha256: 'Fingerprint of the scan (finds identical files)',
  width: 'Scan width in pixels',
  height: 'Scan height in pixels',
  imported_at: 'When it was imported',
  duplicate_of: 'Near-duplicate of poster number',
};
