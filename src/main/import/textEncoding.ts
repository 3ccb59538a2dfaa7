/**
 * The encoding of a vendor's text file (sidecar CSVs): a BOM says it outright; otherwise valid
 * UTF-8 is UTF-8, a file of every-other-byte NULs is BOM-less UTF-16, and anything else is read as
 * Windows-1252 — what Excel on Windows writes for "CSV" — with a warning that says so. Decoding is
 * the WHATWG decoders Node ships (TextDecoder), not a table of our own.
 */
export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

/** UTF-16 without a BOM: ASCII text puts a NUL in every other byte; look for that in the first 4 KB. */
function utf16WithoutBom(bytes: Buffer): TextEncoding | null {
  const n = Math.min(bytes.length, 4096) & ~1;
  if (n < 4) return null;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenNul++;
    if (bytes[i + 1] === 0) oddNul++;
  }
  const pairs = n / 2;
  if (oddNul > pairs * 0.4 && evenNul < pairs * 0.05) return 'utf-16le';
  if (evenNul > pairs * 0.4 && oddNul < pairs * 0.05) return 'utf-16be';
  return null;
}

export function detectEncoding(bytes: Buffer): { encoding: TextEncoding; bom: boolean } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8', bom: true };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', bom: true };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', bom: true };
  const utf16 = utf16WithoutBom(bytes);
  if (utf16) return { encoding: utf16, bom: false };
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return { encoding: 'utf-8', bom: false };
  } catch {
    return { encoding: 'windows-1252', bom: false };
  }
}

/** The text (BOM removed) and, when the encoding had to be guessed, a warning naming the file. */
export function decodeText(bytes: Buffer, file: string): { text: string; encoding: TextEncoding; warning: string | null } {
  const { encoding } = detectEncoding(bytes);
  const text = new TextDecoder(encoding).decode(bytes); // drops a BOM of its own encoding
  const warning =
    encoding === 'windows-1252'
      ? `${file}: not UTF-8; read as Windows-1252 (Excel's "CSV" on Windows). Check accented titles, or save it as "CSV UTF-8"`
      : null;
  return { text, encoding, warning };
}
