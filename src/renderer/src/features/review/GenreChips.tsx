/**
 * The genre chips of the review screen: every genre in the vocabulary's order, each always in the
 * same cell of a fixed grid with the same key, so hands learn where a genre is (a retired genre
 * leaves its cell empty rather than letting the others move up). The model's
 * probability is a bar along the chip's foot (and its figure), never the order; hovering a chip
 * says whether that figure is over the genre's own threshold.
 *
 * By keyboard the chips are one stop in the Tab order (a toolbar with a roving tabindex): the
 * arrows move between them, Space toggles the one focused, and Enter stays the review's "confirm"
 * — it never toggles a chip as well. Their number keys toggle them from anywhere.
 */
import { useRef, useState, type KeyboardEvent } from 'react';
import { Box, Chip } from '@mui/material';
import type { Genre } from '../../../../shared/types';

export interface ChipSuggestion {
  probability: number;
  aboveThreshold: boolean;
}

export function GenreChips({
  vocabulary,
  keyOf,
  suggestions,
  selected,
  onToggle,
}: {
  /** Every genre in the vocabulary's order, retired ones included (their cells stay, empty). */
  vocabulary: Genre[];
  keyOf: Map<string, string>;
  suggestions: Map<string, ChipSuggestion>;
  selected: Set<string>;
  onToggle: (genre: string) => void;
}) {
  const genres = vocabulary.filter((g) => !g.retired);
  /** The chip the group's one Tab stop lands on: the last one focused. */
  const [active, setActive] = useState(0);
  const group = useRef<HTMLDivElement>(null);
  /** Set while Enter's keydown passes a chip (caught on the way down): the click MUI makes of it is not a toggle. */
  const enterPressed = useRef(false);
  const focusChip = (i: number) => {
    const chips = group.current?.querySelectorAll<HTMLElement>('[aria-pressed]');
    if (!chips?.length) return;
    const at = Math.max(0, Math.min(i, chips.length - 1));
    setActive(at);
    chips[at]?.focus();
  };
  // Arrows stay in the group (they are not the review's previous / next poster here); up and down go by a row of the grid.
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const columns = group.current ? getComputedStyle(group.current).gridTemplateColumns.split(' ').length : 1;
    const step: Record<string, number> = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: columns, ArrowUp: -columns };
    const at = Math.max(0, Math.min(active, genres.length - 1));
    let to: number;
    if (event.key in step) to = at + (step[event.key] as number);
    else if (event.key === 'Home') to = 0;
    else if (event.key === 'End') to = genres.length - 1;
    else {
      enterPressed.current = false; // past the chip: a click from here on is a real one
      return;
    }
    event.preventDefault();
    event.stopPropagation();
    focusChip(to);
  };
  return (
    <Box
      ref={group}
      data-testid="genre-chips"
      role="toolbar"
      aria-label="Genres: a chip's key toggles it; arrows move between chips, Space toggles the one focused"
      onKeyDownCapture={(e) => (enterPressed.current = e.key === 'Enter')}
      onKeyDown={onKeyDown}
      // Enter bubbles on to the review: it confirms the poster.
      data-enter-confirms
      sx={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(148px, 1fr))', gap: 1 }}
    >
      {vocabulary.map((g) => {
        if (g.retired) return <Box key={g.id} aria-hidden data-testid={`retired-${g.name}`} />;
        const i = genres.indexOf(g);
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
            tabIndex={i === Math.min(active, genres.length - 1) ? 0 : -1}
            onFocus={() => setActive(i)}
            // A mouse click leaves the focus where it was, so Enter still confirms the poster.
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => {
              if (enterPressed.current) enterPressed.current = false;
              else onToggle(g.name);
            }}
            // A long name ("Science Fiction 87%") wraps onto a second line rather than being cut short, and
            // nothing on a chip changes its width from poster to poster (the figure has its room kept,
            // a selected chip is filled, not bold): a chip wraps or not by the window's width alone, so
            // the grid never shifts between posters.
            sx={{
              position: 'relative',
              overflow: 'hidden',
              justifyContent: 'flex-start',
              height: 'auto',
              minHeight: 32,
              '& .MuiChip-label': { whiteSpace: 'normal', overflowWrap: 'anywhere', textOverflow: 'clip', lineHeight: 1.25, py: 0.75 },
              // Filled, a chip keeps the outlined one's 1px border (transparent), so it is no shorter.
              ...(on
                ? { bgcolor: 'primary.main', color: 'primary.contrastText', border: '1px solid transparent', '&:hover': { bgcolor: 'primary.dark' } }
                : {}),
            }}
            label={
              <>
                <Box component="span" aria-hidden sx={{ fontFamily: 'monospace', fontWeight: 700, mr: 1, opacity: 0.85 }}>
                  {key ?? ' '}
                </Box>
                {g.name}
                <Box
                  component="span"
                  sx={{
                    display: 'inline-block',
                    minWidth: '5ch',
                    ml: 0.75,
                    fontSize: '0.75em',
                    opacity: 0.85,
                    fontVariantNumeric: 'tabular-nums',
                    whiteSpace: 'nowrap',
                  }}
                >
                  {/* Never empty: an empty inline block sits lower in its line, and its row would move. */}
                  {percent === null ? '\u00a0' : ` ${percent}%`}
                </Box>
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
