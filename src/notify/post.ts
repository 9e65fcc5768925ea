import { withRetry } from '../net/retry.js';

/** A webhook answered with a status that is not 2xx; `statusCode` lets the retry layer classify it. */
export class WebhookError extends Error {
  constructor(
    message: string,
    readonly statusCode?: number,
    readonly code = statusCode ? `HTTP${statusCode}` : 'Error',
    readonly response?: { headers: Headers },
  ) {
    super(message);
    this.name = 'WebhookError';
  }
}

export interface PostOptions {
  timeoutMs: number;
  attempts: number;
  minDelayMs?: number;
  onRetry?: (err: unknown, attempt: number) => void;
}

/**
 * POSTs JSON with a per-attempt timeout; 5xx, 429 and network failures are retried (honouring
 * Retry-After), other statuses are not. Error messages never contain the URL: for Slack and most
 * webhook services the URL itself is the credential.
 */
export async function postJson(url: string, body: unknown, opts: PostOptions): Promise<number> {
  const data = JSON.stringify(body);
  return withRetry(
    async () => {
      let res: Response;
      try {
        res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json; charset=utf-8' },
          body: data,
          signal: AbortSignal.timeout(opts.timeoutMs),
          redirect: 'error',
        });
      } catch (err) {
        throw networkError(err, opts.timeoutMs);
      }
      // Drain the body so the connection is released; its text is not echoed (it may quote the URL).
      await res.arrayBuffer().catch(() => undefined);
      if (res.ok) return res.status;
      throw new WebhookError(`the webhook answered HTTP ${res.status}`, res.status, undefined, { headers: res.headers });
    },
    { attempts: opts.attempts, minDelayMs: opts.minDelayMs ?? 250, maxDelayMs: 5000, onRetry: opts.onRetry },
  );
}

function networkError(err: unknown, timeoutMs: number): WebhookError {
  const e = err as { name?: string; cause?: { code?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return new WebhookError(`no answer within ${timeoutMs} ms`, undefined, 'TimeoutError');
  const code = e?.cause?.code ?? 'ECONNRESET';
  return new WebhookError(`could not reach the webhook (${code})`, undefined, code);
}
