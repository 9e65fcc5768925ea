/**
 * What each scope costs in calls, counted where every call passes (the retry layer), so
 * providers need not count. A scope's collection runs inside `tallied`; every attempt made in
 * its asynchronous context, however deep in an SDK pipeline, adds to its tally. Calls made
 * outside any scope (discovery, notifications) are not counted.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface Tally {
  /** Requests attempted, retries included. */
  calls: number;
  /** Attempts the service answered with its throttling error. */
  throttles: number;
}

const current = new AsyncLocalStorage<Tally>();

/** Runs `fn` with `tally` counting the calls made on its behalf. */
export function tallied<T>(tally: Tally, fn: () => T): T {
  return current.run(tally, fn);
}

/** The tally of the scope this code runs for, if any. */
export function currentTally(): Tally | undefined {
  return current.getStore();
}
