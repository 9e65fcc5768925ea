/**
 * Collection on worker threads. Each thread runs the same providers over the same config and
 * discovers the same scopes, but collects only the scopes this thread's dispatcher gives it
 * (dispatch.ts), so each scope (and its rate-limit buckets, which are per account/region or per
 * vault) lives on exactly one thread. Records, scope results and log lines come back as messages.
 * Discovery (assuming roles, listing vaults) is repeated on every thread: a few calls per account,
 * against thousands per scope.
 */
import { Worker } from 'node:worker_threads';
import type { Binding, Certificate, Inventory, Origin, ScopeResult, ScopeTiming } from '../../model/types.js';
import type { Config } from '../../config/schema.js';
import type { CoverageEntry } from '../../model/coverage.js';
import type { Scope } from '../api/provider.js';
import type { CollectOptions } from './collect.js';
import { Dispatcher } from './dispatch.js';
import type { PreviousRun } from './incremental.js';
import type { Tally } from '../../net/tally.js';

/** What a collection thread is given (everything structured-cloneable). */
export interface ThreadJob {
  index: number;
  threads: number;
  config: Config;
  now: string;
  providerIds: string[];
  cancellable: boolean;
  previous?: { records: Certificate[]; maxAgeDays: number } & PreviousRun;
}

export type ThreadMessage =
  | { type: 'records'; certificates: Certificate[]; bindings: Binding[] }
  | { type: 'start'; key: string; scope: Origin }
  | { type: 'tallies'; running: Array<[key: string, calls: number, throttles: number]> }
  | { type: 'scope'; result: ScopeResult; timing?: ScopeTiming }
  | { type: 'discovered'; entries: CoverageEntry[] }
  | { type: 'log'; level: 'info' | 'warn' | 'debug'; message: string }
  | { type: 'claim'; key: string; provider: string }
  | { type: 'done' };

/** What this thread tells a collection thread. */
export type ThreadAnswer = { type: 'grant'; key: string; mine: boolean } | { type: 'abort' };

/** A scope's identity, the same on every thread. */
export const scopeKey = (scope: Pick<Scope, 'provider' | 'account' | 'location'>) =>
  `${scope.provider}\u0000${scope.account}\u0000${scope.location}`;

/** Starts a thread on `entry`, a module that calls runCollectionThread (thread-worker.ts). */
function spawn(job: ThreadJob, entry: URL): Worker {
  if (entry.pathname.endsWith('.ts')) {
    // Running from source (the tests): the thread compiles TypeScript as the main thread does.
    const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); })`;
    return new Worker(boot, { eval: true, workerData: job, env: process.env });
  }
  // The environment as this module sees it (credentials a caller set in process.env included).
  return new Worker(entry, { workerData: job, env: process.env });
}

/** Collects `providerIds` on `threads` threads into `inv`; a thread that dies is reported as a failed scope. */
export async function collectOnThreads(
  providerIds: string[],
  opts: CollectOptions,
  inv: Inventory,
  threads: number,
  entry: URL,
  /** A shard's share: a scope it refuses is no thread's to collect. */
  owns?: (scope: Pick<Scope, 'provider' | 'account' | 'location'>) => boolean,
): Promise<void> {
  const previous = opts.incremental?.records
    ? {
        records: opts.incremental.records,
        maxAgeDays: opts.incremental.maxAgeDays,
        bindings: opts.incremental.bindings,
        scopes: opts.incremental.scopes,
        startedAt: opts.incremental.startedAt,
      }
    : undefined;
  // The run's concurrency is shared out, not multiplied.
  const config = { ...opts.config, concurrency: Math.max(1, Math.ceil(opts.config.concurrency / threads)) };
  const reported = new Set<string>();
  const found = new Set<string>();
  // Each running scope's tally as its thread last told it.
  const running = new Map<string, Tally>();
  // Each thread claims the same scopes: a shard's verdict is asked once per scope.
  const decided = new Map<string, boolean>();
  const workers: Array<Worker | undefined> = [];
  const dispatcher = new Dispatcher(threads, (index, key, mine) =>
    workers[index]?.postMessage({ type: 'grant', key, mine } satisfies ThreadAnswer),
  );
  const runOne = (index: number) =>
    new Promise<void>((resolve) => {
      const fail = (message: string) => {
        const result: ScopeResult = {
          provider: providerIds.join(','),
          account: '*',
          location: `thread ${index + 1} of ${threads}`,
          status: 'failed',
          error: { code: 'CollectionThreadFailed', message },
          stats: { certificates: 0, bindings: 0 },
        };
        inv.scopes.push(result);
        opts.onScope?.(result);
        opts.log.warn(
          `collection thread ${index + 1} of ${threads} failed: ${message}; the scopes it had not reported are missing`,
        );
      };
      let finished = false;
      let worker: Worker;
      try {
        worker = spawn(
          {
            index,
            threads,
            config,
            now: opts.now.toISOString(),
            providerIds,
            cancellable: !!opts.signal,
            previous,
          },
          entry,
        );
      } catch (err) {
        fail(err instanceof Error ? err.message : String(err));
        dispatcher.gone(index);
        return resolve();
      }
      workers[index] = worker;
      const abort = () => void worker.postMessage({ type: 'abort' } satisfies ThreadAnswer);
      opts.signal?.addEventListener('abort', abort, { once: true });
      worker.on('message', (m: ThreadMessage) => {
        if (m.type === 'records') {
          for (const c of m.certificates) inv.certificates.push(c);
          for (const b of m.bindings) inv.bindings.push(b);
        } else if (m.type === 'scope') {
          // A provider whose discovery failed says so on every thread: once is enough.
          const key = `${m.result.provider}\u0000${m.result.account}\u0000${m.result.location}`;
          if (reported.has(key)) return;
          reported.add(key);
          running.delete(key);
          inv.scopes.push(m.result);
          opts.onScope?.(m.result, m.timing);
        } else if (m.type === 'start') {
          const tally = { calls: 0, throttles: 0 };
          running.set(m.key, tally);
          opts.onScopeStart?.(m.scope, tally);
        } else if (m.type === 'tallies') {
          for (const [key, calls, throttles] of m.running) Object.assign(running.get(key) ?? {}, { calls, throttles });
        } else if (m.type === 'discovered') {
          // Every thread discovers the same estate; the report keeps each entry once (src/coverage/build.ts).
          (inv.discovered ??= []).push(...m.entries);
        } else if (m.type === 'log') opts.log[m.level](m.message);
        else if (m.type === 'claim') {
          const [provider, account, location] = m.key.split('\u0000');
          if (owns && !decided.has(m.key)) decided.set(m.key, owns({ provider, account, location }));
          if (owns && !decided.get(m.key)) {
            worker.postMessage({ type: 'grant', key: m.key, mine: false } satisfies ThreadAnswer);
            return;
          }
          // Every thread finds the same scopes: the first claim of one is its discovery.
          if (!found.has(m.key)) {
            found.add(m.key);
            opts.onScopeFound?.({ provider, account, location });
          }
          dispatcher.claim(index, m);
        } else {
          // Everything it found has arrived (messages keep their order); idle sockets must not keep it alive.
          finished = true;
          void worker.terminate();
          // Its records are all here: the run goes on while the thread tears its heap down (0.1 to 0.2 s).
          resolve();
        }
      });
      worker.on('error', (err) => {
        if (!finished) fail(err instanceof Error ? err.message : String(err));
        finished = true;
      });
      worker.on('exit', (code) => {
        workers[index] = undefined;
        dispatcher.gone(index);
        if (!finished) fail(`exited with code ${code} before it finished`);
        opts.signal?.removeEventListener('abort', abort);
        resolve();
      });
    });
  await Promise.all(Array.from({ length: threads }, (_, i) => runOne(i)));
}
