import type { ResourceRef, ScopeResult } from '../model/types.js';
import type { Binders } from '../engine/link.js';

/**
 * Whether tonight's run looked at the place a finding lives closely enough that its absence
 * means "fixed". A finding is only resolved when
 *  - the rule that raised it ran tonight (enabled, and did not fail), and
 *  - its resource's own scope (provider, account, location) completed, and
 *  - no scope that feeds its evidence failed in that account: the binding providers that can serve
 *    a certificate, or the certificate providers a binding points into (an expired certificate
 *    looks "unbound" when the load balancer scope failed, and its severity would drop for nothing).
 * Otherwise the finding is carried: its absence proves nothing.
 */
export function coverage(scopes: ScopeResult[], rulesRan: Set<string>, binders: Binders): (f: { ruleId: string; resource: ResourceRef }) => boolean {
  const ok = new Set(scopes.filter((s) => s.status === 'ok').map((s) => key(s.provider, s.account, s.location)));
  const notOk = scopes.filter((s) => s.status !== 'ok');
  const evidence = (p: string) => new Set([p, ...(binders[p] ?? []), ...Object.keys(binders).filter((q) => binders[q].includes(p))]);
  return (f) => {
    // A rule-error finding is about the rule itself: gone tonight means the rule ran.
    if (f.ruleId === 'rule-error') return true;
    if (!rulesRan.has(f.ruleId)) return false;
    const { provider, account, location } = f.resource;
    if (!ok.has(key(provider, account, location))) return false;
    const feeds = evidence(provider);
    return !notOk.some((s) => {
      if (!feeds.has(s.provider) || (s.account !== account && s.account !== '*')) return false;
      return s.provider !== provider || s.location === location || s.location === '*';
    });
  };
}

function key(provider: string, account: string, location: string): string {
  return `${provider}\u0000${account}\u0000${location}`;
}

/** Rules that ran tonight: enabled ones, less those that threw (their findings are missing, not fixed). */
export function rulesThatRan(active: string[], findings: { ruleId: string; resource: ResourceRef }[]): Set<string> {
  const ran = new Set(active);
  for (const f of findings) if (f.ruleId === 'rule-error' && f.resource.kind === 'rule') ran.delete(f.resource.name);
  return ran;
}
