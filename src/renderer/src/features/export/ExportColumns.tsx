/**
 * The export's columns as tick boxes: each named in words a shop person understands ("Where the
 * genres came from"), with the CSV header it writes (`genre_source`) under it in monospace — what
 * the shop's importer is set up with. A screen reader hears the words as the box's name and the
 * header as its description.
 */
import { useId } from 'react';
import { Box, Checkbox, FormControlLabel, Typography } from '@mui/material';
import { EXPORT_COLUMN_NAMES, EXPORT_COLUMN_WORDS } from '../../../../shared/exportColumns';
import { visuallyHidden } from '../../components/visuallyHidden';

export function ExportColumns({ chosen, onChange }: { chosen: ReadonlySet<string>; onChange: (next: Set<string>) => void }) {
  const id = useId();
  return (
    <Box component="fieldset" sx={{ border: 0, p: 0, m: 0, mb: 1, minWidth: 0 }} data-testid="export-columns">
      <Typography component="legend" variant="subtitle2" sx={{ mb: 0.5 }}>
        Columns in the file
      </Typography>
      <Box sx={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(15rem, 1fr))', columnGap: 2 }}>
        {EXPORT_COLUMN_NAMES.map((c) => (
          <FormControlLabel
            key={c}
            sx={{ alignItems: 'flex-start', mr: 0, py: 0.25 }}
            label={
              <Box component="span" sx={{ display: 'flex', flexDirection: 'column', pt: '5px' }}>
                <Typography component="span" variant="body2" id={`${id}-${c}-words`} data-testid="export-column-words">
                  {EXPORT_COLUMN_WORDS[c]}
                </Typography>
                <Typography component="span" variant="caption" color="text.secondary" id={`${id}-${c}-header`} sx={{ lineHeight: 1.3 }}>
                  <Box component="span" sx={visuallyHidden}>
                    CSV header{' '}
                  </Box>
                  <Box component="code" sx={{ fontFamily: 'monospace' }} data-testid="export-column-header">
                    {c}
                  </Box>
                </Typography>
              </Box>
            }
            control={
              <Checkbox
                size="small"
                checked={chosen.has(c)}
                slotProps={{ input: { 'aria-labelledby': `${id}-${c}-words`, 'aria-describedby': `${id}-${c}-header` } }}
                onChange={(e) => {
                  const next = new Set(chosen);
                  if (e.target.checked) next.add(c);
                  else next.delete(c);
                  onChange(next);
                }}
              />
            }
          />
        ))}
      </Box>
    </Box>
  );
}
