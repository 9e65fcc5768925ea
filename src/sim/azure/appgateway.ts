/**
 * Simulated Application Gateways: `GET /subscriptions/{id}/providers/Microsoft.Network/applicationGateways`
 * (ApplicationGateways_ListAll), shaped as the Microsoft.Network 2025-03-01 spec and its
 * ApplicationGatewayListAll/ApplicationGatewayGet examples spell them. A gateway that takes its
 * certificates from Key Vault carries a user-assigned identity (the service requires one).
 */
import { createHash } from 'node:crypto';
import type { ArmListRoute, AzureAppGatewaySpec, AzureWorld } from './types.js';
import { resolveKvRef } from './seed.js';

const etag = (...parts: string[]) =>
  `W/"${createHash('sha256').update(parts.join('/')).digest('hex').slice(0, 8)}-0000-4000-8000-${createHash('sha1').update(parts.join('/')).digest('hex').slice(0, 12)}"`;

export function seedAppGateways(world: AzureWorld, subscriptionId: string, specs: AzureAppGatewaySpec[]): unknown[] {
  return specs.map((g) => {
    const rg = g.resourceGroup ?? 'rg-network';
    const id = `/subscriptions/${subscriptionId}/resourceGroups/${rg}/providers/Microsoft.Network/applicationGateways/${g.name}`;
    const child = (kind: string, name: string) => ({ id: `${id}/${kind}/${name}`, name, etag: etag(id, kind, name) });
    const frontend = child(
      'frontendIPConfigurations',
      g.public === false ? 'appGwPrivateFrontendIp' : 'appGwPublicFrontendIp',
    );
    const ports = [...new Set(g.listeners.map((l) => l.port ?? (l.protocol === 'Http' ? 80 : 443)))];
    const sslCertificates: unknown[] = [];
    const httpListeners = g.listeners.map((l, i) => {
      const name = l.name ?? `listener-${i + 1}`;
      const protocol = l.protocol ?? 'Https';
      const port = l.port ?? (protocol === 'Http' ? 80 : 443);
      let sslCertificate: { id: string } | undefined;
      if (protocol === 'Https') {
        const cert = child('sslCertificates', `${name}-cert`);
        // Versionless ids keep the trailing slash the portal and Az PowerShell leave behind.
        const kv =
          l.inline || !l.certificate
            ? undefined
            : resolveKvRef(world, subscriptionId, { certificate: l.certificate, version: l.version });
        const properties = kv
          ? { provisioningState: 'Succeeded', keyVaultSecretId: kv.pinned ? kv.url : `${kv.url}/` }
          : {
              provisioningState: 'Succeeded',
              publicCertData: Buffer.from(`simulated pkcs7 for ${name}`).toString('base64'),
            };
        sslCertificates.push({ ...cert, type: 'Microsoft.Network/applicationGateways/sslCertificates', properties });
        sslCertificate = { id: cert.id };
      }
      const hostNames = l.hostNames ?? [];
      return {
        ...child('httpListeners', name),
        type: 'Microsoft.Network/applicationGateways/httpListeners',
        properties: {
          provisioningState: 'Succeeded',
          frontendIPConfiguration: { id: frontend.id },
          frontendPort: { id: `${id}/frontendPorts/port_${port}` },
          protocol,
          // One host name is `hostName`; several are `hostNames` (the service keeps them apart).
          ...(hostNames.length === 1 ? { hostName: hostNames[0] } : hostNames.length > 1 ? { hostNames } : {}),
          ...(sslCertificate ? { sslCertificate } : {}),
          requireServerNameIndication: hostNames.length > 0 && protocol === 'Https',
        },
      };
    });
    return {
      id,
      name: g.name,
      type: 'Microsoft.Network/applicationGateways',
      location: g.location ?? 'westeurope',
      etag: etag(id),
      ...(g.tags ? { tags: g.tags } : {}),
      identity: {
        type: 'UserAssigned',
        userAssignedIdentities: {
          [`/subscriptions/${subscriptionId}/resourceGroups/${rg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${g.name}-identity`]:
            {},
        },
      },
      properties: {
        provisioningState: 'Succeeded',
        resourceGuid: createHash('sha256')
          .update(id)
          .digest('hex')
          .replace(/^(.{8})(.{4})(.{4})(.{4})(.{12}).*$/, '$1-$2-$3-$4-$5'),
        sku: { name: 'WAF_v2', tier: 'WAF_v2', family: 'Generation_1', capacity: 2 },
        operationalState: g.state ?? 'Running',
        gatewayIPConfigurations: [
          {
            ...child('gatewayIPConfigurations', 'appGatewayIpConfig'),
            properties: {
              provisioningState: 'Succeeded',
              subnet: {
                id: `/subscriptions/${subscriptionId}/resourceGroups/${rg}/providers/Microsoft.Network/virtualNetworks/vnet-${g.name}/subnets/appgw`,
              },
            },
          },
        ],
        sslCertificates,
        frontendIPConfigurations: [
          {
            ...frontend,
            type: 'Microsoft.Network/applicationGateways/frontendIPConfigurations',
            properties:
              g.public === false
                ? {
                    provisioningState: 'Succeeded',
                    privateIPAddress: '10.0.0.10',
                    privateIPAllocationMethod: 'Static',
                    subnet: {
                      id: `/subscriptions/${subscriptionId}/resourceGroups/${rg}/providers/Microsoft.Network/virtualNetworks/vnet-${g.name}/subnets/appgw`,
                    },
                  }
                : {
                    provisioningState: 'Succeeded',
                    privateIPAllocationMethod: 'Dynamic',
                    publicIPAddress: {
                      id: `/subscriptions/${subscriptionId}/resourceGroups/${rg}/providers/Microsoft.Network/publicIPAddresses/pip-${g.name}`,
                    },
                  },
          },
        ],
        frontendPorts: ports.map((p) => ({
          ...child('frontendPorts', `port_${p}`),
          type: 'Microsoft.Network/applicationGateways/frontendPorts',
          properties: { provisioningState: 'Succeeded', port: p },
        })),
        httpListeners,
        sslPolicy: { policyType: 'Predefined', policyName: 'AppGwSslPolicy20220101' },
      },
    };
  });
}

export const appGatewayRoutes: ArmListRoute[] = [
  {
    pattern: /^\/subscriptions\/([^/]+)\/providers\/microsoft\.network\/applicationgateways\/?$/i,
    action: 'ApplicationGateways_ListAll',
    permission: 'Microsoft.Network/applicationGateways/read',
    apiVersions: ['2025-03-01'],
    items: (sub) => sub.appGateways,
  },
];
