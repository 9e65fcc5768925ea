/**
 * App Service certificates imported from Key Vault (Microsoft.Web/certificates, 2024-11-01) and
 * the web apps whose host names serve them (`hostNameSslStates[].thumbprint`) -> Bindings. Pure.
 *
 * App Service keeps no version: it syncs the Key Vault secret's latest version on its own, so
 * the reference is the versionless secret id. A certificate that no host name uses still becomes
 * one binding (not live): it is deployed and its Key Vault source must exist, but it serves
 * nothing, so it does not make the Key Vault certificate "used". Certificates uploaded as PFX
 * (no keyVaultId) are not Key Vault certificates and are skipped.
 */
import type { Binding } from '../../src/model/types.js';
import { fromVaultResourceId } from '../azure-shared/keyvault-ref.js';

export const PROVIDER_ID = 'azure-appservice';

export interface WebCertificateInput {
  id?: string;
  name?: string;
  location?: string;
  tags?: Record<string, string>;
  properties?: {
    keyVaultId?: string;
    keyVaultSecretName?: string;
    keyVaultSecretStatus?: string;
    thumbprint?: string;
    expirationDate?: string;
    subjectName?: string;
    hostNames?: string[];
  };
}

export interface WebSiteInput {
  id?: string;
  name?: string;
  /** `Microsoft.Web/sites`, or `Microsoft.Web/sites/slots` for a deployment slot. */
  type?: string;
  location?: string;
  tags?: Record<string, string>;
  properties?: {
    state?: string;
    enabled?: boolean;
    publicNetworkAccess?: string;
    hostNameSslStates?: Array<{ name?: string; sslState?: string; thumbprint?: string; hostType?: string }>;
  };
}

const lower = (s: string | undefined) => (s ?? '').toLowerCase();

export function mapWebCertificates(
  certs: WebCertificateInput[],
  sites: WebSiteInput[],
  subscriptionId: string,
  suffix: string,
): Binding[] {
  // Thumbprint -> the (site, host name) pairs that serve it over TLS (SNI or IP-based).
  const served = new Map<string, Array<{ site: WebSiteInput; host: string }>>();
  for (const site of sites) {
    for (const s of site.properties?.hostNameSslStates ?? []) {
      if (!s.thumbprint || !s.name || lower(s.sslState) === 'disabled' || s.hostType === 'Repository') continue;
      const list = served.get(s.thumbprint.toUpperCase()) ?? [];
      list.push({ site, host: s.name });
      served.set(s.thumbprint.toUpperCase(), list);
    }
  }
  const out: Binding[] = [];
  for (const c of certs) {
    const p = c.properties ?? {};
    const kv = fromVaultResourceId(p.keyVaultId, p.keyVaultSecretName, suffix);
    if (!kv) continue;
    const common = {
      kind: 'binding' as const,
      provider: PROVIDER_ID,
      account: subscriptionId,
      certificateRef: kv.ref,
      refKind: 'keyvault',
      protocol: 'HTTPS',
      port: 443,
    };
    const facet = {
      webCertificate: c.name,
      webCertificateId: c.id,
      vault: kv.vault,
      vaultSubscription: kv.vaultSubscription,
      thumbprint: p.thumbprint?.toUpperCase() ?? null,
      expirationDate: p.expirationDate ?? null,
      keyVaultSecretStatus: p.keyVaultSecretStatus ?? null,
    };
    const users = served.get((p.thumbprint ?? '').toUpperCase()) ?? [];
    if (users.length === 0) {
      out.push({
        ...common,
        location: c.location ?? '',
        uid: `${PROVIDER_ID}:${lower(c.id)}`,
        name: c.name ?? '',
        type: 'app-service-certificate',
        resource: c.id ?? '',
        live: false,
        ...(c.tags && Object.keys(c.tags).length ? { tags: c.tags } : {}),
        appService: facet,
      });
      continue;
    }
    for (const { site, host } of users) {
      const sp = site.properties ?? {};
      out.push({
        ...common,
        location: site.location ?? c.location ?? '',
        uid: `${PROVIDER_ID}:${lower(site.id)}/hostnamesslstates/${lower(host)}`,
        name: `${site.name}/${host}`,
        type: 'app-service-host',
        resource: site.id ?? '',
        public: lower(sp.publicNetworkAccess) !== 'disabled',
        // A stopped or disabled app serves nothing.
        live: sp.state === 'Running' && sp.enabled !== false,
        loadBalancer: { name: site.name ?? '', arn: site.id, type: 'app-service', dnsName: host },
        ...(site.tags && Object.keys(site.tags).length ? { tags: site.tags } : {}),
        appService: { ...facet, hostName: host, siteState: sp.state ?? null },
      });
    }
  }
  return out;
}
