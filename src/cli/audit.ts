import type { Config } from '../config/schema.js';
import { activeRules, configDigest } from '../config/load.js';
import { audit, binders, stores } from '../engine/audit.js';
import type { Logger, Provider } from '../engine/provider.js';
import { atLeast, type Severity } from '../model/severity.js';
import { buildReport, jsonChunks, type Report } from '../report/json.js';
import { writeAtomic } from '../report/write.js';
import { RULES } from '../../rules/index.js';
import { PROVIDERS } from '../../providers/index.js';
import { remember, type RememberedReport } from '../store/remember.js';
import { loadSuppressions } from '../store/suppressions.js';
import { previousRun } from './previous.js';

export const EXIT = { clean: 0, findings: 1, usage: 2, scopeFailed: 3 } as const;

export interface RunOptions {
  config: Config;
  now?: Date;
  log: Logger;
  providers?: Provider[];
  onScope?: Parameters<typeof audit>[0]['onScope'];
  /** A previous report: certificates its records show unchanged are not read again (see src/engine/incremental.ts). */
  previous?: string;
  /** Days after which a certificate is read again even if unchanged (default 7). */
  maxAgeDays?: number;
}

/**
 * Config -> scopes -> providers -> inventory -> rules -> report object; with `suppressions` or a
 * `store` configured, suppressions are applied and the run is remembered before the report is written.
 */
export async function runAudit(opts: RunOptions): Promise<{ report: RememberedReport; ruleMs: number; storeError?: string }> {
  const rules = activeRules(opts.config, RULES);
  // Read before collecting: a broken suppressions file is a config error, not a failure after an hour of audit.
  const suppressions = opts.config.suppressions ? loadSuppressions(opts.config.suppressions) : undefined;
  const fixed = opts.now;
  const clock = () => fixed ?? new Date();
  const startedAt = clock();
  const providers = opts.providers ?? PROVIDERS;
  const incremental = previousRun({ config: opts.config, log: opts.log, previous: opts.previous, maxAgeDays: opts.maxAgeDays });
  const result = await audit({ config: opts.config, providers, rules, now: fixed ?? startedAt, log: opts.log, onScope: opts.onScope, incremental, threads: opts.config.threads });
  const report = buildReport({ inventory: result.inventory, findings: result.findings, now: fixed ?? startedAt, startedAt, finishedAt: clock(), configDigest: configDigest(opts.config) });
  const rememberOpts = {
    config: opts.config,
    activeRules: rules.map((r) => r.rule.id),
    binders: binders(providers),
    stores: stores(providers),
    requires: Object.fromEntries(rules.map((r) => [r.rule.id, r.rule.requires ?? []])),
    log: opts.log,
    suppressions,
  };
  try {
    return { report: remember(report, rememberOpts), ruleMs: result.ruleMs };
  } catch (err) {
    if (!opts.config.store) throw err;
    // An hour of audit is not thrown away because the history file is locked or the disk is full:
    // the report is still written (suppressions applied, no statuses) and the run exits non-zero.
    const storeError = `the history store ${opts.config.store.path} was not updated: ${err instanceof Error ? err.message : String(err)}`;
    opts.log.warn(`${storeError}; the report is written without new/resolved statuses`);
    return { report: remember(report, { ...rememberOpts, config: { ...opts.config, store: undefined } }), ruleMs: result.ruleMs, storeError };
  }
}

export function writeJson(report: Report, output: string): void {
  if (output === '-') {
    for (const chunk of jsonChunks(report)) process.stdout.write(chunk);
  } else {
    writeAtomic(output, jsonChunks(report));
  }
}

/** 1 when an unsuppressed finding reaches `failOn`, else 3 when a scope failed, else 0. */
export function exitCode(report: Report, failOn: Severity | 'none'): number {
  if (failOn !== 'none' && report.findings.some((f) => f.status !== 'suppressed' && atLeast(f.severity, failOn))) return EXIT.findings;
  if (report.scopes.some((s) => s.status !== 'ok')) return EXIT.scopeFailed;
  return EXIT.clean;
}
