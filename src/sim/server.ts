import { createServer, type IncomingMessage, type ServerResponse, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TokenBucket } from 'limiter';
import type {
  CallRecord,
  FaultKind,
  FaultRule,
  SimOptions,
  SimRequest,
  SimResponse,
  SimService,
  SimCall,
} from './types.js';

export interface SimServer {
  /** `http://127.0.0.1:PORT` */
  url: string;
  port: number;
  /** Every request served, in order. */
  calls: CallRecord[];
  options: SimOptions;
  /** Replace faults, limits and latency between runs (buckets and fault counters restart). */
  configure(options: SimOptions): void;
  close(): Promise<void>;
  /** Test seam: the server's clock for services (certificate validity is seeded against it). */
  now: () => Date;
}

/** Small deterministic PRNG so a seeded fault run can be replayed exactly. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The request's URL and body as text, percent-decoded where they decode (a query API's form body). */
function named(req: SimRequest): string {
  const text = `${req.url.href} ${req.body.toString('utf8')}`;
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

function matches(rule: FaultRule, call: SimCall, req: SimRequest): boolean {
  if (rule.service && rule.service !== call.service) return false;
  if (rule.naming && !named(req).includes(rule.naming)) return false;
  if (rule.action && rule.action !== call.action) return false;
  if (rule.scope) {
    if (rule.scope.endsWith('*') ? !call.scope.startsWith(rule.scope.slice(0, -1)) : rule.scope !== call.scope)
      return false;
  }
  return true;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export async function startSimServer(
  services: SimService[],
  options: SimOptions = {},
  opts: { port?: number; host?: string; now?: () => Date } = {},
): Promise<SimServer> {
  let state = fresh(options);
  const calls: CallRecord[] = [];
  const now = opts.now ?? (() => new Date());

  function fresh(o: SimOptions) {
    return {
      options: o,
      buckets: new Map<string, TokenBucket>(),
      seen: new Map<FaultRule, number>(),
      fired: new Map<FaultRule, number>(),
      rand: mulberry32(o.seed ?? 1),
    };
  }

  function pickFault(call: SimCall, req: SimRequest): FaultRule | undefined {
    for (const rule of state.options.faults ?? []) {
      if (!matches(rule, call, req)) continue;
      const seen = (state.seen.get(rule) ?? 0) + 1;
      state.seen.set(rule, seen);
      if (seen <= (rule.after ?? 0)) continue;
      if ((state.fired.get(rule) ?? 0) >= (rule.count ?? Infinity)) continue;
      if (state.rand() >= (rule.rate ?? 1)) continue;
      state.fired.set(rule, (state.fired.get(rule) ?? 0) + 1);
      return rule;
    }
    return undefined;
  }

  function overLimit(service: SimService, call: SimCall): boolean {
    const configured = state.options.rateLimits;
    if (!configured) return false;
    const key = service.limitKey?.(call) ?? call.action;
    const limit =
      configured === true ? service.rateLimits?.[key] : (configured[`${service.name}:${key}`] ?? configured[key]);
    if (!limit) return false;
    const id = `${service.name}\u0000${call.scope}\u0000${key}`;
    let bucket = state.buckets.get(id);
    if (!bucket) {
      bucket = new TokenBucket({
        bucketSize: limit.burst ?? Math.max(1, Math.ceil(limit.perSecond)),
        tokensPerInterval: limit.perSecond,
        interval: 1000,
      });
      bucket.content = bucket.bucketSize; // limiter starts empty; a service's bucket starts full
      state.buckets.set(id, bucket);
    }
    return !bucket.tryRemoveTokens(1);
  }

  async function serve(
    sreq: SimRequest,
  ): Promise<{ res?: SimResponse; call?: SimCall; fault?: FaultKind; drop?: boolean; delay: number }> {
    const lat = state.options.latency;
    let delay = lat ? lat.fixedMs + (lat.jitterMs ?? 0) * state.rand() : 0;
    let service: SimService | undefined;
    let call: SimCall | undefined;
    for (const s of services) {
      call = s.identify(sreq);
      if (call) {
        service = s;
        break;
      }
    }
    if (!service || !call) return { res: { status: 404, body: 'no simulated service serves this request' }, delay };
    const denied = call.anonymous ? null : service.authenticate(sreq, call);
    if (denied) return { res: denied, call, delay };
    const allow = state.options.allowPermissions;
    if (allow && !call.anonymous && !allow.includes(call.permission))
      return { res: service.error('denied', call), call, fault: 'denied', delay };
    if (overLimit(service, call)) return { res: service.error('throttle', call), call, fault: 'throttle', delay };
    const fault = pickFault(call, sreq);
    switch (fault?.kind) {
      case 'throttle':
      case 'server-error':
      case 'denied':
      case 'expired-token':
        return { res: service.error(fault.kind, call), call, fault: fault.kind, delay };
      case 'drop':
        return { call, fault: 'drop', drop: true, delay };
      case 'slow':
        delay += fault.delayMs ?? 60000;
        break;
    }
    const res = await service.handle(sreq, call, { fault: fault?.kind, linkHost: fault?.host, now: now() });
    if (fault?.kind === 'malformed') res.body = service.malformedBody ?? '{"broken": ';
    if (fault?.kind === 'truncate' && res.body)
      res.body = Buffer.from(res.body).subarray(0, Math.floor(Buffer.byteLength(res.body) / 2));
    return { res, call, fault: fault?.kind, delay };
  }

  async function onRequest(req: IncomingMessage, res: ServerResponse) {
    try {
      const body = await readBody(req);
      const host = req.headers.host ?? '127.0.0.1';
      let url: URL | undefined;
      const sreq: SimRequest = {
        method: req.method ?? 'GET',
        // Parsed when a service asks: the AWS ones route on headers alone.
        get url() {
          return (url ??= new URL(req.url ?? '/', `http://${host}`));
        },
        host: host.replace(/:\d+$/, ''),
        headers: req.headers,
        body,
      };
      const out = await serve(sreq);
      if (out.call)
        calls.push({ ...out.call, status: out.drop ? 0 : (out.res?.status ?? 0), fault: out.fault, at: Date.now() });
      // Whole milliseconds: Node keeps one timer list per distinct duration, and a random
      // fraction would make one per request.
      if (out.delay > 0) await new Promise((r) => setTimeout(r, Math.round(out.delay)));
      if (out.drop || !out.res) {
        req.socket.destroy();
        return;
      }
      const payload = out.res.body ?? '';
      res.writeHead(out.res.status, { 'content-length': String(Buffer.byteLength(payload)), ...out.res.headers });
      res.end(payload);
    } catch (err) {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`simulator error: ${(err as Error).message}`);
    }
  }

  const server: Server = createServer((req, res) => void onRequest(req, res));
  server.keepAliveTimeout = 30000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // A large accept backlog: a run opening thousands of connections at once (the benchmark)
    // would otherwise see dropped SYNs and connect timeouts that no real endpoint causes.
    server.listen({ port: opts.port ?? 0, host: opts.host ?? '127.0.0.1', backlog: 8192 }, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    calls,
    get options() {
      return state.options;
    },
    configure(o: SimOptions) {
      state = fresh(o);
    },
    now,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
