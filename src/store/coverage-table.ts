/** The `coverage` table: what discovery found each run, one row per entry, kept whole as JSON. */
import type Database from 'better-sqlite3';
import { coverageKey, type CoverageEntry } from '../model/coverage.js';

/** Writes a run's coverage inside the caller's transaction; `coverage_runs` marks a run that recorded it, even empty. */
export function writeCoverage(db: Database.Database, run: number, entries: CoverageEntry[]): void {
  db.prepare('INSERT INTO coverage_runs (run) VALUES (?)').run(run);
  const insert = db.prepare('INSERT OR REPLACE INTO coverage (run, key, outcome, body) VALUES (?, ?, ?, ?)');
  for (const e of entries) insert.run(run, coverageKey(e), e.outcome, JSON.stringify(e));
}

export function readCoverage(db: Database.Database, run: number): CoverageEntry[] | undefined {
  if (!db.prepare('SELECT 1 FROM coverage_runs WHERE run = ?').get(run)) return undefined;
  const rows = db.prepare('SELECT body FROM coverage WHERE run = ? ORDER BY key').all(run) as { body: string }[];
  return rows.map((r) => JSON.parse(r.body) as CoverageEntry);
}
