/**
 * The lower bound a run's wall time has, from the services' rate limits and latency alone.
 *
 * For each scope s (an ACM or ELBv2 account/region, a vault) and each rate-limited API a in it,
 * n calls through a bucket of `burst` b refilled at r per second cannot end before
 * (n - b) / r seconds after the scope's first call reaches it; that first call waits for
 * `pre` round trips (credentials, the first list page) and the last call's answer takes one more.
 * Round trips that must follow each other (list pages) give a second floor. So
 *
 *   T(s) = max( L * (pre(s) + 1) + max_a max(0, n(s,a) - b(a)) / r(a),  L * chain(s) )
 *
 * with L the minimum latency, pre(s) = 1 + 1 and chain(s) = 1 + pages(s) + 1 (the discovery
 * call, the list pages, the last detail). Scopes run side by side, at most C at once:
 *
 *   bound = max( max_s T(s),  sum_s T(s) / C )
 */
import type { CallRecord, SimService } from '../src/sim/types.js';
import type { RateLimit } from '../src/net/limit.js';
import { acmService } from '../src/sim/aws/acm.js';
import { elbv2Service } from '../src/sim/aws/elbv2.js';
import { taggingService } from '../src/sim/aws/tagging.js';
import { keyVaultService } from '../src/sim/azure/keyvault.js';
import type { AwsWorld } from '../src/sim/aws/world.js';
import type { AzureWorld } from '../src/sim/azure/types.js';

/** The simulator's own services, for their published limits and bucket keys. */
const SERVICES: SimService[] = [
  acmService({} as AwsWorld),
  elbv2Service({} as AwsWorld),
  taggingService({} as AwsWorld),
  keyVaultService({ keyVaultSuffix: 'vault.azure.net', tenant: '-' } as AzureWorld),
];
/** Listing calls: their pages follow one another. */
const LISTS = new Set(['ListCertificates', 'DescribeLoadBalancers', 'GetCertificates', 'GetResources']);

export interface ScopeBound {
  scope: string;
  seconds: number;
  /** The API that sets the pace, with its calls. */
  busiest?: { api: string; calls: number; limit: RateLimit };
}

export interface Bound {
  seconds: number;
  slowest?: ScopeBound;
  scopes: number;
}

function limitOf(service: SimService, action: string): { key: string; limit: RateLimit } | undefined {
  const key = service.limitKey?.({ service: service.name, action, scope: '', permission: '' }) ?? action;
  const limit = service.rateLimits?.[key];
  return limit ? { key, limit } : undefined;
}

export function lowerBound(calls: CallRecord[], latency: { fixedMs: number }, concurrency: number): Bound {
  const L = latency.fixedMs / 1000;
  const scopes = new Map<string, { service: SimService; perKey: Map<string, number>; pages: number }>();
  for (const c of calls) {
    if (c.fault) continue; // answered throttles are the client's doing, not the work's
    const service = SERVICES.find((s) => s.name === c.service);
    if (!service) continue;
    const id = `${c.service} ${c.scope}`;
    let s = scopes.get(id);
    if (!s) scopes.set(id, (s = { service, perKey: new Map(), pages: 0 }));
    if (LISTS.has(c.action)) s.pages++;
    const l = limitOf(service, c.action);
    if (l) s.perKey.set(l.key, (s.perKey.get(l.key) ?? 0) + 1);
  }
  const bounds: ScopeBound[] = [];
  for (const [scope, s] of scopes) {
    let pace = 0;
    let busiest: ScopeBound['busiest'];
    for (const [key, n] of s.perKey) {
      const limit = s.service.rateLimits![key];
      const t = Math.max(0, n - (limit.burst ?? limit.perSecond)) / limit.perSecond;
      if (t >= pace) [pace, busiest] = [t, { api: key, calls: n, limit }];
    }
    const seconds = Math.max(L * 3 + pace, L * (2 + s.pages));
    bounds.push({ scope, seconds, busiest });
  }
  const slowest = bounds.reduce<ScopeBound | undefined>((a, b) => (!a || b.seconds > a.seconds ? b : a), undefined);
  const total = bounds.reduce((a, b) => a + b.seconds, 0);
  return { seconds: Math.max(slowest?.seconds ?? 0, total / Math.max(1, concurrency)), slowest, scopes: bounds.length };
}
