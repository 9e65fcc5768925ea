/**
 * What the formats read by triage queues (OCSF, ASFF) list: tonight's findings, and, when a
 * history store is used, the findings resolved since the previous run, so a queue closes them
 * instead of keeping them open for ever.
 */
import type { Finding, ResourceRef } from '../model/types.js';
import type { Severity } from '../model/severity.js';
import type { Report } from './json.js';
import type { RuleMeta } from './sarif.js';

/** A finding of an earlier run as the report's `history.resolved` lists it. */
interface ResolvedEntry {
  id: string;
  ruleId: string;
  severity: Severity;
  title: string;
  message: string;
  resource: ResourceRef;
  firstSeen: string;
  lastSeen: string;
}

/** The report as `remember` returns it: `history` is present when a store is used. */
export type TriageReport = Report & { history?: { resolved?: ResolvedEntry[] } };

export interface TriageFinding extends Finding {
  /** The last run that saw it, for resolved findings. */
  lastSeen?: string;
}

/** Tonight's findings, then the resolved ones, each with what its rule says about it. */
export function triageFindings(report: TriageReport, rules: RuleMeta[] = []): TriageFinding[] {
  const meta = new Map(rules.map((r) => [r.id, r]));
  const resolved = (report.history?.resolved ?? []).map((r): TriageFinding => {
    const m = meta.get(r.ruleId);
    return {
      id: r.id,
      ruleId: r.ruleId,
      severity: r.severity,
      category: m?.category ?? 'resolved',
      title: r.title,
      message: r.message,
      resource: r.resource,
      related: [],
      evidence: {},
      remediation: m?.remediation ?? '',
      ...(m && Object.keys(m.compliance).length ? { compliance: m.compliance } : {}),
      status: 'resolved',
      firstSeen: r.firstSeen,
      lastSeen: r.lastSeen,
    };
  });
  return [...report.findings, ...resolved];
}

/** The cloud a provider reads, by its id's prefix; undefined for files and TLS endpoints. */
export function cloudOf(provider: string): 'AWS' | 'Azure' | undefined {
  return provider.startsWith('aws-') ? 'AWS' : provider.startsWith('azure-') ? 'Azure' : undefined;
}

/** `framework/control` for every compliance control a finding maps to. */
export function controls(f: Finding): string[] {
  return Object.entries(f.compliance ?? {}).flatMap(([fw, ids]) => ids.map((c) => `${fw}/${c}`));
}
