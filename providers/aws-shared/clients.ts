/**
 * SDK client settings shared by every AWS client certwarden builds: one attempt, cached middleware (src/net/retry is
 * the one retry layer), undici for HTTP with the configured request timeout (./http.ts), and the
 * configured endpoint when there is one (otherwise the SDK's own AWS_ENDPOINT_URL /
 * AWS_ENDPOINT_URL_<SERVICE> still apply).
 */
import { VERSION } from '../../src/version.js';
import type { AwsHandle } from './handle.js';
import { UndiciHttpHandler } from './http.js';

// The v3 SDK warns on every client that Node 20 support ends; the warning is noise in a nightly
// job's log. Respect an explicit setting, else silence it before any client is built.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export interface ClientSettings {
  region: string;
  credentials: AwsHandle['credentials'];
  maxAttempts: 1;
  cacheMiddleware: true;
  endpoint?: string;
  requestHandler: UndiciHttpHandler;
}

export function clientSettings(
  h: Pick<AwsHandle, 'credentials' | 'endpoint' | 'timeoutMs'>,
  region: string,
): ClientSettings {
  return {
    region,
    credentials: h.credentials,
    maxAttempts: 1,
    // Resolve each command's middleware stack once per client, not on every call.
    cacheMiddleware: true,
    ...(h.endpoint ? { endpoint: h.endpoint } : {}),
    requestHandler: new UndiciHttpHandler({
      requestTimeout: h.timeoutMs,
      connectionTimeout: Math.min(h.timeoutMs, 10_000),
    }),
  };
}

/** Partition of a region name, and the region global APIs (STS, Organizations, Account) are called in. */
export function partitionOf(region: string | undefined): 'aws' | 'aws-cn' | 'aws-us-gov' {
  if (region?.startsWith('cn-')) return 'aws-cn';
  if (region?.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

export const HOME_REGION: Record<string, string> = {
  aws: 'us-east-1',
  'aws-cn': 'cn-north-1',
  'aws-us-gov': 'us-gov-west-1',
};

/** What a middleware here reads of its arguments: the HTTP request, once the build step made it. */
interface MiddlewareArgs {
  request?: { headers?: Record<string, string> };
}
type Handler = (args: MiddlewareArgs) => Promise<unknown>;

interface StackClient {
  middlewareStack: {
    remove(name: string): boolean;
    add(
      mw: (next: Handler) => Handler,
      opts: { step: string; name: string; priority: string; tags?: string[]; override: true },
    ): void;
  };
  config: { defaultUserAgentProvider: () => Promise<Array<[string, string?]>> };
}

/**
 * One user-agent section as the SDK writes it: `name/version` or, for a `prefix/name` pair,
 * `prefix/name#version` (`api/` names lower-cased), with anything but token characters as `-`.
 */
function uaSection([name, version]: [string, string?]): string {
  const clean = (s: string, keep: RegExp) => s.replace(keep, '-');
  const cut = name.indexOf('/');
  const prefix = cut < 0 ? '' : clean(name.slice(0, cut), /[^!$%&'*+\-.^_`|~\w]/g);
  let rest = clean(cut < 0 ? name : name.slice(cut + 1), /[^!$%&'*+\-.^_`|~\w/]/g);
  if (prefix === 'api') rest = rest.toLowerCase();
  const v = version && clean(version, /[^!$%&'*+\-.^_`|~\w#]/g);
  if (!prefix) return v ? `${rest}/${v}` : rest;
  return v ? `${prefix}/${rest}#${v}` : `${prefix}/${rest}`;
}

function readRegion(o: { region?: unknown }): unknown {
  return o.region;
}

/**
 * The SDK builds each client's config one resolver at a time, which leaves the object in V8's
 * slow dictionary mode, and its middleware then copies it on every call (`{ ...config, ...context }`
 * in serialisation, deserialisation and endpoint resolution) and reads it by key: a dictionary
 * copy costs about 8 µs where a fast object's costs about 1. An object that other objects are
 * read through as a prototype is turned back into a fast one by V8, once its inline caches are
 * warm (hence the repeated reads). Measured: 0.24 → 0.20 ms of client CPU per call. If a future
 * V8 stops doing this the cost is 32 property reads per client; test/providers/aws-lean.test.ts
 * notices.
 */
function fastProperties(config: object): void {
  const through = Object.create(config) as { region?: unknown };
  for (let i = 0; i < 32; i++) readRegion(through);
}

/**
 * Per-call work the SDK does that certwarden has no use for, about a fifth of each call's client
 * CPU (docs/benchmarks.md):
 * - the SDK's retry middleware: src/net/retry is the one retry layer and the SDK makes a single
 *   attempt, yet its middleware still takes a retry token and decorates every request;
 * - the user agent, which the SDK rebuilds and re-escapes on every call: built once per client
 *   here, from the same parts, with `certwarden/<version>` appended so the organisation can tell
 *   certwarden's calls apart in CloudTrail;
 * - the copies and keyed reads of a config object V8 keeps in dictionary mode (fastProperties).
 */
export function lean<C extends { middlewareStack: object; config: object }>(sdkClient: C): C {
  // The SDK's stack types are per client; these two operations are all that is used of them.
  const client = sdkClient as unknown as StackClient;
  // Replaced, not removed: the signing middleware is placed relative to it.
  client.middlewareStack.add((next) => next, {
    step: 'finalizeRequest',
    name: 'retryMiddleware',
    priority: 'high',
    tags: ['RETRY'],
    override: true,
  });
  if (client.middlewareStack.remove('getUserAgentMiddleware')) {
    let headers: Promise<{ ua: string; amz: string }> | undefined;
    const build = async () => {
      const parts = (await client.config.defaultUserAgentProvider()).map(uaSection);
      const own = `certwarden/${VERSION}`;
      return { ua: [...parts, own].join(' '), amz: [...parts.filter((p) => p.startsWith('aws-sdk-')), own].join(' ') };
    };
    client.middlewareStack.add(
      (next) => async (args) => {
        const h = await (headers ??= build());
        if (args.request?.headers)
          Object.assign(args.request.headers, { 'user-agent': h.ua, 'x-amz-user-agent': h.amz });
        return next(args);
      },
      { step: 'build', name: 'certwardenUserAgent', priority: 'low', override: true },
    );
  }
  fastProperties(client.config);
  return sdkClient;
}
