/**
 * Hidden from sight, not from screen readers. In pixels: MUI's `sx` reads a bare 1 as 100% (a
 * 1-"pixel" label as wide as its container gave every screen a horizontal scrollbar) and -1 as a
 * spacing unit.
 */
export const visuallyHidden = {
  position: 'absolute',
  width: '1px',
  height: '1px',
  overflow: 'hidden',
  clip: 'rect(0 0 0 0)',
  whiteSpace: 'nowrap',
  m: '-1px',
  p: 0,
  border: 0,
} as const;
