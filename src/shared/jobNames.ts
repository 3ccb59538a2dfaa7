import type { JobKind } from './types';

/** Each kind of job in the words staff know it by ("the re-tagging"), for the screens and for refusals that name a running job. */
export const JOB_NAME: Record<JobKind, string> = {
  import: 'the import',
  tag: 'the run suggesting genres',
  train: 'the retraining',
  retag: 'the re-tagging',
  export: 'the export',
  rebuild: 'the rebuilding of thumbnails and image features',
};
