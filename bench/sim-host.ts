/**
 * The benchmark's simulator: in a worker thread (bench/sim-worker.ts) so its request handling
 * runs beside certwarden's event loop instead of on it, as a real cloud's would; or on the
 * calling thread (tests, where the worker's compiled module is not at hand).
 */
import { Worker } from 'node:worker_threads';
import { startSimulator, type Simulator } from '../src/sim/index.js';
import type { CallRecord, SimOptions } from '../src/sim/types.js';
import { benchScenario, type Shape } from './scenario.js';

export interface SimHost {
  url: string;
  seedMs: number;
  /** Calls served since the previous `take()` (or since start). */
  take(): Promise<CallRecord[]>;
  configure(options: SimOptions): Promise<void>;
  /** Gives the first `count` certificates of an ACM scope new bytes (a renewal); returns their ARNs. */
  renew(account: string, region: string, count: number): Promise<string[]>;
  /** Milliseconds the simulator's thread has been busy (0 when it shares the caller's thread). */
  busyMs(): number;
  close(): Promise<void>;
}

export interface SimWorkerData {
  shape: Shape;
  now: string;
  options: SimOptions;
}

export type SimAsk =
  | { type: 'calls'; from: number }
  | { type: 'configure'; options: SimOptions }
  | { type: 'renew'; account: string; region: string; count: number }
  | { type: 'close' };

/** The operations, shared by the worker and the in-thread simulator. */
export async function answer(sim: Simulator, now: Date, m: SimAsk): Promise<unknown> {
  switch (m.type) {
    case 'calls':
      return { calls: sim.server.calls.slice(m.from) };
    case 'configure':
      sim.server.configure(m.options);
      return {};
    case 'renew': {
      const state = sim.aws!.accounts.get(m.account)!.regions.get(m.region)!;
      const chosen = state.certificates.slice(0, m.count);
      for (const c of chosen) c.material = sim.ca.materialize({ ...c.spec, expiresInDays: 400 }, now);
      return { renewed: chosen.map((c) => c.arn) };
    }
    case 'close':
      await sim.server.close();
      return {};
  }
}

export async function startSimHost(
  shape: Shape,
  now: Date,
  options: SimOptions,
  opts: { thread?: boolean } = {},
): Promise<SimHost> {
  let ask: <T>(m: SimAsk) => Promise<T>;
  let ready: { url: string; seedMs: number };
  let stop = async () => {};
  let busyMs = () => 0;
  if (opts.thread === false) {
    const started = performance.now();
    const sim = await startSimulator(benchScenario(shape), { now, options });
    ready = { url: sim.server.url, seedMs: performance.now() - started };
    ask = async <T>(m: SimAsk) => (await answer(sim, now, m)) as T;
  } else {
    const data: SimWorkerData = { shape, now: now.toISOString(), options };
    const worker = new Worker(new URL('./sim-worker.js', import.meta.url), { workerData: data });
    ready = await new Promise((resolve, reject) => {
      worker.once('error', reject);
      worker.once('message', resolve);
    });
    let next = 0;
    const waiting = new Map<number, (v: unknown) => void>();
    worker.on('message', (m: { id?: number; body?: unknown }) => {
      if (m.id === undefined) return;
      waiting.get(m.id)?.(m.body);
      waiting.delete(m.id);
    });
    ask = <T>(m: SimAsk) =>
      new Promise<T>((resolve) => {
        const id = next++;
        waiting.set(id, resolve as (v: unknown) => void);
        worker.postMessage({ id, ask: m });
      });
    stop = async () => void (await worker.terminate());
    busyMs = () => worker.performance.eventLoopUtilization().active;
  }
  let served = 0;
  return {
    url: ready.url,
    seedMs: ready.seedMs,
    async take() {
      const { calls } = await ask<{ calls: CallRecord[] }>({ type: 'calls', from: served });
      served += calls.length;
      return calls;
    },
    configure: async (options) => void (await ask({ type: 'configure', options })),
    busyMs: () => busyMs(),
    renew: async (account, region, count) =>
      (await ask<{ renewed: string[] }>({ type: 'renew', account, region, count })).renewed,
    async close() {
      await ask({ type: 'close' });
      await stop();
    },
  };
}
