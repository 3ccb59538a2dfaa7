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
