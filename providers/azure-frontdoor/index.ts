/**
 * Azure Front Door Standard/Premium custom domains served with certificates from Key Vault. One
 * scope per subscription: `Profiles_List` (paged), then per Front Door profile `Secrets_ListByProfile`
 * and `AFDCustomDomains_ListByProfile` (paged), addressed by the profile's own id. Classic CDN
 * profiles are skipped without further calls. The lists say all there is: no call only enriches.
 */
import type { Provider, Scope, ScopeContext } from '../../src/engine/api/provider.js';
import { defineKind } from '../../src/engine/api/resource-kind.js';
import { FRONT_DOOR_PERMISSIONS } from '../azure-shared/permissions.js';
import type { AzureSessionOptions } from '../azure-shared/session.js';
import {
  armList,
  armListAll,
  sessionOf,
  subscriptionScopes,
  vaultSuffix,
  type SubscriptionHandle,
} from '../azure-shared/arm.js';
import {
  isFrontDoor,
  mapFrontDoor,
  PROVIDER_ID,
  type CustomDomainInput,
  type ProfileInput,
  type SecretInput,
} from './map.js';

/** Microsoft.Cdn stable api-version (specification/cdn/.../stable/2025-06-01). */
export const CDN_API = '2025-06-01';

/** Profiles whose child lists are read at once in a subscription; ARM's read bucket sets the pace. */
const PROFILE_SLOTS = 4;

/** The Front Door profiles of one subscription; a profile's secrets and domains are its required read. */
const profiles = defineKind({
  open: (scope: Scope<SubscriptionHandle>) => {
    const session = sessionOf(scope);
    return { session, account: scope.account, suffix: vaultSuffix(session) };
  },
  close: () => {},
  list: (f, c) =>
    armList<ProfileInput>(
      f.session,
      `/subscriptions/${encodeURIComponent(f.account)}/providers/Microsoft.Cdn/profiles`,
      CDN_API,
      'Profiles_List',
      `subscription ${f.account}`,
      c.signal,
    ),
  // The id addresses the child lists; one that is not a plain ARM path is not followed.
  keep: (p) => isFrontDoor(p) && !!p.id && /^\/subscriptions\/[^?#]+$/i.test(p.id),
  describe: (p) => `profile ${p.name}`,
  uid: (p) => `${PROVIDER_ID}:${p.id}`,
  read: {
    slots: () => PROFILE_SLOTS,
    async call(f, profile, c): Promise<{ secrets: SecretInput[]; domains: CustomDomainInput[] }> {
      const where = `subscription ${f.account}, profile ${profile.name}`;
      const id = profile.id!.replace(/\/+$/, '');
      const list = <T>(path: string, operation: string) =>
        armListAll<T>(f.session, `${id}/${path}`, CDN_API, operation, where, c.signal);
      const secrets = await list<SecretInput>('secrets', 'Secrets_ListByProfile');
      if (!secrets.some((s) => s.properties?.parameters?.type === 'CustomerCertificate'))
        return { secrets, domains: [] };
      return { secrets, domains: await list<CustomDomainInput>('customDomains', 'AFDCustomDomains_ListByProfile') };
    },
  },
  map: (f, profile, read) => (read ? mapFrontDoor(profile, read.secrets, read.domains, f.account, f.suffix) : []),
});

export function createAzureFrontDoorProvider(options: AzureSessionOptions = {}): Provider<SubscriptionHandle> {
  return {
    id: PROVIDER_ID,
    title: 'Azure Front Door custom domains',
    binds: ['azure-keyvault'],
    permissions: FRONT_DOOR_PERMISSIONS,
    enabled: (config) => config.providers.azure?.services.frontDoor === true,
    scopes: (ctx: ScopeContext) => subscriptionScopes(PROVIDER_ID, ctx, options),
    kinds: [profiles],
  };
}

export const azureFrontDoor: Provider<SubscriptionHandle> = createAzureFrontDoorProvider();
export default azureFrontDoor;
