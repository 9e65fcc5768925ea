/**
 * Azure Application Gateway listeners that serve Key Vault certificates. One scope per
 * subscription: `ApplicationGateways_ListAll` (paged), nothing else. Each HTTPS listener becomes a
 * binding to the Key Vault secret id its certificate names, so the linker resolves it to the
 * azure-keyvault certificate and the expiry rules name the gateway.
 */
import type { Binding } from '../../src/model/types.js';
import type { CollectContext, Provider, Scope, ScopeContext } from '../../src/engine/api/provider.js';
import { APP_GATEWAY_PERMISSIONS } from '../azure-shared/permissions.js';
import type { AzureSessionOptions } from '../azure-shared/session.js';
import { armList, sessionOf, subscriptionScopes, type SubscriptionHandle } from '../azure-shared/arm.js';
import { mapAppGateway, PROVIDER_ID, type AppGatewayInput } from './map.js';

/** Microsoft.Network stable api-version (specification/network/.../stable/2025-03-01). */
export const NETWORK_API = '2025-03-01';

export function createAzureAppGatewayProvider(options: AzureSessionOptions = {}): Provider<SubscriptionHandle> {
  return {
    id: PROVIDER_ID,
    title: 'Azure Application Gateway listeners',
    binds: ['azure-keyvault'],
    permissions: APP_GATEWAY_PERMISSIONS,
    enabled: (config) => config.providers.azure?.services.appGateway === true,
    scopes: (ctx: ScopeContext) => subscriptionScopes(PROVIDER_ID, ctx, options),
    async *collect(scope: Scope<SubscriptionHandle>, ctx: CollectContext): AsyncIterable<Binding> {
      const session = sessionOf(scope);
      const path = `/subscriptions/${encodeURIComponent(scope.account)}/providers/Microsoft.Network/applicationGateways`;
      let inline = 0;
      for await (const page of armList<AppGatewayInput>(
        session,
        path,
        NETWORK_API,
        'ApplicationGateways_ListAll',
        `subscription ${scope.account}`,
        ctx.signal,
      )) {
        for (const gw of page) {
          const out = mapAppGateway(gw, scope.account);
          inline += out.inline;
          yield* out.bindings;
        }
      }
      if (inline > 0)
        ctx.log.debug(
          `${PROVIDER_ID} ${scope.account}: ${inline} listener certificate(s) uploaded to the gateway itself, not from Key Vault; not linked`,
        );
    },
  };
}

export const azureAppGateway: Provider<SubscriptionHandle> = createAzureAppGatewayProvider();
export default azureAppGateway;
