import pRetry, { AbortError } from 'p-retry';

export type Failure = 'throttle' | 'transient' | 'fatal';

const THROTTLE = new Set(['Throttling', 'ThrottlingException', 'TooManyRequestsException', 'RequestLimitExceeded', 'TooManyRequests', 'SlowDown']);
const NETWORK = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_SOCKET', 'ECONNABORTED', 'TimeoutError', 'RequestTimeout', 'REQUEST_SEND_ERROR']);

/** Reads the status and code that AWS and Azure SDK errors carry, under their various names. */
export function errorFacts(err: unknown): { status?: number; code: string; message: string } {
  const e = (err ?? {}) as Record<string, any>;
  const status: number | undefined = e.$metadata?.httpStatusCode ?? e.statusCode ?? e.response?.status;
  const code = String(e.Code ?? e.code ?? e.name ?? 'Error');
  const message = String(e.message ?? err);
  return { status, code, message };
}

/** Throttling and transient failures are retried; access-denied and validation errors never are. */
export function classify(err: unknown): Failure {
  const { status, code } = errorFacts(err);
  if (THROTTLE.has(code) || status === 429) return 'throttle';
  if (NETWORK.has(code) || (status !== undefined && status >= 500 && status !== 501)) return 'transient';
  if (status === undefined && /socket hang up|ECONNRESET|timed? ?out|aborted|premature close|Unexpected end|JSON/i.test(errorFacts(err).message)) return 'transient';
  return 'fatal';
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
 * The one retry layer: SDK clients are built with a single attempt so retries do not multiply,
 * and here failures are retried with full-jitter exponential backoff when they are retryable.
 */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, opts: RetryOptions): Promise<T> {
  return pRetry(
    async (attempt) => {
      try {
        return await fn(attempt);
      } catch (err) {
        if (classify(err) === 'fatal') throw new AbortError(err instanceof Error ? err : new Error(String(err)));
        throw err;
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
