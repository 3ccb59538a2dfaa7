/**
 * A chart with its words: a heading, what it shows (and on how many posters), and the same
 * figures as a table one key press away — for keyboards and screen readers, which cannot read
 * an SVG chart, and for anyone who wants the exact numbers.
 */
import { useState, type ReactNode } from 'react';
import { Box, Button, Paper, Stack, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';

export interface ChartTable {
  columns: string[];
  rows: (string | number)[][];
}

export function ChartCard({
  title,
  description,
  table,
  children,
  testId,
  empty,
}: {
  title: string;
  /** What the chart shows, read out in place of the picture. */
  description: string;
  table: ChartTable;
  children: ReactNode;
  testId?: string;
  /** Shown instead of the chart when there is nothing to draw. */
  empty?: string | null;
}) {
  const [asTable, setAsTable] = useState(false);
  return (
    <Paper variant="outlined" component="section" aria-label={title} sx={{ p: 2, minWidth: 0 }} data-testid={testId}>
      <Stack direction="row" sx={{ alignItems: 'baseline', gap: 1 }}>
        <Typography variant="subtitle1" component="h3" sx={{ fontWeight: 600, flexGrow: 1 }}>
          {title}
        </Typography>
        {!empty && (
          <Button size="small" onClick={() => setAsTable((t) => !t)} aria-pressed={asTable}>
            {asTable ? 'Show chart' : 'Show table'}
          </Button>
        )}
      </Stack>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
        {description}
      </Typography>
      {empty ? (
        <Typography sx={{ py: 3 }} color="text.secondary">
          {empty}
        </Typography>
      ) : asTable ? (
        <Box sx={{ maxHeight: 320, overflow: 'auto' }} tabIndex={0} role="region" aria-label={`${title}: table`}>
          <Table size="small" stickyHeader>
            <TableHead>
              <TableRow>
                {table.columns.map((c) => (
                  <TableCell key={c}>{c}</TableCell>
                ))}
              </TableRow>
            </TableHead>
            <TableBody>
              {table.rows.map((r, i) => (
                <TableRow key={i}>
                  {r.map((cell, j) => (
                    <TableCell key={j}>{cell}</TableCell>
                  ))}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Box>
      ) : (
        <Box role="img" aria-label={description}>
          {children}
        </Box>
      )}
    </Paper>
  );
}
