import type { Report } from './json.js';

/** Owners named individually in a label; the rest share `other`. */
export const OWNER_LABELS_MAX = 20;
/** The label value of records and findings that no owner was attributed to. */
export const NO_OWNER = 'none';
export const OTHER_OWNERS = 'other';

/**
 * A bounded owner label: the `max` owners with the most findings (ties by name) keep their name,
 * every other owner becomes `other`, and nothing owned becomes `none`. A label set per owner
 * would otherwise grow with every team that tags a certificate, and every new label value is a new
 * time series in Prometheus.
 */
export function ownerLabel(report: Report, max = OWNER_LABELS_MAX): (name: string | undefined) => string {
  const counts = new Map<string, number>();
  for (const f of report.findings) if (f.owner) counts.set(f.owner.name, (counts.get(f.owner.name) ?? 0) + 1);
  for (const c of report.certificates) if (c.owner && !counts.has(c.owner.name)) counts.set(c.owner.name, 0);
  const kept = new Set(
    [...counts.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .slice(0, max)
      .map(([name]) => name),
  );
  return (name) => (name === undefined ? NO_OWNER : kept.has(name) ? name : OTHER_OWNERS);
}
