/**
 * Simulated App Service: `GET /subscriptions/{id}/providers/Microsoft.Web/certificates`
 * (Certificates_List), `.../Microsoft.Web/sites` (WebApps_List) and
 * `/subscriptions/{id}/resourceGroups/{rg}/providers/Microsoft.Web/sites` (WebApps_ListByResourceGroup),
 * shaped as the Microsoft.Web 2024-11-01 spec's ListCertificates and ListWebApps examples. A
 * certificate imported from Key Vault carries `keyVaultId` + `keyVaultSecretName` and the
 * thumbprint of the version App Service last synced (the current one); when the secret is gone
 * its status says so.
 *
 * Deployment slots are apps of their own (`Microsoft.Web/sites/slots`, host names and TLS bindings
 * included), and the lists leave them out by default: WebApps_List takes no parameter for them,
 * and WebApps_ListByResourceGroup's `includeSlots` is "false, which only gives you the production
 * slot of all apps" unless set (specification/web/resource-manager/Microsoft.Web/AppService/stable/
 * 2024-11-01/WebApps.json).
 */
import { createHash, X509Certificate } from 'node:crypto';
import type { ArmListRoute, AzureWebCertificateSpec, AzureWorld } from './types.js';
import { resolveKvRef } from './seed.js';

const iso = (epochSeconds: number) => new Date(epochSeconds * 1000).toISOString().replace('.000Z', '+00:00');

export function seedWebCertificates(
  world: AzureWorld,
  subscriptionId: string,
  specs: AzureWebCertificateSpec[],
): { certificates: unknown[]; sites: unknown[] } {
  const sites = new Map<
    string,
    {
      spec: { name: string; slot?: string; state?: string; rg: string; location: string };
      ssl: Array<{ name: string; sslState: string; thumbprint: string }>;
    }
  >();
  const certificates = specs.map((c) => {
    const rg = c.resourceGroup ?? 'rg-web';
    const location = c.location ?? 'West Europe';
    // App Service follows the latest version; it stores no version of its own.
    const kv = resolveKvRef(world, subscriptionId, { certificate: c.certificate });
    const v = kv.served;
    const thumbprint = (v ? createHash('sha1').update(v.der) : createHash('sha1').update(`${c.name}/last-synced`))
      .digest('hex')
      .toUpperCase();
    const x509 = v ? new X509Certificate(v.der) : undefined;
    for (const s of c.sites ?? []) {
      // A slot belongs to an app: the production app exists whatever the scenario names.
      if (s.slot && !sites.has(s.name))
        sites.set(s.name, { spec: { name: s.name, state: s.state, rg, location }, ssl: [] });
      const key = s.slot ? `${s.name}/${s.slot}` : s.name;
      const site = sites.get(key) ?? { spec: { name: s.name, slot: s.slot, state: s.state, rg, location }, ssl: [] };
      for (const host of s.hostNames) site.ssl.push({ name: host, sslState: s.sslState ?? 'SniEnabled', thumbprint });
      sites.set(key, site);
    }
    return {
      id: `/subscriptions/${subscriptionId}/resourceGroups/${rg}/providers/Microsoft.Web/certificates/${c.name}`,
      name: c.name,
      type: 'Microsoft.Web/certificates',
      location,
      properties: {
        friendlyName: '',
        subjectName: x509?.subject.match(/CN=([^\n]+)/)?.[1] ?? kv.name,
        hostNames: x509?.subjectAltName?.split(', ').map((n) => n.replace(/^DNS:/, '')) ?? [],
        issuer: x509?.issuer.match(/CN=([^\n]+)/)?.[1] ?? 'Unknown',
        ...(v ? { issueDate: iso(v.nbf), expirationDate: iso(v.exp) } : {}),
        thumbprint,
        keyVaultId: kv.vaultArmId,
        keyVaultSecretName: kv.name,
        keyVaultSecretStatus: v ? 'Succeeded' : 'KeyVaultSecretDoesNotExist',
        serverFarmId: `/subscriptions/${subscriptionId}/resourceGroups/${rg}/providers/Microsoft.Web/serverfarms/plan-web`,
      },
    };
  });
  const siteResources = [...sites.values()].map(({ spec, ssl }) => {
    const app = spec.slot ? `${spec.name}-${spec.slot}` : spec.name;
    const defaultHost = `${app}.azurewebsites.net`;
    const hosts = [defaultHost, ...ssl.map((s) => s.name)];
    return {
      id: `/subscriptions/${subscriptionId}/resourceGroups/${spec.rg}/providers/Microsoft.Web/sites/${spec.name}${spec.slot ? `/slots/${spec.slot}` : ''}`,
      name: spec.slot ? `${spec.name}/${spec.slot}` : spec.name,
      type: spec.slot ? 'Microsoft.Web/sites/slots' : 'Microsoft.Web/sites',
      kind: 'app',
      location: spec.location,
      properties: {
        state: spec.state ?? 'Running',
        hostNames: hosts,
        enabled: true,
        enabledHostNames: [...hosts, `${app}.scm.azurewebsites.net`],
        availabilityState: 'Normal',
        hostNameSslStates: [
          { name: defaultHost, sslState: 'Disabled', hostType: 'Standard' },
          { name: `${app}.scm.azurewebsites.net`, sslState: 'Disabled', hostType: 'Repository' },
          ...ssl.map((s) => ({ name: s.name, sslState: s.sslState, thumbprint: s.thumbprint, hostType: 'Standard' })),
        ],
        serverFarmId: `/subscriptions/${subscriptionId}/resourceGroups/${spec.rg}/providers/Microsoft.Web/serverfarms/plan-web`,
        defaultHostName: defaultHost,
        httpsOnly: true,
        resourceGroup: spec.rg,
      },
    };
  });
  return { certificates, sites: siteResources };
}

const isSlot = (site: unknown) => (site as { type: string }).type === 'Microsoft.Web/sites/slots';

export const appServiceRoutes: ArmListRoute[] = [
  {
    pattern: /^\/subscriptions\/([^/]+)\/providers\/microsoft\.web\/certificates\/?$/i,
    action: 'Certificates_List',
    permission: 'Microsoft.Web/certificates/read',
    apiVersions: ['2024-11-01'],
    items: (sub) => sub.webCertificates,
  },
  {
    pattern: /^\/subscriptions\/([^/]+)\/providers\/microsoft\.web\/sites\/?$/i,
    action: 'WebApps_List',
    permission: 'Microsoft.Web/sites/read',
    apiVersions: ['2024-11-01'],
    items: (sub) => sub.sites.filter((s) => !isSlot(s)),
  },
  {
    pattern: /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/microsoft\.web\/sites\/?$/i,
    action: 'WebApps_ListByResourceGroup',
    permission: 'Microsoft.Web/sites/read',
    apiVersions: ['2024-11-01'],
    keep: ['includeSlots'],
    items: (sub, m, query) => {
      const slots = query.get('includeSlots') === 'true';
      return sub.sites.filter(
        (s) =>
          (slots || !isSlot(s)) &&
          (s as { properties: { resourceGroup: string } }).properties.resourceGroup.toLowerCase() ===
            decodeURIComponent(m[2]).toLowerCase(),
      );
    },
  },
];
