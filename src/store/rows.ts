/** Rows as both backends return them (the PostgreSQL store decodes its text first), and their model form. */
import type { ResourceRef, ScopeResult } from '../model/types.js';
import type { Severity } from '../model/severity.js';
import type { RunCounts, RunSummary, StoredFinding, StoredRecord } from './types.js';

export interface RunRow {
  seq: number;
  report_id: string;
  started_at: string;
  finished_at: string;
  now: string;
  config_digest: string;
  counts: string;
}
export interface FindingRow {
  id: string;
  rule: string;
  severity: string;
  peak_severity: string;
  title: string;
  message: string;
  resource_uid: string;
  resource_kind: string;
  resource_name: string;
  provider: string;
  account: string;
  location: string;
  tags: string | null;
  status: string;
  first_seen: string;
  last_seen: string;
  carried: number;
}
export interface RecordRow {
  uid: string;
  kind: string;
  provider: string;
  account: string;
  location: string;
  fingerprint: string | null;
  not_after: string | null;
  ref: string | null;
  body: string;
}

export function toSummary(r: RunRow): RunSummary {
  return {
    seq: r.seq,
    reportId: r.report_id,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    now: r.now,
    configDigest: r.config_digest,
    counts: JSON.parse(r.counts) as RunCounts,
  };
}

export function toFinding(r: FindingRow): StoredFinding {
  const resource: ResourceRef = {
    uid: r.resource_uid,
    kind: r.resource_kind as ResourceRef['kind'],
    provider: r.provider,
    account: r.account,
    location: r.location,
    name: r.resource_name,
  };
  return {
    id: r.id,
    ruleId: r.rule,
    severity: r.severity as Severity,
    peakSeverity: r.peak_severity as Severity,
    title: r.title,
    message: r.message,
    resource,
    ...(r.tags ? { tags: JSON.parse(r.tags) as Record<string, string> } : {}),
    status: r.status as StoredFinding['status'],
    firstSeen: r.first_seen,
    lastSeen: r.last_seen,
    carried: r.carried === 1,
  };
}

export interface ScopeRow {
  provider: string;
  account: string;
  location: string;
  status: ScopeResult['status'];
  error_code: string | null;
  error_message: string | null;
  certificates: number;
  bindings: number;
}

export function toScope(s: ScopeRow): ScopeResult {
  return {
    provider: s.provider,
    account: s.account,
    location: s.location,
    status: s.status,
    ...(s.error_code !== null ? { error: { code: s.error_code, message: s.error_message ?? '' } } : {}),
    stats: { certificates: s.certificates, bindings: s.bindings },
  };
}

export function toRecord(r: RecordRow): StoredRecord {
  return {
    uid: r.uid,
    kind: r.kind as StoredRecord['kind'],
    provider: r.provider,
    account: r.account,
    location: r.location,
    ...(r.fingerprint ? { fingerprint: r.fingerprint } : {}),
    ...(r.not_after ? { notAfter: r.not_after } : {}),
    ...(r.ref ? { ref: r.ref } : {}),
    body: JSON.parse(r.body) as StoredRecord['body'],
  };
}
