import type { CatalogueStats } from '../../shared/types';
import type { Db } from '../db/open';
import { schemaVersion } from '../db/open';
import { prepared } from '../db/statements';
import { countImportRuns } from './importRunRepository';
import { countPosters } from './posterRepository';

/** The catalogue's counts; the service adds the last run's throughput and whether an import is running, which are the jobs'. */
export function catalogueStats(db: Db, dbPath: string): Omit<CatalogueStats, 'throughput' | 'importRunning'> {
  const one = (sql: string): number => prepared(db, sql).pluck().get() as number;
  return {
    dbPath,
    schemaVersion: schemaVersion(db),
    posters: countPosters(db),
    reviewed: one('SELECT count(*) FROM posters WHERE reviewed_at IS NOT NULL'),
    nearDuplicates: one('SELECT count(*) FROM posters WHERE duplicate_of IS NOT NULL'),
    byDecade: prepared(db, 'SELECT decade, count(*) AS count FROM posters GROUP BY decade ORDER BY decade').all() as CatalogueStats['byDecade'],
    byVendor: prepared(db, 'SELECT vendor, count(*) AS count FROM posters GROUP BY vendor ORDER BY count DESC').all() as CatalogueStats['byVendor'],
    genres: one('SELECT count(*) FROM genres WHERE retired_at IS NULL'),
    importRuns: countImportRuns(db),
    withoutSuggestions: one('SELECT count(*) FROM posters p WHERE NOT EXISTS (SELECT 1 FROM suggestions s WHERE s.poster_id = p.id)'),
  };
}
