/** A collection thread (see threads.ts): collects the scopes that hash to it and posts what it finds. */
import { setMaxListeners } from 'node:events';
import { parentPort, workerData } from 'node:worker_threads';
import type { Inventory } from '../model/types.js';
import { PROVIDERS } from '../../providers/index.js';
import { collectPhase } from './audit.js';
import { fromCertificates } from './incremental.js';
import type { Logger } from './provider.js';
import { owner, type ThreadJob, type ThreadMessage } from './threads.js';

const job = workerData as ThreadJob;
const post = (m: ThreadMessage) => parentPort!.postMessage(m);
const log: Logger = {
  info: (message) => post({ type: 'log', level: 'info', message }),
  warn: (message) => post({ type: 'log', level: 'warn', message }),
  debug: (message) => post({ type: 'log', level: 'debug', message }),
};
// Only a cancellable audit gets a signal: every call in flight listens to it.
const controller = job.cancellable ? new AbortController() : undefined;
if (controller) setMaxListeners(0, controller.signal);
parentPort!.on('message', (m: { type?: string }) => {
  if (m.type === 'abort') controller?.abort(new Error('the audit was cancelled'));
});

const inv: Inventory = { certificates: [], bindings: [], scopes: [] };
const flush = () => {
  if (inv.certificates.length || inv.bindings.length) post({ type: 'records', certificates: inv.certificates.splice(0), bindings: inv.bindings.splice(0) });
};
await collectPhase(
  PROVIDERS.filter((p) => job.providerIds.includes(p.id)),
  {
    config: job.config,
    providers: [],
    rules: [],
    now: new Date(job.now),
    log,
    signal: controller?.signal,
    incremental: job.previous ? fromCertificates(job.previous.records, job.previous.maxAgeDays) : undefined,
    onScope: (result) => {
      flush();
      post({ type: 'scope', result });
    },
  },
  inv,
  undefined,
  (scope) => owner(scope, job.threads) === job.index,
);
flush();
post({ type: 'done' });
parentPort!.close();
