/**
 * Azure App Service: certificates imported from Key Vault and the web apps that serve them. One
 * scope per subscription, paged lists: `Certificates_List`, `WebApps_List` (the site list
 * already carries `hostNameSslStates`, so no per-site call is needed), and the deployment slots
 * of the resource groups that hold apps. Sites are only read when the subscription holds a Key
 * Vault-backed certificate.
 */
import type { Binding } from '../../src/model/types.js';
import type { CollectContext, Provider, Scope, ScopeContext } from '../../src/engine/api/provider.js';
import { APP_SERVICE_PERMISSIONS } from '../azure-shared/permissions.js';
import type { AzureSessionOptions } from '../azure-shared/session.js';
import {
  armListAll,
  sessionOf,
  subscriptionScopes,
  vaultSuffix,
  type SubscriptionHandle,
} from '../azure-shared/arm.js';
import { mapWebCertificates, PROVIDER_ID, type WebCertificateInput, type WebSiteInput } from './map.js';

/** Microsoft.Web stable api-version (specification/web/.../stable/2024-11-01). */
export const WEB_API = '2024-11-01';

export function createAzureAppServiceProvider(options: AzureSessionOptions = {}): Provider<SubscriptionHandle> {
  return {
    id: PROVIDER_ID,
    title: 'Azure App Service certificates from Key Vault',
    binds: ['azure-keyvault'],
    permissions: APP_SERVICE_PERMISSIONS,
    enabled: (config) => config.providers.azure?.services.appService === true,
    scopes: (ctx: ScopeContext) => subscriptionScopes(PROVIDER_ID, ctx, options),
    async *collect(scope: Scope<SubscriptionHandle>, ctx: CollectContext): AsyncIterable<Binding> {
      const session = sessionOf(scope);
      const base = `/subscriptions/${encodeURIComponent(scope.account)}/providers/Microsoft.Web`;
      const where = `subscription ${scope.account}`;
      const certs = await armListAll<WebCertificateInput>(
        session,
        `${base}/certificates`,
        WEB_API,
        'Certificates_List',
        where,
        ctx.signal,
      );
      if (!certs.some((c) => c.properties?.keyVaultId)) return;
      const sites = await armListAll<WebSiteInput>(
        session,
        `${base}/sites`,
        WEB_API,
        'WebApps_List',
        where,
        ctx.signal,
      );
      // WebApps_List names production apps only. Deployment slots serve host names with TLS
      // bindings of their own; WebApps_ListByResourceGroup lists them with includeSlots=true (by
      // default it gives "only the production slot of all apps"), one call per resource group.
      for (const group of new Set(sites.flatMap((site) => resourceGroupOf(site.id) ?? []))) {
        const path = `/subscriptions/${encodeURIComponent(scope.account)}/resourceGroups/${encodeURIComponent(group)}/providers/Microsoft.Web/sites?includeSlots=true`;
        const all = await armListAll<WebSiteInput>(
          session,
          path,
          WEB_API,
          'WebApps_ListByResourceGroup',
          `${where}, resource group ${group}`,
          ctx.signal,
        );
        sites.push(...all.filter((site) => site.type?.toLowerCase() === 'microsoft.web/sites/slots'));
      }
      yield* mapWebCertificates(certs, sites, scope.account, vaultSuffix(session));
    },
  };
}

/** The resource group an ARM id names (`/subscriptions/{s}/resourceGroups/{rg}/...`), decoded. */
function resourceGroupOf(id: string | undefined): string | undefined {
  const m = /^\/subscriptions\/[^/]+\/resourceGroups\/([^/]+)\//i.exec(id ?? '');
  if (!m) return undefined;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return undefined;
  }
}

export const azureAppService: Provider<SubscriptionHandle> = createAzureAppServiceProvider();
export default azureAppService;
