import type Database from 'better-sqlite3';

/**
 * Schema migrations, applied in order. A migration is never edited once released: a change to the
 * schema is a new entry, so a store written by any earlier version upgrades in place.
 */
export const MIGRATIONS: string[] = [
  `
  CREATE TABLE runs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    report_id TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    now TEXT NOT NULL,
    config_digest TEXT NOT NULL,
    counts TEXT NOT NULL,
    notifications TEXT
  );
  CREATE INDEX runs_report_id ON runs (report_id);
  CREATE TABLE scopes (
    run INTEGER NOT NULL REFERENCES runs (seq) ON DELETE CASCADE,
    provider TEXT NOT NULL,
    account TEXT NOT NULL,
    location TEXT NOT NULL,
    status TEXT NOT NULL,
    error_code TEXT,
    error_message TEXT,
    certificates INTEGER NOT NULL,
    bindings INTEGER NOT NULL
  );
  CREATE INDEX scopes_run ON scopes (run);
  CREATE TABLE records (
    run INTEGER NOT NULL REFERENCES runs (seq) ON DELETE CASCADE,
    uid TEXT NOT NULL,
    kind TEXT NOT NULL,
    provider TEXT NOT NULL,
    account TEXT NOT NULL,
    location TEXT NOT NULL,
    fingerprint TEXT,
    not_after TEXT,
    ref TEXT,
    body TEXT NOT NULL,
    PRIMARY KEY (run, uid)
  ) WITHOUT ROWID;
  CREATE TABLE findings (
    run INTEGER NOT NULL REFERENCES runs (seq) ON DELETE CASCADE,
    id TEXT NOT NULL,
    rule TEXT NOT NULL,
    severity TEXT NOT NULL,
    peak_severity TEXT NOT NULL,
    title TEXT NOT NULL,
    message TEXT NOT NULL,
    resource_uid TEXT NOT NULL,
    resource_kind TEXT NOT NULL,
    resource_name TEXT NOT NULL,
    provider TEXT NOT NULL,
    account TEXT NOT NULL,
    location TEXT NOT NULL,
    tags TEXT,
    status TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    carried INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (run, id)
  ) WITHOUT ROWID;
  `,
  // What discovery found each run, audited or not (src/model/coverage.ts). IF NOT EXISTS keeps it
  // safe to apply again should migrations of parallel work be renumbered when they meet.
  `
  CREATE TABLE IF NOT EXISTS coverage (
    run INTEGER NOT NULL REFERENCES runs (seq) ON DELETE CASCADE,
    key TEXT NOT NULL,
    outcome TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (run, key)
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS coverage_runs (run INTEGER PRIMARY KEY REFERENCES runs (seq) ON DELETE CASCADE);
  `,
];

/** Brings the store to the latest schema, one transaction per migration. */
export function migrate(db: Database.Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
  const row = db.prepare('SELECT version FROM schema_version').get() as { version: number } | undefined;
  const current = row?.version ?? 0;
  if (current > MIGRATIONS.length) {
    throw new Error(
      `its schema version ${current} is newer than this certwarden knows (${MIGRATIONS.length}); upgrade certwarden`,
    );
  }
  for (let v = current; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]);
      db.prepare('DELETE FROM schema_version').run();
      db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(v + 1);
    })();
  }
}
