/**
 * OCSF 1.1.0 Detection Finding events (class_uid 2004), one JSON object a line (JSON Lines): the
 * schema version and class Amazon Security Lake ingests from custom sources, and the framing its
 * custom sources, Splunk, Elastic and most SIEM connectors read line by line.
 * Schema: https://schema.ocsf.io/1.1.0/classes/detection_finding.
 *
 * - `finding_info.uid` is the finding's stable id, so a consumer updates rather than duplicates;
 *   `activity_id` is Create for a new finding, Update for an open one, Close for a resolved one.
 * - `status_id`: New (new and open findings alike: nobody triaged them in certwarden), Suppressed,
 *   Resolved; `status_detail` keeps certwarden's own word.
 * - Cloud findings apply OCSF's `cloud` profile (account and region); files and TLS endpoints do not.
 * - Detection Finding 1.1.0 has no compliance attribute: the controls go to `unmapped.compliance`,
 *   as Prowler's OCSF output does; the owner's name to `resources[].owner` (a User), where it
 *   came from to `unmapped.owner`. The records a finding names beside its own follow it in `resources`.
 *
 * Every string is data: the JSON text escapes C0, C1, bidi and format characters (`escapeJsonText`).
 */
import type { Severity } from '../model/severity.js';
import type { Report } from './json.js';
import { escapeJsonText } from './escape.js';
import type { RuleMeta } from './sarif.js';
import { cloudOf, controls, triageFindings, type TriageFinding, type TriageReport } from './triage.js';

export const OCSF_VERSION = '1.1.0';
const CLASS_UID = 2004;
const CATEGORY_UID = 2;

const SEVERITY: Record<Severity, [number, string]> = {
  info: [1, 'Informational'],
  low: [2, 'Low'],
  medium: [3, 'Medium'],
  high: [4, 'High'],
  critical: [5, 'Critical'],
};
const ACTIVITY: Record<number, string> = { 1: 'Create', 2: 'Update', 3: 'Close' };
const STATUS: Record<string, [number, string]> = {
  new: [1, 'New'],
  open: [1, 'New'],
  suppressed: [3, 'Suppressed'],
  resolved: [4, 'Resolved'],
};

const ms = (iso: string | undefined) => (iso ? Date.parse(iso) : undefined);

export function ocsfEvent(f: TriageFinding, report: Report, meta?: RuleMeta): Record<string, unknown> {
  const r = f.resource;
  const cloud = cloudOf(r.provider);
  const activity = f.status === 'resolved' ? 3 : f.status === 'open' || f.status === 'suppressed' ? 2 : 1;
  const [severityId, severity] = SEVERITY[f.severity];
  const [statusId, status] = STATUS[f.status ?? 'new'];
  const time = ms(report.run.now)!;
  const compliance = controls(f);
  return {
    activity_id: activity,
    activity_name: ACTIVITY[activity],
    category_uid: CATEGORY_UID,
    category_name: 'Findings',
    class_uid: CLASS_UID,
    class_name: 'Detection Finding',
    type_uid: CLASS_UID * 100 + activity,
    type_name: `Detection Finding: ${ACTIVITY[activity]}`,
    time,
    severity_id: severityId,
    severity,
    status_id: statusId,
    status,
    ...(f.status ? { status_detail: f.status } : {}),
    message: f.message,
    metadata: {
      version: OCSF_VERSION,
      product: { name: 'certwarden', vendor_name: 'certwarden', version: report.tool.version },
      ...(cloud ? { profiles: ['cloud'] } : {}),
      log_name: 'certwarden findings',
      correlation_uid: report.run.id,
    },
    ...(cloud
      ? {
          cloud: {
            provider: cloud,
            region: r.location,
            account: {
              uid: r.account,
              ...(cloud === 'AWS' ? { type_id: 10, type: 'AWS Account' } : { type_id: 99, type: 'Azure Subscription' }),
            },
          },
        }
      : {}),
    finding_info: {
      uid: f.id,
      title: f.title,
      desc: f.message,
      types: [f.category],
      analytic: { uid: f.ruleId, name: f.ruleId, type_id: 1, type: 'Rule', category: f.category },
      ...(f.firstSeen ? { first_seen_time: ms(f.firstSeen) } : {}),
      last_seen_time: f.lastSeen ? ms(f.lastSeen) : time,
    },
    ...(f.remediation
      ? { remediation: { desc: f.remediation, ...(meta?.references.length ? { references: meta.references } : {}) } }
      : {}),
    resources: [
      {
        uid: r.uid,
        name: r.name,
        type: `${r.provider}/${r.kind}`,
        ...(cloud ? { region: r.location } : {}),
        ...(f.owner ? { owner: { name: f.owner.name } } : {}),
        data: { provider: r.provider, account: r.account, location: r.location },
      },
      // The records the finding names beside its own (the listener serving a certificate, ...).
      ...f.related.map((uid) => ({ uid, type: uid.split(':')[0], data: { related: true } })),
    ],
    ...(Object.keys(f.evidence).length ? { evidences: [{ data: f.evidence }] } : {}),
    unmapped: {
      ...(compliance.length ? { compliance: f.compliance, controls: compliance } : {}),
      ...(f.owner ? { owner: { name: f.owner.name, source: f.owner.source, detail: f.owner.detail } } : {}),
      provider: r.provider,
    },
  };
}

/** The report's findings (and, with a store, the resolved ones) as OCSF events, one a line. */
export function* ocsfChunks(report: TriageReport, opts: { rules?: RuleMeta[] } = {}): Generator<string> {
  const meta = new Map((opts.rules ?? []).map((m) => [m.id, m]));
  for (const f of triageFindings(report, opts.rules))
    yield escapeJsonText(JSON.stringify(ocsfEvent(f, report, meta.get(f.ruleId)))) + '\n';
}
