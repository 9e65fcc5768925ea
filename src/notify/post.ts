import { withRetry } from '../net/retry.js';

/** A webhook exchange that failed; `statusCode` and `code` let the retry layer classify it. */
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
  /** The whole exchange, per attempt: connect, send, headers and the part of the body that is read. */
  timeoutMs: number;
  attempts: number;
  minDelayMs?: number;
  /** Bytes of an answer's body read at most; the rest is cancelled unread (default 64 KiB). */
  maxBodyBytes?: number;
  onRetry?: (err: unknown, attempt: number) => void;
}

export const MAX_BODY_BYTES = 64 * 1024;

/**
 * Reads an answer's body up to `max` bytes and cancels the rest: a receiver that answers with an
 * endless body costs at most that much. Only the status matters; the body is never echoed (it may
 * quote the URL), so what is read is not kept. A body cut off by the deadline is left at that.
 */
async function drain(body: ReadableStream<Uint8Array> | null, max: number): Promise<void> {
  if (!body) return;
  const reader = body.getReader();
  let read = 0;
  try {
    while (read <= max) {
      const { done, value } = await reader.read();
      if (done) return;
      read += value.byteLength;
    }
    await reader.cancel();
  } catch {
    // Aborted at the deadline, or the peer went away mid-body: the status already said what happened.
  }
}

/**
 * POSTs JSON under one deadline per attempt that covers the whole exchange, body included; 5xx,
 * 429 and network failures are retried (honouring Retry-After), other statuses are not. A
 * redirect is refused, not followed: the URL is a credential, and following it would send the
 * findings to wherever the answer points. Error messages never contain the URL: for Slack and
 * most webhook services the URL itself is the credential.
 */
export async function postJson(url: string, body: unknown, opts: PostOptions): Promise<number> {
  const data = JSON.stringify(body);
  return withRetry(
    async () => {
      // A timer of our own, held until the body is done with: the one deadline of the exchange.
      const deadline = new AbortController();
      const timer = setTimeout(
        () => deadline.abort(new DOMException(`no answer within ${opts.timeoutMs} ms`, 'TimeoutError')),
        opts.timeoutMs,
      );
      try {
        let res: Response;
        try {
          res = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json; charset=utf-8' },
            body: data,
            signal: deadline.signal,
            redirect: 'manual',
          });
        } catch (err) {
          throw networkError(err, opts.timeoutMs);
        }
        await drain(res.body, opts.maxBodyBytes ?? MAX_BODY_BYTES);
        if (res.ok) return res.status;
        if (res.status >= 300 && res.status < 400)
          throw new WebhookError(`redirect refused: ${res.status}`, res.status, 'RedirectRefused');
        throw new WebhookError(`the webhook answered HTTP ${res.status}`, res.status, undefined, {
          headers: res.headers,
        });
      } finally {
        clearTimeout(timer);
      }
    },
    { attempts: opts.attempts, minDelayMs: opts.minDelayMs ?? 250, maxDelayMs: 5000, onRetry: opts.onRetry },
  );
}

/**
 * What went wrong on the wire, said plainly: undici reports a peer that closed the connection
 * cleanly as `UND_ERR_SOCKET` ("other side closed") and a reset as `ECONNRESET`. An error with
 * no network cause is a request that could not be made at all, and is not retried.
 */
function networkError(err: unknown, timeoutMs: number): WebhookError {
  const e = err as { name?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError')
    return new WebhookError(`no answer within ${timeoutMs} ms`, undefined, 'TimeoutError');
  const code = e?.cause?.code;
  if (code === 'UND_ERR_SOCKET')
    return new WebhookError('the webhook closed the connection without answering (closed by peer)', undefined, code);
  if (code === 'ECONNRESET') return new WebhookError('the webhook reset the connection (ECONNRESET)', undefined, code);
  if (code) return new WebhookError(`could not reach the webhook (${code})`, undefined, code);
  return new WebhookError('the request could not be made', undefined, 'RequestFailed');
}
