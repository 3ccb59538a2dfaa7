import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { POSTERS, decompressionBomb, lowContrastLookalikes, posterFiles } from '../../../tests/helpers';
import { readJpegHeader } from './jpegHeader';
import { analyseJpeg, MediaError, rescanJpeg } from './media';
import { hammingDistance, layoutCorrelation, PhashIndex, sameLayout } from './phash';

const poster = (i: number) => readFileSync(join(POSTERS, posterFiles()[i] as string));

describe('readJpegHeader', () => {
  it('reads frame size and EXIF orientation as sharp does', async () => {
    for (const orientation of [1, 3, 6, 8]) {
      const jpeg = await rescanJpeg(poster(0), { width: 300, height: 450, quality: 80, orientation });
      const meta = await sharp(jpeg).metadata();
      expect(readJpegHeader(jpeg)).toEqual({ width: meta.width, height: meta.height, orientation: meta.orientation ?? 1 });
    }
  });
  it('returns null for non-JPEG data and cut-off headers', async () => {
    expect(readJpegHeader(Buffer.from('hello'))).toBeNull();
    expect(readJpegHeader(await sharp(poster(0)).png().toBuffer())).toBeNull();
    expect(readJpegHeader(poster(0).subarray(0, 40))).toBeNull();
  });
});

describe('analyseJpeg', () => {
  it('gives a specific reason for each kind of unusable file', async () => {
    const reasonOf = async (data: Buffer) =>
      analyseJpeg(data).then(
        () => 'ok',
        (e: MediaError) => `${e.code}: ${e.reason}`,
      );
    expect(await reasonOf(Buffer.alloc(0))).toBe('empty: empty file (0 bytes)');
    expect(await reasonOf(await sharp(poster(0)).webp().toBuffer())).toBe('not-jpeg: not a JPEG: the file holds WEBP data');
    expect(await reasonOf(decompressionBomb(poster(0), 20000, 20000))).toMatch(/^too-large: image is 20000×20000 \(400 MP\)/);
    expect(await reasonOf(poster(1).subarray(0, 3000))).toMatch(/^corrupt: truncated JPEG/);
    const junk = Buffer.alloc(4000);
    for (let i = 0; i < junk.length; i++) junk[i] = (i * 7919 + 13) % 251;
    expect(await reasonOf(Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), junk]))).toBe(
      'corrupt: damaged JPEG: it starts as a JPEG, but no readable header follows',
    );
    expect(await reasonOf(junk)).toBe('not-image: not an image file (no JPEG or other image data found)');
  });
});

describe('perceptual hash', () => {
  it('keeps rescans of one poster close and different posters apart', async () => {
    const hashes = await Promise.all(posterFiles().map((_, i) => analyseJpeg(poster(i)).then((a) => a.phash)));
    for (let i = 0; i < hashes.length; i++) {
      const rescan = await rescanJpeg(poster(i), { width: 900, height: 1350, quality: 55 });
      expect(hammingDistance(hashes[i] as string, (await analyseJpeg(rescan)).phash)).toBeLessThanOrEqual(4);
      for (let j = i + 1; j < hashes.length; j++) expect(hammingDistance(hashes[i] as string, hashes[j] as string)).toBeGreaterThan(12);
    }
  });
  it('finds the nearest indexed hash within the distance only', () => {
    const index = new PhashIndex<string>(8);
    index.add('ffffffff00000000', 'a');
    index.add('0f0f0f0f0f0f0f0f', 'b');
    expect(index.nearest('ffffffff00000007')).toEqual({ ref: 'a', distance: 3 });
    expect(index.nearest('00000000ffffffff')).toBeNull();
  });
  it('does not link low-contrast posters whose hashes agree by chance, and still links a rescan of one', async () => {
    const [a, b] = await lowContrastLookalikes();
    const first = await analyseJpeg(a);
    const other = await analyseJpeg(b);
    const rescan = await analyseJpeg(await rescanJpeg(a, { width: 600, height: 900, quality: 60 }));
    // The hash alone would link the two different posters…
    expect(hammingDistance(first.phash, other.phash)).toBeLessThanOrEqual(8);
    // …their layouts do not agree, a rescan's does.
    expect(layoutCorrelation(first.layout, other.layout)).toBeLessThan(0.6);
    expect(sameLayout(first.layout, other.layout)).toBe(false);
    expect(sameLayout(first.layout, rescan.layout)).toBe(true);
    const index = new PhashIndex<string>(8);
    index.add(first.phash, 'first', first.layout);
    expect(index.nearest(other.phash, other.layout)).toBeNull();
    expect(index.nearest(rescan.phash, rescan.layout)?.ref).toBe('first');
    // A poster catalogued before layouts were kept: the hash alone decides, as it did.
    const old = new PhashIndex<string>(8);
    old.add(first.phash, 'old');
    expect(old.nearest(other.phash, other.layout)?.ref).toBe('old');
  });
  it('compares flat sheets by the hash alone, and never links a flat sheet to a poster with a picture', () => {
    const flat = new Uint8Array(64).fill(250);
    const alsoFlat = new Uint8Array(64).fill(252);
    const picture = Uint8Array.from({ length: 64 }, (_, i) => (i % 3) * 60);
    expect(sameLayout(flat, alsoFlat)).toBe(true);
    expect(sameLayout(flat, picture)).toBe(false);
    expect(sameLayout(picture, picture)).toBe(true);
    expect(sameLayout(null, picture)).toBe(true);
  });
});
