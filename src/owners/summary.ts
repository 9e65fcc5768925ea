/** `certwarden owners`: which owners exist, what each has to act on, and what has no owner. */
import type { Report } from '../report/json.js';
import type { Severity } from '../model/severity.js';

const DAY_MS = 86_400_000;

export interface OwnerLine {
  /** The owner's name; absent for the line of findings that no owner was attributed to. */
  owner?: string;
  /** Where the owner came from, as `tag:team` or `mapping:account=…`, every distinct one. */
  sources: string[];
  findings: number;
  bySeverity: Partial<Record<Severity, number>>;
  certificates: number;
  /** Certificates of this owner whose notAfter is within 7 / 30 days of the audit clock (or past). */
  expiring7: number;
  expiring30: number;
}

export interface Unowned {
  kind: 'certificate' | 'binding';
  uid: string;
  name: string;
  provider: string;
  account: string;
  location: string;
}

export interface OwnersSummary {
  owners: OwnerLine[];
  unowned: Unowned[];
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function ownersSummary(report: Report): OwnersSummary {
  const now = Date.parse(report.run.now);
  const lines = new Map<string, OwnerLine>();
  const line = (name: string | undefined) => {
    const key = name === undefined ? '' : `o:${name}`;
    let l = lines.get(key);
    if (!l) {
      l = {
        ...(name === undefined ? {} : { owner: name }),
        sources: [],
        findings: 0,
        bySeverity: {},
        certificates: 0,
        expiring7: 0,
        expiring30: 0,
      };
      lines.set(key, l);
    }
    return l;
  };
  const source = (l: OwnerLine, o: { source: string; detail: string }) => {
    const s = `${o.source}:${o.detail}`;
    if (!l.sources.includes(s)) l.sources.push(s);
  };
  for (const f of report.findings) {
    if (f.status === 'suppressed') continue;
    const l = line(f.owner?.name);
    if (f.owner) source(l, f.owner);
    l.findings++;
    l.bySeverity[f.severity] = (l.bySeverity[f.severity] ?? 0) + 1;
  }
  const unowned: Unowned[] = [];
  for (const c of report.certificates) {
    const l = line(c.owner?.name);
    if (c.owner) source(l, c.owner);
    l.certificates++;
    const left = c.notAfter ? Date.parse(c.notAfter) - now : NaN;
    if (left <= 7 * DAY_MS) l.expiring7++;
    if (left <= 30 * DAY_MS) l.expiring30++;
  }
  for (const r of [...report.certificates, ...report.bindings])
    if (!r.owner)
      unowned.push({
        kind: r.kind,
        uid: r.uid,
        name: r.name,
        provider: r.provider,
        account: r.account,
        location: r.location,
      });
  const owners = [...lines.values()].sort(
    (a, b) =>
      Number(a.owner === undefined) - Number(b.owner === undefined) ||
      b.findings - a.findings ||
      cmp(a.owner ?? '', b.owner ?? ''),
  );
  for (const o of owners) o.sources.sort(cmp);
  return { owners, unowned };
}
