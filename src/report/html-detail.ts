/** The HTML report's detail sections: the findings table, every certificate with its bindings, and the scopes. */
import type { Binding, Certificate, Finding, ScopeResult } from '../model/types.js';
import { severityRank } from '../model/severity.js';
import { escapeHtml as e } from './escape.js';
import type { Report } from './json.js';
import { SEVERITIES_DESC, bindingsByCertificate, daysLeft, hasHistory, isBound } from './view.js';
import { certAnchor } from './html-due.js';

const CARD_FINDINGS = 12;
/** Finding rows shown at first; the script's page size, kept equal. */
export const FIRST_PAGE = 250;
const sevBadge = (sev: string) => `<span class="sev ${e(sev)}">${e(sev)}</span>`;
const th = (label: string, type: 'text' | 'number' = 'text', cls = '') =>
  `<th data-type="${type}"${cls ? ` class="${cls}"` : ''}><button type="button">${e(label)}</button></th>`;

export function findingsSection(report: Report): string {
  const history = hasHistory(report);
  const certs = new Set(report.certificates.map((c) => c.uid));
  const certOfBinding = new Map(report.bindings.map((b) => [b.uid, b.certificateUid]));
  // A finding names a certificate, or a binding that serves one: its row links to that certificate's card.
  const certOf = (f: Finding) =>
    f.resource.kind === 'certificate' && certs.has(f.resource.uid)
      ? f.resource.uid
      : f.resource.kind === 'binding'
        ? certOfBinding.get(f.resource.uid)
        : undefined;
  const name = (f: Finding) => {
    const uid = certOf(f);
    return uid && certs.has(uid)
      ? `<a class="cert-link" href="${e(certAnchor(uid))}">${e(f.resource.name)}</a>`
      : e(f.resource.name);
  };
  // Rows past the first page start hidden (the script pages them), so the browser never lays out thousands at load.
  const row = (f: Finding, i: number) =>
    `<tr id="finding-${e(f.id)}" data-severity="${e(f.severity)}" data-owner="${e(f.owner?.name ?? '')}" data-resource="${e(f.resource.uid)}"${i >= FIRST_PAGE ? ' hidden' : ''}>` +
    `<td data-sort="${severityRank(f.severity)}">${sevBadge(f.severity)}</td>` +
    `<td><code>${e(f.ruleId)}</code></td>` +
    `<td>${name(f)}<div class="muted mono">${e(f.resource.uid)}</div></td>` +
    `<td>${e(f.resource.provider)}</td>` +
    `<td>${e(f.resource.account)}<div class="muted">${e(f.resource.location)}</div></td>` +
    `<td>${f.owner ? e(f.owner.name) : '<span class="muted">—</span>'}</td>` +
    `<td>${e(f.message)}<div class="remedy"><strong>Fix:</strong> ${e(f.remediation)}</div></td>` +
    (history.status ? `<td>${e(f.status ?? '')}</td>` : '') +
    (history.firstSeen ? `<td>${e(f.firstSeen?.slice(0, 10) ?? '')}</td>` : '') +
    `</tr>`;
  const head = [
    th('severity', 'number'),
    th('rule'),
    th('resource'),
    th('provider'),
    th('account / location'),
    th('owner'),
    th('message'),
    history.status ? th('status') : '',
    history.firstSeen ? th('first seen') : '',
  ].join('');
  const options = SEVERITIES_DESC.map(
    (s) => `<option value="${s}">${s} (${report.summary.bySeverity[s]})</option>`,
  ).join('');
  return `<section id="findings"><h2>All findings</h2>
<div class="controls" role="search">
<input id="filter-text" type="search" placeholder="Filter: rule, name, account, message…" aria-label="Filter findings by text">
<select id="filter-severity" aria-label="Filter findings by severity"><option value="">all severities</option>${options}</select>
<select id="group-by" aria-label="Group findings"><option value="">most severe first</option><option value="owner">group by owner</option><option value="resource">group by certificate or resource</option></select>
<span id="shown-count" class="muted" aria-live="polite">all ${report.findings.length} findings</span>
</div>
<table id="findings-table"><thead><tr>${head}</tr></thead><tbody>
${report.findings.map(row).join('\n')}
</tbody></table>
<p class="more"><button type="button" id="show-more" hidden>Show more findings</button></p>
${report.findings.length ? '' : '<p class="empty">No findings.</p>'}
</section>`;
}

function bindingRows(bindings: Binding[]): string {
  if (!bindings.length) return '';
  const rows = bindings
    .map(
      (b) =>
        `<tr><td>${e(b.name)}<div class="muted mono">${e(b.resource)}</div></td><td>${e(b.loadBalancer?.name ?? '')}<div class="muted">${e(b.loadBalancer?.dnsName ?? '')}</div></td>` +
        `<td>${e([b.protocol, b.port].filter((x) => x !== undefined).join(' '))}</td><td>${b.isDefault === undefined ? '' : b.isDefault ? 'default' : 'SNI'}</td>` +
        `<td>${b.public === undefined ? '' : b.public ? 'internet-facing' : 'internal'}${b.live === false ? ', <strong>not live</strong>' : ''}</td><td>${e(b.tlsPolicy?.name ?? '')}</td><td>${e(b.account)}<div class="muted">${e(b.location)}</div></td></tr>`,
    )
    .join('');
  return `<table><thead><tr><th>binding (listener)</th><th>load balancer</th><th>port</th><th>certificate</th><th>exposure</th><th>TLS policy</th><th>account / location</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function certificateBlock(
  c: Certificate,
  report: Report,
  served: Map<string, Binding[]>,
  findings: Map<string, Finding[]>,
): string {
  const left = daysLeft(c, report.run.now);
  const mine = findings.get(c.uid) ?? [];
  const fields: [string, string][] = [
    ['uid', `<span class="mono">${e(c.uid)}</span>`],
    ['where', `${e(c.provider)} · ${e(c.account)} · ${e(c.location)}`],
  ];
  if (c.subject !== undefined) fields.push(['subject', e(c.subject)]);
  if (c.issuer !== undefined) fields.push(['issuer', e(c.issuer)]);
  if (c.sans?.dns.length) fields.push(['DNS names', e(c.sans.dns.join(', '))]);
  if (c.notAfter)
    fields.push([
      'expires',
      `${e(c.notAfter)} <strong>(${left! < 0 ? `expired ${-left!} day(s) ago` : `${left} day(s) left`})</strong>`,
    ]);
  if (c.key)
    fields.push([
      'key',
      e([c.key.algorithm, c.key.curve ?? (c.key.bits ? `${c.key.bits} bits` : '')].filter(Boolean).join(' ')),
    ]);
  if (c.signatureAlgorithm) fields.push(['signature', e(c.signatureAlgorithm)]);
  if (c.state) fields.push(['state', e(c.state)]);
  if (c.parseError) fields.push(['unreadable', e(c.parseError)]);
  if (c.owner)
    fields.push([
      'owner',
      `${e(c.owner.name)} <span class="muted">(${e(c.owner.source)}: ${e(c.owner.detail)})</span>`,
    ]);
  if (c.tags && Object.keys(c.tags).length)
    fields.push([
      'tags',
      Object.entries(c.tags)
        .map(([k, v]) => `<span class="pill">${e(k)}=${e(v)}</span>`)
        .join(''),
    ]);
  // A card lists its first findings; a certificate with hundreds of them would otherwise fill pages.
  if (mine.length)
    fields.push([
      'findings',
      mine
        .slice(0, CARD_FINDINGS)
        .map((f) => `<a href="#finding-${e(f.id)}">${sevBadge(f.severity)} <code>${e(f.ruleId)}</code></a>`)
        .join(' ') +
        (mine.length > CARD_FINDINGS ? ` <span class="muted">and ${mine.length - CARD_FINDINGS} more</span>` : ''),
    ]);
  const bindings = served.get(c.uid) ?? [];
  const usage = isBound(c, served) ? `<span class="pill bound">bound</span>` : `<span class="pill">unbound</span>`;
  const inUseBy = c.inUseBy?.length
    ? `<p class="muted">In use by (provider's account): ${c.inUseBy.map((u) => `<code>${e(u)}</code>`).join(', ')}</p>`
    : '';
  return `<div class="cert" id="cert-${e(c.uid)}" data-uid="${e(c.uid)}"><h3>${e(c.name)} ${usage}</h3>
<dl>${fields.map(([k, v]) => `<dt>${e(k)}</dt><dd>${v}</dd>`).join('')}</dl>
${bindings.length ? bindingRows(bindings) : `<p class="empty">No binding in this run serves it.</p>`}${inUseBy}</div>`;
}

export function certificatesSection(report: Report): string {
  const served = bindingsByCertificate(report);
  const findings = new Map<string, Finding[]>();
  for (const f of report.findings) findings.set(f.resource.uid, [...(findings.get(f.resource.uid) ?? []), f]);
  // Soonest expiry first: that is the order in which they need attention; unreadable ones last.
  const order = [...report.certificates].sort(
    (a, b) =>
      (a.notAfter ? Date.parse(a.notAfter) : Infinity) - (b.notAfter ? Date.parse(b.notAfter) : Infinity) ||
      (a.uid < b.uid ? -1 : 1),
  );
  return `<section id="certificates"><h2>Certificates (${report.certificates.length})</h2>
${order.map((c) => certificateBlock(c, report, served, findings)).join('\n') || '<p class="empty">No certificates.</p>'}
</section>`;
}

export function scopesSection(report: Report): string {
  const rank = (s: ScopeResult) => (s.status === 'failed' ? 0 : s.status === 'partial' ? 1 : 2);
  const scopes = [...report.scopes].sort((a, b) => rank(a) - rank(b));
  const row = (s: ScopeResult) =>
    `<tr data-status="${e(s.status)}"><td class="status-${e(s.status)}">${e(s.status)}</td><td>${e(s.provider)}</td><td>${e(s.account)}</td><td>${e(s.location)}</td>` +
    `<td class="num">${s.stats.certificates}</td><td class="num">${s.stats.bindings}</td><td>${s.error ? `<code>${e(s.error.code)}</code>${s.error.operation ? ` in <code>${e(s.error.operation)}</code>` : ''}: ${e(s.error.message)}` : ''}</td></tr>`;
  const failed = scopes.filter((s) => s.status !== 'ok').length;
  return `<section id="scopes"><h2>Scopes</h2>
<p>${failed ? `<strong>${failed} of ${scopes.length} scope(s) did not complete.</strong> What they hold is missing from this report, and rules that judge absence (unused, unbound) did not decide for them.` : `All ${scopes.length} scope(s) completed.`}</p>
<table><thead><tr><th>status</th><th>provider</th><th>account</th><th>location</th><th class="num">certificates</th><th class="num">bindings</th><th>reason</th></tr></thead><tbody>${scopes.map(row).join('')}</tbody></table>
</section>`;
}
