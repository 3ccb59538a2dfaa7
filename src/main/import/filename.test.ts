import { describe, expect, it } from 'vitest';
import { parseFileName } from './filename';

describe('parseFileName', () => {
  it.each([
    ['Vertigo (1958).jpg', 'Vertigo', 1958],
    ['1958 - Vertigo.jpg', 'Vertigo', 1958],
    ['vertigo_1958_one-sheet.jpg', 'Vertigo', 1958],
    ['North by Northwest [1959] half-sheet.JPEG', 'North by Northwest', 1959],
    ['2001 A Space Odyssey (1968).jpg', '2001 A Space Odyssey', 1968],
    ['the_day_the_earth_stood_still.jpg', 'The Day The Earth Stood Still', null],
    ['IMG_4711.jpg', 'IMG 4711', null],
    ['Metropolis 1927.jpg', 'Metropolis', 1927],
  ])('%s → %s (%s)', (name, title, year) => {
    expect(parseFileName(name)).toEqual({ title, year });
  });
  it('ignores numbers that cannot be years', () => {
    expect(parseFileName('scan_9999.jpg').year).toBeNull();
    expect(parseFileName('scan_1234.jpg').year).toBeNull();
  });
});
