/** The only code of the Backups feature that talks to window.api. */
import { useCallback, useEffect, useState } from 'react';
import type { BackupInfo, CatalogueHealth, RestoreSummary } from '../../../../shared/types';

export interface Backups {
  folder: string | null;
  backups: BackupInfo[];
  health: CatalogueHealth | null;
  busy: 'backing-up' | 'restoring' | 'checking' | 'moving' | 'deleting' | null;
  error: string | null;
  lastRestore: RestoreSummary | null;
  lastBackup: BackupInfo | null;
  backUpNow(): Promise<void>;
  restore(name: string): Promise<RestoreSummary | null>;
  /** Deletes a backup (the screen has asked). */
  remove(name: string): Promise<void>;
  fullCheck(): Promise<void>;
  /** Another folder (another disk) from now on; null: `backups/` beside the catalogue. */
  setFolder(folder: string | null): Promise<void>;
  reload(): void;
}

export function useBackups(): Backups {
  const [folder, setFolder] = useState<string | null>(null);
  const [backups, setBackups] = useState<BackupInfo[]>([]);
  const [health, setHealth] = useState<CatalogueHealth | null>(null);
  const [busy, setBusy] = useState<Backups['busy']>(null);
  const [error, setError] = useState<string | null>(null);
  const [lastRestore, setLastRestore] = useState<RestoreSummary | null>(null);
  const [lastBackup, setLastBackup] = useState<BackupInfo | null>(null);
  const fail = (e: Error) => setError(e.message);

  const reload = useCallback(() => {
    window.api.backups.list().then((r) => {
      setFolder(r.folder);
      setBackups(r.backups);
    }, fail);
    window.api.catalogue.integrity({ full: false }).then(setHealth, fail);
  }, []);
  useEffect(reload, [reload]);

  const run = async <T>(kind: NonNullable<Backups['busy']>, work: () => Promise<T>): Promise<T | null> => {
    setError(null);
    setBusy(kind);
    try {
      return await work();
    } catch (e) {
      fail(e as Error);
      return null;
    } finally {
      setBusy(null);
      reload();
    }
  };

  return {
    folder,
    backups,
    health,
    busy,
    error,
    lastRestore,
    lastBackup,
    reload,
    backUpNow: async () => {
      setLastRestore(null);
      setLastBackup(await run('backing-up', () => window.api.backups.create()));
    },
    restore: async (name) => {
      setLastBackup(null);
      const summary = await run('restoring', () => window.api.backups.restore({ name }));
      setLastRestore(summary);
      return summary;
    },
    remove: async (name) => {
      setLastBackup(null);
      setLastRestore(null);
      await run('deleting', () => window.api.backups.delete({ name }));
    },
    setFolder: async (chosen) => {
      await run('moving', () => window.api.backups.folder({ folder: chosen }));
    },
    fullCheck: async () => {
      const checked = await run('checking', () => window.api.catalogue.integrity({ full: true }));
      if (checked) setHealth(checked);
    },
  };
}

/** The check at startup: the health to show when the catalogue is damaged, and restoring the offered backup. */
export function useDamagedCatalogue(onRestored: (summary: RestoreSummary) => void, onError: (message: string) => void) {
  const [health, setHealth] = useState<CatalogueHealth | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    window.api.catalogue.integrity({ full: false }).then(setHealth, (e: Error) => onError(e.message));
  }, []);
  return {
    health,
    busy,
    dismiss: () => setHealth(null),
    restore: async (name: string) => {
      setBusy(true);
      try {
        const summary = await window.api.backups.restore({ name });
        setHealth(null);
        onRestored(summary);
      } catch (e) {
        onError((e as Error).message);
      } finally {
        setBusy(false);
      }
    },
  };
}
