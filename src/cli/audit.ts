import type { Config } from '../config/schema.js';
import { activeRules, ConfigError, configDigest } from '../config/load.js';
import { audit, binders, stores, type AuditResult } from '../engine/runtime/audit.js';
import type { ActiveRule } from '../engine/runtime/evaluate.js';
import type { Logger, Provider } from '../engine/api/provider.js';
import type { CollectOptions } from '../engine/runtime/collect.js';
import type { ScopeTiming } from '../model/types.js';
import { atLeast, type Severity } from '../model/severity.js';
import { buildReport, jsonChunks, type Report } from '../report/json.js';
import { writeAtomic } from '../report/write.js';
import { RULES } from '../../rules/index.js';
import { REGISTRY } from './registry.js';
import { remember, type RememberedReport } from '../store/remember.js';
import { messageOf, StoreError } from '../store/errors.js';
import { openTargetForRun, storeLabel } from '../store/backend.js';
import type { RunStore } from '../store/types.js';
import { loadSuppressions } from '../store/suppressions.js';
import { previousRun } from './previous.js';
import { attributeOwners } from '../owners/attribute.js';

export const EXIT = { clean: 0, findings: 1, usage: 2, scopeFailed: 3, coverageLost: 4 } as const;

export interface RunOptions {
  config: Config;
  now?: Date;
  log: Logger;
  providers?: Provider[];
  /** Progress: each scope as it is found, starts (with its live tally) and ends (src/cli/progress.ts). */
  onScopeFound?: CollectOptions['onScopeFound'];
  onScopeStart?: CollectOptions['onScopeStart'];
  onScope?: CollectOptions['onScope'];
  /** A previous report: certificates its records show unchanged are not read again (see src/engine/runtime/incremental.ts). */
  previous?: string;
  /** Days after which a certificate is read again even if unchanged (default 7). */
  maxAgeDays?: number;
  /** `--new-store`: move an unusable store file aside and start a new store (see src/store/open.ts). */
  newStore?: boolean;
  /**
   * Return the store still locked, with the run written but not yet committed, for the caller to
   * record the notification outcomes in the same transaction and then `close()` it. Otherwise the
   * run is committed and the store closed before returning.
   */
  holdStore?: boolean;
  /**
   * The linked inventory and findings, when they come from elsewhere than collecting (the merge of
   * a sharded audit); nothing is collected and no previous records are read.
   */
  collected?: (rules: ActiveRule[]) => Promise<AuditResult>;
  /** When the run started, if before this process did (a sharded audit's first shard). */
  startedAt?: Date;
}

export interface RunResult {
  report: RememberedReport;
  ruleMs: number;
  /** Why the run is not (fully) remembered: the store could not be used or written. */
  storeError?: string;
  /** With `holdStore`: the locked store, to be closed by the caller. */
  store?: RunStore;
}

/**
 * The store for this run, opened and locked before collecting. A path that cannot hold a store
 * (or a refused `--new-store`) stops the command like a config error; a file that is not a sound
 * store, or a store another run holds too long, costs the history of this run but not its report.
 */
async function storeForRun(opts: RunOptions): Promise<{ store?: RunStore; storeError?: string }> {
  const cfg = opts.config.store;
  if (!cfg) return {};
  try {
    return { store: await openTargetForRun(cfg, { log: opts.log, newStore: opts.newStore }) };
  } catch (err) {
    if (err instanceof StoreError && err.kind === 'path') throw new ConfigError(err.message);
    if (!(err instanceof StoreError) || err.kind === 'refused') throw err;
    const hint = err.kind === 'content' ? '; `certwarden audit --new-store` moves it aside and starts a new store' : '';
    opts.log.warn(`${err.message}; this run is reported but not remembered, and nothing is announced${hint}`);
    return { storeError: err.message };
  }
}

/**
 * Config -> scopes -> providers -> inventory -> rules -> report object; with `suppressions` or a
 * `store` configured, suppressions are applied and the run is remembered before the report is written.
 */
export async function runAudit(opts: RunOptions): Promise<RunResult> {
  const rules = activeRules(opts.config, RULES);
  // Read before collecting: a broken suppressions file is a config error, not a failure after an hour of audit.
  const suppressions = opts.config.suppressions ? loadSuppressions(opts.config.suppressions) : undefined;
  let { store, storeError } = await storeForRun(opts);
  // A store that fails while in use is given up whole: whatever this run wrote to it is rolled back.
  const giveUp = async (err: unknown) => {
    const failed = store;
    store = undefined;
    await failed?.abandon().catch(() => undefined);
    storeError = `the history store ${opts.config.store ? storeLabel(opts.config.store) : ''} was not updated: ${messageOf(err)}`;
    opts.log.warn(`${storeError}; the report is written without new/resolved statuses`);
  };
  const fixed = opts.now;
  const clock = () => fixed ?? new Date();
  const startedAt = opts.startedAt ?? clock();
  const providers = opts.providers ?? [...REGISTRY.providers];
  const previousOpts = { config: opts.config, log: opts.log, previous: opts.previous, maxAgeDays: opts.maxAgeDays };
  let report: RememberedReport;
  let ruleMs: number;
  const timings: ScopeTiming[] = [];
  try {
    let incremental;
    try {
      if (!opts.collected) incremental = await previousRun({ ...previousOpts, store });
    } catch (err) {
      await giveUp(err);
      incremental = await previousRun(previousOpts);
    }
    const result = await (opts.collected?.(rules) ??
      audit({
        config: opts.config,
        providers,
        rules,
        now: fixed ?? startedAt,
        log: opts.log,
        onScopeFound: opts.onScopeFound,
        onScopeStart: opts.onScopeStart,
        onScope: (result, timing) => {
          if (timing) timings.push(timing);
          opts.onScope?.(result, timing);
        },
        incremental,
        threads: opts.config.threads,
        registry: REGISTRY,
      }));
    ruleMs = result.ruleMs;
    const owned = attributeOwners(
      result.inventory.certificates,
      result.inventory.bindings,
      result.findings,
      opts.config.owners,
    );
    const built = buildReport({
      inventory: { ...result.inventory, certificates: owned.certificates, bindings: owned.bindings },
      findings: owned.findings,
      now: fixed ?? startedAt,
      startedAt,
      finishedAt: clock(),
      configDigest: configDigest(opts.config),
      // Wall times differ run to run: a report on a fixed clock stays byte-identical without them.
      ...(fixed ? {} : { timings }),
    });
    const rememberOpts = {
      config: opts.config,
      activeRules: rules.map((r) => r.rule.id),
      binders: binders(providers),
      stores: stores(providers),
      needs: Object.fromEntries(rules.map((r) => [r.rule.id, r.rule.needs ?? []])),
      log: opts.log,
      suppressions,
    };
    const withoutStore = () => remember(built, { ...rememberOpts, config: { ...opts.config, store: undefined } });
    if (!store) report = await withoutStore();
    else {
      try {
        report = await remember(built, { ...rememberOpts, store });
      } catch (err) {
        // An hour of audit is not thrown away because the disk is full or the file broke under us:
        // the report is still written (suppressions applied, no statuses) and the run exits non-zero.
        await giveUp(err);
        report = await withoutStore();
      }
    }
  } catch (err) {
    // Whatever went wrong, the lock is not kept past the run that took it.
    await store?.abandon();
    throw err;
  }
  if (store && !opts.holdStore) {
    try {
      await store.close();
    } catch (err) {
      store = undefined;
      await giveUp(err);
    }
  }
  return { report, ruleMs, ...(storeError ? { storeError } : {}), ...(store && opts.holdStore ? { store } : {}) };
}

export function writeJson(report: Report, output: string): void {
  if (output === '-') {
    for (const chunk of jsonChunks(report)) process.stdout.write(chunk);
  } else {
    writeAtomic(output, jsonChunks(report));
  }
}

/**
 * Which code wins when several apply: 2 (config or usage, set before a run) > 4 (asked for with
 * `failOnCoverage`: an account, subscription or vault audited in the previous run is not audited
 * tonight) > 3 (the audit is incomplete: a scope failed or was partial) > 1 (an unsuppressed finding
 * reaches `failOn`) > 0. An incomplete audit says nothing of what it did not see, so by default it is
 * not hidden behind the findings it did see; `failIncomplete: false` lets the findings alone decide.
 */
export function exitCode(
  report: Report | RememberedReport,
  failOn: Severity | 'none',
  { failIncomplete = true, failOnCoverage = false }: { failIncomplete?: boolean; failOnCoverage?: boolean } = {},
): number {
  const history = 'history' in report ? report.history : undefined;
  if (failOnCoverage && history?.coverage?.lost.length) return EXIT.coverageLost;
  if (failIncomplete && report.scopes.some((s) => s.status !== 'ok')) return EXIT.scopeFailed;
  if (failOn !== 'none' && report.findings.some((f) => f.status !== 'suppressed' && atLeast(f.severity, failOn)))
    return EXIT.findings;
  return EXIT.clean;
}
