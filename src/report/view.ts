/**
 * Facts the human-readable formats show that the JSON holds only implicitly: which bindings serve
 * each certificate, how many certificates expire in each coming week, and which findings fall
 * under each compliance control. Derived from the report alone.
 */
import type { Binding, Certificate, Finding } from '../model/types.js';
import { SEVERITIES, type Severity } from '../model/severity.js';
import type { Report } from './json.js';

/** Most severe first. */
export const SEVERITIES_DESC: Severity[] = [...SEVERITIES].reverse();

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;

/** Bindings that resolve to each certificate uid. */
export function bindingsByCertificate(report: Report): Map<string, Binding[]> {
  const out = new Map<string, Binding[]>();
  for (const b of report.bindings) {
    if (!b.certificateUid) continue;
    const list = out.get(b.certificateUid) ?? [];
    list.push(b);
    out.set(b.certificateUid, list);
  }
  return out;
}

/** Bound: a binding of this run resolves to it, or its provider says it is in use. */
export function isBound(cert: Certificate, served: Map<string, Binding[]>): boolean {
  return cert.inUse === true || (served.get(cert.uid)?.length ?? 0) > 0;
}

export function daysLeft(cert: Certificate, now: string): number | undefined {
  if (!cert.notAfter) return undefined;
  return Math.floor((Date.parse(cert.notAfter) - Date.parse(now)) / DAY_MS);
}

export interface TimelineBucket {
  /** `expired`, or the first day of the week as an ISO date. */
  label: string;
  bound: number;
  unbound: number;
}

export interface Timeline {
  buckets: TimelineBucket[];
  /** Certificates that expire after the last bucket. */
  later: number;
  /** Certificates without a notAfter (unreadable bytes). */
  undated: number;
}

/** Certificates by weeks until notAfter: one bucket for the expired, then `weeks` weekly buckets from the report's clock. */
export function expiryTimeline(report: Report, weeks = 26): Timeline {
  const now = Date.parse(report.run.now);
  const served = bindingsByCertificate(report);
  const buckets: TimelineBucket[] = [{ label: 'expired', bound: 0, unbound: 0 }];
  for (let w = 0; w < weeks; w++)
    buckets.push({ label: new Date(now + w * WEEK_MS).toISOString().slice(0, 10), bound: 0, unbound: 0 });
  let later = 0;
  let undated = 0;
  for (const cert of report.certificates) {
    const notAfter = cert.notAfter ? Date.parse(cert.notAfter) : NaN;
    if (Number.isNaN(notAfter)) {
      undated++;
      continue;
    }
    const index = notAfter <= now ? 0 : 1 + Math.floor((notAfter - now) / WEEK_MS);
    if (index > weeks) {
      later++;
      continue;
    }
    if (isBound(cert, served)) buckets[index].bound++;
    else buckets[index].unbound++;
  }
  return { buckets, later, undated };
}

export interface ControlGroup {
  framework: string;
  control: string;
  rules: string[];
  findings: Finding[];
  bySeverity: Record<Severity, number>;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Findings under each (framework, control) that their rules map to, sorted by framework then control. */
export function complianceControls(report: Report): ControlGroup[] {
  const groups = new Map<string, ControlGroup>();
  for (const f of report.findings) {
    for (const [framework, controls] of Object.entries(f.compliance ?? {})) {
      for (const control of controls) {
        const key = `${framework}\u0000${control}`;
        let g = groups.get(key);
        if (!g) {
          g = {
            framework,
            control,
            rules: [],
            findings: [],
            bySeverity: { critical: 0, high: 0, medium: 0, low: 0, info: 0 },
          };
          groups.set(key, g);
        }
        if (!g.rules.includes(f.ruleId)) g.rules.push(f.ruleId);
        g.findings.push(f);
        g.bySeverity[f.severity]++;
      }
    }
  }
  return [...groups.values()].sort((a, b) => cmp(a.framework, b.framework) || controlOrder(a.control, b.control));
}

/** "4.2.1" before "10.1": numeric parts compare as numbers. */
function controlOrder(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

/** Rule id -> title and counts by severity, most findings first. */
export function rulesBySeverity(report: Report): Map<Severity, { ruleId: string; title: string; count: number }[]> {
  const out = new Map<Severity, { ruleId: string; title: string; count: number }[]>();
  for (const f of report.findings) {
    const list = out.get(f.severity) ?? [];
    const row = list.find((r) => r.ruleId === f.ruleId);
    if (row) row.count++;
    else list.push({ ruleId: f.ruleId, title: f.title, count: 1 });
    out.set(f.severity, list);
  }
  for (const list of out.values()) list.sort((a, b) => b.count - a.count || cmp(a.ruleId, b.ruleId));
  return out;
}

/** Whether any finding carries history fields, so formats show those columns only when they mean something. */
export function hasHistory(report: Report): { status: boolean; firstSeen: boolean } {
  return {
    status: report.findings.some((f) => f.status !== undefined),
    firstSeen: report.findings.some((f) => f.firstSeen !== undefined),
  };
}

/** "prod-web:443 (load balancer web, HTTPS 443)" — how a binding is named to a person. */
export function bindingLabel(b: Binding): string {
  const where = [
    b.loadBalancer?.name ? `load balancer ${b.loadBalancer.name}` : '',
    [b.protocol, b.port].filter((x) => x !== undefined).join(' '),
  ]
    .filter(Boolean)
    .join(', ');
  return where ? `${b.name} (${where})` : b.name;
}
