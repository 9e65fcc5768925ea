/** What the simulator served during one run, summed up the way the benchmark reports it. */
import type { CallRecord } from '../src/sim/types.js';

export interface CallStats {
  calls: number;
  /** `service:Action` -> calls. */
  byApi: Record<string, number>;
  /** Answered with the service's throttling error. */
  throttled: number;
  /** Answers that make a client try again: throttles, 5xx and dropped connections. */
  retries: number;
  /** Error answers that are neither throttles nor Key Vault's bearer challenge (its first 401 is the protocol). */
  failedCalls: number;
}

export function callStats(calls: CallRecord[]): CallStats {
  const byApi: Record<string, number> = {};
  let throttled = 0;
  let retries = 0;
  let failedCalls = 0;
  for (const c of calls) {
    const api = `${c.service}:${c.action}`;
    byApi[api] = (byApi[api] ?? 0) + 1;
    const challenge = c.service === 'azure-keyvault' && c.status === 401 && !c.fault;
    if (c.fault === 'throttle') throttled++;
    if (c.fault === 'throttle' || c.status >= 500 || c.status === 0) retries++;
    else if (c.status >= 400 && !challenge) failedCalls++;
  }
  const sorted = Object.fromEntries(Object.entries(byApi).sort(([a], [b]) => (a < b ? -1 : 1)));
  return { calls: calls.length, byApi: sorted, throttled, retries, failedCalls };
}
