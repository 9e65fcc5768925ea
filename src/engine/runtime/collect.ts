/**
 * Collecting scopes on this thread: each scope's records into the inventory, its failure
 * recorded, never thrown. Used by the audit and by each collection thread.
 */
import pLimit from 'p-limit';
import type { Inventory, Origin, ScopeError, ScopeReads, ScopeResult, ScopeTiming } from '../../model/types.js';
import type { Config } from '../../config/schema.js';
import type { Logger, Loss, Provider, Scope } from '../api/provider.js';
import { Losses, scopeError, scopeResult, withPermission } from './scope-result.js';
import type { Incremental } from './incremental.js';
import { scopeDeadline } from './deadline.js';
import { collectKinds } from './kinds.js';
import { tallied, type Tally } from '../../net/tally.js';

export interface CollectOptions {
  config: Config;
  now: Date;
  log: Logger;
  signal?: AbortSignal;
  /** Called as each scope is found, before it is collected (for progress: the total so far). */
  onScopeFound?: (scope: Origin) => void;
  /** Called as each scope starts collecting, with its tally, which counts on as the scope runs. */
  onScopeStart?: (scope: Origin, tally: Tally) => void;
  /** Called as each scope ends, with what it cost when it was collected (not when it failed before). */
  onScope?: (result: ScopeResult, timing?: ScopeTiming) => void;
  /** The previous run's certificates: unchanged ones are not read again. */
  incremental?: Incremental;
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
  opts: CollectOptions,
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
  let reads: ScopeReads | undefined;
  const deadline = scopeDeadline(opts.config.scopeTimeoutMs, opts.signal);
  const context = {
    config: opts.config,
    log: opts.log,
    signal: deadline.signal,
    now: opts.now,
    inventory: seen,
    incremental: opts.incremental,
    lose,
    reads: (r: ScopeReads) => {
      reads = r;
    },
  };
  const records = (provider.kinds ? collectKinds(provider.kinds, scope, context) : provider.collect!(scope, context))[
    Symbol.asyncIterator
  ]();
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
  const result = scopeResult(origin, stats, thrown, losses.list());
  return reads ? { ...result, reads } : result;
}

/** collectScope, timed, with every call made on the scope's behalf counted (src/net/tally.ts). */
async function timedScope(
  provider: Provider,
  scope: Scope,
  opts: CollectOptions,
  sink: Inventory,
  seen?: Inventory,
): Promise<[ScopeResult, ScopeTiming]> {
  const origin = { provider: scope.provider, account: scope.account, location: scope.location };
  const tally: Tally = { calls: 0, throttles: 0 };
  opts.onScopeStart?.(origin, tally);
  const started = performance.now();
  const result = await tallied(tally, () => collectScope(provider, scope, opts, sink, seen));
  const elapsedMs = Math.round(performance.now() - started);
  return [result, { ...origin, elapsedMs, calls: tally.calls, throttles: tally.throttles }];
}

/** Collects every scope of `providers` (those `owns` accepts, when given) into `inv`. */
export async function collectPhase(
  providers: Provider[],
  opts: CollectOptions,
  inv: Inventory,
  seen?: Inventory,
  owns?: (scope: Scope) => boolean | Promise<boolean>,
): Promise<void> {
  const limit = pLimit(opts.config.concurrency);
  const done = (r: ScopeResult, timing?: ScopeTiming) => {
    inv.scopes.push(r);
    opts.onScope?.(r, timing);
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
          opts.onScopeFound?.({ provider: scope.provider, account: scope.account, location: scope.location });
          // Asked as each scope is found; a scope another thread collects is skipped.
          jobs.push(
            Promise.resolve(owns ? owns(scope) : true).then((mine) =>
              mine ? limit(() => timedScope(provider, scope, opts, inv, seen)).then((r) => done(...r)) : undefined,
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
