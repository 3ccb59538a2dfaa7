/**
 * One poster in the library grid: the whole scan letterboxed, badges, and a caption that keeps
 * the year: the title on up to two lines, then the year and the genres on up to two more (whole
 * names kept together), each cut with an ellipsis only past that and whole in its tooltip.
 */
import { Fragment } from 'react';
import { Box, Paper, Typography } from '@mui/material';
import type { LibraryItem } from '../../../../shared/types';
import { thumbnailUrl } from '../../api/images';
import { visuallyHidden } from '../../components/visuallyHidden';
import { fileName } from '../../../../shared/posterName';

const BAND = { high: 'High', medium: 'Med', low: 'Low' } as const;
const BAND_WORDS = { high: 'high confidence', medium: 'medium confidence', low: 'low confidence' } as const;
const TONES = { success: '#1b5e20', warning: '#7a3e00', info: '#01579b', default: 'background.paper' } as const;

function Badge({ children, tone, title }: { children: string; tone: 'success' | 'warning' | 'info' | 'default'; title: string }) {
  return (
    <Box
      component="span"
      title={title}
      sx={{
        px: 0.6,
        py: 0.1,
        borderRadius: 1,
        fontSize: 11,
        fontWeight: 600,
        lineHeight: '16px',
        // Fixed dark fills with white text: readable (over 7:1) on both themes.
        color: tone === 'default' ? 'text.primary' : '#fff',
        bgcolor: TONES[tone],
        border: 1,
        borderColor: 'divider',
      }}
    >
      {children}
    </Box>
  );
}

/** Up to `lines` lines, then an ellipsis; a word longer than the card breaks instead of widening it. */
const lineClamp = (lines: number) =>
  ({ display: '-webkit-box', WebkitBoxOrient: 'vertical', WebkitLineClamp: lines, overflow: 'hidden', overflowWrap: 'anywhere' }) as const;
const TITLE_LINE = 16;
const DETAIL_LINE = 15;
/**
 * The caption's height, the same for every card (the grid's rows are a fixed height): two lines of
 * title, two of year and genres, and their padding. Two lines are what make a title readable on
 * the smallest cards, where one line held about seven characters.
 */
/**
 * On cards narrower than this a line holds about fifteen characters of genre: the one stock name
 * longer than that goes by its everyday short form (the full names are in the tooltip).
 */
const SMALL = 150;
const SHORT: Record<string, string> = { 'Science Fiction': 'Sci-Fi' };
export const CAPTION_HEIGHT = 2 * TITLE_LINE + 2 + 2 * DETAIL_LINE + 4 + 2;

export function PosterCard({
  item,
  width,
  imageHeight,
  selected,
  showNearest,
}: {
  item: LibraryItem;
  width: number;
  imageHeight: number;
  selected: boolean;
  showNearest: boolean;
}) {
  const nearest = item.nearest;
  // A poster with no title is known by its scan's file name (posterName.ts), not by a catalogue id.
  const title = item.title ?? (fileName(item.path) || `poster ${item.id}`);
  const detail =
    showNearest && nearest
      ? `${nearest.genre} ${Math.round(nearest.probability * 100)}% · threshold ${Math.round(nearest.threshold * 100)}%`
      : item.genres.join(', ') || 'no genres';
  return (
    <Paper
      variant="outlined"
      sx={{ height: '100%', overflow: 'hidden', cursor: 'pointer', borderWidth: 2, borderColor: selected ? 'primary.main' : 'divider', position: 'relative' }}
    >
      <Box sx={{ width, height: imageHeight, bgcolor: 'action.hover', display: 'flex', alignItems: 'center', justifyContent: 'center' }}>
        <Box
          component="img"
          src={thumbnailUrl(item)}
          alt=""
          loading="lazy"
          data-testid="poster-thumb"
          sx={{ maxWidth: '100%', maxHeight: '100%', objectFit: 'contain', display: 'block' }}
        />
      </Box>
      <Box sx={{ position: 'absolute', top: 4, left: 4, display: 'flex', gap: 0.5, flexWrap: 'wrap', pr: 3 }} data-testid="badges">
        {item.reviewed && (
          <Badge tone="success" title="Reviewed: staff confirmed its genres">
            ✓ Reviewed
          </Badge>
        )}
        {item.nearDuplicate && (
          <Badge tone="warning" title="In a near-duplicate pair: open it to keep one, or say they are not duplicates">
            Dup
          </Badge>
        )}
        {item.nearDuplicate && (
          <Box component="span" sx={visuallyHidden}>
            {' '}
            (near-duplicate)
          </Box>
        )}
        {item.confidence && !item.reviewed && (
          <Badge tone="default" title={`The model's ${BAND_WORDS[item.confidence]} (see the Confidence filter)`}>
            {BAND[item.confidence]}
          </Badge>
        )}
        {item.confidence && !item.reviewed && (
          <Box component="span" sx={visuallyHidden}>
            {' '}
            confidence,{' '}
          </Box>
        )}
      </Box>
      {selected && (
        <Box
          aria-hidden
          sx={{
            position: 'absolute',
            top: 4,
            right: 4,
            width: 22,
            height: 22,
            borderRadius: '50%',
            bgcolor: 'primary.main',
            color: 'primary.contrastText',
            fontSize: 14,
            lineHeight: '22px',
            textAlign: 'center',
          }}
        >
          ✓
        </Box>
      )}
      <Box sx={{ px: 0.75, py: 0.25 }}>
        <Typography variant="body2" title={title} data-testid="card-title" sx={{ ...lineClamp(2), fontSize: 13, lineHeight: `${TITLE_LINE}px` }}>
          {title}
        </Typography>
        <Typography variant="caption" color="text.secondary" component="div" title={detail} sx={{ ...lineClamp(2), lineHeight: `${DETAIL_LINE}px`, mt: '2px' }}>
          {item.year && (
            <Box component="span" sx={{ color: 'text.primary', whiteSpace: 'nowrap' }} data-testid="card-year">
              ({item.year})
            </Box>
          )}
          {item.year && ' '}
          <span data-testid="card-detail">
            {showNearest && nearest
              ? detail
              : item.genres.length === 0
                ? detail
                : // Each name whole on a line where it fits: a break falls between names, not inside "Science Fiction".
                  item.genres.map((g, i) => (
                    <Fragment key={g}>
                      {i > 0 && ', '}
                      <Box component="span" sx={{ whiteSpace: 'nowrap' }} title={g}>
                        {(width < SMALL && SHORT[g]) || g}
                      </Box>
                    </Fragment>
                  ))}
          </span>
        </Typography>
      </Box>
    </Paper>
  );
}
