/**
 * The poster's scan in the detail dialog, shown once: turned straight, with the box the poster was
 * found in drawn over it (as the crop editor draws it, without the corners), or zoomed 2.5× in a box
 * that scrolls (drag the bars, or arrows). "Adjust crop…" (C) swaps it for the editor in its place.
 */
import type { Ref } from 'react';
import { Box, Button, Stack, Typography } from '@mui/material';
import type { PosterCrop } from '../../../../shared/types';
import { CropFrame, cropStateText, shownBox } from './CropBoxEditor';

/**
 * How tall the scan is shown: what the window leaves once the dialog's title and buttons, the line
 * above the scan and the buttons below it are counted (about 300px), never under 200px.
 */
const VIEW_HEIGHT = 'max(200px, 100vh - 300px)';

export function ScanView({
  src,
  title,
  scanSize,
  crop,
  zoomed,
  onZoom,
  onAdjust,
  adjustRef,
}: {
  src: string;
  title: string;
  scanSize: { width: number; height: number };
  crop: PosterCrop | null | undefined;
  zoomed: boolean;
  onZoom: () => void;
  onAdjust: () => void;
  /** The "Adjust crop…" button: the keyboard comes back to it when the editor closes. */
  adjustRef?: Ref<HTMLButtonElement>;
}) {
  const box = shownBox(crop);
  return (
    <Box sx={{ minWidth: 0 }}>
      <Typography variant="caption" color="text.secondary" component="div" sx={{ mb: 0.5 }} data-testid="crop-state">
        {cropStateText(crop)}
      </Typography>
      <Box
        tabIndex={zoomed ? 0 : -1}
        role={zoomed ? 'region' : undefined}
        aria-label={zoomed ? 'Scan zoomed: arrows scroll' : undefined}
        data-testid="scan-box"
        sx={zoomed ? { height: VIEW_HEIGHT, overflow: 'auto', bgcolor: 'action.hover', borderRadius: 1 } : { overflow: 'hidden' }}
      >
        {zoomed ? (
          <Box
            component="img"
            src={src}
            alt={title}
            data-testid="scan"
            onClick={onZoom}
            sx={{ display: 'block', width: '250%', maxWidth: 'none', cursor: 'zoom-out' }}
          />
        ) : (
          <CropFrame src={src} alt={title} scanSize={scanSize} box={box} angle={box.angle} maxHeight={VIEW_HEIGHT} onImageClick={onZoom} />
        )}
      </Box>
      <Stack direction="row" spacing={1} sx={{ mt: 0.5 }}>
        <Button size="small" aria-pressed={zoomed} onClick={onZoom} data-testid="zoom" aria-keyshortcuts="Z">
          {zoomed ? 'Fit the whole poster (Z)' : 'Zoom in (Z)'}
        </Button>
        <Button size="small" ref={adjustRef} onClick={onAdjust} aria-keyshortcuts="C" data-testid="adjust-crop">
          Adjust crop… (C)
        </Button>
      </Stack>
    </Box>
  );
}
