/**
 * The genre chips of the review screen: every genre in the vocabulary's order, each always in the
 * same cell of a fixed grid with the same key, so hands learn where a genre is. The model's
 * probability is a bar along the chip's foot (and its figure), never the order; hovering a chip
 * says whether that figure is over the genre's own threshold.
 */
import { Box, Chip } from '@mui/material';
import type { Genre } from '../../../../shared/types';

export interface ChipSuggestion {
  probability: number;
  aboveThreshold: boolean;
}

export function GenreChips({
  genres,
  keyOf,
  suggestions,
  selected,
  onToggle,
}: {
  genres: Genre[];
  keyOf: Map<string, string>;
  suggestions: Map<string, ChipSuggestion>;
  selected: Set<string>;
  onToggle: (genre: string) => void;
}) {
  return (
    <Box
      data-testid="genre-chips"
      role="group"
      aria-label="Genres (press a chip's key to toggle it)"
      sx={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(148px, 1fr))', gap: 1 }}
    >
      {genres.map((g) => {
        const s = suggestions.get(g.name);
        const on = selected.has(g.name);
        const key = keyOf.get(g.name);
        const percent = s === undefined ? null : Math.round(s.probability * 100);
        // Why a chip is pre-selected or not: each genre has a threshold of its own, so 12% can be
        // suggested while 51% is not.
        const why =
          s === undefined
            ? suggestions.size
              ? `${g.name}: no figure from the active model (it has not learned this genre)`
              : `${g.name}: no suggestions for this poster yet`
            : `${g.name}: ${percent}%, ${s.aboveThreshold ? 'over' : 'under'} this genre's own threshold, so ${s.aboveThreshold ? '' : 'not '}suggested`;
        return (
          <Chip
            key={g.id}
            data-testid={`genre-${g.name}`}
            data-probability={s?.probability ?? ''}
            data-key={key ?? ''}
            aria-pressed={on}
            // The name is the visible text (the genre and its figure); the key is said as its shortcut.
            aria-keyshortcuts={key}
            title={why}
            variant={on ? 'filled' : 'outlined'}
            // A mouse click leaves the focus where it was, so Enter still confirms the poster.
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => onToggle(g.name)}
            sx={{
              position: 'relative',
              overflow: 'hidden',
              justifyContent: 'flex-start',
              ...(on ? { bgcolor: 'primary.main', color: 'primary.contrastText', fontWeight: 600, '&:hover': { bgcolor: 'primary.dark' } } : {}),
            }}
            label={
              <>
                <Box component="span" aria-hidden sx={{ fontFamily: 'monospace', fontWeight: 700, mr: 1, opacity: 0.85 }}>
                  {key ?? ' '}
                </Box>
                {g.name}
                {percent !== null && (
                  <Box component="span" sx={{ ml: 0.75, fontSize: '0.75em', opacity: 0.85 }}>
                    {` ${percent}%`}
                  </Box>
                )}
                {s !== undefined && (
                  <Box
                    component="span"
                    data-testid={`probability-${g.name}`}
                    aria-hidden
                    sx={{
                      position: 'absolute',
                      left: 0,
                      bottom: 0,
                      height: 4,
                      width: `${(s.probability * 100).toFixed(1)}%`,
                      bgcolor: on ? 'secondary.main' : s.aboveThreshold ? 'primary.main' : 'text.disabled',
                    }}
                  />
                )}
              </>
            }
          />
        );
      })}
    </Box>
  );
}
