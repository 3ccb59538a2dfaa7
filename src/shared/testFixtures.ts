/** Values for tests on either side of the app (main and renderer); nothing in the app imports this. */
import type { ImportSummary } from './types';

/** An import that read nothing, with `over` laid on it. */
export function importSummaryOf(over: Partial<ImportSummary> = {}): ImportSummary {
  return {
    runId: 1,
    status: 'succeeded',
    total: 0,
    imported: 0,
    alreadyPresent: 0,
    nearDuplicates: 0,
    failed: 0,
    failures: [],
    sidecarWarnings: [],
    tagged: 0,
    tagFailures: [],
    earlier: { tagged: 0, failures: [] },
    seconds: 1,
    ...over,
  };
}
