/**
 * Application Gateway (ApplicationGateways_ListAll, Microsoft.Network 2025-03-01) -> one Binding
 * per HTTPS listener whose certificate lives in Key Vault. Pure.
 *
 * Certificates uploaded to the gateway itself (`publicCertData`, no `keyVaultSecretId`) are
 * skipped: there is no Key Vault certificate to link to, and the bytes are a PKCS#7 bundle rather
 * than a certificate; the count is returned so the provider can say so.
 */
import type { Binding } from '../../src/model/types.js';
import { fromSecretUrl } from '../azure-shared/keyvault-ref.js';

export const PROVIDER_ID = 'azure-appgateway';

interface SubRef {
  id?: string;
}

export interface AppGatewayInput {
  id?: string;
  name?: string;
  location?: string;
  tags?: Record<string, string>;
  properties?: {
    operationalState?: string;
    provisioningState?: string;
    sku?: { name?: string; tier?: string };
    sslPolicy?: { policyType?: string; policyName?: string; minProtocolVersion?: string };
    frontendIPConfigurations?: Array<{
      id?: string;
      name?: string;
      properties?: { publicIPAddress?: SubRef; privateIPAddress?: string };
    }>;
    frontendPorts?: Array<{ id?: string; name?: string; properties?: { port?: number } }>;
    sslCertificates?: Array<{
      id?: string;
      name?: string;
      properties?: { keyVaultSecretId?: string; publicCertData?: string };
    }>;
    httpListeners?: Array<{
      id?: string;
      name?: string;
      properties?: {
        protocol?: string;
        hostName?: string;
        hostNames?: string[];
        frontendIPConfiguration?: SubRef;
        frontendPort?: SubRef;
        sslCertificate?: SubRef;
        requireServerNameIndication?: boolean;
      };
    }>;
  };
}

/** ARM ids of sub-resources compare case-insensitively (the service itself is not consistent). */
const key = (id: string | undefined) => (id ?? '').toLowerCase();

export function mapAppGateway(gw: AppGatewayInput, subscriptionId: string): { bindings: Binding[]; inline: number } {
  const p = gw.properties ?? {};
  const ports = new Map((p.frontendPorts ?? []).map((f) => [key(f.id), f.properties?.port]));
  const frontends = new Map(
    (p.frontendIPConfigurations ?? []).map((f) => [key(f.id), !!f.properties?.publicIPAddress?.id]),
  );
  const certs = new Map((p.sslCertificates ?? []).map((c) => [key(c.id), c]));
  // The documented states are Stopped, Starting, Running, Stopping; only a running gateway serves.
  const live = p.operationalState === 'Running';
  const bindings: Binding[] = [];
  let inline = 0;
  for (const l of p.httpListeners ?? []) {
    const lp = l.properties ?? {};
    if (!/^https$/i.test(lp.protocol ?? '') || !lp.sslCertificate?.id) continue;
    const cert = certs.get(key(lp.sslCertificate.id));
    const kv = fromSecretUrl(cert?.properties?.keyVaultSecretId);
    if (!kv) {
      if (cert) inline++;
      continue;
    }
    const hostNames = [...(lp.hostNames ?? []), ...(lp.hostName ? [lp.hostName] : [])];
    const pub = frontends.get(key(lp.frontendIPConfiguration?.id));
    const port = ports.get(key(lp.frontendPort?.id));
    bindings.push({
      kind: 'binding',
      provider: PROVIDER_ID,
      account: subscriptionId,
      location: gw.location ?? '',
      uid: `${PROVIDER_ID}:${key(l.id)}`,
      name: `${gw.name}/${l.name}`,
      type: 'app-gateway-listener',
      resource: l.id ?? '',
      certificateRef: kv.ref,
      refKind: 'keyvault',
      protocol: 'HTTPS',
      ...(port !== undefined ? { port } : {}),
      ...(pub !== undefined ? { public: pub } : {}),
      live,
      loadBalancer: {
        name: gw.name ?? '',
        arn: gw.id,
        type: 'application-gateway',
        ...(pub !== undefined ? { scheme: pub ? 'internet-facing' : 'internal' } : {}),
        ...(hostNames.length > 0 ? { dnsName: hostNames.join(', ') } : {}),
      },
      ...(gw.tags && Object.keys(gw.tags).length > 0 ? { tags: gw.tags } : {}),
      appGateway: {
        listener: l.name,
        sslCertificate: cert?.name,
        keyVaultSecretId: cert?.properties?.keyVaultSecretId,
        vault: kv.vault,
        ...(kv.version ? { pinnedVersion: kv.version } : {}),
        hostNames,
        operationalState: p.operationalState ?? null,
        ...(p.sku?.tier ? { sku: p.sku.tier } : {}),
        ...(p.sslPolicy ? { sslPolicy: p.sslPolicy.policyName ?? p.sslPolicy.policyType ?? null } : {}),
      },
    });
  }
  return { bindings, inline };
}
