/**
 * What AWS discovery found, as coverage entries (src/model/coverage.ts): each account of the
 * Organization or the config with why it is or is not audited, each region with its opt-in
 * status, and each AWS service the config turns off.
 */
import type { AwsConfig } from '../../src/config/schema.js';
import type { CoverageEntry, CoverageSource, SkipReason } from '../../src/model/coverage.js';
import type { ScopeError } from '../../src/model/types.js';

/**
 * Organizations `Account.State` (and the deprecated `Status` it supersedes): only ACTIVE accounts
 * are usable. SUSPENDED accounts are closed or suspended by AWS and cannot be signed in to;
 * PENDING_CLOSURE ones are being closed; PENDING_ACTIVATION ones never finished sign-up
 * (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_accounts_account_state.html,
 * https://docs.aws.amazon.com/organizations/latest/APIReference/API_Account.html).
 */
export function stateReason(state: string | undefined): SkipReason | undefined {
  if (state === 'ACTIVE') return undefined;
  if (state === 'SUSPENDED') return 'suspended';
  if (state === 'PENDING_CLOSURE') return 'pending-closure';
  return 'not-active';
}

export function accountEntry(
  id: string,
  source: CoverageSource,
  outcome: { error?: ScopeError; reason?: SkipReason; detail?: string; name?: string } = {},
): CoverageEntry {
  const { error, reason, detail, name } = outcome;
  return {
    cloud: 'aws',
    kind: 'account',
    id,
    ...(name && name !== id ? { name } : {}),
    source,
    outcome: error ? 'failed' : reason ? 'skipped' : 'audited',
    ...(reason ? { reason } : {}),
    ...(detail ? { detail } : {}),
    ...(error ? { error } : {}),
  };
}

/** Opt-in statuses a region can be read in (API_ListRegions: ENABLED, ENABLED_BY_DEFAULT; not ENABLING, DISABLING, DISABLED). */
export const USABLE = new Set(['ENABLED', 'ENABLED_BY_DEFAULT']);

export interface RegionStatus {
  name: string;
  status: string;
}

/**
 * Which regions of an account to visit, and an entry for every region either side knows of:
 * `wanted` is the config's list (or `all`), `listed` what ListRegions said (undefined when it
 * could not be asked: the configured regions are visited as before).
 */
export function classifyRegions(
  account: string,
  wanted: string[],
  listed: RegionStatus[] | undefined,
): { visit: string[]; entries: CoverageEntry[] } {
  const all = wanted.includes('all');
  const entry = (id: string, source: CoverageSource, reason?: SkipReason, detail?: string): CoverageEntry => ({
    cloud: 'aws',
    kind: 'region',
    id,
    account,
    source,
    outcome: reason ? 'skipped' : 'audited',
    ...(reason ? { reason } : {}),
    ...(detail ? { detail } : {}),
  });
  if (!listed) {
    const visit = all ? [] : [...new Set(wanted)].sort();
    return { visit, entries: visit.map((r) => entry(r, 'config')) };
  }
  const status = new Map(listed.map((r) => [r.name, r.status]));
  const names = [...new Set([...status.keys(), ...(all ? [] : wanted)])].sort();
  const visit: string[] = [];
  const entries = names.map((r) => {
    const s = status.get(r);
    const source: CoverageSource = all ? 'regions-all' : wanted.includes(r) ? 'config' : 'list-regions';
    if (!s || !USABLE.has(s)) return entry(r, source, 'region-not-enabled', `RegionOptStatus ${s ?? 'not listed'}`);
    if (!all && !wanted.includes(r)) return entry(r, source, 'region-not-configured', 'providers.aws.regions');
    visit.push(r);
    return entry(r, source);
  });
  return { visit, entries };
}

const SERVICES: Record<keyof AwsConfig['services'], string> = { acm: 'aws-acm', elbv2: 'aws-elbv2', iam: 'aws-iam' };

/** One entry per AWS service of the config: audited, or turned off (`providers.aws.services.<name>: false`). */
export function serviceEntries(cfg: AwsConfig): CoverageEntry[] {
  return Object.entries(SERVICES).map(([key, provider]) => {
    const on = cfg.services[key as keyof AwsConfig['services']];
    return {
      cloud: 'aws',
      kind: 'service',
      id: provider,
      account: '*',
      source: 'config',
      outcome: on ? 'audited' : 'skipped',
      ...(on ? {} : { reason: 'service-disabled' as const, detail: `providers.aws.services.${key}` }),
    };
  });
}
