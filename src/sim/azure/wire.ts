/**
 * JSON shapes of the Key Vault data plane and ARM, spelled as the REST API specs spell them
 * (specification/keyvault/data-plane Certificates, specification/keyvault/resource-manager,
 * specification/resources Subscriptions) and as recorded from the live service.
 */
import type { SimRequest, SimResponse } from '../types.js';
import type { KvCertificate, KvVault, KvVersion } from './types.js';

/** Both services answer `application/json; charset=utf-8`; the SDKs parse by that header. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): SimResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-cache', ...headers },
    body: JSON.stringify(body),
  };
}

/**
 * ARM's own origin as the client named it. Links are absolute and name the scheme the client used:
 * behind a TLS-terminating hop (the provider's loopback routing) that is `X-Forwarded-Proto`; a
 * bare client talks plain http.
 */
export function requestOrigin(req: SimRequest): string {
  const proto = String(req.headers['x-forwarded-proto'] ?? 'http')
    .split(',')[0]
    .trim();
  return `${proto}://${req.headers.host ?? req.host}`;
}

/** Key Vault errors: `{ error: { code, message, innererror? } }`. */
export function kvError(
  status: number,
  code: string,
  message: string,
  inner?: string,
  headers?: Record<string, string>,
): SimResponse {
  return json(status, { error: { code, message, ...(inner ? { innererror: { code: inner } } : {}) } }, headers);
}

/** ARM errors: `{ error: { code, message } }`. */
export function armError(status: number, code: string, message: string, headers?: Record<string, string>): SimResponse {
  return json(status, { error: { code, message } }, headers);
}

/**
 * attributes.recoveryLevel follows the vault's soft-delete settings: 90 days of retention is
 * "Recoverable", a custom retention is "CustomizedRecoverable"; without purge protection a
 * "+Purgeable" suffix; without soft delete only "Purgeable" (and no recoverableDays).
 */
export function recovery(vault: KvVault): { recoveryLevel: string; recoverableDays?: number } {
  if (!vault.softDelete) return { recoveryLevel: 'Purgeable' };
  const base = vault.softDeleteRetentionInDays === 90 ? 'Recoverable' : 'CustomizedRecoverable';
  return {
    recoveryLevel: vault.purgeProtection ? base : `${base}+Purgeable`,
    recoverableDays: vault.softDeleteRetentionInDays,
  };
}

function attributes(vault: KvVault, v: KvVersion) {
  return { enabled: v.enabled, nbf: v.nbf, exp: v.exp, created: v.created, updated: v.updated, ...recovery(vault) };
}

const base = (vault: KvVault) => `https://${vault.host}`;

/** A thumbprint only once a version is issued: a certificate being created has none. */
const thumbprint = (c: KvCertificate, v: KvVersion) => (c.pending ? {} : { x5t: v.x5t });

/** An item of `GET /certificates`: the versionless id, thumbprint, attributes and tags only. */
export function certificateItem(vault: KvVault, c: KvCertificate) {
  const current = c.versions[c.versions.length - 1];
  return {
    id: `${base(vault)}/certificates/${c.name}`,
    ...thumbprint(c, current),
    attributes: attributes(vault, current),
    ...(c.tags ? { tags: c.tags } : {}),
  };
}

/** An item of `GET /certificates/{name}/versions`: the versioned id. */
export function versionItem(vault: KvVault, c: KvCertificate, v: KvVersion) {
  return {
    id: `${base(vault)}/certificates/${c.name}/${v.version}`,
    ...thumbprint(c, v),
    attributes: attributes(vault, v),
    ...(c.tags ? { tags: c.tags } : {}),
  };
}

export function policyBody(vault: KvVault, c: KvCertificate) {
  return { id: `${base(vault)}/certificates/${c.name}/policy`, ...c.policy };
}

/**
 * `GET /certificates/{name}/{version?}`: the CertificateBundle with `cer` and the policy. While the
 * certificate is being created the service answers with its versioned id, disabled attributes, the
 * policy and a `pending` link, and no kid, sid, x5t or cer (as recorded from the live service in
 * Azure/azure-sdk-for-js, sdk/keyvault/keyvault-certificates/recordings/node/
 * certificates_client__create_read_update_and_delete/recording_can_read_cancel_and_delete_a_certificates_operation.js).
 */
export function certificateBundle(vault: KvVault, c: KvCertificate, v: KvVersion) {
  if (c.pending) {
    return {
      id: `${base(vault)}/certificates/${c.name}/${v.version}`,
      attributes: attributes(vault, v),
      ...(c.tags ? { tags: c.tags } : {}),
      policy: policyBody(vault, c),
      pending: { id: `${base(vault)}/certificates/${c.name}/pending` },
    };
  }
  return {
    id: `${base(vault)}/certificates/${c.name}/${v.version}`,
    kid: `${base(vault)}/keys/${c.name}/${v.version}`,
    sid: `${base(vault)}/secrets/${c.name}/${v.version}`,
    x5t: v.x5t,
    cer: v.der.toString('base64'),
    attributes: attributes(vault, v),
    ...(c.tags ? { tags: c.tags } : {}),
    policy: policyBody(vault, c),
  };
}

/** The ARM resource of a vault (Vaults - List By Subscription). */
export function vaultResource(vault: KvVault, tenant: string) {
  return {
    id: `/subscriptions/${vault.subscriptionId}/resourceGroups/${vault.resourceGroup}/providers/Microsoft.KeyVault/vaults/${vault.name}`,
    name: vault.name,
    type: 'Microsoft.KeyVault/vaults',
    location: vault.location,
    tags: vault.tags ?? {},
    properties: {
      sku: { family: 'A', name: vault.sku },
      tenantId: tenant,
      ...(vault.rbac ? {} : { accessPolicies: [] }),
      enabledForDeployment: false,
      enabledForDiskEncryption: false,
      enabledForTemplateDeployment: false,
      ...(vault.softDelete
        ? { enableSoftDelete: true, softDeleteRetentionInDays: vault.softDeleteRetentionInDays }
        : { enableSoftDelete: false }),
      enableRbacAuthorization: vault.rbac,
      ...(vault.purgeProtection ? { enablePurgeProtection: true } : {}),
      vaultUri: vault.uri ?? `https://${vault.host}/`,
      provisioningState: 'Succeeded',
      publicNetworkAccess: vault.access === 'firewall' ? 'Disabled' : 'Enabled',
    },
  };
}
