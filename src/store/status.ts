import type { Finding, ResourceRef } from '../model/types.js';
import { maxSeverity, severityRank, type Severity } from '../model/severity.js';
import type { StoredFinding } from './types.js';

export interface Worsened {
  id: string;
  ruleId: string;
  from: Severity;
  to: Severity;
}

export interface Classified {
  /** Tonight's findings with `status` (new, open or suppressed) and `firstSeen`. */
  findings: Finding[];
  /** Alive last time, absent tonight, and tonight's run looked where they live. */
  resolved: StoredFinding[];
  /** Alive last time, absent tonight, but where they live was not (fully) looked at tonight. */
  carried: StoredFinding[];
  /** Open findings whose severity rose since the last run. */
  worsened: Worsened[];
}

/**
 * Gives tonight's findings their status against the baseline (the previous run's alive findings,
 * which already hold everything carried forward from scopes that were not visited since).
 * Findings arrive already marked `suppressed` where a suppression applies; that status wins.
 */
export function classify(
  tonight: Finding[],
  baseline: StoredFinding[],
  now: string,
  checked: (f: { ruleId: string; resource: ResourceRef }) => boolean,
): Classified {
  const before = new Map(baseline.map((f) => [f.id, f]));
  const seen = new Set<string>();
  const worsened: Worsened[] = [];
  const findings = tonight.map((f): Finding => {
    seen.add(f.id);
    const prev = before.get(f.id);
    const status = f.status === 'suppressed' ? 'suppressed' : prev ? 'open' : 'new';
    // Against the peak, not last night: a severity that dipped while a binding scope was down (or
    // that flaps) and comes back is not news; rising above anything seen before is.
    if (prev && status === 'open' && severityRank(f.severity) > severityRank(prev.peakSeverity))
      worsened.push({ id: f.id, ruleId: f.ruleId, from: prev.peakSeverity, to: f.severity });
    return { ...f, status, firstSeen: prev?.firstSeen ?? now };
  });
  const resolved: StoredFinding[] = [];
  const carried: StoredFinding[] = [];
  for (const prev of baseline) {
    if (seen.has(prev.id)) continue;
    if (checked(prev)) resolved.push({ ...prev, status: 'resolved', carried: false });
    else carried.push({ ...prev, carried: true });
  }
  return { findings, resolved, carried, worsened };
}

/** The peak severities carried forward from the baseline, for `toStored`. */
export function peaks(baseline: StoredFinding[]): (id: string, severity: Severity) => Severity {
  const before = new Map(baseline.map((f) => [f.id, f.peakSeverity]));
  return (id, severity) => maxSeverity(before.get(id) ?? severity, severity);
}

/** Tonight's finding as the store keeps it. */
export function toStored(f: Finding, now: string, peak: Severity, tags?: Record<string, string>): StoredFinding {
  return {
    id: f.id,
    ruleId: f.ruleId,
    severity: f.severity,
    peakSeverity: peak,
    title: f.title,
    message: f.message,
    resource: f.resource,
    ...(tags && Object.keys(tags).length ? { tags } : {}),
    status: f.status ?? 'new',
    firstSeen: f.firstSeen ?? now,
    lastSeen: now,
    carried: false,
  };
}
