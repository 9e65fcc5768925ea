/**
 * What this provider adds to the Azure SDK pipelines: the one retry layer (src/net withRetry, per
 * HTTP request, so a failed page is fetched again without restarting its listing), client-side
 * rate limits, a paging guard and the loopback transport.
 */
import {
  createDefaultHttpClient,
  createPipelineRequest,
  RestError,
  type HttpClient,
  type PipelinePolicy,
  type PipelineRequest,
  type PipelineResponse,
  type SendRequest,
} from '@azure/core-rest-pipeline';
import { withRetry, type Failure } from '../../src/net/retry.js';
import type { RateLimits } from '../../src/net/limit.js';
import { callPriority } from '../../src/net/priority.js';
import { pagingLimit, pagingLoop } from '../../src/engine/api/collect-error.js';

/**
 * Delivers every request to a loopback server over plain http while the SDK keeps seeing the
 * https URL it built. The Host header keeps the real host (the simulator tells vaults apart by it)
 * and X-Forwarded-Proto says the client spoke https, so next links come back as https too.
 * Used only for loopback custom clouds (cloud.ts).
 */
export function loopbackHttpClient(target: URL, inner: HttpClient = createDefaultHttpClient()): HttpClient {
  return {
    async sendRequest(request) {
      const original = new URL(request.url);
      const routed = createPipelineRequest({
        url: `${target.protocol}//${target.host}${original.pathname}${original.search}`,
        method: request.method,
        body: request.body,
        timeout: request.timeout,
        abortSignal: request.abortSignal,
        requestId: request.requestId,
        disableKeepAlive: request.disableKeepAlive,
        streamResponseStatusCodes: request.streamResponseStatusCodes,
        allowInsecureConnection: true,
      });
      for (const [name, value] of request.headers) routed.headers.set(name, value);
      routed.headers.set('host', original.host);
      routed.headers.set('x-forwarded-proto', original.protocol.replace(':', ''));
      const response = await inner.sendRequest(routed);
      return { ...response, request };
    },
  };
}

/** Answers the SDK retries and the service may ask to be retried (429, 5xx but 501). */
const RETRYABLE = new Set([408, 429, 500, 502, 503, 504]);

function parses(response: PipelineResponse): boolean {
  const type = response.headers.get('content-type') ?? '';
  if (
    !/json/i.test(type) ||
    response.bodyAsText === undefined ||
    response.bodyAsText === null ||
    response.bodyAsText === ''
  )
    return true;
  try {
    JSON.parse(response.bodyAsText);
    return true;
  } catch {
    return false;
  }
}

/**
 * A response worth another attempt, as a RestError (so src/net classifies it by status) that
 * carries the response, so the last one can be handed back to the SDK. RestError resets its
 * prototype, so a subclass would lose `instanceof`: the response is marked with a symbol instead.
 */
const CARRIED = Symbol('certwarden.response');

function retryable(response: PipelineResponse, code?: string): RestError {
  const err = new RestError(
    code === 'PARSE_ERROR' ? 'the response body is not valid JSON' : `HTTP ${response.status}`,
    { statusCode: response.status, code, response, request: response.request },
  );
  return Object.assign(err, { [CARRIED]: response });
}

function carried(err: unknown): PipelineResponse | undefined {
  return err && typeof err === 'object' ? (err as { [CARRIED]?: PipelineResponse })[CARRIED] : undefined;
}

export interface ServiceError {
  code?: string;
  message?: string;
  inner?: string;
}

/**
 * The error body of a failed request, kept by request: paged SDK operations raise
 * "Pagination failed with unexpected statusCode 403" and drop the service's own message.
 */
const serviceErrors = new WeakMap<object, ServiceError>();

export function serviceErrorOf(request: unknown): ServiceError | undefined {
  return request && typeof request === 'object' ? serviceErrors.get(request) : undefined;
}

/** An Azure error body's `error` member; Key Vault spells the inner error `innererror`, ARM `innerError`. */
interface AzureErrorBody {
  code?: string;
  message?: string;
  innererror?: { code?: string };
  innerError?: { code?: string };
}

function remember(response: PipelineResponse): PipelineResponse {
  if (response.status >= 400 && response.bodyAsText) {
    try {
      const e = (JSON.parse(response.bodyAsText) as { error?: unknown } | null)?.error as AzureErrorBody | undefined;
      if (e && typeof e === 'object')
        serviceErrors.set(response.request, {
          code: e.code,
          message: e.message,
          inner: e.innererror?.code ?? e.innerError?.code,
        });
    } catch {
      // not JSON: the SDK's own message stands
    }
  }
  return response;
}

/**
 * Each attempt gets `timeoutMs` for the whole answer, body included. Not `request.timeout`: the
 * Node transport of core-rest-pipeline 1.24 leaves that timer running when the connection fails,
 * which keeps the process alive for the full timeout after a dropped connection.
 */
async function withTimeout(request: PipelineRequest, timeoutMs: number, next: SendRequest): Promise<PipelineResponse> {
  const outer = request.abortSignal;
  const attempt = new AbortController();
  const onOuter = () => attempt.abort();
  outer?.addEventListener('abort', onOuter, { once: true });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    attempt.abort();
  }, timeoutMs);
  request.abortSignal = attempt.signal;
  try {
    return await next(request);
  } catch (err) {
    if (timedOut)
      throw new RestError(`no answer within ${timeoutMs} ms (providers.azure.timeoutMs)`, {
        code: 'ETIMEDOUT',
        request,
      });
    throw err;
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener('abort', onOuter);
    request.abortSignal = outer;
  }
}

export interface RetryPolicyOptions {
  attempts: number;
  timeoutMs: number;
  limits: RateLimits;
  /** Which client-side bucket a request draws from. */
  bucket(url: URL): { scope: string; api: string };
  minDelayMs?: number;
  onRetry?: (err: unknown, attempt: number, kind: Failure) => void;
}

/**
 * Placed above the authentication policy, so each attempt is authorised afresh. The SDKs' own
 * retry policies are configured with maxRetries 0, so attempts do not multiply. When attempts run
 * out on a retryable answer, the answer itself goes back to the SDK, which raises its usual error
 * with the service's code and message.
 */
export function retryPolicy(opts: RetryPolicyOptions): PipelinePolicy {
  return {
    name: 'certwardenRetry',
    async sendRequest(request, next) {
      try {
        return remember(
          await withRetry(
            async () => {
              const { scope, api } = opts.bucket(new URL(request.url));
              // Key Vault's and ARM's limits leave slack: they give way to longer rate-limited work
              // when CPU is short, at a rate set by the work their vaults state (src/net/priority.ts).
              await callPriority.admit(undefined, request.abortSignal as AbortSignal | undefined);
              await opts.limits.take(scope, api, request.abortSignal as AbortSignal | undefined);
              const response = await withTimeout(request, opts.timeoutMs, next);
              if (RETRYABLE.has(response.status)) throw retryable(response);
              if (response.status < 300 && !parses(response)) throw retryable(response, 'PARSE_ERROR');
              return response;
            },
            {
              attempts: opts.attempts,
              minDelayMs: opts.minDelayMs,
              signal: request.abortSignal as AbortSignal | undefined,
              onRetry: opts.onRetry,
            },
          ),
        );
      } catch (err) {
        const response = carried(err);
        if (response) return remember(response);
        throw err;
      }
    },
  };
}

/**
 * Stops a listing whose service repeats a next link (it would loop forever) or that runs past
 * `maxPages`. One guard per client; each client here serves one listing of each kind.
 */
export function pagingGuard(isListing: (url: URL) => boolean, maxPages: number, operation: string): PipelinePolicy {
  const seen = new Set<string>();
  const pages = new Map<string, number>();
  return {
    name: 'certwardenPagingGuard',
    async sendRequest(request, next) {
      const url = new URL(request.url);
      if (isListing(url)) {
        const key = `${url.host.toLowerCase()}${url.pathname.toLowerCase()}?${[...url.searchParams]
          .map(([k, v]) => `${k}=${v}`)
          .sort()
          .join('&')}`;
        if (seen.has(key)) throw pagingLoop(operation, url.pathname);
        const count = (pages.get(url.pathname) ?? 0) + 1;
        if (count > maxPages) throw pagingLimit(operation, maxPages);
        pages.set(url.pathname, count);
        seen.add(key);
      }
      return next(request);
    },
  };
}
