/**
 * The shared history store: a PostgreSQL database that several runners write and a dashboard
 * reads (docs/store.md). It holds the same tables as the embedded SQLite store, under the same
 * named migrations (pg-migrations.ts), and behaves the same through the Store interface.
 *
 * One run is one transaction, opened before the previous run is read and committed with the run's
 * notification outcomes, under a transaction-level advisory lock: two runs never build on the same
 * earlier run or interleave their writes, and the server drops the lock with the transaction when
 * a runner dies, so no stale lock outlives it. Readers take no lock and see the last committed run.
 */
import pg from 'pg';
import type { Logger } from '../engine/api/provider.js';
import { coverageKey, type CoverageEntry } from '../model/coverage.js';
import type { ScopeResult } from '../model/types.js';
import { visibleText } from '../report/escape.js';
import { messageOf, StoreError } from './errors.js';
import { PG_MIGRATIONS } from './pg-migrations.js';
import { redactUrl, scrub } from './pg-url.js';
import {
  toFinding,
  toRecord,
  toScope,
  toSummary,
  type FindingRow,
  type RecordRow,
  type RunRow,
  type ScopeRow,
} from './rows.js';
import type {
  NotifyOutcome,
  Retention,
  RunRecord,
  RunStore,
  RunSummary,
  SentReminder,
  StoredFinding,
  StoredRecord,
} from './types.js';

const DAY_MS = 86_400_000;
/** Advisory lock keys ("certward" and one more), held per transaction: one for runs, one for migrations. */
const RUN_LOCK = '7162256298985874020';
const MIGRATION_LOCK = '7162256298985874021';
/** Rows per INSERT: large runs go in a few statements instead of one round trip a row. */
const BATCH = 2000;
const MAX_INT = 2_147_483_647;

export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
export const DEFAULT_STATEMENT_TIMEOUT_MS = 60_000;

export interface PgOpenOptions {
  retention?: Retention;
  /** For readers: a database that holds no certwarden history is an error, not created. */
  mustExist?: boolean;
  connectTimeoutMs?: number;
  statementTimeoutMs?: number;
}

/**
 * PostgreSQL text cannot hold NUL, which a cloud string may contain: such a string (and one that
 * happens to start with the mark) is stored as the mark and its JSON, and read back exactly.
 */
const MARK = '\uffff';
const enc = (s: string | null | undefined): string | null =>
  s === null || s === undefined ? null : s.includes('\u0000') || s.startsWith(MARK) ? MARK + JSON.stringify(s) : s;
function dec<T extends object>(row: T): T {
  const r = row as Record<string, unknown>;
  for (const [k, v] of Object.entries(r))
    if (typeof v === 'string' && v.startsWith(MARK)) r[k] = JSON.parse(v.slice(1));
  return row;
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

/** Columns of equal length -> one INSERT ... SELECT FROM unnest(...) per batch. */
async function insertMany(
  client: pg.Client,
  table: string,
  run: number,
  columns: Array<[name: string, type: 'text' | 'integer']>,
  rows: Array<Array<string | number | null>>,
): Promise<void> {
  const names = ['run', ...columns.map(([n]) => n)].join(', ');
  const arrays = columns.map(([, t], i) => `$${i + 2}::${t}[]`).join(', ');
  const sql = `INSERT INTO ${table} (${names}) SELECT $1, * FROM unnest(${arrays})`;
  for (let i = 0; i < rows.length; i += BATCH) {
    const part = rows.slice(i, i + BATCH);
    await client.query(sql, [run, ...columns.map((_, c) => part.map((r) => r[c]))]);
  }
}

export class PostgresStore implements RunStore {
  /** True while this store holds a run's transaction (and its lock). */
  private inRun = false;
  private closed = false;

  private constructor(
    private readonly client: pg.Client,
    private readonly url: string,
    /** The URL as it may be shown. */
    readonly label: string,
    private readonly opts: PgOpenOptions,
  ) {}

  /** Connects and brings the database to the latest schema (unless `mustExist` finds none). */
  static async open(url: string, opts: PgOpenOptions = {}): Promise<PostgresStore> {
    const label = redactUrl(url);
    const statementTimeout = opts.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS;
    const client = new pg.Client({
      connectionString: url,
      connectionTimeoutMillis: opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      statement_timeout: statementTimeout,
      // The server's timeout cannot fire on a connection that went silent: the client's can.
      query_timeout: statementTimeout + 5_000,
      application_name: 'certwarden',
    });
    // A connection lost while idle is reported by the next query; unhandled, it would end the process.
    client.on('error', () => undefined);
    const store = new PostgresStore(client, url, label, opts);
    try {
      await client.connect();
      await store.migrate();
      return store;
    } catch (err) {
      await client.end().catch(() => undefined);
      throw store.error(err);
    }
  }

  /** Any failure as a StoreError whose message names the store without its password. */
  error(err: unknown): StoreError {
    if (err instanceof StoreError) return err;
    return new StoreError(this.label, scrub(messageOf(err), this.url), 'server');
  }

  private q<R extends pg.QueryResultRow = Record<string, unknown>>(
    text: string,
    values?: unknown[],
  ): Promise<pg.QueryResult<R>> {
    return this.client.query<R>(text, values);
  }

  private async applied(): Promise<Set<string> | undefined> {
    const exists = await this.q<{ t: string | null }>("SELECT to_regclass('migrations')::text AS t");
    if (!exists.rows[0].t) return undefined;
    return new Set((await this.q<{ name: string }>('SELECT name FROM migrations')).rows.map((r) => r.name));
  }

  private refuseNewer(applied: Set<string>): void {
    const known = new Set(PG_MIGRATIONS.map((m) => m.name));
    if ([...applied].some((n) => !known.has(n)))
      throw new StoreError(
        this.label,
        `its schema holds ${applied.size} migrations, some newer than this certwarden knows (${PG_MIGRATIONS.length}); upgrade certwarden`,
        'content',
      );
  }

  /** Applies the missing migrations, each in the transaction that records it, one migrating process at a time. */
  private async migrate(): Promise<void> {
    const seen = await this.applied();
    if (!seen && this.opts.mustExist)
      throw new StoreError(
        this.label,
        'the database holds no certwarden history (no runs were written to it)',
        'content',
      );
    if (seen) this.refuseNewer(seen);
    if (seen && PG_MIGRATIONS.every((m) => seen.has(m.name))) return;
    await this.q('BEGIN');
    try {
      await this.q('SELECT pg_advisory_xact_lock($1::bigint)', [MIGRATION_LOCK]);
      await this.q('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
      await this.q('CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY)');
      const applied = (await this.applied())!;
      this.refuseNewer(applied);
      for (const m of PG_MIGRATIONS) {
        if (applied.has(m.name)) continue;
        await this.q(m.sql);
        await this.q('INSERT INTO migrations (name) VALUES ($1)', [m.name]);
        applied.add(m.name);
      }
      await this.q('DELETE FROM schema_version');
      await this.q('INSERT INTO schema_version (version) VALUES ($1)', [applied.size]);
      await this.q('COMMIT');
    } catch (err) {
      await this.q('ROLLBACK').catch(() => undefined);
      throw err;
    }
  }

  /**
   * Takes the store for a run: a transaction holding the run lock, waiting up to `timeoutMs` for
   * another run to commit. Everything written until `close` is this one transaction.
   */
  async lock(timeoutMs: number, log: Logger): Promise<void> {
    try {
      await this.q('BEGIN');
      this.inRun = true;
      const got = await this.q<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock($1::bigint) AS ok', [RUN_LOCK]);
      if (got.rows[0].ok) return;
      const holder = await this.holder();
      if (timeoutMs > 0) {
        log.info(`the history store ${this.label} is in use by ${holder}; waiting up to ${seconds(timeoutMs)}`);
        // lock_timeout ends the wait on the server; the client's deadline covers a silent connection.
        await this.q(`SET LOCAL lock_timeout = ${Math.floor(timeoutMs)}`);
        await this.q(`SET LOCAL statement_timeout = ${Math.floor(timeoutMs) + 1000}`);
        try {
          await this.client.query({
            text: 'SELECT pg_advisory_xact_lock($1::bigint)',
            values: [RUN_LOCK],
            query_timeout: timeoutMs + 6_000,
          } as pg.QueryConfig);
          await this.q('SET LOCAL lock_timeout = 0');
          await this.q(`SET LOCAL statement_timeout = ${this.opts.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS}`);
          return;
        } catch (err) {
          const code = (err as { code?: unknown }).code;
          if (code !== '55P03' && code !== '57014') throw err;
        }
      }
      throw new StoreError(
        this.label,
        `in use by ${await this.holder().catch(() => holder)}; gave up after ${seconds(timeoutMs)} (store.lockTimeoutMs)`,
        'busy',
      );
    } catch (err) {
      await this.abandon();
      throw this.error(err);
    }
  }

  /** Who holds the run lock, as the server tells: its backend pid, client address and since when. */
  private async holder(): Promise<string> {
    const sql = `SELECT a.pid, a.application_name AS app, host(a.client_addr) AS addr,
        to_char(a.xact_start AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS since
      FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE l.locktype = 'advisory' AND l.granted
        AND l.classid::bigint = ($1::bigint >> 32) AND l.objid::bigint = ($1::bigint & 4294967295) AND l.objsubid = 1`;
    try {
      const c = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: 5_000, statement_timeout: 5_000 });
      c.on('error', () => undefined);
      await c.connect();
      try {
        const r = (await c.query<{ pid: number; app: string; addr: string | null; since: string }>(sql, [RUN_LOCK]))
          .rows[0];
        if (!r) return 'another run (it has just finished)';
        return visibleText(
          `server process ${r.pid} (${r.app || 'no application name'}${r.addr ? ` from ${r.addr}` : ''}) since ${r.since}`,
        );
      } finally {
        await c.end();
      }
    } catch {
      return 'another run';
    }
  }

  /** Runs `fn` in the run's transaction, or in one of its own holding the run lock. */
  private async write<T>(fn: () => Promise<T>): Promise<T> {
    if (this.inRun) return fn();
    await this.q('BEGIN');
    try {
      await this.q('SELECT pg_advisory_xact_lock($1::bigint)', [RUN_LOCK]);
      const out = await fn();
      await this.q('COMMIT');
      return out;
    } catch (err) {
      await this.q('ROLLBACK').catch(() => undefined);
      throw err;
    }
  }

  async lastRun(): Promise<RunSummary | undefined> {
    const r = (await this.q<RunRow>('SELECT * FROM runs ORDER BY seq DESC LIMIT 1')).rows[0];
    return r && toSummary(dec(r));
  }

  async alive(seq: number): Promise<StoredFinding[]> {
    const rows = await this.q<FindingRow>(
      `SELECT * FROM findings WHERE run = $1 AND status <> 'resolved' ORDER BY id COLLATE "C"`,
      [seq],
    );
    return rows.rows.map((r) => toFinding(dec(r)));
  }

  saveRun(run: RunRecord): Promise<number> {
    return this.write(async () => {
      // Numbers follow the last run, as SQLite's do: a run rolled back takes none.
      const seq = (
        await this.q<{ seq: number }>(
          `INSERT INTO runs (seq, report_id, started_at, finished_at, now, config_digest, counts)
           VALUES ((SELECT COALESCE(MAX(seq), 0) + 1 FROM runs), $1, $2, $3, $4, $5, $6) RETURNING seq`,
          [
            enc(run.reportId),
            run.startedAt,
            run.finishedAt,
            run.now,
            enc(run.configDigest),
            JSON.stringify(run.counts),
          ],
        )
      ).rows[0].seq;
      if (run.coverage) {
        await this.q('INSERT INTO coverage_runs (run) VALUES ($1)', [seq]);
        const byKey = new Map(run.coverage.map((e) => [coverageKey(e), e]));
        await insertMany(
          this.client,
          'coverage',
          seq,
          [
            ['key', 'text'],
            ['outcome', 'text'],
            ['body', 'text'],
          ],
          [...byKey].map(([k, e]) => [enc(k), enc(e.outcome), JSON.stringify(e)]),
        );
      }
      await insertMany(
        this.client,
        'scopes',
        seq,
        [
          ['provider', 'text'],
          ['account', 'text'],
          ['location', 'text'],
          ['status', 'text'],
          ['error_code', 'text'],
          ['error_message', 'text'],
          ['certificates', 'integer'],
          ['bindings', 'integer'],
        ],
        run.scopes.map((s) => [
          enc(s.provider),
          enc(s.account),
          enc(s.location),
          s.status,
          enc(s.error?.code),
          enc(s.error?.message),
          s.stats.certificates,
          s.stats.bindings,
        ]),
      );
      // A uid written twice keeps its last record, as SQLite's INSERT OR REPLACE does.
      const records = new Map<string, Array<string | null>>();
      for (const c of run.certificates)
        records.set(c.uid, [
          enc(c.uid),
          'certificate',
          enc(c.provider),
          enc(c.account),
          enc(c.location),
          enc(c.fingerprintSha256),
          enc(c.notAfter),
          enc(c.ref),
          JSON.stringify(c),
        ]);
      for (const b of run.bindings)
        records.set(b.uid, [
          enc(b.uid),
          'binding',
          enc(b.provider),
          enc(b.account),
          enc(b.location),
          null,
          null,
          enc(b.certificateRef),
          JSON.stringify(b),
        ]);
      await insertMany(
        this.client,
        'records',
        seq,
        ['uid', 'kind', 'provider', 'account', 'location', 'fingerprint', 'not_after', 'ref', 'body'].map(
          (n) => [n, 'text'] as [string, 'text'],
        ),
        [...records.values()],
      );
      const findings = new Map<string, Array<string | number | null>>();
      for (const f of run.findings) {
        const r = f.resource;
        findings.set(f.id, [
          enc(f.id),
          enc(f.ruleId),
          f.severity,
          f.peakSeverity,
          enc(f.title),
          enc(f.message),
          enc(r.uid),
          enc(r.kind),
          enc(r.name),
          enc(r.provider),
          enc(r.account),
          enc(r.location),
          f.tags ? JSON.stringify(f.tags) : null,
          f.status,
          f.firstSeen,
          f.lastSeen,
          f.carried ? 1 : 0,
        ]);
      }
      const text = (n: string) => [n, 'text'] as [string, 'text'];
      await insertMany(
        this.client,
        'findings',
        seq,
        [
          ...[
            'id',
            'rule',
            'severity',
            'peak_severity',
            'title',
            'message',
            'resource_uid',
            'resource_kind',
            'resource_name',
            'provider',
            'account',
            'location',
            'tags',
            'status',
            'first_seen',
            'last_seen',
          ].map(text),
          ['carried', 'integer'],
        ],
        [...findings.values()],
      );
      await this.prune(seq, run.now);
      return seq;
    });
  }

  /** Retention, inside the run's transaction; the run just written is always kept. */
  private async prune(seq: number, now: string): Promise<void> {
    const { runs, days } = this.opts.retention ?? {};
    if (runs !== undefined)
      await this.q(
        'DELETE FROM runs WHERE seq <> $1 AND seq NOT IN (SELECT seq FROM runs ORDER BY seq DESC LIMIT $2)',
        [seq, runs],
      );
    if (days !== undefined)
      await this.q('DELETE FROM runs WHERE seq <> $1 AND now COLLATE "C" < $2', [
        seq,
        new Date(Date.parse(now) - days * DAY_MS).toISOString(),
      ]);
  }

  async runs(): Promise<RunSummary[]> {
    return (await this.q<RunRow>('SELECT * FROM runs ORDER BY seq')).rows.map((r) => toSummary(dec(r)));
  }

  async run(ref: string | number): Promise<RunSummary | undefined> {
    const n = Number(ref);
    const bySeq =
      (typeof ref === 'number' || /^\d+$/.test(ref)) && n <= MAX_INT
        ? (await this.q<RunRow>('SELECT * FROM runs WHERE seq = $1', [n])).rows[0]
        : undefined;
    const r =
      bySeq ??
      (await this.q<RunRow>('SELECT * FROM runs WHERE report_id = $1 ORDER BY seq DESC LIMIT 1', [enc(String(ref))]))
        .rows[0];
    return r && toSummary(dec(r));
  }

  async findings(seq: number): Promise<StoredFinding[]> {
    const rows = await this.q<FindingRow>('SELECT * FROM findings WHERE run = $1 ORDER BY id COLLATE "C"', [seq]);
    return rows.rows.map((r) => toFinding(dec(r)));
  }

  async records(seq: number): Promise<StoredRecord[]> {
    const rows = await this.q<RecordRow>('SELECT * FROM records WHERE run = $1 ORDER BY uid COLLATE "C"', [seq]);
    return rows.rows.map((r) => toRecord(dec(r)));
  }

  async scopes(seq: number): Promise<ScopeResult[]> {
    const rows = await this.q<ScopeRow>(
      'SELECT * FROM scopes WHERE run = $1 ORDER BY provider COLLATE "C", account COLLATE "C", location COLLATE "C"',
      [seq],
    );
    return rows.rows.map((r) => toScope(dec(r)));
  }

  async coverage(seq: number): Promise<CoverageEntry[] | undefined> {
    if (!(await this.q('SELECT 1 FROM coverage_runs WHERE run = $1', [seq])).rowCount) return undefined;
    const rows = await this.q<{ body: string }>('SELECT body FROM coverage WHERE run = $1 ORDER BY key COLLATE "C"', [
      seq,
    ]);
    return rows.rows.map((r) => JSON.parse(r.body) as CoverageEntry);
  }

  async recordNotifications(seq: number, outcomes: NotifyOutcome[]): Promise<void> {
    await this.write(() =>
      this.q('UPDATE runs SET notifications = $1 WHERE seq = $2', [JSON.stringify(outcomes), seq]),
    );
  }

  async notifications(seq: number): Promise<NotifyOutcome[] | undefined> {
    const r = (await this.q<{ notifications: string | null }>('SELECT notifications FROM runs WHERE seq = $1', [seq]))
      .rows[0];
    return r?.notifications ? (JSON.parse(r.notifications) as NotifyOutcome[]) : undefined;
  }

  async sentReminders(targets: string[]): Promise<SentReminder[]> {
    const rows = await this.q<SentReminder>(
      `SELECT target, uid, not_after AS "notAfter", threshold FROM reminders WHERE target = ANY($1::text[])
       ORDER BY uid COLLATE "C", threshold`,
      [targets.map(enc)],
    );
    const found = rows.rows.map((r) => dec(r));
    // In the order the targets are given, as the embedded store answers.
    return targets
      .flatMap((t) => found.filter((r) => r.target === t))
      .map(({ target, uid, notAfter, threshold }) => ({
        target,
        uid,
        notAfter,
        threshold,
      }));
  }

  async recordReminders(seq: number, sentAt: string, sent: SentReminder[]): Promise<void> {
    if (!sent.length) return;
    await this.write(async () => {
      for (let i = 0; i < sent.length; i += BATCH) {
        const part = sent.slice(i, i + BATCH);
        await this.q(
          `INSERT INTO reminders (target, uid, not_after, threshold, sent_at, run)
           SELECT *, $5, $6 FROM unnest($1::text[], $2::text[], $3::text[], $4::integer[])
           ON CONFLICT DO NOTHING`,
          [
            part.map((r) => enc(r.target)),
            part.map((r) => enc(r.uid)),
            part.map((r) => enc(r.notAfter)),
            part.map((r) => r.threshold),
            sentAt,
            seq,
          ],
        );
      }
    });
  }

  /** Ends the use of the store; a run's transaction is committed here, and the next run may start. */
  async close(): Promise<void> {
    if (this.closed) return;
    try {
      if (this.inRun) await this.q('COMMIT');
    } finally {
      this.inRun = false;
      await this.end();
    }
  }

  /** Ends a run's use of the store without keeping anything it wrote. */
  async abandon(): Promise<void> {
    if (this.closed) return;
    try {
      if (this.inRun) await this.q('ROLLBACK');
    } catch {
      /* the server ends the transaction with the connection */
    } finally {
      this.inRun = false;
      await this.end();
    }
  }

  private async end(): Promise<void> {
    this.closed = true;
    await this.client.end().catch(() => undefined);
  }
}
