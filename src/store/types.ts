import type { CoverageEntry } from '../model/coverage.js';
import type { Binding, Certificate, FindingStatus, ResourceRef, ScopeResult } from '../model/types.js';
import type { Severity } from '../model/severity.js';

/** One finding as the history remembers it: enough to say new/open/resolved and to name it. */
export interface StoredFinding {
  id: string;
  ruleId: string;
  severity: Severity;
  /** The highest severity it has had since first seen: `worsened` means rising above it. */
  peakSeverity: Severity;
  title: string;
  message: string;
  resource: ResourceRef;
  /** Tags of the resource record, so a suppression by tag can still be judged when its scope fails. */
  tags?: Record<string, string>;
  status: FindingStatus;
  firstSeen: string;
  lastSeen: string;
  /**
   * Not seen tonight, but its scope (or a rule it depends on) did not complete, so its absence
   * proves nothing: the last known state is carried into this run instead of calling it resolved.
   */
  carried: boolean;
}

/** A certificate or binding of a run, kept whole as JSON; the columns are what diff needs. */
export interface StoredRecord {
  uid: string;
  kind: 'certificate' | 'binding';
  provider: string;
  account: string;
  location: string;
  fingerprint?: string;
  notAfter?: string;
  ref?: string;
  body: Certificate | Binding;
}

export interface RunCounts {
  certificates: number;
  bindings: number;
  findings: number;
  new: number;
  open: number;
  suppressed: number;
  resolved: number;
  carried: number;
  scopesOk: number;
  scopesNotOk: number;
}

/** A run as listed by `certwarden history`. */
export interface RunSummary {
  /** The store's own sequence number: 1, 2, 3, ... */
  seq: number;
  /** The report's `run.id`. */
  reportId: string;
  startedAt: string;
  finishedAt: string;
  now: string;
  configDigest: string;
  counts: RunCounts;
}

export interface RunRecord {
  reportId: string;
  startedAt: string;
  finishedAt: string;
  now: string;
  configDigest: string;
  scopes: ScopeResult[];
  /** What discovery found, audited or not. */
  coverage?: CoverageEntry[];
  certificates: Certificate[];
  bindings: Binding[];
  /** Tonight's findings plus the resolved and carried ones, each with its status. */
  findings: StoredFinding[];
  counts: RunCounts;
}

/** A reminder before expiry sent to one target: the certificate (by uid and notAfter, so a renewal starts afresh) and the threshold in days. */
export interface SentReminder {
  target: string;
  uid: string;
  notAfter: string;
  threshold: number;
}

export interface NotifyOutcome {
  target: string;
  type: string;
  status: 'sent' | 'failed' | 'skipped';
  items: number;
  error?: string;
}

/**
 * The history of certificate audits. SQLite is the embedded default (src/store/sqlite.ts);
 * another backend implements this and nothing else changes.
 */
export interface Store {
  /** The most recent run, or undefined for an empty store. */
  lastRun(): Promise<RunSummary | undefined>;
  /** Findings of a run that are still alive (every status but resolved): the baseline of the next run. */
  alive(seq: number): Promise<StoredFinding[]>;
  /** Writes a whole run in one transaction and prunes by retention; returns its sequence number. */
  saveRun(run: RunRecord): Promise<number>;
  runs(): Promise<RunSummary[]>;
  /** A run by sequence number or report id. */
  run(ref: string | number): Promise<RunSummary | undefined>;
  findings(seq: number): Promise<StoredFinding[]>;
  records(seq: number): Promise<StoredRecord[]>;
  scopes(seq: number): Promise<ScopeResult[]>;
  /** What discovery found in a run; undefined for a run that recorded no coverage (written before it existed). */
  coverage(seq: number): Promise<CoverageEntry[] | undefined>;
  recordNotifications(seq: number, outcomes: NotifyOutcome[]): Promise<void>;
  /** The outcomes recorded for a run, if any. */
  notifications(seq: number): Promise<NotifyOutcome[] | undefined>;
  /** The reminders already sent to these targets, whichever run sent them. */
  sentReminders(targets: string[]): Promise<SentReminder[]>;
  /** Remembers reminders as sent; one already remembered is left as it was. */
  recordReminders(seq: number, sentAt: string, sent: SentReminder[]): Promise<void>;
  /** Ends the use of the store; a run's transaction is committed here. */
  close(): Promise<void>;
}

/** A store opened for an audit's run: locked, written in one transaction, committed by `close`. */
export interface RunStore extends Store {
  /** Ends a run's use of the store without keeping anything it wrote. */
  abandon(): Promise<void>;
}

export interface Retention {
  runs?: number;
  days?: number;
}
