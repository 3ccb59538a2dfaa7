import { describe, expect, it } from 'vitest';
import { posterName } from './posterName';

describe('posterName', () => {
  const poster = { id: 186, title: 'Dracula', path: '/scans/acme/dracula-02.jpg', vendor: 'Acme Posters', year: 1931 };
  it('names a poster by its title, vendor and year', () => {
    expect(posterName(poster)).toBe('Dracula (Acme Posters, 1931)');
    expect(posterName({ ...poster, vendor: null })).toBe('Dracula (1931)');
    expect(posterName({ ...poster, vendor: '  ', year: null })).toBe('Dracula');
  });
  it('takes the file name when there is no title, and the id only when there is nothing else', () => {
    expect(posterName({ ...poster, title: null })).toBe('dracula-02.jpg (Acme Posters, 1931)');
    expect(posterName({ ...poster, title: ' ', path: 'C:\\scans\\acme\\dracula-03.jpg', year: null })).toBe('dracula-03.jpg (Acme Posters)');
    expect(posterName({ id: 186, title: null, vendor: null, year: null })).toBe('poster 186');
  });
});
