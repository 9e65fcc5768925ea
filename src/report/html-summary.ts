/** The HTML report's overview sections: summary cards, expiry timeline, findings by severity and by compliance control. */
import { escapeHtml as e } from './escape.js';
import { timelineSvg } from './html-chart.js';
import type { Report } from './json.js';
import { SEVERITIES_DESC, complianceControls, expiryTimeline, rulesBySeverity } from './view.js';

const card = (key: string, n: number, label: string, cls = '') =>
  `<div class="card ${cls}"><div class="n" data-count="${e(key)}">${n}</div><div class="k">${e(label)}</div></div>`;

export function summarySection(report: Report): string {
  const s = report.summary;
  const failed = s.scopes.failed + s.scopes.partial;
  const scopes = s.scopes.ok + failed;
  return `<section id="summary"><h2>Executive summary</h2>
<p>${s.findings} finding(s) across ${s.certificates} certificate(s) and ${s.bindings} binding(s) in ${scopes} scope(s)${failed ? `; <strong>${failed} scope(s) did not complete</strong>, so this report may be missing what they hold` : ''}.</p>
<div class="cards">${SEVERITIES_DESC.map((sev) => card(sev, s.bySeverity[sev], sev, `sev-${sev}`)).join('')}</div>
<div class="cards">${card('certificates', s.certificates, 'certificates')}${card('bindings', s.bindings, 'bindings')}${card('findings', s.findings, 'findings')}${card('scopes', scopes, 'scopes audited')}${card('scopes-failed', failed, 'scopes failed', failed ? 'bad' : '')}</div>
</section>`;
}

export function timelineSection(report: Report): string {
  const t = expiryTimeline(report);
  const notes = [
    `${t.later} certificate(s) expire later than ${t.buckets.length - 1} weeks from ${report.run.now.slice(0, 10)}`,
  ];
  if (t.undated) notes.push(`${t.undated} have no readable expiry date`);
  return `<section id="timeline"><h2>Expiry timeline</h2>
<figure>${timelineSvg(t)}<figcaption>Certificates by week of expiry, starting at the audit clock. ${e(notes.join('; '))}.</figcaption></figure>
</section>`;
}

export function severitySection(report: Report): string {
  const groups = rulesBySeverity(report);
  const parts = SEVERITIES_DESC.filter((sev) => groups.has(sev)).map((sev) => {
    const rows = groups
      .get(sev)!
      .map((r) => `<tr><td><code>${e(r.ruleId)}</code></td><td>${e(r.title)}</td><td class="num">${r.count}</td></tr>`)
      .join('');
    return `<h3><span class="sev ${sev}">${sev}</span> ${report.summary.bySeverity[sev]} finding(s)</h3>
<table><thead><tr><th>rule</th><th>title</th><th class="num">findings</th></tr></thead><tbody>${rows}</tbody></table>`;
  });
  return `<section id="by-severity"><h2>Findings by severity</h2>${parts.join('\n') || '<p class="empty">No findings.</p>'}</section>`;
}

export function complianceSection(report: Report): string {
  const groups = complianceControls(report);
  const frameworks = [...new Set(groups.map((g) => g.framework))];
  const parts = frameworks.map((fw) => {
    const rows = groups
      .filter((g) => g.framework === fw)
      .map((g) => {
        const resources = new Set(g.findings.map((f) => f.resource.uid)).size;
        const counts = SEVERITIES_DESC.map(
          (sev) => `<td class="num">${g.bySeverity[sev] || '<span class="muted">0</span>'}</td>`,
        ).join('');
        return `<tr data-framework="${e(fw)}" data-control="${e(g.control)}"><td><strong>${e(g.control)}</strong></td><td>${g.rules.map((r) => `<code>${e(r)}</code>`).join(' ')}</td>${counts}<td class="num">${g.findings.length}</td><td class="num">${resources}</td></tr>`;
      })
      .join('');
    return `<h3>${e(fw)}</h3>
<table><thead><tr><th>control</th><th>rules</th>${SEVERITIES_DESC.map((sev) => `<th class="num">${sev}</th>`).join('')}<th class="num">findings</th><th class="num">resources</th></tr></thead><tbody>${rows}</tbody></table>`;
  });
  return `<section id="compliance"><h2>Findings by compliance control</h2>
<p class="muted">Each rule names the framework controls it supports; a finding counts under every control of its rule. Only controls with findings are listed.</p>
${parts.join('\n') || '<p class="empty">No finding maps to a compliance control.</p>'}</section>`;
}
