/**
 * `certwarden merge`: the shard reports of one sharded audit joined into the inventory one process
 * would have collected, then the second phase (TLS endpoints named by the whole inventory), the
 * links across shards and every rule, once, over the whole estate. What comes out is the report
 * and the history run of a single audit. A shard that sent no report (or one that cannot be read)
 * costs its accounts: their scopes are `failed`, named with the reason, so the history carries
 * their findings instead of resolving them.
 */
import type { Config } from '../config/schema.js';
import { ConfigError, configDigest } from '../config/load.js';
import { collectLater, type AuditResult } from '../engine/runtime/audit.js';
import { evaluate, type ActiveRule } from '../engine/runtime/evaluate.js';
import { link } from '../engine/api/link.js';
import { binders, stores } from '../engine/runtime/audit.js';
import type { Logger } from '../engine/api/provider.js';
import type { Binding, Certificate, Inventory, ScopeResult } from '../model/types.js';
import { parseReport, ReportReadError } from '../report/read.js';
import { REGISTRY } from './registry.js';
import type { ShardReport } from './shard.js';
import { readFileSync } from 'node:fs';

const MAX_REPORT_BYTES = 2 * 1024 ** 3;

/** Reads one shard report (`-`: standard input); anything else than a shard report is refused. */
export function readShard(path: string): ShardReport {
  let text: string;
  try {
    text = readFileSync(path === '-' ? 0 : path, 'utf8');
  } catch (err) {
    throw new ReportReadError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  if (text.length > MAX_REPORT_BYTES) throw new ReportReadError(`${path} is larger than a shard report can be`);
  const source = path === '-' ? 'standard input' : path;
  const report = parseReport(text, source) as ShardReport;
  const s = report.shard as Partial<ShardReport['shard']> | undefined;
  if (
    !s ||
    !Number.isInteger(s.index) ||
    !Number.isInteger(s.count) ||
    typeof s.plan !== 'string' ||
    !Array.isArray(s.others) ||
    !Array.isArray(s.discovered)
  )
    throw new ReportReadError(`${source} is a certwarden report but not a shard report (written by audit --shard I/N)`);
  return report;
}

export interface Shards {
  count: number;
  now?: Date;
  startedAt: Date;
  inventory: Inventory;
  /** The shards that sent no usable report, with why. */
  lost: Array<{ index: number; reason: string }>;
}

/**
 * Checks that the shards belong to one run of this config and joins them. A shard's file that
 * cannot be read is a lost shard, not a stopped merge; shards of different runs stop it.
 */
export function joinShards(paths: string[], config: Config, now: Date | undefined, log: Logger): Shards {
  const read: Array<{ path: string; report: ShardReport }> = [];
  const unreadable: string[] = [];
  for (const path of paths) {
    try {
      read.push({ path, report: readShard(path) });
    } catch (err) {
      if (!(err instanceof ReportReadError)) throw err;
      unreadable.push(err.message);
      log.warn(`${err.message}; its shard counts as lost`);
    }
  }
  if (!read.length) throw new ConfigError(`no shard report could be read: ${unreadable.join('; ')}`);
  const first = read[0];
  const differ = (what: string, value: (r: ShardReport) => unknown) => {
    const other = read.find((r) => value(r.report) !== value(first.report));
    if (other)
      throw new ConfigError(
        `the shard reports are not of one sharded run: ${first.path} has ${what} ${String(value(first.report))}, ${other.path} has ${String(value(other.report))}`,
      );
  };
  differ('a shard count of', (r) => r.shard.count);
  differ('config digest', (r) => r.run.configDigest);
  differ('an audit clock (--now) of', (r) => (r.shard.fixedNow ? r.run.now : 'none'));
  differ('an account plan', (r) => r.shard.plan);
  const digest = configDigest(config);
  if (first.report.run.configDigest !== digest)
    throw new ConfigError(
      `the shards were audited with another config (digest ${first.report.run.configDigest}) than this one (${digest}): merge with the config the shards used`,
    );
  const fixed = first.report.shard.fixedNow ? new Date(first.report.run.now) : undefined;
  if (fixed && now && fixed.getTime() !== now.getTime())
    throw new ConfigError(`the shards were audited with --now ${first.report.run.now}; merge with the same --now`);
  const count = first.report.shard.count;
  const byIndex = new Map<number, { path: string; report: ShardReport }>();
  for (const r of read) {
    const i = r.report.shard.index;
    if (i < 0 || i >= count) throw new ConfigError(`${r.path}: shard index ${i} is out of range for ${count} shards`);
    const had = byIndex.get(i);
    if (had) throw new ConfigError(`two reports of shard ${i} of ${count}: ${had.path} and ${r.path}`);
    byIndex.set(i, r);
  }
  const unreadableNote = unreadable.length ? ` (unreadable: ${unreadable.join('; ')})` : '';
  const lost = Array.from({ length: count }, (_, index) => index)
    .filter((index) => !byIndex.has(index))
    .map((index) => ({ index, reason: `shard ${index} of ${count} sent no report${unreadableNote}` }));

  const certificates: Certificate[] = [];
  const bindings: Binding[] = [];
  const scopes: ScopeResult[] = [];
  const discovered: NonNullable<Inventory['discovered']> = [];
  // A discovery failure is reported by every shard that met it: the first shard's report is kept.
  const scopeOwner = new Map<string, number>();
  const key = (s: { provider: string; account: string; location: string }) =>
    `${s.provider}\u0000${s.account}\u0000${s.location}`;
  const ordered = [...byIndex.values()].sort((a, b) => a.report.shard.index - b.report.shard.index);
  for (const { report } of ordered) {
    for (const c of report.certificates) {
      // Owners are attributed once, over the whole estate, as in a single run.
      const { owner: _owner, ...rest } = c;
      certificates.push(rest);
    }
    for (const b of report.bindings) {
      const { owner: _owner, certificateUid: _linked, ...rest } = b;
      bindings.push(rest);
    }
    for (const s of report.scopes) {
      const k = key(s);
      if ((scopeOwner.get(k) ?? report.shard.index) !== report.shard.index) continue;
      scopeOwner.set(k, report.shard.index);
      scopes.push(s);
    }
    discovered.push(...report.shard.discovered);
  }
  const lostBy = new Map(lost.map((l) => [l.index, l.reason]));
  for (const { report } of ordered)
    for (const o of report.shard.others) {
      const reason = lostBy.get(o.shard);
      if (reason === undefined || scopeOwner.has(key(o))) continue;
      scopeOwner.set(key(o), o.shard);
      scopes.push({
        provider: o.provider,
        account: o.account,
        location: o.location,
        status: 'failed',
        error: { code: 'ShardLost', message: `not audited: ${reason}` },
        stats: { certificates: 0, bindings: 0 },
      });
    }
  for (const l of lost) log.warn(`${l.reason}: the scopes of its accounts are failed in this run`);
  const starts = ordered.map((r) => new Date(r.report.run.startedAt).getTime());
  return {
    count,
    now: fixed ?? now,
    startedAt: fixed ?? new Date(Math.min(...starts)),
    inventory: { certificates, bindings, scopes, discovered },
    lost,
  };
}

/** The second phase, the links and every rule over the joined inventory: what `audit` does after collecting. */
export async function evaluateJoined(
  shards: Shards,
  config: Config,
  rules: ActiveRule[],
  now: Date,
  log: Logger,
): Promise<AuditResult> {
  const providers = [...REGISTRY.providers];
  const inv = await collectLater({ config, providers, rules, now, log }, shards.inventory);
  const inventory = link(inv, binders(providers), stores(providers));
  const started = performance.now();
  const findings = evaluate(rules, inventory, now);
  return { inventory, findings, ruleMs: performance.now() - started };
}
