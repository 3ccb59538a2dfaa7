import { describe, expect, it } from 'vitest';
import { joinPath, rootOf, splitPath } from './hostPath';

describe('host paths in the page', () => {
  it('finds the top of the disk a path is on, on Linux, macOS and Windows', () => {
    expect(rootOf('/home/dealer')).toBe('/');
    expect(rootOf('/')).toBe('/');
    expect(rootOf('C:\\Users\\dealer')).toBe('C:\\');
    expect(rootOf('d:/shop')).toBe('d:/');
    expect(rootOf('\\\\shop-pc\\scans\\acme')).toBe('\\\\shop-pc\\scans\\');
    expect(rootOf('\\\\shop-pc\\scans')).toBe('\\\\shop-pc\\scans\\');
  });

  it('takes a path apart and puts it together with the separator the host used', () => {
    expect(splitPath('/home/dealer/shop.csv')).toEqual({ folder: '/home/dealer', name: 'shop.csv' });
    expect(splitPath('/shop.csv')).toEqual({ folder: '/', name: 'shop.csv' });
    expect(joinPath('C:\\Users\\dealer\\', 'shop.csv')).toBe('C:\\Users\\dealer\\shop.csv');
    expect(joinPath('/home/dealer', 'shop.csv')).toBe('/home/dealer/shop.csv');
  });
});
