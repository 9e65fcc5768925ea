import { existsSync } from 'node:fs';
import { Command } from 'commander';
import { loadConfig } from '../config/load.js';
import { diffRuns, type DiffRecord, type Replaced, type RunDiff } from '../store/diff.js';
import { changeLine } from '../coverage/changes.js';
import type { RememberedReport } from '../store/remember.js';
import { openTarget, storeLabel, type StoreTarget } from '../store/backend.js';
import { isStoreUrl } from '../store/pg-url.js';
import type { RunSummary, Store } from '../store/types.js';
import { jsonText, visibleText as t } from '../report/escape.js';

const DEFAULT_STORE = 'certwarden-history.db';

/** `--store` (a file or a postgres:// URL), else the config's store, else the default file name. */
function storeTarget(opts: { store?: string; config?: string }): StoreTarget {
  if (opts.store) return isStoreUrl(opts.store) ? { url: opts.store } : { path: opts.store };
  if (opts.config) return loadConfig(opts.config).store ?? { path: DEFAULT_STORE };
  return { path: DEFAULT_STORE };
}

async function withStore<T>(opts: { store?: string; config?: string }, fn: (s: Store) => Promise<T>): Promise<T> {
  const target = storeTarget(opts);
  if (target.url === undefined && !existsSync(target.path!))
    throw new Error(`no history store at ${target.path} (run an audit with \`store:\` in its config, or pass --store)`);
  const store = await openTarget(target, { mustExist: true });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** The finding ids of the latest stored run, when a store can be found; undefined otherwise. */
export async function latestFindingIds(opts: {
  store?: string;
  config?: string;
}): Promise<{ path: string; ids: Set<string> } | undefined> {
  const target = storeTarget(opts);
  if (target.url === undefined && !existsSync(target.path!)) return undefined;
  const path = storeLabel(target);
  return withStore(opts, async (s) => {
    const last = (await s.runs()).at(-1);
    return last ? { path, ids: new Set((await s.findings(last.seq)).map((f) => f.id)) } : undefined;
  });
}

/** What commander parses the options `storeOptions` adds into. */
interface StoreOptions {
  store?: string;
  config?: string;
  json?: true;
}

const storeOptions = (c: Command) =>
  c
    .option(
      '--store <file|url>',
      `history store: a file or a postgres:// URL (default: the config's store, else ${DEFAULT_STORE})`,
    )
    .option('-c, --config <file>', 'take the store path from this config')
    .option('--json', 'print JSON');

export function historyTable(runs: RunSummary[]): string {
  const head = [
    'run',
    'now',
    'report id',
    'certs',
    'bindings',
    'findings',
    'new',
    'resolved',
    'suppr',
    'carried',
    'scopes !ok',
  ];
  const rows = runs.map((r) =>
    [
      r.seq,
      r.now,
      r.reportId,
      r.counts.certificates,
      r.counts.bindings,
      r.counts.findings,
      r.counts.new,
      r.counts.resolved,
      r.counts.suppressed,
      r.counts.carried,
      r.counts.scopesNotOk,
    ].map(t),
  );
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return (
    [head, ...rows]
      .map((r) =>
        r
          .map((c, i) => (i < 3 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}

export function historyCommand(): Command {
  return storeOptions(new Command('history').description('list the stored runs with their counts')).action(
    async (opts: StoreOptions) => {
      const runs = await withStore(opts, (s) => s.runs());
      process.stdout.write(
        opts.json ? jsonText(runs) + '\n' : runs.length ? historyTable(runs) : 'no runs stored yet\n',
      );
    },
  );
}

/** What changed, one line per item: names come from clouds, so each line is shown through `t` whole. */
export function diffText(d: RunDiff): string {
  const out = [t(`run ${d.from.seq} (${d.from.now}) -> run ${d.to.seq} (${d.to.now})`)];
  const section = (title: string, lines: string[]) => {
    out.push('', `${title}: ${lines.length}`);
    for (const l of lines) out.push(`  ${t(l)}`);
  };
  // Silent loss of coverage is what an auditor fears most: it comes first.
  section('coverage lost', d.coverage.lost.map(changeLine));
  section('coverage gained', d.coverage.gained.map(changeLine));
  section(
    'new findings',
    d.findings.new.map(
      (f) =>
        `[${f.severity}] ${f.ruleId} ${f.resource.name} (${f.id})${f.status === 'suppressed' ? ' suppressed' : ''}`,
    ),
  );
  section(
    'resolved findings',
    d.findings.resolved.map((f) => `[${f.severity}] ${f.ruleId} ${f.resource.name} (${f.id})`),
  );
  section(
    'severity changed',
    d.findings.severityChanged.map((f) => `${f.from} -> ${f.to} ${f.ruleId} ${f.resource.name} (${f.id})`),
  );
  const where = (r: DiffRecord) => `${r.name} (${r.provider} ${r.account}/${r.location})`;
  const day = (iso?: string) => iso?.slice(0, 10) ?? '?';
  const moved = (c: Replaced) => `${where(c)} notAfter ${day(c.notAfter.from)} → ${day(c.notAfter.to)}`;
  section('certificates added', d.certificates.added.map(where));
  section('certificates removed', d.certificates.removed.map(where));
  section('certificates renewed', d.certificates.renewed.map(moved));
  section('certificates replaced by one that expires earlier', d.certificates.expiresEarlier.map(moved));
  if (d.certificates.replaced.length)
    section(
      'certificates replaced (same expiry, new bytes)',
      d.certificates.replaced.map((c) => where(c)),
    );
  if (d.certificates.unverified.length)
    section('certificates not seen, scope incomplete', d.certificates.unverified.map(where));
  section(
    'certificates swapped on a binding',
    d.bindings.swapped.map(
      (b) =>
        `${b.type === 'elbv2-listener' ? 'listener' : b.type} ${where(b)}: certificate ${b.certificate.from} → ${b.certificate.to}`,
    ),
  );
  section('bindings added', d.bindings.added.map(where));
  section('bindings removed', d.bindings.removed.map(where));
  return out.join('\n') + '\n';
}

export function diffCommand(): Command {
  return storeOptions(
    new Command('diff')
      .description('what changed between two runs (default: the last two)')
      .argument('[runA]', 'run number or report id')
      .argument('[runB]', 'run number or report id'),
  ).action(async (a: string | undefined, b: string | undefined, opts: StoreOptions) => {
    const d = await withStore(opts, async (s) => {
      const runs = await s.runs();
      const pick = async (ref: string) => (await s.run(ref)) ?? fail(`no run ${ref} in the store`);
      const to = b !== undefined ? await pick(b) : runs.at(-1);
      const from = a !== undefined ? await pick(a) : runs.at(-2);
      if (!from || !to) return fail(`the store holds fewer than two runs (${runs.length}); diff compares two`);
      if (from.seq === to.seq)
        return fail(
          `diff compares two different runs; run ${from.seq} would be compared with itself (the store holds ${runs.length} run${runs.length === 1 ? '' : 's'})`,
        );
      return diffRuns(s, from, to);
    });
    process.stdout.write(opts.json ? jsonText(d) + '\n' : diffText(d));
  });
}

function fail(message: string): never {
  throw new Error(message);
}

/** The audit's extra summary lines when a history store is configured. */
export function historyText(report: RememberedReport): string {
  const lines: string[] = [];
  const h = report.history;
  if (h) {
    const c = h.counts;
    lines.push(
      `history: run ${h.run}${h.previousRun ? ` vs run ${h.previousRun.run}` : ' (first run)'}: ${c.new} new, ${c.open} open, ${c.suppressed} suppressed, ${c.resolved} resolved, ${c.worsened} worsened${c.carried ? `, ${c.carried} carried from scopes that did not complete` : ''}`,
    );
  }
  const s = report.suppressions;
  if (s && (s.expired.length || s.unmatched.length))
    lines.push(
      `suppressions: ${s.expired.length} expired, ${s.unmatched.length} matching nothing (see the report's suppressions section)`,
    );
  return lines.length ? lines.join('\n') + '\n' : '';
}
