/** A collection thread (see threads.ts): collects the scopes the dispatcher gives it and posts what it finds. */
import { setMaxListeners } from 'node:events';
import { parentPort, workerData } from 'node:worker_threads';
import type { Inventory } from '../../model/types.js';
import { collectPhase } from './collect.js';
import { fromCertificates } from './incremental.js';
import type { Logger, Provider, Scope } from '../api/provider.js';
import type { Tally } from '../../net/tally.js';
import { scopeKey, type ThreadAnswer, type ThreadJob, type ThreadMessage } from './threads.js';

/**
 * Runs this thread's share of the job among `providers`, the same providers the main thread has
 * (the program's registry; the thread's entry module passes them in).
 */
export async function runCollectionThread(providers: readonly Provider[]): Promise<void> {
  const job = workerData as ThreadJob;
  const post = (m: ThreadMessage) => parentPort!.postMessage(m);
  const log: Logger = {
    info: (message) => post({ type: 'log', level: 'info', message }),
    warn: (message) => post({ type: 'log', level: 'warn', message }),
    debug: (message) => post({ type: 'log', level: 'debug', message }),
  };
  // Only a cancellable audit gets an audit-wide signal; each scope's own (its deadline) comes from the engine.
  const controller = job.cancellable ? new AbortController() : undefined;
  if (controller) setMaxListeners(0, controller.signal);
  // Each scope found is collected only if the dispatcher on the main thread gives it to this thread.
  const grants = new Map<string, { promise: Promise<boolean>; resolve: (mine: boolean) => void }>();
  const claim = (scope: Scope): Promise<boolean> => {
    const key = scopeKey(scope);
    let g = grants.get(key);
    if (!g) {
      let resolve!: (mine: boolean) => void;
      g = { promise: new Promise<boolean>((r) => (resolve = r)), resolve };
      grants.set(key, g);
      post({ type: 'claim', key, provider: scope.provider });
    }
    return g.promise;
  };
  parentPort!.on('message', (m: ThreadAnswer) => {
    if (m.type === 'abort') controller?.abort(new Error('the audit was cancelled'));
    else if (m.type === 'grant') grants.get(m.key)?.resolve(m.mine);
  });

  const inv: Inventory = { certificates: [], bindings: [], scopes: [] };
  const flush = () => {
    if (inv.discovered?.length) post({ type: 'discovered', entries: inv.discovered.splice(0) });
    if (inv.certificates.length || inv.bindings.length)
      post({ type: 'records', certificates: inv.certificates.splice(0), bindings: inv.bindings.splice(0) });
  };
  // Running scopes' tallies go to the main thread for its progress line.
  const running = new Map<string, Tally>();
  let ticks = 0;
  const tick = () => {
    flush();
    if (++ticks % 5 === 0 && running.size)
      post({ type: 'tallies', running: [...running].map(([key, t]) => [key, t.calls, t.throttles]) });
  };
  // Records go to the main thread as they come, not only when a scope ends: a large account's
  // scope runs for most of the audit, and its records need not wait here until then.
  const ticker = setInterval(tick, 100);
  await collectPhase(
    providers.filter((p) => job.providerIds.includes(p.id)),
    {
      config: job.config,
      now: new Date(job.now),
      log,
      signal: controller?.signal,
      incremental: job.previous
        ? fromCertificates(job.previous.records, job.previous.maxAgeDays, job.previous)
        : undefined,
      onScopeStart: (scope, tally) => {
        const key = scopeKey(scope);
        running.set(key, tally);
        post({ type: 'start', key, scope });
      },
      onScope: (result, timing) => {
        flush();
        running.delete(scopeKey(result));
        post({ type: 'scope', result, timing });
      },
    },
    inv,
    undefined,
    claim,
  );
  clearInterval(ticker);
  flush();
  post({ type: 'done' });
  parentPort!.close();
}
