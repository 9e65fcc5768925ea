import pLimit from 'p-limit';
import type { Finding, Inventory, ScopeError, ScopeResult } from '../model/types.js';
import type { Config } from '../config/schema.js';
import type { Logger, Loss, Provider, Scope } from './provider.js';
import { Losses, scopeError, scopeResult, withPermission } from './scope-result.js';
import { evaluate, type ActiveRule } from './evaluate.js';
import { link, type Binders, type LinkedInventory, type Stores } from './link.js';
import type { Incremental } from './incremental.js';
import { collectOnThreads } from './threads.js';
import { scopeDeadline } from './deadline.js';
import { PROVIDERS } from '../../providers/index.js';

export interface AuditOptions {
  config: Config;
  providers: Provider[];
  rules: ActiveRule[];
  now: Date;
  log: Logger;
  signal?: AbortSignal;
  /** Called as each scope ends, for progress display. */
  onScope?: (result: ScopeResult) => void;
  /** The previous run's certificates: unchanged ones are not read again. */
  incremental?: Incremental;
  /** Collect on this many threads (src/engine/threads.ts); 1 = on this one. */
  threads?: number;
}

export interface AuditResult {
  inventory: LinkedInventory;
  findings: Finding[];
  /** Milliseconds spent in the rule engine (reported by the benchmark, not in the JSON). */
  ruleMs: number;
}

export function binders(providers: Provider[]): Binders {
  const out: Binders = {};
  for (const p of providers) for (const target of p.binds ?? []) (out[target] ??= []).push(p.id);
  return out;
}

/** How bindings name each certificate provider's certificates, and where they can be (Provider.referencedAs). */
export function stores(providers: Provider[]): Stores {
  return Object.fromEntries(providers.flatMap((p) => (p.referencedAs ? [[p.id, p.referencedAs]] : [])));
}

/**
 * Collects one scope into `sink`. Its failure is recorded, never thrown: one account must not
 * sink the run. What the provider reports lost on the way (`ctx.lose`) makes it `partial`.
 * Its deadline (`scopeTimeoutMs`) ends it as a failure (partial, with what it had) and stops the
 * provider through the scope's signal; the engine does not wait for a provider that ignores it.
 */
export async function collectScope(
  provider: Provider,
  scope: Scope,
  opts: Omit<AuditOptions, 'providers' | 'rules'>,
  sink: Inventory,
  seen?: Inventory,
): Promise<ScopeResult> {
  const origin = { provider: scope.provider, account: scope.account, location: scope.location };
  const stats = { certificates: 0, bindings: 0 };
  if (scope.error) return { ...origin, status: 'failed', error: withPermission(provider, scope.error), stats };
  const where = `${scope.provider} ${scope.account}/${scope.location}`;
  const losses = new Losses(provider);
  const lose = (loss: Loss) => {
    const e = losses.add(loss);
    if (!e.count) opts.log.warn(`${where}: ${e.code}${e.operation ? ` in ${e.operation}` : ''}: ${e.message}`);
  };
  let thrown: ScopeError | undefined;
  const deadline = scopeDeadline(opts.config.scopeTimeoutMs, opts.signal);
  const context = {
    config: opts.config,
    log: opts.log,
    signal: deadline.signal,
    now: opts.now,
    inventory: seen,
    incremental: opts.incremental,
    lose,
  };
  const records = provider.collect(scope, context)[Symbol.asyncIterator]();
  try {
    for (;;) {
      const step = await deadline.race(records.next());
      if (step.done) break;
      const rec = step.value;
      if (rec.kind === 'certificate') {
        sink.certificates.push(rec);
        stats.certificates++;
      } else {
        sink.bindings.push(rec);
        stats.bindings++;
      }
    }
  } catch (err) {
    // Stopped while the provider was waiting: its generator ends (and closes its clients) once that wait gives up.
    if (deadline.signal.aborted) records.return?.(undefined).catch(() => {});
    thrown = withPermission(provider, scopeError(deadline.signal.aborted ? deadline.signal.reason : err));
    opts.log.warn(`${where}: ${thrown.code}: ${thrown.message}`);
  } finally {
    deadline.clear();
  }
  return scopeResult(origin, stats, thrown, losses.list());
}

export async function collect(opts: AuditOptions): Promise<Inventory> {
  const inv: Inventory = { certificates: [], bindings: [], scopes: [] };
  const enabled = opts.providers.filter((p) => p.enabled(opts.config));
  const first = enabled.filter((p) => !p.needsInventory);
  const threads = Math.min(opts.threads ?? 1, 64);
  if (threads > 1 && threadable(first, opts))
    await collectOnThreads(
      first.map((p) => p.id),
      opts,
      inv,
      threads,
    );
  else await collectPhase(first, opts, inv);
  // Second phase: providers that decide what to visit from what the others found.
  const later = enabled.filter((p) => p.needsInventory);
  if (later.length) {
    const found = dedupe(inv);
    await collectPhase(later, opts, inv, { ...found, scopes: [...found.scopes] });
  }
  return dedupe(inv);
}

/**
 * A thread can run only providers it can load itself (the shipped ones, not objects made by the
 * caller) and needs the previous records as data, not as a lookup function.
 */
function threadable(providers: Provider[], opts: AuditOptions): boolean {
  return providers.every((p) => PROVIDERS.includes(p)) && (!opts.incremental || !!opts.incremental.records);
}

/** Collects every scope of `providers` (those `owns` accepts, when given) into `inv`. */
export async function collectPhase(
  providers: Provider[],
  opts: AuditOptions,
  inv: Inventory,
  seen?: Inventory,
  owns?: (scope: Scope) => boolean | Promise<boolean>,
): Promise<void> {
  const limit = pLimit(opts.config.concurrency);
  const done = (r: ScopeResult) => {
    inv.scopes.push(r);
    opts.onScope?.(r);
  };
  await Promise.all(
    providers.map(async (provider) => {
      const jobs: Promise<void>[] = [];
      try {
        for await (const scope of provider.scopes({
          config: opts.config,
          log: opts.log,
          signal: opts.signal,
          inventory: seen,
          discovered: (entry) => void (inv.discovered ??= []).push(entry),
        })) {
          // Asked as each scope is found; a scope another thread collects is skipped.
          jobs.push(
            Promise.resolve(owns ? owns(scope) : true).then((mine) =>
              mine ? limit(() => collectScope(provider, scope, opts, inv, seen)).then(done) : undefined,
            ),
          );
        }
      } catch (err) {
        done({
          provider: provider.id,
          account: '*',
          location: '*',
          status: 'failed',
          error: withPermission(provider, scopeError(err)),
          stats: { certificates: 0, bindings: 0 },
        });
      }
      await Promise.all(jobs);
    }),
  );
}

/** Overlapping scopes (a folder listed twice) must not double-count a certificate. */
function dedupe(inv: Inventory): Inventory {
  const once = <T extends { uid: string }>(list: T[]) => {
    const seen = new Set<string>();
    return list.filter((r) => !seen.has(r.uid) && !!seen.add(r.uid));
  };
  return { ...inv, certificates: once(inv.certificates), bindings: once(inv.bindings) };
}

export async function audit(opts: AuditOptions): Promise<AuditResult> {
  const inventory = link(await collect(opts), binders(opts.providers), stores(opts.providers));
  const started = performance.now();
  const findings = evaluate(opts.rules, inventory, opts.now);
  return { inventory, findings, ruleMs: performance.now() - started };
}
