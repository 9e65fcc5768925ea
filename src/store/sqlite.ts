import Database from 'better-sqlite3';
import type { Logger } from '../engine/api/provider.js';
import type { ScopeResult } from '../model/types.js';
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
import { checkDatabase, checkHeader, checkPlace } from './check.js';
import { createStore } from './create.js';
import { asStoreError, StoreError } from './errors.js';
import { lock, unlock } from './lock.js';
import { migrate } from './migrations.js';
import { readCoverage, writeCoverage } from './coverage-table.js';
import type { CoverageEntry } from '../model/coverage.js';
import type {
  NotifyOutcome,
  SentReminder,
  Retention,
  RunRecord,
  RunSummary,
  RunStore,
  StoredFinding,
  StoredRecord,
} from './types.js';

const DAY_MS = 86_400_000;

export interface OpenOptions {
  retention?: Retention;
  /** For readers (`history`, `diff`): fail instead of creating an empty store at a mistyped path. */
  mustExist?: boolean;
  /**
   * For an audit's run (see open.ts): a full `PRAGMA quick_check` before anything is written, and
   * no migration until the run holds the lock.
   */
  forRun?: boolean;
}

/** The embedded history store: one SQLite file, WAL mode, one transaction per run. */
/** better-sqlite3 is synchronous: its answer (or its error) is handed over as a settled promise. */
function settle<T>(fn: () => T): Promise<T> {
  return new Promise((resolve) => resolve(fn()));
}

export class SqliteStore implements RunStore {
  private readonly db: Database.Database;
  /** Set while this store is locked for a run (see lock.ts). */
  private label?: string;

  constructor(
    readonly path: string,
    private readonly opts: OpenOptions = {},
  ) {
    const place = checkPlace(path);
    if (place === 'missing') {
      if (opts.mustExist) throw new StoreError(path, 'no such file', 'content');
      createStore(path);
    }
    checkHeader(path);
    try {
      this.db = new Database(path, { fileMustExist: true });
    } catch (err) {
      throw asStoreError(err, path);
    }
    try {
      checkDatabase(this.db, path, !!opts.forRun);
      // WAL: a reader (`certwarden history`) never blocks the nightly writer, and a killed writer
      // leaves only an uncommitted WAL tail that SQLite discards on the next open.
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = FULL');
      this.db.pragma('foreign_keys = ON');
      this.db.pragma('busy_timeout = 10000');
      if (!opts.forRun) migrate(this.db);
    } catch (err) {
      this.db.close();
      throw asStoreError(err, path);
    }
  }

  /** Takes the store for a run: see lock.ts. Everything written until `close` is one transaction. */
  async lock(timeoutMs: number, log: Logger): Promise<void> {
    this.label = await lock(this.db, this.path, timeoutMs, log);
  }

  /** Brings the store to the latest schema; for a run, once it holds the lock. */
  migrate(): void {
    migrate(this.db);
  }

  lastRun(): Promise<RunSummary | undefined> {
    return settle(() => {
      const r = this.db.prepare('SELECT * FROM runs ORDER BY seq DESC LIMIT 1').get() as RunRow | undefined;
      return r && toSummary(r);
    });
  }

  alive(seq: number): Promise<StoredFinding[]> {
    return settle(() => {
      return (
        this.db
          .prepare("SELECT * FROM findings WHERE run = ? AND status <> 'resolved' ORDER BY id")
          .all(seq) as FindingRow[]
      ).map(toFinding);
    });
  }

  saveRun(run: RunRecord): Promise<number> {
    return settle(() => {
      const insertRun = this.db.prepare(
        'INSERT INTO runs (report_id, started_at, finished_at, now, config_digest, counts) VALUES (?, ?, ?, ?, ?, ?)',
      );
      const insertScope = this.db.prepare('INSERT INTO scopes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
      const insertRecord = this.db.prepare('INSERT OR REPLACE INTO records VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
      const insertFinding = this.db.prepare(
        'INSERT OR REPLACE INTO findings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      );
      const write = this.db.transaction((): number => {
        const seq = Number(
          insertRun.run(
            run.reportId,
            run.startedAt,
            run.finishedAt,
            run.now,
            run.configDigest,
            JSON.stringify(run.counts),
          ).lastInsertRowid,
        );
        if (run.coverage) writeCoverage(this.db, seq, run.coverage);
        for (const s of run.scopes)
          insertScope.run(
            seq,
            s.provider,
            s.account,
            s.location,
            s.status,
            s.error?.code ?? null,
            s.error?.message ?? null,
            s.stats.certificates,
            s.stats.bindings,
          );
        for (const c of run.certificates)
          insertRecord.run(
            seq,
            c.uid,
            'certificate',
            c.provider,
            c.account,
            c.location,
            c.fingerprintSha256 ?? null,
            c.notAfter ?? null,
            c.ref,
            JSON.stringify(c),
          );
        for (const b of run.bindings)
          insertRecord.run(
            seq,
            b.uid,
            'binding',
            b.provider,
            b.account,
            b.location,
            null,
            null,
            b.certificateRef,
            JSON.stringify(b),
          );
        for (const f of run.findings) {
          const r = f.resource;
          insertFinding.run(
            seq,
            f.id,
            f.ruleId,
            f.severity,
            f.peakSeverity,
            f.title,
            f.message,
            r.uid,
            r.kind,
            r.name,
            r.provider,
            r.account,
            r.location,
            f.tags ? JSON.stringify(f.tags) : null,
            f.status,
            f.firstSeen,
            f.lastSeen,
            f.carried ? 1 : 0,
          );
        }
        this.prune(seq, run.now);
        return seq;
      });
      return write();
    });
  }

  /** Retention, inside the run's transaction; the run just written is always kept. */
  private prune(seq: number, now: string): void {
    const { runs, days } = this.opts.retention ?? {};
    if (runs !== undefined)
      this.db
        .prepare('DELETE FROM runs WHERE seq <> ? AND seq NOT IN (SELECT seq FROM runs ORDER BY seq DESC LIMIT ?)')
        .run(seq, runs);
    if (days !== undefined)
      this.db
        .prepare('DELETE FROM runs WHERE seq <> ? AND now < ?')
        .run(seq, new Date(Date.parse(now) - days * DAY_MS).toISOString());
  }

  runs(): Promise<RunSummary[]> {
    return settle(() => {
      return (this.db.prepare('SELECT * FROM runs ORDER BY seq').all() as RunRow[]).map(toSummary);
    });
  }

  run(ref: string | number): Promise<RunSummary | undefined> {
    return settle(() => {
      const bySeq =
        typeof ref === 'number' || /^\d+$/.test(ref)
          ? (this.db.prepare('SELECT * FROM runs WHERE seq = ?').get(Number(ref)) as RunRow | undefined)
          : undefined;
      const r =
        bySeq ??
        (this.db.prepare('SELECT * FROM runs WHERE report_id = ? ORDER BY seq DESC LIMIT 1').get(String(ref)) as
          RunRow | undefined);
      return r && toSummary(r);
    });
  }

  findings(seq: number): Promise<StoredFinding[]> {
    return settle(() => {
      return (this.db.prepare('SELECT * FROM findings WHERE run = ? ORDER BY id').all(seq) as FindingRow[]).map(
        toFinding,
      );
    });
  }

  records(seq: number): Promise<StoredRecord[]> {
    return settle(() =>
      (this.db.prepare('SELECT * FROM records WHERE run = ? ORDER BY uid').all(seq) as RecordRow[]).map(toRecord),
    );
  }

  coverage(seq: number): Promise<CoverageEntry[] | undefined> {
    return settle(() => {
      return readCoverage(this.db, seq);
    });
  }

  scopes(seq: number): Promise<ScopeResult[]> {
    return settle(() =>
      (
        this.db
          .prepare('SELECT * FROM scopes WHERE run = ? ORDER BY provider, account, location')
          .all(seq) as ScopeRow[]
      ).map(toScope),
    );
  }

  recordNotifications(seq: number, outcomes: NotifyOutcome[]): Promise<void> {
    return settle(() => {
      this.db.prepare('UPDATE runs SET notifications = ? WHERE seq = ?').run(JSON.stringify(outcomes), seq);
    });
  }

  sentReminders(targets: string[]): Promise<SentReminder[]> {
    return settle(() => {
      const q = this.db.prepare(
        'SELECT target, uid, not_after AS notAfter, threshold FROM reminders WHERE target = ? ORDER BY uid, threshold',
      );
      return targets.flatMap((t) => q.all(t) as SentReminder[]);
    });
  }

  recordReminders(seq: number, sentAt: string, sent: SentReminder[]): Promise<void> {
    return settle(() => {
      const insert = this.db.prepare('INSERT OR IGNORE INTO reminders VALUES (?, ?, ?, ?, ?, ?)');
      this.db.transaction(() => {
        for (const r of sent) insert.run(r.target, r.uid, r.notAfter, r.threshold, sentAt, seq);
      })();
    });
  }

  notifications(seq: number): Promise<NotifyOutcome[] | undefined> {
    return settle(() => {
      const r = this.db.prepare('SELECT notifications FROM runs WHERE seq = ?').get(seq) as
        { notifications: string | null } | undefined;
      return r?.notifications ? (JSON.parse(r.notifications) as NotifyOutcome[]) : undefined;
    });
  }

  /** SQLite's own consistency check; "ok" when the file is sound. */
  integrity(): string {
    return this.db.pragma('integrity_check', { simple: true }) as string;
  }

  /** Ends the use of the store; a run's transaction is committed here, and the next run may start. */
  close(): Promise<void> {
    return settle(() => {
      try {
        if (this.db.inTransaction) this.db.exec('COMMIT');
      } finally {
        this.release();
      }
    });
  }

  /** Ends a run's use of the store without keeping anything it wrote. */
  abandon(): Promise<void> {
    return settle(() => {
      this.release();
    });
  }

  private release(): void {
    try {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
    } finally {
      if (this.label) unlock(this.path, this.label);
      this.label = undefined;
      this.db.close();
    }
  }
}

export function openStore(path: string, opts: OpenOptions = {}): SqliteStore {
  return new SqliteStore(path, opts);
}
