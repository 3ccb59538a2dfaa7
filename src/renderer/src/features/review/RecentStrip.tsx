/** The last few posters confirmed in this session, newest last: one click (or Tab and Enter) goes back to one. */
import { Box, ButtonBase, Typography } from '@mui/material';
import type { ReviewItem } from '../../../../shared/types';
import { thumbnailUrl } from '../../api/images';

export interface Confirmed {
  item: ReviewItem;
  /** The set that was confirmed. */
  genres: string[];
  /** Sets it was confirmed with before in this session (confirmed again), oldest first: an undo brings back the last. */
  earlier?: string[][] | undefined;
}

export const STRIP_LENGTH = 6;

export function RecentStrip({ recent, showing, onOpen }: { recent: Confirmed[]; showing: number | null; onOpen: (posterId: number) => void }) {
  const shown = recent.slice(-STRIP_LENGTH);
  if (shown.length === 0) return null;
  return (
    <Box sx={{ mt: 2 }}>
      <Typography variant="subtitle2" color="text.secondary" id="recent-strip-label">
        Just confirmed — go back to one
      </Typography>
      <Box data-testid="recent-strip" role="list" aria-labelledby="recent-strip-label" sx={{ display: 'flex', gap: 1, mt: 0.5 }}>
        {shown.map(({ item, genres }) => (
          <Box role="listitem" key={item.poster.id}>
            <ButtonBase
              data-testid={`recent-${item.poster.id}`}
              aria-label={`Back to ${item.poster.title ?? `untitled ${item.poster.path.split(/[\\/]/).pop() ?? item.poster.id}`}: ${genres.join(', ') || 'no genre'}`}
              aria-current={showing === item.poster.id ? 'true' : undefined}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => onOpen(item.poster.id)}
              sx={{
                width: 56,
                height: 80,
                borderRadius: 1,
                overflow: 'hidden',
                outline: showing === item.poster.id ? '3px solid' : '1px solid',
                outlineColor: showing === item.poster.id ? 'secondary.main' : 'divider',
                bgcolor: 'background.default',
                '&.Mui-focusVisible': { outline: '3px solid', outlineColor: 'primary.main' },
              }}
            >
              <img src={thumbnailUrl(item.poster)} alt="" style={{ width: '100%', height: '100%', objectFit: 'contain' }} />
            </ButtonBase>
          </Box>
        ))}
      </Box>
    </Box>
  );
}
