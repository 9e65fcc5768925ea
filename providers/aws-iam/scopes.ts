/**
 * IAM is global: one scope per audited account (location `global`), not one per region. The
 * accounts and their credentials come from the discovery every AWS provider shares; the client
 * signs for the partition's home region.
 */
import { scopeHandle, type Scope, type ScopeContext } from '../../src/engine/api/provider.js';
import { RateLimits, type RateLimit } from '../../src/net/limit.js';
import { awsScopes } from '../aws-shared/scopes.js';
import { HOME_REGION } from '../aws-shared/clients.js';
import type { AwsHandle } from '../aws-shared/handle.js';
import { IAM_API } from './fetch.js';

/**
 * AWS publishes no figure for IAM's read APIs: they are token buckets per account shared with
 * every other caller of IAM in that account (the console, other tools), and the limit cannot be
 * raised (AWS re:Post "resolve API throttling or Rate exceeded errors for IAM and AWS STS").
 * The advice is to spread calls out and back off, so certwarden keeps to a modest pace of its
 * own, per account, and retries Throttling with backoff.
 */
export const IAM_RATE_LIMITS: Record<string, RateLimit> = { [IAM_API]: { perSecond: 5, burst: 5 } };

/** One set of IAM buckets per run, keyed by the run's shared AWS limits. */
const runs = new WeakMap<RateLimits, RateLimits>();

function iamLimits(shared: RateLimits): RateLimits {
  let l = runs.get(shared);
  if (!l) runs.set(shared, (l = new RateLimits(IAM_RATE_LIMITS)));
  return l;
}

export async function* iamScopes(provider: string, ctx: ScopeContext): AsyncGenerator<Scope<AwsHandle>> {
  const seen = new Set<string>();
  for await (const s of awsScopes(provider, ctx)) {
    if (seen.has(s.account)) continue;
    seen.add(s.account);
    if (s.error) {
      yield { ...s, location: 'global' };
      continue;
    }
    const h = scopeHandle(s);
    const handle: AwsHandle = { ...h, region: HOME_REGION[h.partition] ?? 'us-east-1', limits: iamLimits(h.limits) };
    yield { provider, account: s.account, location: 'global', handle };
  }
}
