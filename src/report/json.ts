import { createHash } from 'node:crypto';
import type { Binding, Certificate, Finding, Origin, ScopeResult, ScopeTiming } from '../model/types.js';
import { SEVERITIES, severityRank, type Severity } from '../model/severity.js';
import type { LinkedInventory } from '../engine/api/link.js';
import { VERSION } from '../version.js';
import { escapeJsonText } from './escape.js';
import type { Coverage } from '../model/coverage.js';
import { buildCoverage } from '../coverage/build.js';

export const SCHEMA_VERSION = 2;

export interface Report {
  schemaVersion: typeof SCHEMA_VERSION;
  tool: { name: 'certwarden'; version: string };
  run: {
    id: string;
    startedAt: string;
    finishedAt: string;
    now: string;
    configDigest: string;
    /** What each scope cost; absent when the clock is fixed (`--now`), which keeps such reports byte-identical. */
    timings?: ScopeTiming[];
  };
  scopes: ScopeResult[];
  /** What discovery found and whether it was audited; absent in reports written before it existed. */
  coverage?: Coverage;
  summary: {
    certificates: number;
    bindings: number;
    findings: number;
    bySeverity: Record<Severity, number>;
    byRule: Record<string, number>;
    byProvider: Record<string, number>;
    scopes: { ok: number; partial: number; failed: number };
  };
  certificates: Certificate[];
  bindings: Binding[];
  findings: Finding[];
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Most severe first, then by rule and resource, so the same inputs give byte-identical output. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    severityRank(b.severity) - severityRank(a.severity) ||
    cmp(a.ruleId, b.ruleId) ||
    cmp(a.resource.uid, b.resource.uid) ||
    cmp(a.id, b.id)
  );
}

function count<T>(items: T[], key: (t: T) => string): Record<string, number> {
  const tally = new Map<string, number>();
  for (const item of items) {
    const k = key(item);
    tally.set(k, (tally.get(k) ?? 0) + 1);
  }
  const out: Record<string, number> = {};
  for (const k of [...tally.keys()].sort(cmp)) out[k] = tally.get(k)!;
  return out;
}

/**
 * The findings in `compareFindings` order. A run's findings fall into a few (severity, rule)
 * groups, so they are grouped first and only resources are compared within a group: the same
 * order as sorting the whole list, for a fraction of the comparisons.
 */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  const groups = new Map<number, Map<string, Finding[]>>();
  for (const f of findings) {
    const rank = severityRank(f.severity);
    let byRule = groups.get(rank);
    if (!byRule) groups.set(rank, (byRule = new Map<string, Finding[]>()));
    const group = byRule.get(f.ruleId);
    if (group) group.push(f);
    else byRule.set(f.ruleId, [f]);
  }
  const out: Finding[] = [];
  for (const rank of [...groups.keys()].sort((a, b) => b - a)) {
    const byRule = groups.get(rank)!;
    for (const rule of [...byRule.keys()].sort(cmp)) {
      const group = byRule.get(rule)!;
      group.sort((a, b) => cmp(a.resource.uid, b.resource.uid) || cmp(a.id, b.id));
      for (const f of group) out.push(f);
    }
  }
  return out;
}

export interface ReportInput {
  inventory: LinkedInventory;
  findings: Finding[];
  now: Date;
  startedAt: Date;
  finishedAt: Date;
  configDigest: string;
  /** Per-scope wall time and calls, left out of reproducible reports (src/cli/audit.ts). */
  timings?: ScopeTiming[];
}

const byOrigin = (a: Origin, b: Origin) =>
  cmp(a.provider, b.provider) || cmp(a.account, b.account) || cmp(a.location, b.location);

/** The one place that shapes the report: every other format is rendered from this object. */
export function buildReport(input: ReportInput): Report {
  const { inventory: inv } = input;
  const scopes = [...inv.scopes].sort(byOrigin);
  const findings = sortFindings(input.findings);
  const bySeverity = Object.fromEntries([...SEVERITIES].reverse().map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) bySeverity[f.severity]++;
  const now = input.now.toISOString();
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'certwarden', version: VERSION },
    run: {
      id: createHash('sha256')
        .update(`${now}\u0000${input.configDigest}\u0000${input.startedAt.toISOString()}`)
        .digest('hex')
        .slice(0, 16),
      startedAt: input.startedAt.toISOString(),
      finishedAt: input.finishedAt.toISOString(),
      now,
      configDigest: input.configDigest,
      ...(input.timings ? { timings: [...input.timings].sort(byOrigin) } : {}),
    },
    scopes,
    coverage: buildCoverage(inv.discovered ?? [], scopes),
    summary: {
      certificates: inv.certificates.length,
      bindings: inv.bindings.length,
      findings: findings.length,
      bySeverity,
      byRule: count(findings, (f) => f.ruleId),
      byProvider: count(findings, (f) => f.resource.provider),
      scopes: {
        ok: scopes.filter((s) => s.status === 'ok').length,
        partial: scopes.filter((s) => s.status === 'partial').length,
        failed: scopes.filter((s) => s.status === 'failed').length,
      },
    },
    certificates: [...inv.certificates].sort((a, b) => cmp(a.uid, b.uid)),
    bindings: [...inv.bindings].sort((a, b) => cmp(a.uid, b.uid)),
    findings,
  };
}

/**
 * Serialises the report a record at a time, so a very large inventory never needs one giant
 * string in memory. The document's top level is indented; each record of `certificates`,
 * `bindings` and `findings` is one line of compact JSON, which halves the writer's work against
 * indenting every field and keeps one record per line for `grep` and line diffs. It parses to the
 * same report as `JSON.stringify(report)`, and the bytes are deterministic.
 */
export function* jsonChunks(report: Report): Generator<string> {
  const keys = Object.keys(report) as (keyof Report)[];
  yield '{\n';
  for (const [i, key] of keys.entries()) {
    const value = report[key];
    const sep = i < keys.length - 1 ? ',\n' : '\n';
    if (Array.isArray(value) && value.length > 0) {
      yield `  ${JSON.stringify(key)}: [\n`;
      const last = value.length - 1;
      for (let j = 0; j < last; j++) yield `    ${escapeJsonText(JSON.stringify(value[j]))},\n`;
      yield `    ${escapeJsonText(JSON.stringify(value[last]))}\n  ]${sep}`;
    } else {
      yield `  ${JSON.stringify(key)}: ${escapeJsonText(JSON.stringify(value, null, 2)).replace(/\n/g, '\n  ')}${sep}`;
    }
  }
  yield '}\n';
}
