/**
 * Azure Front Door Standard/Premium custom domains served with certificates from Key Vault. One
 * scope per subscription: `Profiles_List` (paged), then per Front Door profile `Secrets_ListByProfile`
 * and `AFDCustomDomains_ListByProfile` (paged), addressed by the profile's own id. Classic CDN
 * profiles are skipped without further calls.
 */
import type { Binding } from '../../src/model/types.js';
import {
  readItem,
  type CollectContext,
  type Provider,
  type Scope,
  type ScopeContext,
} from '../../src/engine/api/provider.js';
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

export function createAzureFrontDoorProvider(options: AzureSessionOptions = {}): Provider<SubscriptionHandle> {
  return {
    id: PROVIDER_ID,
    title: 'Azure Front Door custom domains',
    binds: ['azure-keyvault'],
    permissions: FRONT_DOOR_PERMISSIONS,
    enabled: (config) => config.providers.azure?.services.frontDoor === true,
    scopes: (ctx: ScopeContext) => subscriptionScopes(PROVIDER_ID, ctx, options),
    async *collect(scope: Scope<SubscriptionHandle>, ctx: CollectContext): AsyncIterable<Binding> {
      const session = sessionOf(scope);
      const suffix = vaultSuffix(session);
      const path = `/subscriptions/${encodeURIComponent(scope.account)}/providers/Microsoft.Cdn/profiles`;
      for await (const page of armList<ProfileInput>(
        session,
        path,
        CDN_API,
        'Profiles_List',
        `subscription ${scope.account}`,
        ctx.signal,
      )) {
        for (const profile of page) {
          // The id addresses the child lists; one that is not a plain ARM path is not followed.
          if (!isFrontDoor(profile) || !profile.id || !/^\/subscriptions\/[^?#]+$/i.test(profile.id)) continue;
          const where = `subscription ${scope.account}, profile ${profile.name}`;
          const id = profile.id.replace(/\/+$/, '');
          // A profile whose secrets or domains cannot be read is missing, named in the scope's result; the other profiles are not.
          const bindings = await readItem(ctx, `profile ${profile.name}`, async () => {
            const secrets = await armListAll<SecretInput>(
              session,
              `${id}/secrets`,
              CDN_API,
              'Secrets_ListByProfile',
              where,
              ctx.signal,
            );
            if (!secrets.some((s) => s.properties?.parameters?.type === 'CustomerCertificate')) return [];
            const domains = await armListAll<CustomDomainInput>(
              session,
              `${id}/customDomains`,
              CDN_API,
              'AFDCustomDomains_ListByProfile',
              where,
              ctx.signal,
            );
            return mapFrontDoor(profile, secrets, domains, scope.account, suffix);
          });
          yield* bindings ?? [];
        }
      }
    },
  };
}

export const azureFrontDoor: Provider<SubscriptionHandle> = createAzureFrontDoorProvider();
export default azureFrontDoor;
