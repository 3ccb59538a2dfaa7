/** What the Models and Insights screens' scores mean, in plain words, on a focusable term (tooltips open on keyboard focus too). */
import { Tooltip, Typography } from '@mui/material';

export const MEANINGS = {
  'micro-F1':
    'How well the suggested genres match the ones staff confirmed, counting every genre decision on every poster together. ' +
    'It balances wrong suggestions against missed genres: 1.000 is perfect, 0 is nothing right. Common genres such as Drama weigh most.',
  'macro-F1': 'The same score worked out for each genre on its own and then averaged, so a rare genre counts as much as a common one.',
  'top-3 hit': 'The share of posters where at least one of the model’s three most likely genres is one staff confirmed.',
  F1: 'For one genre: how well the model finds the posters staff gave that genre, balancing wrong suggestions against missed ones (1.000 is perfect).',
  n: 'Reviewed posters held out from training to measure the score. On a handful of posters one poster more or less moves the score a lot.',
} as const;
export type Term = keyof typeof MEANINGS;

/**
 * Scores on fewer validation posters than this are shown, but not as meaningful: the same
 * minimum a decade head needs before it is even tried (the retraining's decadeMinValidation).
 */
export const MIN_SAMPLE = 20;

export const f3 = (x: number | undefined | null) => (x === undefined || x === null ? '—' : x.toFixed(3));

export function TermTip({ term, label = term }: { term: Term; label?: string }) {
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
