/**
 * Prometheus text exposition (format 0.0.4) for the node exporter's textfile collector: write it
 * to `<collector dir>/certwarden.prom` (atomically, which the writer does) and alert on
 * `certwarden_certificate_expiry_timestamp_seconds - time() < 14 * 86400`.
 */
import { promLabel } from './escape.js';
import type { Report } from './json.js';
import { ownerLabel } from './owner-labels.js';

const labels = (l: Record<string, string>) =>
  `{${Object.entries(l)
    .map(([k, v]) => `${k}="${promLabel(v)}"`)
    .join(',')}}`;
const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

function metric(name: string, help: string, samples: string[]): string[] {
  return [`# HELP ${name} ${help}`, `# TYPE ${name} gauge`, ...samples];
}

export function renderPrometheus(report: Report): string {
  const owner = ownerLabel(report);
  const expiry = report.certificates
    .filter((c) => c.notAfter && !Number.isNaN(Date.parse(c.notAfter)))
    .map(
      (c) =>
        `certwarden_certificate_expiry_timestamp_seconds${labels({ provider: c.provider, account: c.account, location: c.location, name: c.name, uid: c.uid, owner: owner(c.owner?.name) })} ${seconds(c.notAfter!)}`,
    );
  const counts = new Map<string, { severity: string; rule: string; owner: string; n: number }>();
  for (const f of report.findings) {
    const o = owner(f.owner?.name);
    const key = `${f.severity}\u0000${f.ruleId}\u0000${o}`;
    const c = counts.get(key) ?? { severity: f.severity, rule: f.ruleId, owner: o, n: 0 };
    c.n++;
    counts.set(key, c);
  }
  const findings = [...counts.values()].map(
    (c) => `certwarden_findings${labels({ severity: c.severity, rule: c.rule, owner: c.owner })} ${c.n}`,
  );
  const scopes = report.scopes.map(
    (s) =>
      `certwarden_scope_up${labels({ provider: s.provider, account: s.account, location: s.location })} ${s.status === 'ok' ? 1 : 0}`,
  );
  return [
    ...metric(
      'certwarden_certificate_expiry_timestamp_seconds',
      'Expiry (notAfter) of each certificate, in seconds since the Unix epoch.',
      expiry,
    ),
    ...metric(
      'certwarden_findings',
      'Findings of the last audit, by severity, rule and owner (the 20 owners with most findings; the rest are "other", unowned "none").',
      findings,
    ),
    ...metric(
      'certwarden_scope_up',
      'Whether each scope (provider, account, location) was audited completely (1) or not (0).',
      scopes,
    ),
    ...metric(
      'certwarden_last_run_timestamp_seconds',
      'When the last audit finished, in seconds since the Unix epoch.',
      [`certwarden_last_run_timestamp_seconds ${seconds(report.run.finishedAt)}`],
    ),
    '',
  ].join('\n');
}
