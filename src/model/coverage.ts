import type { ScopeError, ScopeStatus } from './types.js';

/** What discovery can find: an AWS account or region, an Azure subscription or vault, a service of the config. */
export type CoverageKind = 'account' | 'region' | 'subscription' | 'vault' | 'service';

export type CoverageOutcome = 'audited' | 'skipped' | 'failed';

/** Why something discovery found was not audited. */
export type SkipReason =
  | 'suspended'
  | 'pending-closure'
  | 'not-active'
  | 'excluded'
  | 'not-included'
  | 'region-not-enabled'
  | 'region-not-configured'
  | 'service-disabled'
  | 'subscription-disabled'
  | 'not-visible';

/** Where discovery learnt of it. */
export type CoverageSource =
  'organizations' | 'caller' | 'config' | 'regions-all' | 'list-regions' | 'list-subscriptions' | 'list-vaults';

export interface CoverageEntry {
  cloud: 'aws' | 'azure';
  kind: CoverageKind;
  /** The account or subscription id, the region or vault name, or the provider id of a service. */
  id: string;
  /** The account or subscription a region, vault or service belongs to; `*` for all of them. */
  account?: string;
  /** A display name the cloud gave (an account's or subscription's name): untrusted text. */
  name?: string;
  source: CoverageSource;
  outcome: CoverageOutcome;
  reason?: SkipReason;
  /** What the cloud or config said, e.g. `State SUSPENDED` or `providers.aws.organization.exclude`. */
  detail?: string;
  error?: ScopeError;
  /** For an audited or failed entry: the status of each scope collected under it. */
  scopes?: { provider: string; location: string; status: ScopeStatus }[];
}

export interface CoverageSummary {
  /** Per kind: how many were audited, skipped (by reason) and failed. */
  [kind: string]: { found: number; audited: number; failed: number; skipped: Record<string, number> };
}

export interface Coverage {
  entries: CoverageEntry[];
  summary: CoverageSummary;
}

/** The identity of an entry, the same every night: what the store and `diff` key on. */
export const coverageKey = (e: Pick<CoverageEntry, 'cloud' | 'kind' | 'account' | 'id'>) =>
  `${e.cloud}:${e.kind}:${e.account ?? ''}:${e.id}`;
