/**
 * Front Door Standard/Premium (Microsoft.Cdn 2025-06-01): a profile's `CustomerCertificate`
 * secrets and the custom domains that use them -> Bindings. Pure.
 *
 * `secretSource.id` is the ARM id of the Key Vault secret, mapped to its data-plane secret id.
 * With `useLatestVersion` Front Door follows the vault (the binding is versionless, so it links
 * to the current version); otherwise it serves `secretVersion`, and the binding is pinned to it.
 * A secret that no domain uses still becomes one binding (not live): it must exist, but it
 * serves nothing. Managed certificates are Front Door's own and are skipped.
 */
import type { Binding } from '../../src/model/types.js';
import { fromSecretResourceId } from '../azure-shared/keyvault-ref.js';

export const PROVIDER_ID = 'azure-frontdoor';

/** Profiles of these SKUs are Front Door Standard/Premium; the others are classic CDN. */
export const FRONT_DOOR_SKUS = new Set(['standard_azurefrontdoor', 'premium_azurefrontdoor']);

export interface ProfileInput {
  id?: string;
  name?: string;
  location?: string;
  tags?: Record<string, string>;
  sku?: { name?: string };
  properties?: { resourceState?: string; provisioningState?: string };
}

export interface SecretInput {
  id?: string;
  name?: string;
  properties?: {
    parameters?: {
      type?: string;
      secretSource?: { id?: string };
      secretVersion?: string;
      useLatestVersion?: boolean;
      expirationDate?: string;
      thumbprint?: string;
      subject?: string;
    };
  };
}

export interface CustomDomainInput {
  id?: string;
  name?: string;
  properties?: {
    hostName?: string;
    tlsSettings?: { certificateType?: string; minimumTlsVersion?: string; secret?: { id?: string } };
    deploymentStatus?: string;
  };
}

const lower = (s: string | undefined) => (s ?? '').toLowerCase();

export function isFrontDoor(p: ProfileInput): boolean {
  return FRONT_DOOR_SKUS.has(lower(p.sku?.name));
}

export function mapFrontDoor(
  profile: ProfileInput,
  secrets: SecretInput[],
  domains: CustomDomainInput[],
  subscriptionId: string,
  suffix: string,
): Binding[] {
  // Only an active profile serves traffic (resourceState Active; Disabled, Creating, Deleting... do not).
  const live = profile.properties?.resourceState === 'Active';
  const out: Binding[] = [];
  for (const s of secrets) {
    const p = s.properties?.parameters;
    if (p?.type !== 'CustomerCertificate') continue;
    const kv = fromSecretResourceId(p.secretSource?.id, p.useLatestVersion ? undefined : p.secretVersion, suffix);
    if (!kv) continue;
    const common = {
      kind: 'binding' as const,
      provider: PROVIDER_ID,
      account: subscriptionId,
      location: profile.location ?? 'global',
      certificateRef: kv.ref,
      refKind: 'keyvault',
      protocol: 'HTTPS',
      port: 443,
      ...(profile.tags && Object.keys(profile.tags).length ? { tags: profile.tags } : {}),
    };
    const facet = {
      secret: s.name,
      secretSourceId: p.secretSource?.id,
      vault: kv.vault,
      vaultSubscription: kv.vaultSubscription,
      useLatestVersion: p.useLatestVersion === true,
      ...(kv.version ? { pinnedVersion: kv.version } : {}),
      // With useLatestVersion, the version Front Door last deployed.
      deployedVersion: p.secretVersion ?? null,
    };
    const users = domains.filter(
      (d) =>
        lower(d.properties?.tlsSettings?.secret?.id) === lower(s.id) &&
        d.properties?.tlsSettings?.certificateType === 'CustomerCertificate',
    );
    if (users.length === 0) {
      out.push({
        ...common,
        uid: `${PROVIDER_ID}:${lower(s.id)}`,
        name: `${profile.name}/${s.name}`,
        type: 'front-door-secret',
        resource: s.id ?? '',
        live: false,
        frontDoor: facet,
      });
      continue;
    }
    for (const d of users) {
      const host = d.properties?.hostName ?? d.name ?? '';
      out.push({
        ...common,
        uid: `${PROVIDER_ID}:${lower(d.id)}`,
        name: `${profile.name}/${host}`,
        type: 'front-door-domain',
        resource: d.id ?? '',
        public: true, // Front Door's edge is the internet
        live,
        loadBalancer: { name: profile.name ?? '', arn: profile.id, type: 'front-door', dnsName: host },
        frontDoor: {
          ...facet,
          domain: d.name,
          hostName: host,
          minimumTlsVersion: d.properties?.tlsSettings?.minimumTlsVersion ?? null,
        },
      });
    }
  }
  return out;
}
