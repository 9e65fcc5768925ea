/**
 * The HTTP handler of every AWS client certwarden builds: undici's connection pool instead of the
 * SDK's node:http handler. Measured side by side on the same calls, the SDK's handler costs about
 * a fifth of each call's client CPU more: it arms four timers and several listeners per request
 * and streams every answer through node:http's IncomingMessage, where undici parses with llhttp
 * and hands the whole body over at once. Failures keep the SDK handler's vocabulary
 * (`ECONNRESET`, `TimeoutError`), which the retry layer and the reports rely on.
 */
import { Agent, errors, type Dispatcher } from 'undici';

/** The request shape the SDK hands to its HTTP handler (`@smithy/types` HttpRequest). */
export interface SdkHttpRequest {
  protocol: string;
  hostname: string;
  port?: number;
  method: string;
  path: string;
  query?: Record<string, string | Array<string | null> | null>;
  headers: Record<string, string>;
  body?: unknown;
}

/** What the SDK expects back (`@smithy/types` HttpResponse); a whole body is a Uint8Array. */
export interface SdkHttpResponse {
  statusCode: number;
  reason?: string;
  headers: Record<string, string>;
  body: Uint8Array;
}

export interface HandlerOptions {
  /** Longest wait for the answer's headers, and between two pieces of its body. */
  requestTimeout: number;
  connectionTimeout: number;
  /** Largest answer accepted, in bytes (default MAX_BODY_BYTES). */
  maxBodyBytes?: number;
}

/**
 * No AWS read certwarden makes answers with more than a few megabytes (a 1,000-certificate
 * ListCertificates page is about one); a body past this is refused rather than buffered.
 */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;

/** The SDK's own query-string form: keys sorted, RFC 3986 escapes, bare keys for null values. */
function queryString(query: NonNullable<SdkHttpRequest['query']>): string {
  const escape = (s: string) =>
    encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const parts: string[] = [];
  for (const key of Object.keys(query).sort()) {
    const value = query[key];
    const k = escape(key);
    if (Array.isArray(value)) for (const v of value) parts.push(`${k}=${escape(v ?? '')}`);
    else parts.push(value === null || value === undefined ? k : `${k}=${escape(value)}`);
  }
  return parts.join('&');
}

const TIMEOUTS = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/** An undici failure in the terms the SDK's node:http handler uses, the original as `cause`. */
function sdkError(err: unknown): unknown {
  const code = (err as { code?: string } | undefined)?.code;
  if (code && TIMEOUTS.has(code))
    return Object.assign(new Error((err as Error).message, { cause: err }), {
      name: 'TimeoutError',
      code: 'ETIMEDOUT',
    });
  // The connection closed before the whole answer came: what node:http calls "socket hang up".
  if (err instanceof errors.SocketError || code === 'UND_ERR_CLOSED')
    return Object.assign(new Error(`socket hang up: ${(err as Error).message}`, { cause: err }), {
      code: 'ECONNRESET',
    });
  return err;
}

/** undici takes an Error; an abort's reason is one unless someone aborted with another value. */
function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new Error(String(reason), { cause: reason });
}

/**
 * Gathers one answer whole. undici's request() would wrap it in a Readable stream and an async
 * resource, only for the SDK to read it back into one buffer: a sixth of undici's time per call.
 */
class Collect implements Dispatcher.DispatchHandler {
  private status = 0;
  private headers: Record<string, string> = {};
  private readonly chunks: Buffer[] = [];
  private onAbort?: () => void;

  constructor(
    private readonly resolve: (r: SdkHttpResponse) => void,
    private readonly reject: (err: unknown) => void,
    private readonly signal?: AbortSignal,
  ) {}

  onRequestStart(controller: Dispatcher.DispatchController): void {
    const signal = this.signal;
    if (!signal || this.onAbort) return;
    if (signal.aborted) return controller.abort(abortError(signal));
    this.onAbort = () => controller.abort(abortError(signal));
    signal.addEventListener('abort', this.onAbort, { once: true });
  }

  onResponseStart(
    _c: Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, string | string[] | undefined>,
  ): void {
    this.status = statusCode;
    this.headers = {};
    for (const name in headers) {
      const value = headers[name];
      if (value !== undefined) this.headers[name] = Array.isArray(value) ? value.join(',') : value;
    }
  }

  onResponseData(_c: Dispatcher.DispatchController, chunk: Buffer): void {
    this.chunks.push(chunk);
  }

  onResponseEnd(): void {
    this.done();
    const body = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
    this.resolve({
      statusCode: this.status,
      headers: this.headers,
      body: new Uint8Array(body.buffer, body.byteOffset, body.byteLength),
    });
  }

  onResponseError(_c: Dispatcher.DispatchController, err: Error): void {
    this.done();
    this.reject(sdkError(err));
  }

  private done(): void {
    if (this.onAbort) this.signal?.removeEventListener('abort', this.onAbort);
  }
}

export class UndiciHttpHandler {
  readonly metadata = { handlerProtocol: 'http/1.1' };
  private agent?: Agent;

  constructor(private readonly options: HandlerOptions) {}

  // The SDK's AbortSignal type is its own structural copy; certwarden passes Node's or none.
  async handle(
    request: SdkHttpRequest,
    options: { abortSignal?: unknown } = {},
  ): Promise<{ response: SdkHttpResponse }> {
    this.agent ??= new Agent({
      connect: { timeout: this.options.connectionTimeout },
      headersTimeout: this.options.requestTimeout,
      bodyTimeout: this.options.requestTimeout,
      maxResponseSize: this.options.maxBodyBytes ?? MAX_BODY_BYTES,
    });
    let path = request.path;
    const query = request.query ? queryString(request.query) : '';
    if (query) path += `?${query}`;
    const host =
      request.hostname.includes(':') && !request.hostname.startsWith('[') ? `[${request.hostname}]` : request.hostname;
    const origin = `${request.protocol}//${host}${request.port ? `:${request.port}` : ''}`;
    const agent = this.agent;
    const response = await new Promise<SdkHttpResponse>((resolve, reject) => {
      const opts = {
        origin,
        path,
        method: request.method as 'GET',
        headers: request.headers,
        body: request.body as string | Uint8Array | undefined,
      };
      agent.dispatch(opts, new Collect(resolve, reject, options.abortSignal as AbortSignal | undefined));
    });
    return { response };
  }

  updateHttpClientConfig(): void {}

  httpHandlerConfigs(): Record<string, never> {
    return {};
  }

  destroy(): void {
    void this.agent?.destroy().catch(() => {});
    this.agent = undefined;
  }
}
