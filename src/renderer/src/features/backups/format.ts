import type { BackupInfo, BackupReason } from '../../../../shared/types';
import { count } from '../../components/plural';

export const reasonLabel: Record<BackupReason, string> = {
  manual: 'Backed up by hand',
  daily: 'Daily',
  'pre-migration': 'Before an upgrade',
  'after-import': 'After an import',
  'after-retrain': 'After retraining',
  'pre-restore': 'Before a restore',
};

export const formatBytes = (bytes: number): string =>
  bytes < 1_048_576 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1_048_576).toFixed(1)} MB`;

export const describeBackup = (b: BackupInfo): string =>
  `${new Date(b.createdAt).toLocaleString()} (${reasonLabel[b.reason].toLowerCase()}): ${count(b.posters, 'poster')}, ${b.reviewed} reviewed, ` +
  `${count(b.labelChanges, 'label change')}, ${count(b.modelVersions, 'model version')}.`;
