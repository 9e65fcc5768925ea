import type { CoverageSummary } from '../model/coverage.js';

const PLURAL: Record<string, string> = {
  account: 'accounts',
  region: 'regions',
  subscription: 'subscriptions',
  vault: 'vaults',
  service: 'services',
};

const REASON: Record<string, string> = {
  suspended: 'suspended',
  'pending-closure': 'pending closure',
  'not-active': 'not active',
  excluded: 'excluded',
  'not-included': 'not included',
  'region-not-enabled': 'not enabled',
  'region-not-configured': 'not in config',
  'service-disabled': 'disabled in config',
  'subscription-disabled': 'disabled',
  'not-visible': 'not visible',
};

/** One kind at a glance: `48 of 52 accounts audited: 2 suspended, 1 excluded, 1 failed`. */
export function coverageLine(kind: string, s: CoverageSummary[string]): string {
  const parts = [
    ...Object.entries(s.skipped).map(([reason, n]) => `${n} ${REASON[reason] ?? reason}`),
    ...(s.failed ? [`${s.failed} failed`] : []),
  ];
  return `${s.audited} of ${s.found} ${PLURAL[kind] ?? kind} audited${parts.length ? `: ${parts.join(', ')}` : ''}`;
}

/** Every kind, one line each (kinds sorted, as the summary holds them). */
export function coverageLines(summary: CoverageSummary): string[] {
  return Object.entries(summary).map(([kind, s]) => coverageLine(kind, s));
}
