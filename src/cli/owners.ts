/** `certwarden owners REPORT`: the owners a report names, their findings and expiring certificates, and what no one owns. */
import { Command, Option } from 'commander';
import { readReport } from '../report/read.js';
import { jsonText, visibleText as t } from '../report/escape.js';
import { ownersSummary, type OwnersSummary } from '../owners/summary.js';
import { EXIT } from './audit.js';

const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));

export function ownersText(s: OwnersSummary, maxUnowned = 50): string {
  const rows = s.owners.map((o) => [
    o.owner === undefined ? '(no owner)' : t(o.owner),
    String(o.findings),
    String(o.bySeverity.critical ?? 0),
    String(o.bySeverity.high ?? 0),
    String(o.certificates),
    String(o.expiring7),
    String(o.expiring30),
    o.sources.map(t).join(' '),
  ]);
  const head = ['owner', 'findings', 'critical', 'high', 'certificates', '≤7d', '≤30d', 'from'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const out = [head, ...rows].map((r) =>
    r
      .map((c, i) => pad(c, widths[i]))
      .join('  ')
      .trimEnd(),
  );
  out.push('', `${s.unowned.length} certificate(s) and binding(s) with no owner`);
  for (const u of s.unowned.slice(0, maxUnowned))
    out.push(`  ${u.kind} ${t(u.name)} [${t(u.provider)} ${t(u.account)}/${t(u.location)}] ${t(u.uid)}`);
  if (s.unowned.length > maxUnowned)
    out.push(`  … and ${s.unowned.length - maxUnowned} more (--format json lists all)`);
  return out.join('\n') + '\n';
}

export function ownersCommand(): Command {
  return new Command('owners')
    .description('list the owners a report names, their findings and expiring certificates, and what has no owner')
    .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : EXIT.usage))
    .argument('<report>', 'a certwarden JSON report, or - for stdin')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action((file: string, opts: { format: 'table' | 'json' }) => {
      const summary = ownersSummary(readReport(file));
      process.stdout.write(opts.format === 'json' ? jsonText(summary) + '\n' : ownersText(summary));
    });
}
