/**
 * The library's virtualised grid: only the rows in view are in the page. It is one focusable
 * listbox (Tab reaches it; its label says how many posters it holds) whose active poster moves with
 * the keys (aria-activedescendant), so the focus is never lost when the active card scrolls out and
 * is unmounted. The active card has a visible focus ring while the grid has the focus.
 */
import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import { Box } from '@mui/material';
import type { LibraryItem } from '../../../../shared/types';
import { CAPTION_HEIGHT, PosterCard } from './PosterCard';

const GAP = 8;

export interface GridGeometry {
  columns: number;
  /** Rows that fit in view (at least 1). */
  rowsInView: number;
}

export function PosterGrid({
  total,
  itemAt,
  thumbWidth,
  active,
  isSelected,
  showNearest,
  onNeed,
  onGeometry,
  onKeyDown,
  onCellClick,
  onCellOpen,
  onFocusGrid,
}: {
  total: number;
  itemAt: (i: number) => LibraryItem | undefined;
  thumbWidth: number;
  active: number | null;
  isSelected: (id: number) => boolean;
  showNearest: boolean;
  onNeed: (first: number, last: number) => void;
  onGeometry: (g: GridGeometry) => void;
  onKeyDown: (event: KeyboardEvent<HTMLDivElement>) => void;
  onCellClick: (index: number, event: MouseEvent) => void;
  onCellOpen: (index: number) => void;
  /** The grid got the focus; `firstInView` is the first poster wholly in view. */
  onFocusGrid: (firstInView: number) => void;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ top: 0, width: 1200, height: 500 });
  const [focused, setFocused] = useState(false);
  const imageHeight = Math.round(thumbWidth * 1.5);
  const cellW = thumbWidth + GAP + 4;
  const cellH = imageHeight + CAPTION_HEIGHT + GAP + 4;

  // The grid fills the window below its own top edge, whatever the chrome above it takes.
  const measure = useRef(() => undefined as void);
  measure.current = () => {
    const el = scroller.current;
    if (!el) return;
    let height = Math.max(240, Math.floor(window.innerHeight - el.getBoundingClientRect().top - window.scrollY - 8));
    if (Math.abs(el.clientHeight - height) > 1) el.style.height = `${height}px`;
    // What the page keeps below the grid (padding) would make the window scroll: take it off too.
    const overflow = document.documentElement.scrollHeight - window.innerHeight;
    if (overflow > 0 && height - overflow >= 240) {
      height -= overflow;
      el.style.height = `${height}px`;
    }
    setView((v) => (v.width === el.clientWidth && v.height === height ? v : { ...v, width: el.clientWidth, height }));
  };
  useLayoutEffect(() => measure.current());
  useEffect(() => {
    const onResize = () => measure.current();
    window.addEventListener('resize', onResize);
    const observer = new ResizeObserver(onResize);
    if (scroller.current?.parentElement) observer.observe(scroller.current.parentElement);
    return () => {
      window.removeEventListener('resize', onResize);
      observer.disconnect();
    };
  }, []);

  const columns = Math.max(1, Math.floor(view.width / cellW));
  const rows = Math.ceil(total / columns);
  const firstRow = Math.max(0, Math.floor(view.top / cellH) - 2);
  const lastRow = Math.min(rows, Math.ceil((view.top + view.height) / cellH) + 2);
  const firstIndex = firstRow * columns;
  const lastIndex = Math.min(total, lastRow * columns);
  const rowsInView = Math.max(1, Math.floor(view.height / cellH));

  useEffect(() => {
    onNeed(firstIndex, lastIndex);
  }, [firstIndex, lastIndex, onNeed]);
  useEffect(() => {
    onGeometry({ columns, rowsInView });
  }, [columns, rowsInView, onGeometry]);

  // Keep the active poster in view as it moves.
  useEffect(() => {
    const el = scroller.current;
    if (!el || active === null) return;
    const top = Math.floor(active / columns) * cellH;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + cellH > el.scrollTop + el.clientHeight) el.scrollTop = top + cellH - el.clientHeight;
  }, [active, columns, cellH]);

  const cells = [];
  for (let i = firstIndex; i < lastIndex; i++) {
    const item = itemAt(i);
    const isActive = i === active;
    cells.push(
      <Box
        key={i}
        id={`poster-cell-${i}`}
        role="option"
        aria-selected={item ? isSelected(item.id) : false}
        aria-posinset={i + 1}
        aria-setsize={total}
        aria-label={item ? undefined : 'Loading'}
        data-testid={item ? `poster-${item.id}` : undefined}
        data-active={isActive || undefined}
        onClick={(e) => onCellClick(i, e)}
        onDoubleClick={() => onCellOpen(i)}
        sx={{
          position: 'absolute',
          top: Math.floor(i / columns) * cellH,
          left: (i % columns) * cellW,
          width: cellW - GAP,
          height: cellH - GAP,
          borderRadius: 2,
          ...(isActive && focused ? { outline: '3px solid', outlineColor: 'primary.main', outlineOffset: 2 } : {}),
        }}
      >
        {item ? (
          <PosterCard item={item} width={thumbWidth} imageHeight={imageHeight} selected={isSelected(item.id)} showNearest={showNearest} />
        ) : (
          <Box sx={{ height: '100%', opacity: 0.4, border: 1, borderColor: 'divider', borderRadius: 2 }} />
        )}
      </Box>,
    );
  }

  return (
    <Box
      ref={scroller}
      role="listbox"
      aria-label={`Posters, ${total} matching; arrows move, Space selects, Enter opens`}
      aria-multiselectable
      aria-activedescendant={active !== null && active >= firstIndex && active < lastIndex ? `poster-cell-${active}` : undefined}
      tabIndex={0}
      data-testid="library-grid"
      data-columns={columns}
      data-row-height={cellH}
      onKeyDown={onKeyDown}
      onFocus={() => {
        setFocused(true);
        // The first poster in view, not the first of all: a click on a scrolled grid focuses it
        // before the click lands, and making poster 0 active would scroll the clicked card away.
        onFocusGrid(Math.min(Math.max(0, total - 1), Math.ceil(view.top / cellH) * columns));
      }}
      onBlur={() => setFocused(false)}
      onScroll={(e) => setView((v) => ({ ...v, top: (e.target as HTMLDivElement).scrollTop }))}
      sx={{ height: 400, overflowY: 'auto', position: 'relative', outline: 'none', borderRadius: 1, p: 0.5 }}
    >
      <Box sx={{ height: rows * cellH, position: 'relative' }}>{cells}</Box>
    </Box>
  );
}
