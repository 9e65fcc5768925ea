import type { Config } from '../config/schema.js';
import type { Binders, Stores } from '../engine/api/link.js';
import type { Logger } from '../engine/api/provider.js';
import type { Binding, Certificate, Finding } from '../model/types.js';
import { severityRank } from '../model/severity.js';
import type { Report } from '../report/json.js';
import { applySuppressions, suppressionSection, type SuppressionSection } from './apply.js';
import { coverage, rulesThatRan } from './coverage.js';
import { changeLine, coverageChanges, type CoverageChanges } from '../coverage/changes.js';
import { openTarget } from './backend.js';
import { classify, peaks, toStored, type Worsened } from './status.js';
import { loadSuppressions, type Suppression } from './suppressions.js';
import type { RunCounts, Store, StoredFinding } from './types.js';

/** A finding from an earlier run, as the report lists it under `history.resolved` or `history.carried`. */
export type HistoryFinding = Omit<StoredFinding, 'carried' | 'tags' | 'peakSeverity'>;

/** The report's `history` section: how tonight compares with the previous run of the same scopes. */
export interface HistorySection {
  /** This run's sequence number in the store. */
  run: number;
  previousRun: { run: number; id: string; now: string } | null;
  counts: { new: number; open: number; suppressed: number; resolved: number; carried: number; worsened: number };
  resolved: HistoryFinding[];
  carried: HistoryFinding[];
  worsened: Worsened[];
  /** Accounts, subscriptions and vaults audited in the previous run and not tonight, or the other way round. */
  coverage?: CoverageChanges;
}

export type RememberedReport = Report & { history?: HistorySection; suppressions?: SuppressionSection };

export interface RememberOptions {
  config: Config;
  /** Ids of the rules enabled for this run. */
  activeRules: string[];
  binders: Binders;
  /** How bindings name each certificate provider's certificates, and where they can be (Provider.referencedAs). */
  stores?: Stores;
  /** Rule id -> the enrichments it needs on a record (Rule.needs). */
  needs?: Record<string, string[]>;
  log: Logger;
  /** Already loaded from `config.suppressions`; read from there when omitted. */
  suppressions?: Suppression[];
  /** An open store to use instead of the one `config.store` names (tests, other backends). */
  store?: Store;
}

const byWeight = (a: StoredFinding, b: StoredFinding) =>
  severityRank(b.severity) - severityRank(a.severity) ||
  (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0) ||
  (a.resource.uid < b.resource.uid ? -1 : a.resource.uid > b.resource.uid ? 1 : a.id < b.id ? -1 : 1);

function listed({ carried: _c, tags: _t, peakSeverity: _p, ...f }: StoredFinding): HistoryFinding {
  return f;
}

/**
 * Tags by record uid: tonight's, or, for a record whose tags could not be read tonight (`unread`),
 * the tags last stored with its findings, so a suppression by tag still applies. `unknown` holds
 * the records whose tags are known neither way.
 */
function knownTags(
  report: Report,
  baseline: StoredFinding[],
): { tagsOf: (uid: string) => Record<string, string> | undefined; unknown: number } {
  const tags = new Map<string, Record<string, string>>();
  const unread = new Set<string>();
  for (const r of [...report.certificates, ...report.bindings]) {
    if (r.tags) tags.set(r.uid, r.tags);
    else if (r.unread?.includes('tags')) unread.add(r.uid);
  }
  for (const f of baseline)
    if (unread.has(f.resource.uid) && f.tags && !tags.has(f.resource.uid)) tags.set(f.resource.uid, f.tags);
  return { tagsOf: (uid) => tags.get(uid), unknown: [...unread].filter((uid) => !tags.has(uid)).length };
}

/**
 * Applies suppressions, then (with a store) gives every finding its status and first-seen date
 * against the previous run and writes the run in one transaction. Without a store and without
 * suppressions the report is returned as it came.
 */
export async function remember(report: Report, opts: RememberOptions): Promise<RememberedReport> {
  const { config } = opts;
  if (!config.suppressions && !config.store && !opts.store) return report;
  const now = new Date(report.run.now);
  const list = opts.suppressions ?? (config.suppressions ? loadSuppressions(config.suppressions) : undefined);
  const store = opts.store ?? (config.store ? await openTarget(config.store) : undefined);
  try {
    const last = await store?.lastRun();
    const baseline = last ? await store!.alive(last.seq) : [];
    const { tagsOf, unknown } = knownTags(report, baseline);
    let findings: Finding[] = list ? applySuppressions(report.findings, tagsOf, list, now) : report.findings;
    const section = (carried: StoredFinding[]) => {
      if (!list || !config.suppressions) return {};
      const s = suppressionSection(
        config.suppressions,
        list,
        [...findings.map((f) => ({ ...f, tags: tagsOf(f.resource.uid) })), ...carried],
        findings.filter((f) => f.status === 'suppressed').length,
        now,
      );
      // An entry that selects by tag may cover a record whose tags could not be read: not stale for that.
      return { suppressions: unknown ? { ...s, unmatched: s.unmatched.filter((e) => e.tag === undefined) } : s };
    };
    if (!store) return { ...report, findings, ...section([]) };
    const records = new Map<string, Certificate | Binding>(
      [...report.certificates, ...report.bindings].map((r) => [r.uid, r]),
    );
    const checked = coverage(report.scopes, rulesThatRan(opts.activeRules, report.findings), {
      binders: opts.binders,
      stores: opts.stores,
      records,
      needs: opts.needs,
    });
    const c = classify(findings, baseline, report.run.now, checked);
    const peak = peaks(baseline);
    findings = c.findings;
    const count = (s: string) => findings.filter((f) => f.status === s).length;
    const counts: RunCounts = {
      certificates: report.certificates.length,
      bindings: report.bindings.length,
      findings: findings.length,
      new: count('new'),
      open: count('open'),
      suppressed: count('suppressed'),
      resolved: c.resolved.length,
      carried: c.carried.length,
      scopesOk: report.summary.scopes.ok,
      scopesNotOk: report.summary.scopes.partial + report.summary.scopes.failed,
    };
    const seq = await store.saveRun({
      reportId: report.run.id,
      startedAt: report.run.startedAt,
      finishedAt: report.run.finishedAt,
      now: report.run.now,
      configDigest: report.run.configDigest,
      scopes: report.scopes,
      coverage: report.coverage?.entries,
      certificates: report.certificates,
      bindings: report.bindings,
      findings: [
        ...findings.map((f) => toStored(f, report.run.now, peak(f.id, f.severity), tagsOf(f.resource.uid))),
        ...c.resolved,
        ...c.carried,
      ],
      counts,
    });
    if (c.carried.length)
      opts.log.info(
        `${c.carried.length} finding(s) carried from scopes that did not complete tonight; they are not counted as resolved`,
      );
    const history: HistorySection = {
      run: seq,
      previousRun: last ? { run: last.seq, id: last.reportId, now: last.now } : null,
      counts: {
        new: counts.new,
        open: counts.open,
        suppressed: counts.suppressed,
        resolved: counts.resolved,
        carried: counts.carried,
        worsened: c.worsened.length,
      },
      resolved: c.resolved.sort(byWeight).map(listed),
      carried: c.carried.sort(byWeight).map(listed),
      worsened: c.worsened,
      ...(report.coverage && last
        ? { coverage: coverageChanges(await store.coverage(last.seq), report.coverage.entries) }
        : {}),
    };
    for (const lost of history.coverage?.lost ?? [])
      opts.log.warn(`coverage lost since the previous run: ${changeLine(lost)}`);
    return { ...report, findings, ...section(c.carried), history };
  } finally {
    if (!opts.store) await store?.close();
  }
}
