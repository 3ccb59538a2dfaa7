/**
 * What the Models and Insights screens' scores mean, in plain words, on a focusable term (tooltips
 * open on keyboard focus too). The Models screen leads with plain names and percentages
 * ("Genres right 43%"); the exact figures under their technical names (micro-F1 0.430) are one
 * switch away, and each plain name's tooltip says which technical figure it is.
 */
import { Tooltip, Typography } from '@mui/material';

export const MEANINGS = {
  'micro-F1':
    'Genres right (micro-F1): how well the suggested genres match the ones staff confirmed, counting every genre decision on every poster together. ' +
    'It balances wrong suggestions against missed genres: 1.000 is perfect, 0 is nothing right. Common genres such as Drama weigh most.',
  'macro-F1':
    'Rare genres right (macro-F1): the same score worked out for each genre on its own and then averaged, so a rare genre counts as much as a common one.',
  'top-3 hit': 'Top-3 guess right (top-3 hit rate): the share of posters where at least one of the model’s three most likely genres is one staff confirmed.',
  F1: 'For one genre: how well the model finds the posters staff gave that genre, balancing wrong suggestions against missed ones (1.000 is perfect).',
  n: 'Posters checked (n): reviewed posters held out from training to measure the score. On a handful of posters one poster more or less moves the score a lot.',
} as const;
export type Term = keyof typeof MEANINGS;

/** Each score's name for a dealer; the technical name is the key. */
export const PLAIN: Record<Term, string> = {
  'micro-F1': 'Genres right',
  'macro-F1': 'Rare genres right',
  'top-3 hit': 'Top-3 guess right',
  F1: 'Right',
  n: 'Posters checked',
};

/**
 * Scores on fewer validation posters than this are shown, but not as meaningful: the same
 * minimum a decade head needs before it is even tried (the retraining's decadeMinValidation).
 */
export const MIN_SAMPLE = 20;

export const f3 = (x: number | undefined | null) => (x === undefined || x === null ? '—' : x.toFixed(3));

/** A score between 0 and 1 as a whole percentage: 0.4301 → "43%". */
export const pct = (x: number | undefined | null) => (x === undefined || x === null ? '—' : `${Math.round(x * 100)}%`);

/** A score as the screen shows it: a percentage, or with `exact`, to three decimals. */
export const score = (x: number | undefined | null, exact: boolean) => (exact ? f3(x) : pct(x));

/** A term as the screen names it: in plain words, or with `exact`, by its technical name. */
export const termName = (term: Term, exact: boolean) => (exact ? term : PLAIN[term]);

export function TermTip({ term, label = PLAIN[term] }: { term: Term; label?: string }) {
  return (
    <Tooltip title={MEANINGS[term]} describeChild>
      <Typography
        component="span"
        tabIndex={0}
        sx={{ font: 'inherit', textDecoration: 'underline dotted', textUnderlineOffset: 3, cursor: 'help' }}
        data-testid={`term-${term}`}
      >
        {label}
      </Typography>
    </Tooltip>
  );
}
