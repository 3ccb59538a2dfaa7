/** Which key toggles which genre: digits, then the top letter row, then the home row. */
const KEYS = '1234567890qwertyuiopasdfghjkl'.split('');

/**
 * Keys by place in the whole vocabulary, retired genres included: a retired genre keeps its key
 * (left unused) so no other genre's key moves; a renamed one keeps its place, so its key; a new
 * genre comes last, so takes the next free key. Only genres in use get one in the map.
 */
export function genreKeys(vocabulary: readonly { name: string; retired: boolean }[]): Map<string, string> {
  return new Map(vocabulary.slice(0, KEYS.length).flatMap((g, i) => (g.retired ? [] : [[KEYS[i] as string, g.name] as const])));
}

/** Keys outside the genre keys (z x c v b n m are never genre keys). */
export const SKIP_KEY = ' ';
export const UNSURE_KEY = 'x';

export const HELP: [string, string][] = [
  ['1–0, q–p, a–l', 'toggle the genre shown on the chip (each genre keeps its place and key)'],
  ['Enter', 'confirm these genres and go to the next poster'],
  ['Space', 'skip: next poster, nothing confirmed'],
  ['X', 'unsure: keep it for later (the "Unsure" queue), and go on'],
  ['Backspace or Ctrl+Z', 'undo the last confirmation or "unsure" and go back to it'],
  ['Tab to the genres, arrows, Space', 'move between the genre chips and toggle the one focused (Enter still confirms)'],
  ['Tab to a recent poster, Enter', 'go back to a poster you just confirmed (Esc returns)'],
  ['→ / ←', 'next / previous poster without confirming'],
  ['?', 'show or hide these keys'],
];
