import { describe, expect, it } from 'vitest';
import { parseFileName } from './filename';

/** Real-world names: vendors' habits, titles that are tag words, punctuation, other scripts. */
// One case per line reads better than prettier's wrapping.
// prettier-ignore
const NAMES: [string, string | null, number | null][] = [
  // The basic forms.
  ['Vertigo (1958).jpg', 'Vertigo', 1958],
  ['1958 - Vertigo.jpg', 'Vertigo', 1958],
  ['vertigo_1958_one-sheet.jpg', 'Vertigo', 1958],
  ['North by Northwest [1959] half-sheet.JPEG', 'North by Northwest', 1959],
  ['2001 A Space Odyssey (1968).jpg', '2001 A Space Odyssey', 1968],
  ['the_day_the_earth_stood_still.jpg', 'The Day The Earth Stood Still', null],
  ['Metropolis 1927.jpg', 'Metropolis', 1927],
  // Titles that are (or hold) vendor words.
  ["It's a Mad, Mad, Mad, Mad World (1963).jpg", "It's a Mad, Mad, Mad, Mad World", 1963],
  ['The Final Countdown (1980).jpg', 'The Final Countdown', 1980],
  ["Aux frontières de l'Homme (1953).jpg", "Aux frontières de l'Homme", 1953],
  ['It (2017).jpg', 'It', 2017],
  ['It 2017.jpg', 'It', 2017],
  ['It Came from Outer Space (1953).jpg', 'It Came from Outer Space', 1953],
  ['Us (2019).jpg', 'Us', 2019],
  ['Insert (1975).jpg', 'Insert', 1975],
  ['Scanners (1981) one-sheet.jpg', 'Scanners', 1981],
  ['Quadrophenia 1979 UK quad.jpg', 'Quadrophenia', 1979],
  ['Take It or Leave It (1944).jpg', 'Take It or Leave It', 1944],
  ['Some Like It Hot (1959) US.jpg', 'Some Like It Hot', 1959],
  ['The Advance to the Rear (1964).jpg', 'The Advance to the Rear', 1964],
  ['Final Destination (2000) teaser.jpg', 'Final Destination', 2000],
  ['Poster Boy (2004).jpg', 'Poster Boy', 2004],
  ['Die Hard (1988) DE.jpg', 'Die Hard', 1988],
  ['Die Another Day (2002).jpg', 'Die Another Day', 2002],
  ['Le Mépris (1963) FR grande.jpg', 'Le Mépris', 1963],
  ['Deep Red (1975) IT 2-fogli.jpg', 'Deep Red', 1975],
  ['The Print of Evil (1954).jpg', 'The Print of Evil', 1954],
  // Punctuation that belongs to the title.
  ['Mr. Smith Goes to Washington (1939).jpg', 'Mr. Smith Goes to Washington', 1939],
  ['2.0 (2018).jpg', '2.0', 2018],
  ['E.T. the Extra-Terrestrial (1982).jpg', 'E.T. the Extra-Terrestrial', 1982],
  ['Dr. Strangelove or: How I Learned to Stop Worrying and Love the Bomb (1964).jpg', 'Dr. Strangelove or: How I Learned to Stop Worrying and Love the Bomb', 1964],
  ['M*A*S*H (1970).jpg', 'M*A*S*H', 1970],
  ['Spider-Man (2002).jpg', 'Spider-Man', 2002],
  ['Who Framed Roger Rabbit? (1988).jpg', 'Who Framed Roger Rabbit?', 1988],
  ['Airplane! 1980 one sheet.jpg', 'Airplane!', 1980],
  ['Monsieur Hulot’s Holiday (1953).jpg', 'Monsieur Hulot’s Holiday', 1953],
  ['Borat (Cultural Learnings of America) (2006).jpg', 'Borat (Cultural Learnings of America)', 2006],
  ['Les Misérables (Les Miserables) 1935.jpg', 'Les Misérables (Les Miserables)', 1935],
  ['Star Wars - Episode IV (1977).jpg', 'Star Wars - Episode IV', 1977],
  ['Ocean’s Eleven, 1960.jpg', 'Ocean’s Eleven', 1960],
  // Dots and hyphens as separators.
  ['vertigo.1958.jpg', 'Vertigo', 1958],
  ['The.Day.The.Earth.Stood.Still.1951.jpg', 'The Day The Earth Stood Still', 1951],
  ['the-thing-1982-one-sheet.jpg', 'The Thing', 1982],
  ['Mr.Smith.Goes.To.Washington.1939.poster.jpg', 'Mr Smith Goes To Washington', 1939],
  // Vendor tags in several places.
  ['Vertigo (1958) [US one-sheet].jpg', 'Vertigo', 1958],
  ['Vertigo [US one-sheet] (1958).jpg', 'Vertigo', 1958],
  ['Vertigo (Teaser) (1958).jpg', 'Vertigo', 1958],
  ['Vertigo US one-sheet 1958.jpg', 'Vertigo', 1958],
  ['vertigo us one-sheet.jpg', 'Vertigo', null],
  ['Vertigo - final scan.jpg', 'Vertigo', null],
  ['Psycho_1960_insert_hi-res.jpg', 'Psycho', 1960],
  ['Psycho 1960 R1969 reissue.jpg', 'Psycho', 1960],
  ['Alien 1979 advance style-a 27x41.jpg', 'Alien', 1979],
  ['Jaws (1975) lobby card 3.jpg', 'Jaws', 1975],
  ['Casablanca poster.jpg', 'Casablanca', null],
  ['Casablanca (poster).jpg', 'Casablanca', null],
  // Non-Latin scripts.
  ['七人の侍 (1954).jpg', '七人の侍', 1954],
  ['Андрей Рублёв 1966.jpg', 'Андрей Рублёв', 1966],
  ['броненосец потёмкин 1925.jpg', 'Броненосец Потёмкин', 1925],
  ['Ο Θίασος (1975).jpg', 'Ο Θίασος', 1975],
  ['قصة حب (1959).jpg', 'قصة حب', 1959],
  ['花樣年華 2000 HK.jpg', '花樣年華', 2000],
  ['심야의 FM.jpg', '심야의 FM', null],
  // No year; two years; numbers that are not years.
  ['Casablanca.jpg', 'Casablanca', null],
  ['1984 (1956).jpg', '1984', 1956],
  ['1941 (1979).jpg', '1941', 1979],
  ['Blade Runner 2049 (2017).jpg', 'Blade Runner 2049', 2017],
  ['Vertigo (1958) (1996 re-release).jpg', 'Vertigo', 1958],
  ['1958 - Vertigo - 1983 reissue.jpg', 'Vertigo', 1958],
  ['Fahrenheit 451 (1966).jpg', 'Fahrenheit 451', 1966],
  ['Apollo 13.jpg', 'Apollo 13', null],
  // Camera and scanner names carry no title.
  ['IMG_4711.jpg', null, null],
  ['IMG_0412.jpg', null, null],
  ['scan 12.jpg', null, null],
  ['DSC01234.JPG', null, null],
  ['tt0095756.jpg', null, null],
  ['SKU-104233.jpg', null, null],
  ['AB_20871 (1962).jpg', null, 1962],
  ['THX 1138 (1971).jpg', 'THX 1138', 1971],
  ['THX1138.jpg', 'THX1138', null],
  ['Scan_0003 (1958).jpg', null, 1958],
  // Phones, scanners and apps name files themselves: no title, and their date is the scan's, not the film's year.
  ['IMG_20231105_142233.jpg', null, null],
  ['PXL_20231105_142233123.jpg', null, null],
  ['20231105_142233.jpg', null, null],
  ['IMG-20231105-WA0012.jpg', null, null],
  ['Scan 2023-11-05 14.22.33.jpg', null, null],
  ['WhatsApp Image 2023-11-05 at 14.22.33.jpeg', null, null],
  ['Photo 05-11-2023 14 22 33.jpg', null, null],
  ['CCI05112023_0001.jpg', null, null],
  ['EPSON001.JPG', null, null],
  ['HPSCAN_20231105_142233.jpg', null, null],
  ['IMG_1958.jpg', null, null],
  ['DSC_2001.JPG', null, null],
  ['image (3).jpg', null, null],
  ['document(2).jpg', null, null],
  ['Scanned Document 3.jpg', null, null],
  ['Untitled-1.jpg', null, null],
  ['00012.jpg', null, null],
  ['IMG_0412 Vertigo.jpg', 'Vertigo', null],
  ['scan_001_vertigo.jpg', 'Vertigo', null],
  ['Scan 001 - Vertigo (1958).jpg', 'Vertigo', 1958],
  ['Vertigo (1958) scan 004.jpg', 'Vertigo', 1958],
  // A sheet's name before the title is the vendor's too; a title that starts with a tag word keeps it.
  ['one-sheet-godzilla-1998.jpg', 'Godzilla', 1998],
  ['Lobby Card - Vertigo (1958).jpg', 'Vertigo', 1958],
  ['27x41 Vertigo 1958.jpg', 'Vertigo', 1958],
  ['Insert Coin (2023).jpg', 'Insert Coin', 2023],
  ['Half Sheet.jpg', 'Half Sheet', null],
  ['Three Sheets to the Wind 1948.jpg', 'Three Sheets to the Wind', 1948],
  // …while films named with those words or numbers keep their titles.
  ['2046.jpg', '2046', null],
  ['2001 1968.jpg', '2001', 1968],
  ['1984 1984.jpg', '1984', 1984],
  ['300 2006.jpg', '300', 2006],
  ['1917_2019.jpg', '1917', 2019],
  ['Doc 1971.jpg', 'Doc', 1971],
  ['Photo 1957.jpg', 'Photo', 1957],
  ['Scan 1958.jpg', null, 1958],
  ['Doc (1971).jpg', 'Doc', 1971],
  ['Photo Finish (1957).jpg', 'Photo Finish', 1957],
  ['Picture Mommy Dead (1966).jpg', 'Picture Mommy Dead', 1966],
  ['Image of Death 1977.jpg', 'Image of Death', 1977],
  ['P-51 Dragon Fighter (2014).jpg', 'P-51 Dragon Fighter', 2014],
  // What file managers and browsers add to a copy's name is not the title's; a film named with the word keeps it.
  ['Copy of Vertigo (1958).jpg', 'Vertigo', 1958],
  ['Copy (2) of Vertigo (1958).jpg', 'Vertigo', 1958],
  ['copy-of-tt0005078.jpg', null, null],
  ['Vertigo - Copy.jpg', 'Vertigo', null],
  ['Vertigo - Copy (2).jpg', 'Vertigo', null],
  ['Vertigo copy 2.jpg', 'Vertigo', null],
  ['Vertigo (1).jpg', 'Vertigo', null],
  ['Certified Copy.jpg', 'Certified Copy', null],
  ['certified_copy_2010.jpg', 'Certified Copy', 2010],
  ['certified_copy.jpg', 'Certified Copy', null],
  ['Certified Copy (2010).jpg', 'Certified Copy', 2010],
  ['Copycat (1995).jpg', 'Copycat', 1995],
  ['Copy Shop (2001).jpg', 'Copy Shop', 2001],
];

describe('parseFileName', () => {
  it('has a table of at least 60 real-world names', () => {
    expect(NAMES.length).toBeGreaterThanOrEqual(60);
  });
  it.each(NAMES)('%s → %s (%s)', (name, title, year) => {
    expect(parseFileName(name)).toEqual({ title, year });
  });
  it('ignores numbers that cannot be years', () => {
    expect(parseFileName('scan_9999.jpg').year).toBeNull();
    expect(parseFileName('scan_1234.jpg').year).toBeNull();
  });
});
