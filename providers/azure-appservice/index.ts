/**
 * Azure App Service: certificates imported from Key Vault and the web apps that serve them. One
 * scope per subscription, paged lists: `Certificates_List`, `WebApps_List` (the site list
 * already carries `hostNameSslStates`, so no per-site call is needed), and the deployment slots
 * of the resource groups that hold apps. Sites are only read when the subscription holds a Key
 * Vault-backed certificate. The two subscription lists are required; the slots only enrich: without
 * them the production apps' bindings are kept, and a certificate that only a slot serves looks idle.
 */
import type { Provider, Scope, ScopeContext } from '../../src/engine/api/provider.js';
import { defineKind } from '../../src/engine/api/resource-kind.js';
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

interface Listing {
  certs: WebCertificateInput[];
  sites: WebSiteInput[];
}

/** A subscription's App Service certificates and apps, joined into bindings. */
const webCertificates = defineKind({
  open: (scope: Scope<SubscriptionHandle>) => {
    const session = sessionOf(scope);
    return {
      session,
      account: scope.account,
      suffix: vaultSuffix(session),
      where: `subscription ${scope.account}`,
      base: `/subscriptions/${encodeURIComponent(scope.account)}/providers/Microsoft.Web`,
    };
  },
  close: () => {},
  async *list(w, c): AsyncGenerator<Listing[]> {
    const list = <T>(path: string, operation: string) =>
      armListAll<T>(w.session, `${w.base}/${path}`, WEB_API, operation, w.where, c.signal);
    const certs = await list<WebCertificateInput>('certificates', 'Certificates_List');
    if (!certs.some((cert) => cert.properties?.keyVaultId)) return;
    yield [{ certs, sites: await list<WebSiteInput>('sites', 'WebApps_List') }];
  },
  describe: () => 'the App Service certificates',
  uid: () => `${PROVIDER_ID}:subscription`,
  enrichments: {
    slots: {
      permission: APP_SERVICE_PERMISSIONS.WebApps_ListByResourceGroup,
      loses: 'the host names deployment slots serve, so a certificate only a slot serves is taken for idle',
      slots: () => 1,
      // WebApps_List names production apps only. Deployment slots serve host names with TLS
      // bindings of their own; WebApps_ListByResourceGroup lists them with includeSlots=true (by
      // default it gives "only the production slot of all apps"), one call per resource group.
      async call(w, l: Listing, c): Promise<WebSiteInput[]> {
        const slots: WebSiteInput[] = [];
        for (const group of new Set(l.sites.flatMap((site) => resourceGroupOf(site.id) ?? []))) {
          const path = `/subscriptions/${encodeURIComponent(w.account)}/resourceGroups/${encodeURIComponent(group)}/providers/Microsoft.Web/sites?includeSlots=true`;
          const all = await armListAll<WebSiteInput>(
            w.session,
            path,
            WEB_API,
            'WebApps_ListByResourceGroup',
            `${w.where}, resource group ${group}`,
            c.signal,
          );
          slots.push(...all.filter((site) => site.type?.toLowerCase() === 'microsoft.web/sites/slots'));
        }
        return slots;
      },
    },
  },
  map: (w, l, _read, enriched) =>
    mapWebCertificates(l.certs, [...l.sites, ...(enriched.slots ?? [])], w.account, w.suffix),
});

export function createAzureAppServiceProvider(options: AzureSessionOptions = {}): Provider<SubscriptionHandle> {
  return {
    id: PROVIDER_ID,
    title: 'Azure App Service certificates from Key Vault',
    binds: ['azure-keyvault'],
    permissions: APP_SERVICE_PERMISSIONS,
    enabled: (config) => config.providers.azure?.services.appService === true,
    scopes: (ctx: ScopeContext) => subscriptionScopes(PROVIDER_ID, ctx, options),
    kinds: [webCertificates],
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
