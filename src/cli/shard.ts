/**
 * `certwarden audit --shard I/N`: one share of the estate's accounts (src/engine/runtime/shard.ts),
 * collected and written as a shard report for `certwarden merge`. A shard writes no history run and
 * sends no notification: the merge, which sees the whole estate, does both.
 */
import type { Config } from '../config/schema.js';
import { activeRules, ConfigError, configDigest } from '../config/load.js';
import { audit } from '../engine/runtime/audit.js';
import type { CollectOptions } from '../engine/runtime/collect.js';
import { planShards, weightsOf, type ShardPlan, type ShardSpec } from '../engine/runtime/shard.js';
import type { Logger } from '../engine/api/provider.js';
import type { CoverageEntry } from '../model/coverage.js';
import type { Origin } from '../model/types.js';
import { buildReport, type Report } from '../report/json.js';
import { readReport } from '../report/read.js';
import { openTarget, storeLabel } from '../store/backend.js';
import { messageOf } from '../store/errors.js';
import type { Store } from '../store/types.js';
import { RULES } from '../../rules/index.js';
import { REGISTRY } from './registry.js';
import { previousRun } from './previous.js';

/** Where `--shard auto` looks for the index, in this order, and for the count. */
export const INDEX_VARIABLES = ['JOB_COMPLETION_INDEX', 'AWS_BATCH_JOB_ARRAY_INDEX', 'CERTWARDEN_SHARD_INDEX'];
export const COUNT_VARIABLE = 'CERTWARDEN_SHARD_COUNT';

export interface ShardInfo {
  index: number;
  count: number;
  /** The plan's digest: shards of one run deal the accounts out from the same weights. */
  plan: string;
  /** Whether the audit clock was given (`--now`): then every shard of a run must give the same. */
  fixedNow: boolean;
  /** The accounts (and subscriptions) this shard collected. */
  accounts: string[];
  /** Scopes this shard found but left to another shard: the merge names them if that shard is lost. */
  others: Array<Origin & { shard: number }>;
  /** What discovery found, for the merged report's coverage. */
  discovered: CoverageEntry[];
}

export type ShardReport = Report & { shard: ShardInfo };

const whole = (v: string | undefined) => (v !== undefined && /^\d{1,6}$/.test(v.trim()) ? Number(v) : undefined);

/**
 * `I/N` (I counts from 0), `auto` or `auto/N`: with `auto` the index comes from the scheduler's
 * variable and N from the flag or CERTWARDEN_SHARD_COUNT. What is missing or wrong is named.
 */
export function parseShardSpec(spec: string, env: NodeJS.ProcessEnv = process.env): ShardSpec {
  const [first, second, ...rest] = spec.split('/');
  if (rest.length || first === '')
    throw new ConfigError(`--shard ${spec}: expected I/N (I from 0 to N-1), auto or auto/N`);
  let index: number | undefined;
  let source: string;
  if (first === 'auto') {
    const name = INDEX_VARIABLES.find((n) => env[n] !== undefined && env[n] !== '');
    if (!name)
      throw new ConfigError(
        `--shard auto: no shard index in the environment; set one of ${INDEX_VARIABLES.join(', ')} (Kubernetes sets JOB_COMPLETION_INDEX in an Indexed Job, AWS Batch sets AWS_BATCH_JOB_ARRAY_INDEX in an array job), or give --shard I/N`,
      );
    index = whole(env[name]);
    source = `${name}=${JSON.stringify(env[name])}`;
    if (index === undefined) throw new ConfigError(`--shard auto: ${source} is not a shard index (0, 1, 2, ...)`);
  } else {
    index = whole(first);
    source = `--shard ${spec}`;
    if (index === undefined) throw new ConfigError(`${source}: the index "${first}" is not a whole number`);
  }
  const countText = second ?? env[COUNT_VARIABLE];
  if (countText === undefined || countText === '')
    throw new ConfigError(
      `--shard ${spec}: the number of shards is missing; give --shard ${first}/N or set ${COUNT_VARIABLE}`,
    );
  const count = whole(countText);
  if (!count)
    throw new ConfigError(`--shard ${spec}: the number of shards "${countText}" is not a whole number from 1`);
  if (index >= count)
    throw new ConfigError(`${source}: shard index ${index} is out of range for ${count} shards (0 to ${count - 1})`);
  return { index, count };
}

/**
 * The previous run's size per account, from `--previous` or the history store; without either (or
 * when neither can be read) every account goes by hash, which needs no history.
 */
async function weights(config: Config, previous: string | undefined, store: Store | undefined, log: Logger) {
  try {
    if (previous) {
      const report = readReport(previous);
      return weightsOf([...report.certificates, ...report.bindings]);
    }
    const last = store && (await store.lastRun());
    if (store && last) return weightsOf(await store.records(last.seq));
  } catch (err) {
    log.warn(`the previous run's size per account cannot be read (${messageOf(err)}); accounts are shared by hash`);
  }
  return new Map<string, number>();
}

async function readStore(config: Config, log: Logger): Promise<Store | undefined> {
  if (!config.store) return undefined;
  try {
    return await openTarget(config.store, { mustExist: true });
  } catch (err) {
    log.info(
      `the history store ${storeLabel(config.store)} is not read (${messageOf(err)}): accounts are shared by hash`,
    );
    return undefined;
  }
}

export interface ShardOptions {
  config: Config;
  spec: ShardSpec;
  now?: Date;
  log: Logger;
  previous?: string;
  maxAgeDays?: number;
  onScopeFound?: CollectOptions['onScopeFound'];
  onScopeStart?: CollectOptions['onScopeStart'];
  onScope?: CollectOptions['onScope'];
}

/** Collects this shard's accounts and returns its shard report. */
export async function runShard(opts: ShardOptions): Promise<{ report: ShardReport; plan: ShardPlan }> {
  const { config, spec, log } = opts;
  const startedAt = opts.now ?? new Date();
  const store = await readStore(config, log);
  let plan: ShardPlan;
  let incremental;
  try {
    plan = planShards(spec.count, await weights(config, opts.previous, store, log));
    incremental = await previousRun({ config, log, previous: opts.previous, maxAgeDays: opts.maxAgeDays, store });
  } finally {
    await store?.close().catch(() => undefined);
  }
  const others = new Map<string, Origin & { shard: number }>();
  const accounts = new Set<string>();
  const result = await audit({
    config,
    providers: [...REGISTRY.providers],
    rules: activeRules(config, RULES).filter((r) => !r.rule.estateWide),
    now: startedAt,
    log,
    onScopeFound: opts.onScopeFound,
    onScopeStart: opts.onScopeStart,
    onScope: opts.onScope,
    incremental,
    threads: config.threads,
    registry: REGISTRY,
    shard: {
      owns: (s) => plan.ownerOf(s.account) === spec.index && !!accounts.add(s.account),
      skipped: (s) =>
        void others.set(`${s.provider}\u0000${s.account}\u0000${s.location}`, {
          provider: s.provider,
          account: s.account,
          location: s.location,
          shard: plan.ownerOf(s.account),
        }),
    },
  });
  const report = buildReport({
    inventory: result.inventory,
    findings: result.findings,
    now: startedAt,
    startedAt,
    finishedAt: opts.now ?? new Date(),
    configDigest: configDigest(config),
  });
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const shard: ShardInfo = {
    index: spec.index,
    count: spec.count,
    plan: plan.digest,
    fixedNow: !!opts.now,
    accounts: [...accounts].sort(cmp),
    others: [...others.values()].sort(
      (a, b) => cmp(a.provider, b.provider) || cmp(a.account, b.account) || cmp(a.location, b.location),
    ),
    discovered: result.inventory.discovered ?? [],
  };
  return { report: { ...report, shard }, plan };
}
