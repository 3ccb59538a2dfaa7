/**
 * A folder or Save-as picker over the host's folders (files:browse), the same in the browser and
 * the desktop app: an address field that understands `~`, Up and Home, the folders used recently
 * for this purpose, and the folder's subfolders and relevant files — never their contents.
 * It opens where it is asked to, else in the folder used last for this purpose, else at home; a
 * folder with no folders in it says so and offers the way up and the top of the disk.
 * Keyboard: type a path and Enter; ↓ from the path goes to the first folder, arrows move in the
 * list (↑ from the first goes back to the path), Enter opens a folder, Backspace goes up; Tab
 * reaches the buttons.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import {
  Alert,
  Box,
  Button,
  Chip,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  ListItemIcon,
  ListItemText,
  MenuItem,
  MenuList,
  Stack,
  SvgIcon,
  TextField,
  Typography,
} from '@mui/material';
import type { BrowsePurpose, BrowseResult } from '../../../shared/types';
import { joinPath as join, splitPath } from './hostPath';
import { NoFolders } from './NoFolders';

/** folder: choose a folder; save: Save-as; show: show where a file is (the browser's "show in folder"). */
// Material's folder and file glyphs, drawn here: an emoji may have no font on the machine.
const FolderIcon = () => (
  <SvgIcon fontSize="small" aria-hidden>
    <path d="M10 4H4c-1.1 0-1.99.9-1.99 2L2 18c0 1.1.9 2 2 2h16c1.1 0 2-.9 2-2V8c0-1.1-.9-2-2-2h-8z" />
  </SvgIcon>
);
const FileIcon = () => (
  <SvgIcon fontSize="small" aria-hidden>
    <path d="M6 2c-1.1 0-1.99.9-1.99 2L4 20c0 1.1.89 2 1.99 2H18c1.1 0 2-.9 2-2V8l-6-6zm7 7V3.5L18.5 9z" />
  </SvgIcon>
);

export type PickerMode = 'folder' | 'save' | 'show';

/** How one listing ended: on screen, overtaken by a later one, or refused with a message. */
type Listed = { state: 'shown'; path: string } | { state: 'overtaken' } | { state: 'failed'; message: string };

export function PathPicker({
  open,
  purpose,
  mode,
  start,
  defaultName = 'catalogue.csv',
  onChoose,
  onClose,
}: {
  open: boolean;
  purpose: BrowsePurpose;
  mode: PickerMode;
  /** Where to open: a folder, or (Save-as) a file whose folder and name are used. Empty: the recent folder, else home. */
  start?: string;
  defaultName?: string;
  onChoose: (path: string) => void;
  onClose: () => void;
}) {
  const [listing, setListing] = useState<BrowseResult | null>(null);
  const [address, setAddress] = useState('');
  const [name, setName] = useState(defaultName);
  const [error, setError] = useState<string | null>(null);
  /** The folder's entries (and, with no folders, the way up): ↓ from the path lands on the first. */
  const entries = useRef<HTMLDivElement>(null);
  /** The listing being shown was asked for from the keyboard: its first entry takes the focus. */
  const focusList = useRef(false);

  /** Only the latest request's answer is shown: a slow first listing never lands over where the person went since. */
  const latest = useRef(0);
  /** The person typed in the address since the last listing: its answer does not overwrite that. */
  const typed = useRef(false);
  const addressInput = useRef<HTMLInputElement>(null);
  /** A path the listing filled in is selected while the field has the focus, as a browser's address bar does: typing replaces it. */
  const selectShown = useRef(false);
  const go = useCallback(
    async (path: string | undefined, focusListAfter = false): Promise<Listed> => {
      const request = ++latest.current;
      typed.current = false;
      try {
        const result = await window.api.files.browse({ path, purpose });
        if (request !== latest.current) return { state: 'overtaken' };
        // Focused once this listing is on screen (the effect below): a frame's wait could still find the old list.
        focusList.current = focusListAfter;
        setListing(result);
        if (!typed.current) {
          selectShown.current = true;
          setAddress(result.path);
        }
        setError(null);
        return { state: 'shown', path: result.path };
      } catch (e) {
        if (request !== latest.current) return { state: 'overtaken' };
        setError((e as Error).message);
        return { state: 'failed', message: (e as Error).message };
      }
    },
    [purpose],
  );

  /**
   * Opens on `first` if given, else (or where it is gone) the folders used last for this purpose,
   * else home; a place that could not be shown is named above the one that is.
   */
  const openSomewhere = useCallback(
    async (first: string | undefined) => {
      let failed: string | null = null;
      /** The latest listing this asked for: another one since is the person's (typed, clicked), and this gives way. */
      let own = latest.current;
      const tryFolder = async (path: string | undefined): Promise<boolean> => {
        if (latest.current !== own) return true; // the person went elsewhere between two tries
        const asked = go(path);
        own = latest.current;
        const listed = await asked;
        if (listed.state === 'failed') {
          failed = listed.message;
          return false;
        }
        if (listed.state === 'shown' && failed) setError(`${failed} Showing ${listed.path} instead.`);
        return true; // shown, or the person went elsewhere meanwhile
      };
      if (first && (await tryFolder(first))) return;
      if (latest.current !== own) return;
      const request = ++latest.current;
      own = request;
      let home: BrowseResult;
      try {
        home = await window.api.files.browse({ purpose });
      } catch (e) {
        if (request === latest.current) setError((e as Error).message);
        return;
      }
      if (request !== latest.current) return;
      for (const recent of home.recent.filter((r) => r !== first)) if (await tryFolder(recent)) return;
      await tryFolder(home.path);
    },
    [go, purpose],
  );

  /** The first folder (or file) listed, else the way up where there is none. */
  const firstEntry = (): HTMLElement | null =>
    entries.current?.querySelector<HTMLElement>('[role="menuitem"]:not([aria-disabled="true"])') ??
    entries.current?.querySelector<HTMLElement>('button') ??
    null;

  useEffect(() => {
    if (!selectShown.current) return;
    selectShown.current = false;
    if (document.activeElement === addressInput.current) addressInput.current?.select();
  }, [address]);

  useEffect(() => {
    if (!focusList.current) return;
    focusList.current = false;
    firstEntry()?.focus();
  }, [listing]);

  useEffect(() => {
    if (!open) return;
    setError(null);
    const wanted = start?.trim();
    if ((mode === 'save' || mode === 'show') && wanted) {
      const { folder, name: file } = splitPath(wanted);
      if (file) setName(file);
      void openSomewhere(folder || undefined);
    } else void openSomewhere(wanted || undefined);
    // Opened afresh each time, from where it is asked to start (not again when `start` changes while open).
  }, [open]);

  const choose = () => {
    if (!listing) return;
    if (mode === 'folder') onChoose(listing.path);
    else if (mode === 'show') onClose();
    else if (name.trim()) onChoose(join(listing.path, name.trim().toLowerCase().endsWith('.csv') ? name.trim() : `${name.trim()}.csv`));
  };

  const noun = purpose === 'import' ? (listing?.fileCount === 1 ? 'JPEG scan' : 'JPEG scans') : listing?.fileCount === 1 ? 'CSV file' : 'CSV files';
  return (
    <Dialog open={open} onClose={onClose} maxWidth="md" fullWidth aria-labelledby="path-picker-title">
      <DialogTitle id="path-picker-title">
        {mode === 'folder' ? 'Choose a vendor folder' : mode === 'save' ? 'Save the CSV file as' : `${name} is in this folder`}
      </DialogTitle>
      <DialogContent dividers>
        <Stack direction="row" spacing={1} sx={{ mb: 1, alignItems: 'center' }}>
          <TextField
            label="Folder"
            size="small"
            value={address}
            onChange={(e) => {
              typed.current = true;
              setAddress(e.target.value);
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                void go(address, true);
              } else if (e.key === 'ArrowDown' && firstEntry()) {
                e.preventDefault();
                firstEntry()?.focus();
              }
            }}
            helperText="Type a path (~ is your home folder) and press Enter"
            sx={{ flexGrow: 1 }}
            slotProps={{ htmlInput: { 'data-testid': 'picker-address', ref: addressInput } }}
            autoFocus
          />
          <Button onClick={() => listing?.parent && void go(listing.parent, true)} disabled={!listing?.parent}>
            Up
          </Button>
          <Button onClick={() => listing && void go(listing.home, true)}>Home</Button>
        </Stack>
        {listing && listing.recent.length > 0 && (
          <Stack direction="row" useFlexGap spacing={1} sx={{ mb: 1, flexWrap: 'wrap', alignItems: 'center' }} data-testid="picker-recent">
            <Typography variant="body2" color="text.secondary">
              Recent:
            </Typography>
            {listing.recent.map((r) => (
              <Chip key={r} size="small" label={r} onClick={() => void go(r, true)} />
            ))}
          </Stack>
        )}
        {error && (
          <Alert severity="error" sx={{ mb: 1 }} data-testid="picker-error">
            {error}
          </Alert>
        )}
        {listing && (
          <>
            <Typography variant="body2" color="text.secondary" data-testid="picker-summary">
              {listing.folders.length} folder{listing.folders.length === 1 ? '' : 's'} · {listing.fileCount} {noun} here
              {listing.leftOut > 0 ? ` · ${listing.leftOut} more not listed` : ''}
            </Typography>
            <Box
              ref={entries}
              sx={{ height: 'min(320px, 40vh)', overflowY: 'auto', border: 1, borderColor: 'divider', borderRadius: 1, mt: 0.5 }}
              // Before the list's own handling (which would wrap round to the last entry): ↑ from the first goes back to the path.
              onKeyDownCapture={(e) => {
                if (e.key === 'ArrowUp' && e.target === firstEntry()) {
                  e.preventDefault();
                  e.stopPropagation();
                  addressInput.current?.focus();
                  addressInput.current?.select();
                }
              }}
            >
              {listing.folders.length === 0 && mode !== 'show' && <NoFolders listing={listing} onGo={(path) => void go(path, true)} />}
              {(listing.folders.length + listing.files.length > 0 || mode === 'show') && (
                <MenuList
                  dense
                  aria-label={`Folders and ${purpose === 'import' ? 'scans' : 'CSV files'} in ${listing.path}`}
                  data-testid="picker-list"
                  onKeyDown={(e) => {
                    if (e.key === 'Backspace' && listing.parent) {
                      e.preventDefault();
                      void go(listing.parent, true);
                    }
                  }}
                >
                  {listing.folders.map((f) => (
                    <MenuItem key={`d:${f}`} onClick={() => void go(join(listing.path, f), true)} data-testid={`picker-folder-${f}`}>
                      <ListItemIcon>
                        <FolderIcon />
                      </ListItemIcon>
                      <ListItemText>{f}</ListItemText>
                    </MenuItem>
                  ))}
                  {listing.files.map((f) => (
                    <MenuItem
                      key={`f:${f}`}
                      // Save-as: a file's name is taken (and replacing it is confirmed before the export); a folder picker only lists them.
                      onClick={() => mode === 'save' && setName(f)}
                      selected={mode === 'show' && f === name}
                      sx={mode === 'folder' ? { opacity: 0.75 } : undefined}
                      data-testid={`picker-file-${f}`}
                    >
                      <ListItemIcon>
                        <FileIcon />
                      </ListItemIcon>
                      <ListItemText>{f}</ListItemText>
                    </MenuItem>
                  ))}
                  {listing.folders.length + listing.files.length === 0 && mode === 'show' && (
                    <MenuItem disabled>
                      <ListItemText>Nothing to show in this folder</ListItemText>
                    </MenuItem>
                  )}
                </MenuList>
              )}
            </Box>
          </>
        )}
        {mode === 'save' && (
          <TextField
            label="File name"
            size="small"
            value={name}
            onChange={(e) => setName(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                choose();
              }
            }}
            sx={{ mt: 2, width: '100%' }}
            slotProps={{ htmlInput: { 'data-testid': 'picker-name' } }}
          />
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{mode === 'show' ? 'Close' : 'Cancel'}</Button>
        {mode !== 'show' && (
          <Button variant="contained" onClick={choose} disabled={!listing || (mode === 'save' && !name.trim())} data-testid="picker-choose">
            {mode === 'folder' ? 'Choose this folder' : 'Save here'}
          </Button>
        )}
      </DialogActions>
    </Dialog>
  );
}
