import type { Migration } from './index';

/**
 * Where the poster is in its scan: the box and skew found at import (or drawn by staff), so a later
 * model or thumbnail size reuses them instead of looking again. `crop_state`: 'none' no margin was
 * found (the scan is the poster), 'detected' found at import, 'manual' drawn by staff, 'off' staff
 * use the whole scan. NULL for posters imported before this: they were hashed and thumbnailed from
 * the whole scan, and stay so until someone crops them. The box is in fractions of the scan as
 * displayed, measured in the frame turned by `crop_angle` (degrees, clockwise) about its centre.
 */
export const migration006: Migration = {
  version: 6,
  name: 'poster crop box and skew',
  sql: `
    ALTER TABLE posters ADD COLUMN crop_state TEXT CHECK (crop_state IN ('none', 'detected', 'manual', 'off'));
    ALTER TABLE posters ADD COLUMN crop_left REAL;
    ALTER TABLE posters ADD COLUMN crop_top REAL;
    ALTER TABLE posters ADD COLUMN crop_width REAL CHECK (crop_width > 0);
    ALTER TABLE posters ADD COLUMN crop_height REAL CHECK (crop_height > 0);
    ALTER TABLE posters ADD COLUMN crop_angle REAL;
  `,
};
