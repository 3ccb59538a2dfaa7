/** Which key toggles which genre: digits, then the top letter row, then the home row. */
const KEYS = '1234567890qwertyuiopasdfghjkl'.split('');

export function genreKeys(genres: string[]): Map<string, string> {
  return new Map(genres.slice(0, KEYS.length).map((g, i) => [KEYS[i] as string, g]));
}

export const HELP: [string, string][] = [
  ['1–0, q–p, a–l', 'toggle the genre shown on the chip'],
  ['Enter', 'confirm these genres and go to the next poster'],
  ['Backspace or Ctrl+Z', 'undo the last confirmation and go back to it'],
  ['→ / ←', 'next / previous poster without confirming'],
  ['?', 'show or hide these keys'],
];
