import { Box, Button, Stack, Typography } from '@mui/material';
import type { BrowseResult } from '../../../shared/types';
import { rootOf } from './hostPath';

/**
 * A folder with no folders in it (a new account's empty home, say): said in words, with the way up
 * and the top of the disk, instead of an empty list with nowhere obvious to go.
 */
export function NoFolders({ listing, onGo }: { listing: BrowseResult; onGo: (path: string) => void }) {
  const root = rootOf(listing.path);
  return (
    <Box sx={{ p: 1.5 }} data-testid="picker-no-folders">
      <Typography variant="body2">
        {listing.path === listing.home ? `Your home folder (${listing.path}) has no folders in it.` : `${listing.path} has no folders in it.`}
        {!listing.parent ? '' : root === listing.parent ? ' Go up to the top of the disk:' : ' Go up, or start from the top of the disk:'}
      </Typography>
      {listing.parent && (
        // A path is shown as it is spelled (a button's capitals would change it).
        <Stack direction="row" spacing={1} useFlexGap sx={{ mt: 1, flexWrap: 'wrap', '& .MuiButton-root': { textTransform: 'none' } }}>
          <Button size="small" variant="outlined" onClick={() => listing.parent && onGo(listing.parent)} data-testid="picker-no-folders-up">
            Up to {listing.parent}
          </Button>
          {root !== listing.parent && (
            <Button size="small" variant="outlined" onClick={() => onGo(root)} data-testid="picker-no-folders-top">
              Top of the disk ({root})
            </Button>
          )}
        </Stack>
      )}
    </Box>
  );
}
