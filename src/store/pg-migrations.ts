/**
 * The PostgreSQL store's schema: the SQLite migrations (migrations.ts) ported one for one, under the
 * same names, so both backends record the same history and answer the same queries. Columns keep
 * SQLite's types: times are ISO-8601 text (compared as text, as SQLite does), records and coverage
 * entries are JSON text, kept byte for byte. Text is compared and sorted with the "C" collation
 * wherever order matters, which is SQLite's binary order.
 */
import type { Migration } from './migrations.js';

export const PG_MIGRATIONS: Migration[] = [
  {
    name: 'runs-scopes-records-findings',
    sql: `
  CREATE TABLE runs (
    seq INTEGER PRIMARY KEY,
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
  );
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
  );
  `,
  },
  {
    name: 'coverage',
    sql: `
  CREATE TABLE IF NOT EXISTS coverage (
    run INTEGER NOT NULL REFERENCES runs (seq) ON DELETE CASCADE,
    key TEXT NOT NULL,
    outcome TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (run, key)
  );
  CREATE TABLE IF NOT EXISTS coverage_runs (run INTEGER PRIMARY KEY REFERENCES runs (seq) ON DELETE CASCADE);
  `,
  },
  {
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
  );
  `,
  },
  {
    // Counts are integers and weeks are ISO dates (the Monday), as in SQLite's views.
    name: 'dashboard-views',
    sql: `
  CREATE VIEW runs_overview AS
    SELECT seq AS run, report_id, now, started_at, finished_at,
      (counts::jsonb ->> 'certificates')::integer AS certificates,
      (counts::jsonb ->> 'bindings')::integer AS bindings,
      (counts::jsonb ->> 'findings')::integer AS findings,
      (counts::jsonb ->> 'new')::integer AS new,
      (counts::jsonb ->> 'open')::integer AS open,
      (counts::jsonb ->> 'suppressed')::integer AS suppressed,
      (counts::jsonb ->> 'resolved')::integer AS resolved,
      (counts::jsonb ->> 'carried')::integer AS carried,
      (counts::jsonb ->> 'scopesOk')::integer AS scopes_ok,
      (counts::jsonb ->> 'scopesNotOk')::integer AS scopes_not_ok
    FROM runs;
  CREATE VIEW expiring_by_week_owner AS
    SELECT to_char(date_trunc('week', (not_after::timestamptz) AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS week,
      COALESCE(body::jsonb -> 'owner' ->> 'name', '(none)') AS owner,
      COUNT(*)::integer AS certificates,
      MIN(not_after COLLATE "C") AS first_not_after
    FROM records
    WHERE kind = 'certificate' AND not_after IS NOT NULL AND run = (SELECT MAX(seq) FROM runs)
    GROUP BY 1, 2;
  CREATE VIEW open_findings_by_severity_account AS
    SELECT severity,
      CASE severity WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 WHEN 'low' THEN 1 ELSE 0 END AS severity_rank,
      provider, account,
      COUNT(*)::integer AS findings,
      (COUNT(*) FILTER (WHERE status = 'new'))::integer AS new,
      SUM(carried)::integer AS carried
    FROM findings
    WHERE status IN ('new', 'open') AND run = (SELECT MAX(seq) FROM runs)
    GROUP BY severity, provider, account;
  `,
  },
];
