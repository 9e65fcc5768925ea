import pRetry, { AbortError } from 'p-retry';
import { currentTally } from './tally.js';

export type Failure = 'throttle' | 'transient' | 'fatal';

// ThrottledException is the Resource Groups Tagging API's (HTTP 400, so the status alone does not tell).
const THROTTLE = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'TooManyRequests',
  'SlowDown',
]);
const NETWORK = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'ECONNABORTED',
  'TimeoutError',
  'RequestTimeout',
  'REQUEST_SEND_ERROR',
]);

/** One field of a value that may not be an object at all. */
function field(v: unknown, name: string): unknown {
  return v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[name] : undefined;
}

/** Text of any value: String() throws on an object with no prototype, and anything may be thrown. */
function text(v: unknown): string {
  try {
    return String(v);
  } catch {
    return Object.prototype.toString.call(v);
  }
}

/** Reads the status and code that AWS and Azure SDK errors carry, under their various names. */
export function errorFacts(err: unknown): { status?: number; code: string; message: string } {
  const e = (err ?? {}) as Record<string, unknown>;
  const status = (field(e.$metadata, 'httpStatusCode') ?? e.statusCode ?? field(e.response, 'status')) as
    number | undefined;
  const code = text(e.Code ?? e.code ?? e.name ?? 'Error');
  const message = text(e.message ?? err);
  return { status, code, message };
}

/** Throttling and transient failures are retried; access-denied and validation errors never are. */
export function classify(err: unknown): Failure {
  const { status, code } = errorFacts(err);
  if (THROTTLE.has(code) || status === 429) return 'throttle';
  if (NETWORK.has(code) || (status !== undefined && status >= 500 && status !== 501)) return 'transient';
  // Azure core's code for a body that does not parse: truncated or garbled in transit.
  if (code === 'PARSE_ERROR') return 'transient';
  // The AWS SDK's equivalent: a 200 whose JSON/XML body does not parse.
  if (/Deserialization error/.test(errorFacts(err).message)) return 'transient';
  if (
    status === undefined &&
    /socket hang up|ECONNRESET|timed? ?out|aborted|premature close|Unexpected end|JSON/i.test(errorFacts(err).message)
  )
    return 'transient';
  return 'fatal';
}

/**
 * How long the service asked us to wait (`Retry-After` in seconds or as an HTTP date, or
 * `x-ms-retry-after-ms`), read from Azure RestErrors (`response.headers.get`) and AWS errors
 * (`$response.headers`). Undefined when the error names no wait.
 */
export function retryAfterMs(err: unknown, now = Date.now()): number | undefined {
  const e = (err ?? {}) as Record<string, unknown>;
  const get = (name: string): string | undefined => {
    const h = field(e.response, 'headers') ?? field(e.$response, 'headers');
    const read = field(h, 'get');
    const v = typeof read === 'function' ? (read as (n: string) => unknown).call(h, name) : field(h, name);
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a header value is a string, a number or a list, each spelt by String() as sent
    return v === undefined || v === null ? undefined : String(v);
  };
  const ms = get('x-ms-retry-after-ms') ?? get('retry-after-ms');
  if (ms !== undefined && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const after = get('retry-after') ?? get('x-amz-retry-after');
  if (after === undefined) return undefined;
  if (/^\d+(\.\d+)?$/.test(after.trim())) return Number(after) * 1000;
  const date = Date.parse(after);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- an abort rejects with the signal's own reason, as the platform's APIs do
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export interface RetryOptions {
  /** Total attempts, the first included. */
  attempts: number;
  signal?: AbortSignal;
  /** Base delay; throttling waits longer than other transient failures. */
  minDelayMs?: number;
  maxDelayMs?: number;
  onRetry?: (err: unknown, attempt: number, kind: Failure) => void;
}

/**
 * An Error for p-retry, which refuses anything else: an error object from another realm (Node's
 * own http errors seen from a vm context) or a plain thrown object keeps its name, code and
 * fields, and the original as `cause`.
 */
function asError(err: unknown): Error {
  if (err instanceof Error) return err;
  if (err && typeof err === 'object') {
    const { message } = errorFacts(err);
    return Object.assign(new Error(message, { cause: err }), err, { message });
  }
  return new Error(text(err));
}

/**
 * The one retry layer: SDK clients are built with a single attempt so retries do not multiply,
 * and here failures are retried with full-jitter exponential backoff when they are retryable.
 */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, opts: RetryOptions): Promise<T> {
  // Read once: p-retry's backoff timers need not carry the caller's context for the count to land.
  const tally = currentTally();
  return pRetry(
    async (attempt) => {
      if (tally) tally.calls++;
      try {
        return await fn(attempt);
      } catch (err) {
        const kind = classify(err);
        if (tally && kind === 'throttle') tally.throttles++;
        if (kind === 'fatal') throw new AbortError(asError(err));
        // A throttled service names its own wait (429/503 Retry-After); honour it before backing off.
        const wait = retryAfterMs(err);
        if (wait !== undefined && attempt < opts.attempts)
          await sleep(Math.min(wait, opts.maxDelayMs ?? 20000), opts.signal);
        throw asError(err);
      }
    },
    {
      retries: Math.max(0, opts.attempts - 1),
      minTimeout: opts.minDelayMs ?? 100,
      maxTimeout: opts.maxDelayMs ?? 20000,
      factor: 2,
      randomize: true,
      signal: opts.signal,
      onFailedAttempt: ({ error, attemptNumber }) => opts.onRetry?.(error, attemptNumber, classify(error)),
    },
  );
}
