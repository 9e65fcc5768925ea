/**
 * A Markdown summary short enough for a pull-request comment or a chat message: counts, then the
 * most severe findings until a byte or row budget is spent, then how many were left out.
 * GitHub caps a comment at 65,536 characters, hence the 60 KB default.
 */
import { SEVERITIES_DESC } from './view.js';
import { escapeMarkdown as md } from './escape.js';
import type { Report } from './json.js';

export interface MarkdownOptions {
  maxFindings?: number;
  maxBytes?: number;
}

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');
/** A code span for our own identifiers (rule ids, dates): backticks, pipes and controls removed so it cannot break out. */
// eslint-disable-next-line no-control-regex -- control characters are what this pattern is for
const code = (s: string) => `\`${s.replace(/[`|\u0000-\u001f]/g, '')}\``;

const OWNER_ROWS = 25;

/** Findings per owner, most first, so each team finds its own line; findings nobody owns are one row. */
function byOwner(report: Report): string[] {
  if (!report.findings.length) return [];
  const rows = new Map<string, { name: string; owned: boolean; n: number; bySev: Record<string, number> }>();
  for (const f of report.findings) {
    const key = f.owner ? `o:${f.owner.name}` : 'none';
    const r = rows.get(key) ?? { name: f.owner?.name ?? '', owned: !!f.owner, n: 0, bySev: {} };
    r.n++;
    r.bySev[f.severity] = (r.bySev[f.severity] ?? 0) + 1;
    rows.set(key, r);
  }
  const sorted = [...rows.values()].sort((a, b) => b.n - a.n || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out = [
    '### Findings by owner',
    '',
    `| owner | findings | ${SEVERITIES_DESC.join(' | ')} |`,
    `|---|---:|${SEVERITIES_DESC.map(() => '---:').join('|')}|`,
  ];
  for (const r of sorted.slice(0, OWNER_ROWS))
    out.push(
      `| ${r.owned ? md(r.name) : '_no owner_'} | ${r.n} | ${SEVERITIES_DESC.map((s) => r.bySev[s] ?? 0).join(' | ')} |`,
    );
  if (sorted.length > OWNER_ROWS) out.push('', `_… and ${sorted.length - OWNER_ROWS} more owner(s)._`);
  return [...out, ''];
}

export function renderMarkdown(report: Report, opts: MarkdownOptions = {}): string {
  const maxFindings = opts.maxFindings ?? 50;
  const maxBytes = opts.maxBytes ?? 60_000;
  const s = report.summary;
  const failedScopes = report.scopes.filter((sc) => sc.status !== 'ok');
  const worst = SEVERITIES_DESC.filter((sev) => s.bySeverity[sev] > 0)
    .slice(0, 2)
    .map((sev) => `${s.bySeverity[sev]} ${sev}`);
  const head: string[] = [
    `## certwarden: ${s.findings} finding(s)${worst.length ? ` (${worst.join(', ')})` : ''}`,
    '',
    `Audit clock ${code(report.run.now)} · ${s.certificates} certificate(s) · ${s.bindings} binding(s) · scopes: ${s.scopes.ok} ok, ${s.scopes.partial} partial, ${s.scopes.failed} failed`,
    '',
    '| severity | findings |',
    '|---|---:|',
    ...SEVERITIES_DESC.map((sev) => `| ${sev} | ${s.bySeverity[sev]} |`),
    '',
  ];
  const tail: string[] = [];
  if (failedScopes.length) {
    tail.push('', '### Scopes that did not complete', '');
    for (const sc of failedScopes.slice(0, 20))
      tail.push(
        `- **${sc.status}** ${md(sc.provider)} ${md(sc.account)}/${md(sc.location)}: ${md(sc.error?.code ?? '')}: ${md(sc.error?.message ?? '')}`,
      );
    if (failedScopes.length > 20) tail.push(`- … and ${failedScopes.length - 20} more`);
  }
  const out = [...head, ...byOwner(report)];
  if (report.findings.length) {
    out.push('### Top findings', '', '| severity | rule | resource | message | owner |', '|---|---|---|---|---|');
    // Leave room for the tail and the "more" line, so the cap holds for the whole document.
    let budget = maxBytes - bytes(out.join('\n')) - bytes(tail.join('\n')) - 200;
    let shown = 0;
    for (const f of report.findings) {
      if (shown >= maxFindings) break;
      const row = `| ${f.severity} | ${code(f.ruleId)} | ${md(f.resource.name)} | ${md(f.message)} | ${f.owner ? md(f.owner.name) : '—'} |`;
      if (bytes(row) + 1 > budget) break;
      out.push(row);
      budget -= bytes(row) + 1;
      shown++;
    }
    const rest = report.findings.length - shown;
    if (rest > 0) out.push('', `_… and ${rest} more finding(s) in the full report._`);
  } else {
    out.push('No findings.');
  }
  return [...out, ...tail].join('\n') + '\n';
}
