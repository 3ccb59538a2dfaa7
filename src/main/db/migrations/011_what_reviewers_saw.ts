import type { Migration } from './index';

/**
 * What a reviewer saw when they confirmed a poster, so training knows which genres they ruled out:
 * - `label_changes.complete`: 1 for a change that confirms a poster's whole genre set (Review, the
 *   detail's confirm, a CSV of labels, "mark reviewed"); 0 for one genre added or removed, or a
 *   review taken back. A genre added to the vocabulary after a poster's last whole confirmation was
 *   never offered to its reviewer: training leaves it unknown, however often one genre of the
 *   poster is changed later. Earlier changes count as whole when they left the poster reviewed,
 *   except those that only added or removed one genre of a reviewed poster, or belonged to a bulk
 *   action on one (a re-confirmation that changed one genre is taken for such an edit: a genre it
 *   could have ruled out is then left unknown, never made a false "no").
 * - `genres.restored_at`: when a retired genre was last brought back; posters reviewed before that
 *   (while it was hidden, or before it was retired) are not taken to have ruled it out.
 */
export const migration011: Migration = {
  version: 11,
  name: 'what reviewers saw',
  sql: `
    ALTER TABLE label_changes ADD COLUMN complete INTEGER NOT NULL DEFAULT 1 CHECK (complete IN (0, 1));
    UPDATE label_changes SET complete = 0 WHERE json_extract("after", '$.reviewed') IS NOT 1;
    UPDATE label_changes SET complete = 0
    WHERE json_extract("before", '$.reviewed') IS 1 AND json_extract("after", '$.reviewed') IS 1
      AND (batch IS NOT NULL
        OR (SELECT count(*) FROM json_each("after", '$.genres') a WHERE a.value NOT IN (SELECT value FROM json_each("before", '$.genres')))
         + (SELECT count(*) FROM json_each("before", '$.genres') b WHERE b.value NOT IN (SELECT value FROM json_each("after", '$.genres'))) = 1);
    ALTER TABLE genres ADD COLUMN restored_at TEXT;
  `,
};
