/**
 * What Azure discovery found, as coverage entries (src/model/coverage.ts): each subscription with
 * its state, each vault, and each Azure service the config turns off.
 */
import type { AzureConfig } from '../../src/config/schema.js';
import type { CoverageEntry, CoverageSource } from '../../src/model/coverage.js';

/**
 * Subscription `state` (Subscriptions - List): Enabled, Warned, PastDue, Disabled, Deleted.
 * Warned and PastDue subscriptions still serve reads; a Disabled one is read-only-then-off and a
 * Deleted one is gone, so both are skipped
 * (https://learn.microsoft.com/en-us/azure/cost-management-billing/manage/subscription-states).
 */
export const SKIPPED_STATES = new Set(['Disabled', 'Deleted']);

export function subscriptionEntry(
  sub: { subscriptionId: string; displayName?: string; state?: string },
  source: CoverageSource,
): CoverageEntry {
  const off = SKIPPED_STATES.has(sub.state ?? '');
  return {
    cloud: 'azure',
    kind: 'subscription',
    id: sub.subscriptionId,
    ...(sub.displayName && sub.displayName !== sub.subscriptionId ? { name: sub.displayName } : {}),
    source,
    outcome: off ? 'skipped' : 'audited',
    ...(off ? { reason: 'subscription-disabled' as const } : {}),
    ...(sub.state ? { detail: `state ${sub.state}` } : {}),
  };
}

export function vaultEntry(subscription: string, name: string): CoverageEntry {
  return { cloud: 'azure', kind: 'vault', id: name, account: subscription, source: 'list-vaults', outcome: 'audited' };
}

const SERVICES: Record<keyof AzureConfig['services'], string> = {
  keyVault: 'azure-keyvault',
  appGateway: 'azure-appgateway',
  appService: 'azure-appservice',
  frontDoor: 'azure-frontdoor',
};

/** One entry per Azure service of the config: audited, or turned off (`providers.azure.services.<name>: false`). */
export function serviceEntries(cfg: AzureConfig): CoverageEntry[] {
  return Object.entries(SERVICES).map(([key, provider]) => {
    const on = cfg.services[key as keyof AzureConfig['services']];
    return {
      cloud: 'azure',
      kind: 'service',
      id: provider,
      account: '*',
      source: 'config',
      outcome: on ? 'audited' : 'skipped',
      ...(on ? {} : { reason: 'service-disabled' as const, detail: `providers.azure.services.${key}` }),
    };
  });
}
