/**
 * A scope's deadline: the scope's own signal, aborted when its time is up (or when the audit is
 * cancelled), and a race that stops waiting for the provider at that moment even if the provider
 * is stuck somewhere that does not listen to the signal.
 */
import { setMaxListeners } from 'node:events';
import { CollectError } from '../api/collect-error.js';

export interface Deadline {
  /** Given to the provider: every call in flight listens to it and gives up when it aborts. */
  signal: AbortSignal;
  /** `step`, or a rejection with the signal's reason as soon as it aborts. */
  race<T>(step: Promise<T>): Promise<T>;
  clear(): void;
}

/** `12 s`, `15 min`, `1 h 30 min`: what a person reads in the summary. */
export function duration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${Math.round(ms / 100) / 10} s`;
  const min = Math.round(ms / 60_000);
  return min < 60 ? `${min} min` : `${Math.floor(min / 60)} h${min % 60 ? ` ${min % 60} min` : ''}`;
}

export function scopeDeadline(ms: number, outer?: AbortSignal): Deadline {
  const controller = new AbortController();
  // Every call in flight in the scope listens to this signal: hundreds at once is normal.
  setMaxListeners(0, controller.signal);
  const timer = setTimeout(
    () =>
      controller.abort(
        new CollectError('Deadline', `did not finish within ${duration(ms)} (scopeTimeoutMs: ${ms}); stopped`),
      ),
    ms,
  );
  const onAbort = () => controller.abort(outer?.reason);
  if (outer?.aborted) onAbort();
  else outer?.addEventListener('abort', onAbort, { once: true });
  const stopped = new Promise<never>((_, reject) => {
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- an abort rejects with the signal's own reason, as the platform's APIs do
    const stop = () => reject(controller.signal.reason);
    if (controller.signal.aborted) stop();
    else controller.signal.addEventListener('abort', stop, { once: true });
  });
  stopped.catch(() => {});
  return {
    signal: controller.signal,
    race: (step) => Promise.race([step, stopped]),
    clear() {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onAbort);
    },
  };
}
