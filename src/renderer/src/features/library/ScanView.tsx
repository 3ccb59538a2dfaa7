/** The poster's scan in the detail dialog: the whole poster fitted, or zoomed 2.5× in a box that scrolls (drag the bars, or arrows). */
import { Box, Button } from '@mui/material';
import { imageUrl } from '../../api/images';

export function ScanView({ posterId, title, zoomed, onZoom }: { posterId: number; title: string; zoomed: boolean; onZoom: () => void }) {
  return (
    <Box sx={{ minWidth: 0 }}>
      <Box
        tabIndex={zoomed ? 0 : -1}
        role={zoomed ? 'region' : undefined}
        aria-label={zoomed ? 'Scan zoomed: arrows scroll' : undefined}
        data-testid="scan-box"
        sx={{
          height: '62vh',
          overflow: zoomed ? 'auto' : 'hidden',
          bgcolor: 'action.hover',
          borderRadius: 1,
          display: zoomed ? 'block' : 'flex',
          alignItems: 'center',
          justifyContent: 'center',
        }}
      >
        <Box
          component="img"
          src={imageUrl(posterId)}
          alt={title}
          data-testid="scan"
          onClick={onZoom}
          sx={
            zoomed
              ? { display: 'block', width: '250%', maxWidth: 'none', cursor: 'zoom-out' }
              : { maxWidth: '100%', maxHeight: '100%', objectFit: 'contain', display: 'block', cursor: 'zoom-in' }
          }
        />
      </Box>
      <Button size="small" aria-pressed={zoomed} onClick={onZoom} data-testid="zoom" sx={{ mt: 0.5 }}>
        {zoomed ? 'Fit the whole poster (Z)' : 'Zoom in (Z)'}
      </Button>
    </Box>
  );
}
