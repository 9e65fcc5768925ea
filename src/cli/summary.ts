import type { Report } from '../report/json.js';
import { SEVERITIES } from '../model/severity.js';
import { oneLine, visibleText as t } from '../report/escape.js';
import { coverageLines } from '../coverage/text.js';

/**
 * The human summary printed after a run: counts, the worst findings, and every failed scope.
 * Every value from the report goes through `t`, so each stays on its line with its controls escaped.
 */
export function summaryText(report: Report, top = 10): string {
  const s = report.summary;
  const lines: string[] = [];
  lines.push(
    `certwarden ${t(report.tool.version)}: ${s.certificates} certificates, ${s.bindings} bindings, ${s.findings} findings`,
  );
  lines.push(`scopes: ${s.scopes.ok} ok, ${s.scopes.partial} partial, ${s.scopes.failed} failed`);
  for (const line of coverageLines(report.coverage?.summary ?? {})) lines.push(`coverage: ${line}`);
  lines.push('');
  lines.push(`  ${'severity'.padEnd(10)} findings`);
  for (const sev of [...SEVERITIES].reverse())
    lines.push(`  ${sev.padEnd(10)} ${String(s.bySeverity[sev]).padStart(8)}`);
  const rules = Object.entries(s.byRule).sort((a, b) => b[1] - a[1]);
  if (rules.length) {
    lines.push('', `  ${'rule'.padEnd(26)} findings`);
    for (const [rule, n] of rules) lines.push(`  ${t(rule).padEnd(26)} ${String(n).padStart(8)}`);
  }
  // Suppressed findings were justified by a person; the summary shows what still needs one.
  const shown = report.findings.filter((f) => f.status !== 'suppressed');
  if (shown.length) {
    lines.push('', `top findings:`);
    for (const f of shown.slice(0, top)) lines.push(`  [${t(f.severity)}] ${t(f.ruleId)}: ${t(f.message)}`);
    if (shown.length > top) lines.push(`  ... and ${shown.length - top} more in the report`);
  }
  const failed = report.scopes.filter((sc) => sc.status !== 'ok');
  if (failed.length) {
    lines.push('', 'scopes that did not complete:');
    for (const sc of failed) {
      // The operation and its permission say what to look at; most service messages name neither.
      const e = sc.error;
      const where = [
        e?.operation && !e.message.includes(e.operation) ? `in ${e.operation}` : '',
        e?.permission && !e.message.includes(e.permission) ? `permission ${e.permission}` : '',
      ]
        .filter(Boolean)
        .join(', ');
      const more = sc.errors && sc.errors.length > 1 ? `; ${sc.errors.length - 1} more problem(s) in the report` : '';
      lines.push(
        `  ${t(sc.status)} ${t(sc.provider)} ${t(sc.account)}/${t(sc.location)}: ${t(e?.code)}: ${t(oneLine(e?.message))}${where ? ` (${t(where)})` : ''}${more}`,
      );
    }
  }
  const unaudited = (report.coverage?.entries ?? []).filter(
    (c) => c.outcome !== 'audited' && (c.kind === 'account' || c.kind === 'subscription'),
  );
  if (unaudited.length) {
    lines.push('', 'accounts and subscriptions not audited:');
    for (const c of unaudited)
      lines.push(
        `  ${t(c.outcome)} ${t(c.cloud)} ${t(c.kind)} ${t(c.id)}${c.name ? ` (${t(c.name)})` : ''}: ${t(c.reason ?? c.error?.code)}${c.detail || c.error ? `: ${t(oneLine(c.detail ?? c.error?.message))}` : ''}`,
      );
  }
  return lines.join('\n') + '\n';
}
