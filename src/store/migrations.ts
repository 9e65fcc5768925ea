import type Database from 'better-sqlite3';

export interface Migration {
  /** Unique and permanent: a store records which migrations it has by name. */
  name: string;
  sql: string;
}

/**
 * Schema migrations, applied in order. A migration is never edited once released: a change to the
 * schema is a new entry, so a store written by any earlier version upgrades in place. Each is
 * recorded by name once applied, so two entries added side by side apply whatever their order.
 */
export const MIGRATIONS: Migration[] = [
  {
    name: 'runs-scopes-records-findings',
    sql: `
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
  },
  {
    // What discovery found each run, audited or not (src/model/coverage.ts).
    name: 'coverage',
    sql: `
  CREATE TABLE IF NOT EXISTS coverage (
    run INTEGER NOT NULL REFERENCES runs (seq) ON DELETE CASCADE,
    key TEXT NOT NULL,
    outcome TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (run, key)
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS coverage_runs (run INTEGER PRIMARY KEY REFERENCES runs (seq) ON DELETE CASCADE);
  `,
  },
  {
    // Reminders outlive the runs they were sent in (retention prunes runs), so they reference none.
    name: 'reminders',
    sql: `
  CREATE TABLE reminders (
    target TEXT NOT NULL,
    uid TEXT NOT NULL,
    not_after TEXT NOT NULL,
    threshold INTEGER NOT NULL,
    sent_at TEXT NOT NULL,
    run INTEGER NOT NULL,
    PRIMARY KEY (target, uid, not_after, threshold)
  ) WITHOUT ROWID;
  `,
  },
  {
    // What a dashboard reads (docs/store.md); the same views, with the same columns, as PostgreSQL's.
    name: 'dashboard-views',
    sql: `
  CREATE VIEW runs_overview AS
    SELECT seq AS run, report_id, now, started_at, finished_at,
      json_extract(counts, '$.certificates') AS certificates,
      json_extract(counts, '$.bindings') AS bindings,
      json_extract(counts, '$.findings') AS findings,
      json_extract(counts, '$.new') AS new,
      json_extract(counts, '$.open') AS open,
      json_extract(counts, '$.suppressed') AS suppressed,
      json_extract(counts, '$.resolved') AS resolved,
      json_extract(counts, '$.carried') AS carried,
      json_extract(counts, '$.scopesOk') AS scopes_ok,
      json_extract(counts, '$.scopesNotOk') AS scopes_not_ok
    FROM runs;
  CREATE VIEW expiring_by_week_owner AS
    SELECT date(not_after, '-6 days', 'weekday 1') AS week,
      COALESCE(json_extract(body, '$.owner.name'), '(none)') AS owner,
      COUNT(*) AS certificates,
      MIN(not_after) AS first_not_after
    FROM records
    WHERE kind = 'certificate' AND not_after IS NOT NULL AND run = (SELECT MAX(seq) FROM runs)
    GROUP BY week, owner;
  CREATE VIEW open_findings_by_severity_account AS
    SELECT severity,
      CASE severity WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 WHEN 'low' THEN 1 ELSE 0 END AS severity_rank,
      provider, account,
      COUNT(*) AS findings,
      SUM(status = 'new') AS new,
      SUM(carried) AS carried
    FROM findings
    WHERE status IN ('new', 'open') AND run = (SELECT MAX(seq) FROM runs)
    GROUP BY severity, provider, account;
  `,
  },
];

/** Brings the store to the latest schema, one transaction per migration. */
export function migrate(db: Database.Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
  db.exec('CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY) WITHOUT ROWID');
  const row = db.prepare('SELECT version FROM schema_version').get() as { version: number } | undefined;
  const current = row?.version ?? 0;
  let applied = new Set((db.prepare('SELECT name FROM migrations').all() as { name: string }[]).map((r) => r.name));
  // A store from before migrations were named holds the first `version` of them.
  if (applied.size === 0 && current > 0) {
    const named = MIGRATIONS.slice(0, current).map((m) => m.name);
    db.transaction(() => {
      for (const n of named) db.prepare('INSERT INTO migrations (name) VALUES (?)').run(n);
    })();
    applied = new Set(named);
  }
  const known = new Set(MIGRATIONS.map((m) => m.name));
  const unknown = [...applied].filter((n) => !known.has(n));
  if (current > MIGRATIONS.length || unknown.length) {
    throw new Error(
      `its schema version ${Math.max(current, applied.size)} is newer than this certwarden knows (${MIGRATIONS.length}); upgrade certwarden`,
    );
  }
  for (const m of MIGRATIONS) {
    if (applied.has(m.name)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO migrations (name) VALUES (?)').run(m.name);
      db.prepare('DELETE FROM schema_version').run();
      db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(applied.size + 1);
    })();
    applied.add(m.name);
  }
}
