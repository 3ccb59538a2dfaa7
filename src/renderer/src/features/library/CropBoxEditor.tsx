/**
 * Where the poster is in its scan, over the scan itself: the scan is shown turned by the crop's
 * angle (straight), with the box on top. Staff drag the corners (or focus one and use the arrow
 * keys: 0.5% a step, Shift for 2%), set the angle, and save; or use the whole scan, or have the
 * poster found again. Saving re-hashes, re-thumbnails and re-featurises the poster (posters:crop).
 * The detail shows the same frame without corners (ScanView) until staff choose to adjust the crop.
 */
import { useEffect, useRef, useState, type KeyboardEvent, type PointerEvent, type ReactNode, type Ref } from 'react';
import { Alert, Box, Button, Stack, TextField, Typography } from '@mui/material';
import type { CropBox, PosterCrop, PosterDetail } from '../../../../shared/types';

const WHOLE: CropBox = { left: 0, top: 0, width: 1, height: 1, angle: 0 };
const MIN_SIDE = 0.05;
type Corner = 'top-left' | 'top-right' | 'bottom-right' | 'bottom-left';
const CORNERS: Corner[] = ['top-left', 'top-right', 'bottom-right', 'bottom-left'];

export const STATE_TEXT: Record<PosterCrop['state'], string> = {
  none: 'No margin was found: the whole scan is the poster.',
  detected: 'Found in the scan automatically.',
  manual: 'Drawn by staff.',
  off: 'Turned off: the whole scan is used.',
};

/** How the crop is, in words, for the line above the scan. */
export const cropStateText = (crop: PosterCrop | null | undefined): string =>
  crop ? STATE_TEXT[crop.state] : 'Imported before posters were found in scans: the whole scan is used.';

const pct = (v: number): string => `${(v * 100).toFixed(1)}%`;

/**
 * How tall the scan may be shown while its crop is adjusted: what the window leaves once the
 * dialog's title and buttons, the two lines above the scan and the crop's controls below it (the
 * angle, then Save/Cancel, two rows in the detail's scan column) are counted (about 370px), so at
 * 1280×720 all of them are seen without scrolling; never under 200px, where a corner could no
 * longer be placed; a taller window shows the scan taller.
 */
const EDIT_HEIGHT = 'max(200px, 100vh - 370px)';

/** The box the scan is cut by: the whole scan when the crop is off, though the last box is kept for the record. */
export const shownBox = (crop: PosterCrop | null | undefined): CropBox => (crop && crop.state !== 'off' && crop.box ? crop.box : WHOLE);

/**
 * The scan in its own shape, as wide as the column allows and no taller than `maxHeight` (a tall
 * insert narrows, a wide half-sheet does not overflow), turned by the box's angle, with the box
 * drawn over it and the rest dimmed. The editor puts its corners inside (`children`).
 */
export function CropFrame({
  src,
  alt,
  scanSize,
  box,
  angle,
  maxHeight,
  frameRef,
  onPointerMove,
  onPointerUp,
  onImageClick,
  children,
}: {
  src: string;
  alt: string;
  scanSize: { width: number; height: number };
  box: CropBox;
  angle: number;
  maxHeight: string;
  frameRef?: Ref<HTMLDivElement>;
  onPointerMove?(e: PointerEvent): void;
  onPointerUp?(): void;
  onImageClick?(): void;
  children?: ReactNode;
}) {
  const aspect = scanSize.width > 0 && scanSize.height > 0 ? scanSize.width / scanSize.height : 2 / 3;
  return (
    <Box
      ref={frameRef}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      sx={{
        position: 'relative',
        width: `min(100%, calc(${maxHeight} * ${aspect.toFixed(4)}))`,
        aspectRatio: aspect.toFixed(4),
        overflow: 'hidden',
        bgcolor: 'action.hover',
        // Dragging a corner neither scrolls the page nor selects; the scan only shown leaves both alone.
        ...(onPointerMove && { touchAction: 'none', userSelect: 'none' }),
      }}
    >
      <Box
        component="img"
        src={src}
        alt={alt}
        draggable={false}
        onClick={onImageClick}
        sx={{ display: 'block', width: '100%', height: '100%', transform: `rotate(${angle}deg)`, cursor: onImageClick ? 'zoom-in' : undefined }}
      />
      <Box
        aria-hidden
        sx={{
          position: 'absolute',
          left: pct(box.left),
          top: pct(box.top),
          width: pct(box.width),
          height: pct(box.height),
          outline: '2px solid',
          outlineColor: 'warning.main',
          boxShadow: '0 0 0 9999px rgba(0,0,0,0.35)',
          pointerEvents: 'none',
        }}
      />
      {children}
    </Box>
  );
}

/** The box with one corner moved to (x, y), kept at least MIN_SIDE each way. */
function moveCorner(box: CropBox, corner: Corner, x: number, y: number): CropBox {
  let [x0, y0, x1, y1] = [box.left, box.top, box.left + box.width, box.top + box.height];
  const clamp = (v: number) => Math.min(1.25, Math.max(-0.25, v));
  if (corner.endsWith('left')) x0 = Math.min(clamp(x), x1 - MIN_SIDE);
  else x1 = Math.max(clamp(x), x0 + MIN_SIDE);
  if (corner.startsWith('top')) y0 = Math.min(clamp(y), y1 - MIN_SIDE);
  else y1 = Math.max(clamp(y), y0 + MIN_SIDE);
  return { ...box, left: x0, top: y0, width: x1 - x0, height: y1 - y0 };
}

function cornerAt(box: CropBox, corner: Corner): [number, number] {
  return [corner.endsWith('left') ? box.left : box.left + box.width, corner.startsWith('top') ? box.top : box.top + box.height];
}

export interface CropBoxEditorProps {
  src: string;
  /** The scan's size as displayed (the catalogue's width × height): the frame the box is drawn over takes its shape. */
  scanSize: { width: number; height: number };
  crop: PosterCrop | null | undefined;
  busy: boolean;
  onSave(box: CropBox): void;
  onWholeScan(): void;
  onFindAgain(): void;
  /** The box as changed and not saved (null: as stored; 'invalid': changed, with an angle that is not one), so leaving can save it. */
  onPendingChange?(pending: CropBox | 'invalid' | null): void;
  /** Closes the editor, a box moved and not saved dropped (the detail shows the scan as stored again). */
  onCancel?(): void;
  /** Changed when one of the editor's own buttons was carried out: the box is shown as stored again, even where that is the box it was (Find again finding the same). */
  revision?: number;
}

/** Presentational: the box over the scan and its controls; the caller saves. */
export function CropBoxEditor({ src, scanSize, crop, busy, onSave, onWholeScan, onFindAgain, onPendingChange, onCancel, revision = 0 }: CropBoxEditorProps) {
  const stored = shownBox(crop);
  const [box, setBox] = useState<CropBox>(stored);
  const [angleText, setAngleText] = useState(stored.angle.toFixed(1));
  /** The exact angle the field's text was shown from (the field says it to 0.1°): untouched, that angle is the one saved. */
  const [angleFrom, setAngleFrom] = useState(stored.angle);
  const frame = useRef<HTMLDivElement>(null);
  const firstCorner = useRef<HTMLButtonElement>(null);
  // Opened to be adjusted: the keyboard starts on a corner, whose arrows move it.
  useEffect(() => firstCorner.current?.focus({ preventScroll: true }), []);
  const dragging = useRef<Corner | null>(null);
  // Reset by the stored box's value, not its object: the poster reloads after any change in the
  // dialog (a genre, an undo), and a corner moved and not saved must stay where it was put — even
  // where another window changed the box meanwhile (as typing in the fields stays). A change made
  // here (`revision`: saved, whole scan, found again) always shows.
  const storedKey = JSON.stringify(stored);
  const drawn = useRef({ box, angleText, angleFrom });
  drawn.current = { box, angleText, angleFrom };
  const last = useRef({ storedKey, revision });
  useEffect(() => {
    const shown = JSON.parse(storedKey) as CropBox;
    const before = last.current;
    last.current = { storedKey, revision };
    if (revision === before.revision && storedKey !== before.storedKey) {
      const mine = drawn.current;
      const angle = mine.angleText === mine.angleFrom.toFixed(1) ? mine.angleFrom : Number(mine.angleText);
      if (JSON.stringify({ ...mine.box, angle }) !== before.storedKey) return; // moved here and not saved: kept
    }
    setBox(shown);
    setAngleText(shown.angle.toFixed(1));
    setAngleFrom(shown.angle);
  }, [storedKey, revision]);

  const pointerMove = (e: PointerEvent) => {
    const rect = frame.current?.getBoundingClientRect();
    if (!dragging.current || !rect) return;
    setBox((b) => moveCorner(b, dragging.current as Corner, (e.clientX - rect.left) / rect.width, (e.clientY - rect.top) / rect.height));
  };
  const keyMove = (corner: Corner) => (e: KeyboardEvent) => {
    const step = e.shiftKey ? 0.02 : 0.005;
    const d = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] }[e.key];
    if (!d) return;
    // The arrows move the corner only: the detail's ←/→ (next poster) must not see them too.
    e.preventDefault();
    e.stopPropagation();
    setBox((b) => {
      const [x, y] = cornerAt(b, corner);
      return moveCorner(b, corner, x + (d[0] as number), y + (d[1] as number));
    });
  };
  // The angle the field was shown from, exactly, unless staff typed another (the field shows it to 0.1°).
  const angle = angleText === angleFrom.toFixed(1) ? angleFrom : Number(angleText);
  const angleValid = angleText.trim() !== '' && Number.isFinite(angle) && Math.abs(angle) <= 45;
  const changed = JSON.stringify({ ...box, angle }) !== JSON.stringify(stored);
  const pending = changed ? (angleValid ? JSON.stringify({ ...box, angle }) : 'invalid') : null;
  const report = useRef(onPendingChange);
  report.current = onPendingChange;
  useEffect(() => {
    report.current?.(pending === null || pending === 'invalid' ? pending : (JSON.parse(pending) as CropBox));
  }, [pending]);
  useEffect(
    () => () => {
      report.current?.(null);
    },
    [],
  );

  return (
    <Box data-testid="crop-editor">
      <Typography variant="subtitle2">Poster in the scan</Typography>
      <Typography variant="caption" color="text.secondary" component="div" sx={{ mb: 1 }} data-testid="crop-state">
        {cropStateText(crop)}
      </Typography>
      <CropFrame
        src={src}
        alt="The scan, turned by the crop angle"
        scanSize={scanSize}
        box={box}
        angle={angleValid ? angle : box.angle}
        maxHeight={EDIT_HEIGHT}
        frameRef={frame}
        onPointerMove={pointerMove}
        onPointerUp={() => (dragging.current = null)}
      >
        {CORNERS.map((corner) => {
          const [x, y] = cornerAt(box, corner);
          return (
            <Box
              key={corner}
              component="button"
              type="button"
              ref={corner === 'top-left' ? firstCorner : undefined}
              aria-label={`${corner.replace('-', ' ')} corner of the poster, at ${pct(x)} across and ${pct(y)} down; arrow keys move it`}
              data-testid={`crop-corner-${corner}`}
              onPointerDown={(e: PointerEvent<HTMLButtonElement>) => {
                dragging.current = corner;
                e.currentTarget.setPointerCapture(e.pointerId);
              }}
              onPointerUp={() => (dragging.current = null)}
              onKeyDown={keyMove(corner)}
              sx={{
                position: 'absolute',
                left: pct(x),
                top: pct(y),
                width: 16,
                height: 16,
                ml: '-8px',
                mt: '-8px',
                p: 0,
                border: '2px solid',
                borderColor: 'warning.main',
                bgcolor: 'background.paper',
                borderRadius: '50%',
                cursor: 'move',
                '&:focus-visible': { outline: '3px solid', outlineColor: 'primary.main' },
              }}
            />
          );
        })}
      </CropFrame>
      <Stack direction="row" spacing={1} sx={{ mt: 1, alignItems: 'center', flexWrap: 'wrap', rowGap: 1 }}>
        <TextField
          size="small"
          label="Angle (degrees, clockwise)"
          value={angleText}
          onChange={(e) => setAngleText(e.target.value)}
          error={!angleValid}
          helperText={angleValid ? undefined : 'A number of degrees between −45 and 45'}
          slotProps={{ htmlInput: { inputMode: 'decimal', 'data-testid': 'crop-angle' } }}
          sx={{ width: 200 }}
        />
        <Button variant="contained" disabled={busy || !angleValid || !changed} onClick={() => onSave({ ...box, angle })}>
          Save crop
        </Button>
        <Button disabled={busy || crop?.state === 'off'} onClick={onWholeScan}>
          Use whole scan
        </Button>
        <Button disabled={busy} onClick={onFindAgain}>
          Find again
        </Button>
        {onCancel && (
          <Button disabled={busy} onClick={onCancel}>
            {changed ? 'Cancel' : 'Done'}
          </Button>
        )}
      </Stack>
    </Box>
  );
}

/**
 * The editor for one poster: saves through window.api and hands the new detail back. A saved box
 * is the end of adjusting (`onClose`); Use whole scan and Find again stay, showing what they found.
 */
export function PosterCropSection({
  posterId,
  src,
  scanSize,
  crop,
  onChanged,
  onPendingChange,
  onClose,
}: {
  posterId: number;
  src: string;
  scanSize: { width: number; height: number };
  crop: PosterCrop | null | undefined;
  onChanged(detail: PosterDetail): void;
  onPendingChange?(pending: CropBox | 'invalid' | null): void;
  onClose(): void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [revision, setRevision] = useState(0);
  const send = async (request: CropBox | 'off' | 'detect') => {
    setBusy(true);
    try {
      onChanged(await window.api.posters.crop({ id: posterId, crop: request }));
      setRevision((r) => r + 1);
      setError(null);
      if (typeof request === 'object') onClose();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    // Esc in the editor is its Cancel (the corner moved is dropped), not the dialog's close, which saves what was drawn.
    <Box
      sx={{ mb: 2 }}
      onKeyDown={(event) => {
        if (event.key !== 'Escape' || event.defaultPrevented) return;
        event.preventDefault();
        event.stopPropagation();
        onClose();
      }}
    >
      {error && (
        <Alert severity="error" sx={{ mb: 1 }}>
          {error}
        </Alert>
      )}
      <CropBoxEditor
        src={src}
        scanSize={scanSize}
        crop={crop}
        busy={busy}
        onSave={(box) => void send(box)}
        onWholeScan={() => void send('off')}
        onFindAgain={() => void send('detect')}
        onPendingChange={onPendingChange}
        onCancel={onClose}
        revision={revision}
      />
    </Box>
  );
}
