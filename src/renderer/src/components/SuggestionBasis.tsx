/**
 * What a genre suggestion was based on (issue 13): the image always, the title and the decade
 * when the head read them. Shown under the suggestions in the poster detail and the review screen,
 * and as the active head's inputs on the Models screen.
 */
import { Typography } from '@mui/material';
import type { HeadInput, SuggestionBasis as Basis } from '../../../shared/types';

/** "the image, the title “Vertigo” and the 1950s" / "the image only". */
export function basisInWords(basis: Basis): string {
  const parts = ['the image'];
  if (basis.title !== null) parts.push(`the title “${basis.title}”`);
  if (basis.decade !== null) parts.push(`the ${basis.decade}s`);
  if (parts.length === 1) return 'the image only';
  return `${parts.slice(0, -1).join(', ')} and ${parts.at(-1) as string}`;
}

export function SuggestionBasis({ basis }: { basis: Basis | null | undefined }) {
  if (!basis) return null;
  return (
    <Typography variant="caption" color="text.secondary" data-testid="suggestion-basis" component="p">
      Based on {basisInWords(basis)}
      {basis.title === null ? ' (no usable title was read)' : ''}.
    </Typography>
  );
}

const INPUT_NAMES: Record<HeadInput, string> = { image: 'image', title: 'title', decade: 'decade' };

/** "Reads: image + title + decade". */
export function HeadInputs({ inputs }: { inputs: HeadInput[] | undefined }) {
  if (!inputs) return null;
  return (
    <Typography variant="body2" color="text.secondary" data-testid="head-inputs" component="span">
      Reads: {inputs.map((i) => INPUT_NAMES[i]).join(' + ')}
    </Typography>
  );
}
