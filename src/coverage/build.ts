import type { ScopeResult } from '../model/types.js';
import { coverageKey, type Coverage, type CoverageEntry, type CoverageSummary } from '../model/coverage.js';

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const RANK = { failed: 2, skipped: 1, audited: 0 } as const;

/**
 * Resource Manager's answers for a subscription the credential has no role on: 403
 * AuthorizationFailed, or 404 SubscriptionNotFound for one it cannot see at all
 * (https://learn.microsoft.com/en-us/azure/azure-resource-manager/troubleshooting/error-not-found).
 */
const NOT_VISIBLE = new Set(['AuthorizationFailed', 'SubscriptionNotFound']);

/** Which scope results were collected under an entry: an account's or subscription's, a region's, a vault's. */
function under(e: CoverageEntry, s: ScopeResult): boolean {
  if (e.kind === 'account' || e.kind === 'subscription') return s.account === e.id;
  if (e.kind === 'region') return s.account === e.account && s.location === e.id;
  if (e.kind === 'vault') return s.provider === 'azure-keyvault' && s.account === e.account && s.location === e.id;
  return false;
}

/**
 * Tonight's coverage: every entry discovery reported (once, however many providers or threads
 * reported it), with the scopes collected under it. An entry discovery meant to audit whose every
 * scope failed is `failed`, with the first scope's error: nothing of it was read.
 */
export function buildCoverage(discovered: CoverageEntry[], scopes: ScopeResult[]): Coverage {
  const byKey = new Map<string, CoverageEntry>();
  for (const e of discovered) {
    const key = coverageKey(e);
    const had = byKey.get(key);
    // Two providers may report the same subscription; the worse outcome is the true one.
    if (!had || RANK[e.outcome] > RANK[had.outcome]) byKey.set(key, e);
  }
  const entries = [...byKey.values()]
    .map((e): CoverageEntry => {
      if (e.outcome === 'skipped' || e.kind === 'service') return e;
      const mine = scopes.filter((s) => under(e, s));
      if (!mine.length) return e;
      const list = mine
        .map((s) => ({ provider: s.provider, location: s.location, status: s.status }))
        .sort((a, b) => cmp(a.provider, b.provider) || cmp(a.location, b.location));
      const allFailed = e.outcome === 'audited' && mine.every((s) => s.status === 'failed');
      const error = allFailed ? mine.find((s) => s.error)?.error : e.error;
      const hidden = allFailed && e.kind === 'subscription' && NOT_VISIBLE.has(error?.code ?? '');
      return {
        ...e,
        outcome: allFailed ? 'failed' : e.outcome,
        ...(hidden ? { reason: 'not-visible' as const } : {}),
        ...(error ? { error } : {}),
        scopes: list,
      };
    })
    .sort(
      (a, b) =>
        cmp(a.cloud, b.cloud) || cmp(a.kind, b.kind) || cmp(a.account ?? '', b.account ?? '') || cmp(a.id, b.id),
    );
  return { entries, summary: summarize(entries) };
}

export function summarize(entries: CoverageEntry[]): CoverageSummary {
  const out: CoverageSummary = {};
  for (const e of entries) {
    const s = (out[e.kind] ??= { found: 0, audited: 0, failed: 0, skipped: {} });
    s.found++;
    if (e.outcome === 'audited') s.audited++;
    else if (e.outcome === 'failed') s.failed++;
    else s.skipped[e.reason ?? 'unknown'] = (s.skipped[e.reason ?? 'unknown'] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => cmp(a, b)));
}
