import { describe, expect, it } from 'vitest';
import { decodeText, detectEncoding } from './textEncoding';

describe('detectEncoding', () => {
  it('trusts a BOM, then valid UTF-8, then NUL patterns of UTF-16, else Windows-1252', () => {
    expect(detectEncoding(Buffer.from('\ufeffAmélie', 'utf8'))).toEqual({ encoding: 'utf-8', bom: true });
    expect(detectEncoding(Buffer.from('Amélie', 'utf8'))).toEqual({ encoding: 'utf-8', bom: false });
    expect(detectEncoding(Buffer.from('\ufeffAmélie', 'utf16le'))).toEqual({ encoding: 'utf-16le', bom: true });
    expect(detectEncoding(Buffer.from('\ufeffAmélie', 'utf16le').swap16())).toEqual({ encoding: 'utf-16be', bom: true });
    expect(detectEncoding(Buffer.from('file,title\r\n', 'utf16le'))).toEqual({ encoding: 'utf-16le', bom: false });
    expect(detectEncoding(Buffer.from([0x41, 0x6d, 0xe9, 0x6c]))).toEqual({ encoding: 'windows-1252', bom: false });
  });

  it('decodes Windows-1252 with its own characters (not Latin-1) and warns', () => {
    const { text, warning } = decodeText(Buffer.from([0x80, 0x20, 0x93, 0x4f, 0x4b, 0x94, 0x20, 0xe9]), 'x.csv');
    expect(text).toBe('€ “OK” é');
    expect(warning).toMatch(/^x\.csv: not UTF-8; read as Windows-1252/);
    expect(decodeText(Buffer.from('\ufeffé', 'utf8'), 'y.csv')).toEqual({ text: 'é', encoding: 'utf-8', warning: null });
  });
});
