/** Worker-thread entry of the benchmark's simulator (see bench/sim-host.ts). */
import { parentPort, workerData } from 'node:worker_threads';
import { startSimulator } from '../src/sim/index.js';
import { answer, type SimAsk, type SimWorkerData } from './sim-host.js';
import { benchScenario } from './scenario.js';

const data = workerData as SimWorkerData;
const now = new Date(data.now);
const started = performance.now();
const sim = await startSimulator(benchScenario(data.shape), { now, options: data.options });
parentPort!.postMessage({ url: sim.server.url, seedMs: performance.now() - started });
parentPort!.on('message', (m: { id: number; ask: SimAsk }) => {
  void answer(sim, now, m.ask).then((body) => parentPort!.postMessage({ id: m.id, body }));
});
