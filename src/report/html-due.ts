/**
 * The HTML report's "due next" view: what expires within 30 days, or is critical, grouped by
 * owner, each with what it would take down and what to do, soonest first. It answers the morning
 * question, "what must my team do this week", without reading the whole report.
 */
import type { Binding, Certificate, Finding } from '../model/types.js';
import { severityRank } from '../model/severity.js';
import { escapeHtml as e } from './escape.js';
import type { Report } from './json.js';
import { bindingsByCertificate, daysLeft } from './view.js';

const DUE_DAYS = 30;
const SOON_DAYS = 7;
/** Rows listed at most; the findings table below holds the rest. */
const MAX_ROWS = 200;

interface Due {
  finding: Finding;
  cert?: Certificate;
  left?: number;
  bindings: Binding[];
}

/** The fragment that points at a certificate's card (the card's id, percent-encoded for the URL). */
export const certAnchor = (uid: string) => `#cert-${encodeURIComponent(uid)}`;

function when(left: number | undefined): string {
  if (left === undefined) return '—';
  return left < 0 ? `expired ${-left} day(s) ago` : `${left} day(s) left`;
}

function row(d: Due): string {
  const f = d.finding;
  const soon = f.severity === 'critical' || (d.left !== undefined && d.left <= SOON_DAYS);
  const name = d.cert
    ? `<a class="cert-link" href="${e(certAnchor(d.cert.uid))}">${e(d.cert.name)}</a>`
    : e(f.resource.name);
  const down = d.bindings.length
    ? d.bindings
        .map(
          (b) => `${e(b.loadBalancer?.name ?? b.name)}${b.public ? ' <span class="pill">internet-facing</span>' : ''}`,
        )
        .join(', ')
    : '<span class="muted">nothing bound in this run</span>';
  return (
    `<tr class="${soon ? 'within-7' : 'within-30'}"><td>${e(when(d.left))}</td><td><span class="sev ${e(f.severity)}">${e(f.severity)}</span></td>` +
    `<td>${name}<div class="muted"><code>${e(f.ruleId)}</code> ${e(f.resource.provider)} ${e(f.resource.account)}/${e(f.resource.location)}</div></td>` +
    `<td>${down}</td><td>${e(f.remediation)}</td></tr>`
  );
}

export function dueSection(report: Report): string {
  const certs = new Map(report.certificates.map((c) => [c.uid, c]));
  const bindingOf = new Map(report.bindings.map((b) => [b.uid, b]));
  const served = bindingsByCertificate(report);
  const due: Due[] = [];
  for (const f of report.findings) {
    if (f.status === 'suppressed') continue;
    const cert =
      f.resource.kind === 'certificate'
        ? certs.get(f.resource.uid)
        : f.resource.kind === 'binding'
          ? certs.get(bindingOf.get(f.resource.uid)?.certificateUid ?? '')
          : undefined;
    const left = cert ? daysLeft(cert, report.run.now) : undefined;
    const expiring = f.category === 'expiry' && left !== undefined && left <= DUE_DAYS;
    if (!expiring && f.severity !== 'critical') continue;
    const bindings = cert ? (served.get(cert.uid) ?? []).filter((b) => b.live !== false) : [];
    if (f.resource.kind === 'binding' && !cert) bindings.push(bindingOf.get(f.resource.uid)!);
    due.push({ finding: f, cert, left, bindings: bindings.filter(Boolean) });
  }
  due.sort(
    (a, b) =>
      (a.left ?? Infinity) - (b.left ?? Infinity) ||
      severityRank(b.finding.severity) - severityRank(a.finding.severity) ||
      (a.finding.id < b.finding.id ? -1 : 1),
  );
  const shown = due.slice(0, MAX_ROWS);
  const groups = new Map<string, Due[]>();
  for (const d of shown) {
    const owner = d.finding.owner?.name ?? '';
    groups.set(owner, [...(groups.get(owner) ?? []), d]);
  }
  const soon = (ds: Due[]) => ds.filter((d) => d.finding.severity === 'critical' || (d.left ?? Infinity) <= SOON_DAYS);
  const order = [...groups.entries()].sort(
    ([a, x], [b, y]) => soon(y).length - soon(x).length || y.length - x.length || (a < b ? -1 : 1),
  );
  const parts = order.map(
    ([owner, ds]) =>
      `<div class="due-group" data-owner="${e(owner)}"><h3>${owner ? e(owner) : '<em>no owner</em>'} <span class="muted">${soon(ds).length} within ${SOON_DAYS} days or critical · ${ds.length} within ${DUE_DAYS} days</span></h3>
<table class="due"><thead><tr><th>when</th><th>severity</th><th>what</th><th>would take down</th><th>what to do</th></tr></thead><tbody>${ds.map(row).join('')}</tbody></table></div>`,
  );
  const rest = due.length - shown.length;
  return `<section id="due-next"><h2>Due next</h2>
<p>What expires within ${DUE_DAYS} days of ${e(report.run.now.slice(0, 10))}, or is critical, by owner; soonest first. Rows within ${SOON_DAYS} days or critical are marked.</p>
${parts.join('\n') || '<p class="empty">Nothing expires within 30 days and nothing is critical.</p>'}${rest > 0 ? `<p class="muted">… and ${rest} more in the findings table.</p>` : ''}
</section>`;
}
