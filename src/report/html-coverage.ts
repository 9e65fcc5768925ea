/** The HTML report's coverage section: what discovery found, at a glance, then every entry not audited. */
import { coverageLines } from '../coverage/text.js';
import { escapeHtml as e } from './escape.js';
import type { Report } from './json.js';

export function coverageSection(report: Report): string {
  const c = report.coverage;
  if (!c) return '';
  const lines = coverageLines(c.summary);
  const missing = c.entries.filter((x) => x.outcome !== 'audited');
  const rows = missing
    .map(
      (x) =>
        `<tr data-outcome="${e(x.outcome)}"><td>${e(x.cloud)}</td><td>${e(x.kind)}</td><td><code>${e(x.id)}</code>${x.name ? ` ${e(x.name)}` : ''}</td><td>${e(x.account ?? '')}</td><td>${e(x.outcome)}</td><td>${e(x.reason ?? x.error?.code ?? '')}</td><td>${e(x.detail ?? x.error?.message ?? '')}</td></tr>`,
    )
    .join('');
  return `<section id="coverage"><h2>Coverage</h2>
<ul>${lines.map((l) => `<li>${e(l)}</li>`).join('') || '<li>Discovery reported nothing.</li>'}</ul>
${missing.length ? `<table><thead><tr><th>cloud</th><th>kind</th><th>id</th><th>in</th><th>outcome</th><th>reason</th><th>detail</th></tr></thead><tbody>${rows}</tbody></table>` : '<p class="empty">Everything discovery found was audited.</p>'}
</section>`;
}
