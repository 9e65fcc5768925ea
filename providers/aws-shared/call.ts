/**
 * Every AWS call goes through here: the client-side token bucket of its API in its account and
 * region, then the one retry layer; a final failure becomes a CollectError that names the
 * service's error code and the operation.
 */
import { toCollectError, type ErrorFacts } from '../../src/engine/api/collect-error.js';
import { followPages, type PageFetch } from '../../src/engine/api/paging.js';
import { callPriority, type Work } from '../../src/net/priority.js';
import { errorFacts, withRetry } from '../../src/net/retry.js';
import { limitKey, type AwsHandle } from './handle.js';

/**
 * The service's error code, or a plain name for failures that have none: a body that did not
 * parse (the SDK's "Deserialization error") and network failures the SDK reports as bare Errors.
 */
function codeOf(code: string, message: string): string {
  if (/Deserialization error/.test(message)) return 'MalformedResponse';
  if (code === 'Error' || code === 'TypeError') {
    if (/socket hang up|ECONNRESET/i.test(message)) return 'ECONNRESET';
    if (/timed? ?out|TimeoutError/i.test(message)) return 'TimeoutError';
  }
  return code;
}

/** An AWS SDK error's code (codeOf) and the first line of its message. */
export function awsFacts(err: unknown): ErrorFacts {
  const { code, message } = errorFacts(err);
  return { code: codeOf(code, message), message: message.split('\n')[0] };
}

/**
 * `api` is the rate-limit bucket (the operation, or a group such as ELBv2's shared `Describe`);
 * `work` the scope's stated work the call belongs to, which gives way to longer work when the
 * thread is short of CPU (src/net/priority.ts). Listings have none: they are how work is learnt.
 */
export async function awsCall<T>(
  h: AwsHandle,
  operation: string,
  fn: () => Promise<T>,
  opts: { api?: string; signal?: AbortSignal; work?: Work } = {},
): Promise<T> {
  try {
    return await withRetry(
      async () => {
        if (opts.work) await callPriority.admit(opts.work, opts.signal);
        await h.limits.take(limitKey(h), opts.api ?? operation, opts.signal);
        return fn();
      },
      { ...h.retry, signal: opts.signal },
    );
  } catch (err) {
    throw toCollectError(err, operation, { describe: awsFacts });
  }
}

/**
 * An SDK call that gives up as soon as `signal` aborts. Passing `{ abortSignal }` to `send()`
 * instead would stop the SDK from reusing the command's resolved middleware stack
 * (`cacheMiddleware` applies only to option-less sends), and resolving it costs about a fifth
 * of each call's CPU. The abandoned request ends at its timeout, or when the scope's client is
 * destroyed.
 */
export function abortable<T>(call: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return call;
  if (signal.aborted) {
    call.catch(() => {});
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- an abort rejects with the signal's own reason, as the platform's APIs do
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- an abort rejects with the signal's own reason, as the platform's APIs do
    const stop = () => reject(signal.reason);
    signal.addEventListener('abort', stop, { once: true });
    call.then(resolve, reject).finally(() => signal.removeEventListener('abort', stop));
  });
}

/**
 * Follows next-page tokens through the runtime's paging (src/engine/api/paging.ts), which stops a
 * listing that repeats a token or runs past `maxPages` instead of hanging the run.
 */
export function pages<T>(h: Pick<AwsHandle, 'maxPages'>, operation: string, fetch: PageFetch<T>): AsyncGenerator<T[]> {
  return followPages(operation, h.maxPages, fetch);
}
