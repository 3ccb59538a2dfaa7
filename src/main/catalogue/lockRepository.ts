/** Catalogue-level locks in the database itself, so every process that opens the catalogue sees them. */
import type { Db } from '../db/open';
import { nowIso, prepared } from '../db/statements';

export interface LockHolder {
  name: string;
  pid: number;
  host: string;
  startedAt: string;
  heartbeatAt: string;
  detail: string | null;
}

interface Row {
  name: string;
  pid: number;
  host: string;
  started_at: string;
  heartbeat_at: string;
  detail: string | null;
}

const toHolder = (r: Row): LockHolder => ({ name: r.name, pid: r.pid, host: r.host, startedAt: r.started_at, heartbeatAt: r.heartbeat_at, detail: r.detail });

export function readLock(db: Db, name: string): LockHolder | undefined {
  const row = prepared(db, 'SELECT * FROM catalogue_locks WHERE name = ?').get(name) as Row | undefined;
  return row && toHolder(row);
}

export function writeLock(db: Db, holder: Omit<LockHolder, 'startedAt' | 'heartbeatAt'>): void {
  const at = nowIso();
  prepared(
    db,
    `INSERT INTO catalogue_locks (name, pid, host, started_at, heartbeat_at, detail) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT(name) DO UPDATE SET pid = excluded.pid, host = excluded.host, started_at = excluded.started_at,
       heartbeat_at = excluded.heartbeat_at, detail = excluded.detail`,
  ).run(holder.name, holder.pid, holder.host, at, at, holder.detail);
}

export function touchLock(db: Db, name: string, pid: number, host: string): void {
  prepared(db, 'UPDATE catalogue_locks SET heartbeat_at = ? WHERE name = ? AND pid = ? AND host = ?').run(nowIso(), name, pid, host);
}

export function deleteLock(db: Db, name: string, pid: number, host: string): void {
  prepared(db, 'DELETE FROM catalogue_locks WHERE name = ? AND pid = ? AND host = ?').run(name, pid, host);
}
