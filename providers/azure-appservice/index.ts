/**
 * Azure App Service: certificates imported from Key Vault and the web apps that serve them. One
 * scope per subscription, two paged lists: `Certificates_List` and `WebApps_List` (the site list
 * already carries `hostNameSslStates`, so no per-site call is needed). Sites are only read when
 * the subscription holds a Key Vault-backed certificate.
 */
import type { Binding } from '../../src/model/types.js';
import type { CollectContext, Provider, Scope, ScopeContext } from '../../src/engine/provider.js';
import type { AzureSessionOptions } from '../azure-keyvault/fetch.js';
import { armListAll, sessionOf, subscriptionScopes, vaultSuffix, type SubscriptionHandle } from '../azure-shared/arm.js';
import { mapWebCertificates, PROVIDER_ID, type WebCertificateInput, type WebSiteInput } from './map.js';

/** Microsoft.Web stable api-version (specification/web/.../stable/2024-11-01). */
export const WEB_API = '2024-11-01';

export function createAzureAppServiceProvider(options: AzureSessionOptions = {}): Provider<SubscriptionHandle> {
  return {
    id: PROVIDER_ID,
    title: 'Azure App Service certificates from Key Vault',
    binds: ['azure-keyvault'],
    enabled: (config) => config.providers.azure?.services.appService === true,
    scopes: (ctx: ScopeContext) => subscriptionScopes(PROVIDER_ID, ctx, options),
    async *collect(scope: Scope<SubscriptionHandle>, ctx: CollectContext): AsyncIterable<Binding> {
      const session = sessionOf(scope);
      const base = `/subscriptions/${encodeURIComponent(scope.account)}/providers/Microsoft.Web`;
      const where = `subscription ${scope.account}`;
      const certs = await armListAll<WebCertificateInput>(session, `${base}/certificates`, WEB_API, 'Certificates_List', where, ctx.signal);
      if (!certs.some((c) => c.properties?.keyVaultId)) return;
      const sites = await armListAll<WebSiteInput>(session, `${base}/sites`, WEB_API, 'WebApps_List', where, ctx.signal);
      yield* mapWebCertificates(certs, sites, scope.account, vaultSuffix(session));
    },
  };
}

export const azureAppService: Provider<SubscriptionHandle> = createAzureAppServiceProvider();
export default azureAppService;
