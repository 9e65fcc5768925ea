/**
 * Wire-level pieces every simulated AWS service shares: reading the SigV4 Authorization header,
 * the JSON 1.1 and Query/XML response and error shapes, and opaque paging tokens.
 */
import type { SimRequest, SimResponse, SimService } from '../types.js';

export interface SigV4 {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
}

const AUTH =
  /^AWS4-HMAC-SHA256 Credential=([^/\s,]+)\/(\d{8})\/([^/\s,]+)\/([^/\s,]+)\/aws4_request,\s*SignedHeaders=[^,\s]+,\s*Signature=[0-9a-f]{64}$/;

/**
 * Each request's parse, since routing, authentication and the service all ask for it. Kept on the
 * request itself: a WeakMap of every request would cost the garbage collector more than the
 * parse it saves.
 */
const PARSED = Symbol('sigv4');
type Parsed = SigV4 | 'missing' | 'malformed';

/** `missing` without a header, `malformed` when it is not a SigV4 header, else its credential scope. */
export function readSigV4(req: SimRequest): Parsed {
  const holder = req as SimRequest & { [PARSED]?: Parsed };
  let sig = holder[PARSED];
  if (sig === undefined) {
    const h = req.headers.authorization;
    const m = h ? AUTH.exec(Array.isArray(h) ? String(h[0]) : h) : null;
    sig = !h ? 'missing' : !m ? 'malformed' : { accessKeyId: m[1], date: m[2], region: m[3], service: m[4] };
    holder[PARSED] = sig;
  }
  return sig;
}

export function header(req: SimRequest, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

let counter = 0;
/** A 32-bit integer hash (lowbias32): spreads consecutive counters over the whole range. */
function mix(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}
const hex = (n: number, width: number) =>
  n
    .toString(16)
    .padStart(8, '0')
    .slice(8 - width);
/** A request id in the shape AWS uses (a UUID); deterministic per process order, never random. */
export function requestId(): string {
  const n = ++counter;
  const [a, b, c, d] = [mix(n), mix(n ^ 0x5bd1e995), mix(n + 0x27d4eb2f), mix(n ^ 0x165667b1)];
  return `${hex(a, 8)}-${hex(b, 4)}-4${hex(b >>> 16, 3)}-a${hex(c, 3)}-${hex(c >>> 12, 4)}${hex(d, 8)}`;
}

// ---- JSON 1.1 (ACM, Organizations) ----

export function jsonOk(body: unknown): SimResponse {
  return jsonText(JSON.stringify(body));
}

/** A 200 whose JSON body is already serialised. */
export function jsonText(text: string | Buffer): SimResponse {
  return {
    status: 200,
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': requestId() },
    body: text,
  };
}

/** JSON 1.1 error: the SDK reads `__type`; AWS answers modelled errors with HTTP 400. */
export function jsonError(type: string, message: string, status = 400): SimResponse {
  return {
    status,
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': requestId() },
    body: JSON.stringify({ __type: type, message }),
  };
}

/**
 * A JSON 1.1 service's fault answers: its own throttling and internal-error codes, and the
 * AccessDeniedException and ExpiredTokenException that ACM and the tagging API share.
 */
export function jsonFaults(throttle: string, serverError: { code: string; message: string }): SimService['error'] {
  return (kind, call) => {
    switch (kind) {
      case 'throttle':
        return jsonError(throttle, 'Rate exceeded');
      case 'server-error':
        return jsonError(serverError.code, serverError.message, 500);
      case 'denied':
        return jsonError(
          'AccessDeniedException',
          `User is not authorized to perform: ${call.permission} because no identity-based policy allows the ${call.permission} action`,
        );
      case 'expired-token':
        return jsonError('ExpiredTokenException', 'The security token included in the request is expired');
    }
  };
}

/**
 * A JSON request body as the object the operation's input names (`T`, the wire shape of the API
 * reference); undefined when it is not a JSON object. Handlers check the values they rely on.
 */
export function parseJson<T extends object = Record<string, unknown>>(req: SimRequest): T | undefined {
  try {
    const v: unknown = JSON.parse(req.body.length ? req.body.toString('utf8') : '{}');
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as T) : undefined;
  } catch {
    return undefined;
  }
}

/** Timestamps in JSON 1.1 are epoch seconds. */
export const epoch = (d: Date | undefined) => (d ? d.getTime() / 1000 : undefined);

// ---- Query protocol (ELBv2, STS) ----

export function parseForm(req: SimRequest): URLSearchParams {
  return new URLSearchParams(req.body.toString('utf8'));
}

/** `Names.member.1=a&Names.member.2=b` -> ['a', 'b']. */
export function memberList(form: URLSearchParams, name: string): string[] {
  const out: string[] = [];
  for (let i = 1; form.has(`${name}.member.${i}`); i++) out.push(form.get(`${name}.member.${i}`)!);
  return out;
}

export function xmlEscape(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** Renders a value as XML elements: arrays become `<member>` lists, objects nest, undefined is left out. */
export function xml(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map((v) => `<member>${xml(v)}</member>`).join('');
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined && v !== null)
      .map(([k, v]) => `<${k}>${xml(v)}</${k}>`)
      .join('');
  }
  // What is left of a JSON-like answer: a string, number or boolean; nothing else is rendered.
  const scalar =
    typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint';
  return scalar ? xmlEscape(String(value)) : '';
}

/** `<{Action}Response xmlns=..><{Action}Result>..</{Action}Result><ResponseMetadata>..` */
export function queryOk(action: string, namespace: string, result: Record<string, unknown>): SimResponse {
  const id = requestId();
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${namespace}"><${action}Result>${xml(result)}</${action}Result><ResponseMetadata><RequestId>${id}</RequestId></ResponseMetadata></${action}Response>`;
  return { status: 200, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': id }, body };
}

export function queryError(code: string, message: string, status = 400, namespace?: string): SimResponse {
  const id = requestId();
  const type = status >= 500 ? 'Receiver' : 'Sender';
  const ns = namespace ? ` xmlns="${namespace}"` : '';
  const body = `<ErrorResponse${ns}><Error><Type>${type}</Type><Code>${xmlEscape(code)}</Code><Message>${xmlEscape(message)}</Message></Error><RequestId>${id}</RequestId></ErrorResponse>`;
  return { status, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': id }, body };
}

// ---- paging ----

/** Opaque next-page tokens: base64 of the offset and a per-listing salt, so a foreign token is refused. */
export function pageToken(offset: number, salt: string): string {
  return Buffer.from(JSON.stringify({ o: offset, s: salt })).toString('base64');
}

export function readPageToken(token: string | undefined, salt: string): number | undefined | 'invalid' {
  if (token === undefined || token === '') return undefined;
  try {
    const v = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { o?: unknown; s?: unknown };
    return typeof v.o === 'number' && v.s === salt && v.o >= 0 ? v.o : 'invalid';
  } catch {
    return 'invalid';
  }
}

export interface Page<T> {
  items: T[];
  next?: string;
}

/**
 * One page of `all`, honouring the paging faults: `loop-paging` hands back the token it was given
 * (or the first page's own token), `endless-paging` always promises another page.
 */
export function paginate<T>(
  all: T[],
  offset: number,
  size: number,
  salt: string,
  token: string | undefined,
  fault?: string,
): Page<T> {
  const items = all.slice(offset, offset + size);
  let next = offset + size < all.length ? pageToken(offset + size, salt) : undefined;
  if (fault === 'loop-paging') next = token || pageToken(0, salt);
  if (fault === 'endless-paging') next = pageToken(offset + size, salt);
  return { items, next };
}
