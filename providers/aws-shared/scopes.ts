/**
 * One scope per (provider, account, region). Discovery (credentials, roles, Organizations,
 * regions) runs once per configuration and is shared by every AWS provider of the run, as are
 * the client-side rate limits.
 */
import type { AwsConfig } from '../../src/config/schema.js';
import type { Scope, ScopeContext } from '../../src/engine/api/provider.js';
import { RateLimits, type RateLimit } from '../../src/net/limit.js';
import { HOME_REGION, partitionOf } from './clients.js';
import { discoverTargets, type AwsTarget } from './discovery.js';
import type { AwsHandle } from './handle.js';

/**
 * Published per-account, per-region limits of the APIs certwarden calls (ACM quotas: 8/s
 * ListCertificates, 10/s the others; ELBv2: Describe* share one bucket of 40 refilled at 10/s;
 * none published for tag:GetResources).
 * Our buckets refill at the published rate but hold half the burst: the service's bucket starts
 * counting when our first request reaches it, so uneven latency would otherwise let a burst
 * arrive closer together than we sent it and be throttled.
 */
export const AWS_RATE_LIMITS: Record<string, RateLimit> = {
  ListCertificates: { perSecond: 8, burst: 4 },
  DescribeCertificate: { perSecond: 10, burst: 5 },
  GetCertificate: { perSecond: 10, burst: 5 },
  // The Resource Groups Tagging API publishes no rate for GetResources: a conservative 5/s.
  'tag:GetResources': { perSecond: 5, burst: 2 },
  'elbv2:Describe': { perSecond: 10, burst: 20 },
};

interface Discovery {
  targets: Promise<AwsTarget[]>;
  base: Omit<AwsHandle, 'account' | 'region' | 'credentials'>;
}

const runs = new WeakMap<AwsConfig, Discovery>();

function discovery(cfg: AwsConfig, ctx: ScopeContext): Discovery {
  let d = runs.get(cfg);
  if (!d) {
    const first = cfg.regions.find((r) => r !== 'all');
    const partition = cfg.partition ?? partitionOf(first);
    const base = {
      partition,
      endpoint: cfg.endpoint,
      timeoutMs: cfg.timeoutMs,
      retry: {
        attempts: cfg.maxAttempts,
        minDelayMs: cfg.retryDelayMs,
        maxDelayMs: Math.max(cfg.retryDelayMs, 20_000),
      },
      limits: new RateLimits(AWS_RATE_LIMITS),
      maxPages: cfg.maxPages,
    };
    const homeRegion = first && partitionOf(first) === partition ? first : HOME_REGION[partition];
    d = { base, targets: discoverTargets(cfg, { ...base, homeRegion, signal: ctx.signal }) };
    runs.set(cfg, d);
  }
  return d;
}

export async function* awsScopes(provider: string, ctx: ScopeContext): AsyncGenerator<Scope<AwsHandle>> {
  const cfg = ctx.config.providers.aws;
  if (!cfg) return;
  const d = discovery(cfg, ctx);
  for (const t of await d.targets) {
    for (const region of t.regions) {
      const handle: AwsHandle = { ...d.base, account: t.account, region, credentials: t.credentials };
      yield t.error
        ? { provider, account: t.account, location: region, error: t.error }
        : { provider, account: t.account, location: region, handle };
    }
  }
}
