/** One poster in the library grid: the whole scan letterboxed, badges, and a caption that keeps the year. */
import { Box, Paper, Typography } from '@mui/material';
import type { LibraryItem } from '../../../../shared/types';
import { thumbnailUrl } from '../../api/images';
import { visuallyHidden } from '../../components/visuallyHidden';

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
          <Badge tone="warning" title="In a near-duplicate pair">
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
        <Box sx={{ display: 'flex', gap: 0.5, minWidth: 0 }}>
          <Typography variant="body2" noWrap title={item.title ?? ''} sx={{ flexShrink: 1, minWidth: 0 }}>
            {item.title ?? `#${item.id}`}
          </Typography>
          {item.year && (
            <Typography variant="body2" sx={{ flexShrink: 0 }} data-testid="card-year">
              ({item.year})
            </Typography>
          )}
        </Box>
        <Typography variant="caption" color="text.secondary" noWrap component="div" data-testid="card-detail">
          {showNearest && nearest
            ? `${nearest.genre} ${Math.round(nearest.probability * 100)}% · threshold ${Math.round(nearest.threshold * 100)}%`
            : item.genres.join(', ') || 'no genres'}
        </Typography>
      </Box>
    </Paper>
  );
}
