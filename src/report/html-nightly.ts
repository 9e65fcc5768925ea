/** The HTML report's nightly section, when a history store is used: what changed since the previous run. */
import type { RememberedReport } from '../store/remember.js';
import { escapeHtml as e } from './escape.js';
import type { Report } from './json.js';

const LISTED = 50;

const list = (items: string[]) =>
  items.length
    ? `<ul>${items
        .slice(0, LISTED)
        .map((i) => `<li>${i}</li>`)
        .join('')}${items.length > LISTED ? `<li class="muted">… and ${items.length - LISTED} more</li>` : ''}</ul>`
    : '<p class="empty">None.</p>';

export function nightlySection(report: Report): string {
  const { history, suppressions } = report as RememberedReport;
  if (!history) return '';
  const c = history.counts;
  const byId = new Map(report.findings.map((f) => [f.id, f]));
  const name = (id: string) => byId.get(id)?.resource.name ?? id;
  const fresh = report.findings
    .filter((f) => f.status === 'new')
    .map(
      (f) => `<a href="#finding-${e(f.id)}"><code>${e(f.ruleId)}</code> ${e(f.resource.name)}</a> (${e(f.severity)})`,
    );
  const worse = history.worsened.map(
    (w) => `<a href="#finding-${e(w.id)}"><code>${e(w.ruleId)}</code> ${e(name(w.id))}</a>: ${e(w.from)} → ${e(w.to)}`,
  );
  const resolved = history.resolved.map(
    (f) =>
      `<code>${e(f.ruleId)}</code> ${e(f.resource.name)} (${e(f.severity)}, first seen ${e(f.firstSeen.slice(0, 10))})`,
  );
  const expired = (suppressions?.expired ?? []).map(
    (s) => `entry ${s.entry}: ${e(s.reason)} (owner ${e(s.owner)}, expired ${e(s.expires)}, ${s.matches} finding(s))`,
  );
  const since = history.previousRun
    ? `since run ${history.previousRun.run} (${e(history.previousRun.now)})`
    : 'first run';
  return `<section id="nightly"><h2>Tonight</h2>
<p>Run ${history.run}, ${since}: <strong>${c.new}</strong> new, <strong>${c.worsened}</strong> worsened, <strong>${c.resolved}</strong> resolved, ${c.open} still open, ${c.suppressed} suppressed${c.carried ? `, ${c.carried} carried from scopes that did not complete` : ''}.</p>
<h3>New</h3>${list(fresh)}
<h3>Worsened</h3>${list(worse)}
<h3>Resolved</h3>${list(resolved)}
${suppressions ? `<h3>Expired suppressions</h3>${list(expired)}` : ''}
</section>`;
}
