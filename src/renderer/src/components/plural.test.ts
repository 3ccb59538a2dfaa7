import { expect, it } from 'vitest';
import { count } from './plural';

it('puts the noun in the number of the count', () => {
  expect(count(1, 'poster')).toBe('1 poster');
  expect([0, 2].map((k) => count(k, 'poster'))).toEqual(['0 posters', '2 posters']);
  expect(count(3, 'copy', 'copies')).toBe('3 copies');
});
