/**
 * Azure Application Gateway listeners that serve Key Vault certificates. One scope per
 * subscription: `ApplicationGateways_ListAll` (paged), nothing else. Each HTTPS listener becomes a
 * binding to the Key Vault secret id its certificate names, so the linker resolves it to the
 * azure-keyvault certificate and the expiry rules name the gateway. The listing says all there
 * is: no call only enriches.
 */
import type { Provider, Scope, ScopeContext } from '../../src/engine/api/provider.js';
import { defineKind } from '../../src/engine/api/resource-kind.js';
import { APP_GATEWAY_PERMISSIONS } from '../azure-shared/permissions.js';
import type { AzureSessionOptions } from '../azure-shared/session.js';
import { armList, sessionOf, subscriptionScopes, type SubscriptionHandle } from '../azure-shared/arm.js';
import { mapAppGateway, PROVIDER_ID, type AppGatewayInput } from './map.js';

/** Microsoft.Network stable api-version (specification/network/.../stable/2025-03-01). */
export const NETWORK_API = '2025-03-01';

/** The gateways of one subscription. */
const gateways = defineKind({
  open: (scope: Scope<SubscriptionHandle>, ctx) => ({
    session: sessionOf(scope),
    account: scope.account,
    log: ctx.log,
    inline: 0,
  }),
  close: () => {},
  list: (g, c) =>
    armList<AppGatewayInput>(
      g.session,
      `/subscriptions/${encodeURIComponent(g.account)}/providers/Microsoft.Network/applicationGateways`,
      NETWORK_API,
      'ApplicationGateways_ListAll',
      `subscription ${g.account}`,
      c.signal,
    ),
  describe: (gw) => `gateway ${gw.name}`,
  uid: (gw) => `${PROVIDER_ID}:${gw.id}`,
  map: (g, gw) => {
    const out = mapAppGateway(gw, g.account);
    g.inline += out.inline;
    return out.bindings;
  },
  collected: (g) => {
    if (g.inline > 0)
      g.log.debug(
        `${PROVIDER_ID} ${g.account}: ${g.inline} listener certificate(s) uploaded to the gateway itself, not from Key Vault; not linked`,
      );
  },
});

export function createAzureAppGatewayProvider(options: AzureSessionOptions = {}): Provider<SubscriptionHandle> {
  return {
    id: PROVIDER_ID,
    title: 'Azure Application Gateway listeners',
    binds: ['azure-keyvault'],
    permissions: APP_GATEWAY_PERMISSIONS,
    enabled: (config) => config.providers.azure?.services.appGateway === true,
    scopes: (ctx: ScopeContext) => subscriptionScopes(PROVIDER_ID, ctx, options),
    kinds: [gateways],
  };
}

export const azureAppGateway: Provider<SubscriptionHandle> = createAzureAppGatewayProvider();
export default azureAppGateway;
