/**
 * How Azure services name a Key Vault certificate, turned into the Key Vault secret id the linker
 * matches against azure-keyvault's aliases. Pure.
 *
 * Application Gateway gives a data-plane URL (`https://{vault}.vault.azure.net/secrets/{name}[/{version}]`,
 * often with a trailing slash); App Service gives the vault's ARM id plus a secret name; Front Door
 * gives the secret's ARM id (`/subscriptions/../Microsoft.KeyVault/vaults/{vault}/secrets/{name}`).
 * Vault names are globally unique DNS labels, so the ARM forms map to `https://{vault}.{suffix}`.
 * Hosts are lower-cased and the default port dropped, as azure-keyvault's map.ts does; the name and
 * version keep their case.
 */
/**
 * Key Vault ids are `https://<vault host>[:443]/<collection>/<name>[/<version>]`. Hosts are
 * case-insensitive DNS names and the default port is noise, so both are normalised; the name and
 * version keep their case, as the service returns them.
 */
export function parseKvId(
  id: string,
): { base: string; collection: string; name: string; version?: string } | undefined {
  let url: URL;
  try {
    url = new URL(id);
  } catch {
    return undefined;
  }
  const [collection, name, version, ...rest] = url.pathname.split('/').filter(Boolean);
  if (!collection || !name || rest.length > 0) return undefined;
  return { base: `${url.protocol}//${url.host.toLowerCase()}`, collection, name, version: version || undefined };
}

export interface KeyVaultSecretRef {
  /** `https://{vault host}/secrets/{name}` or `.../{name}/{version}`: the binding's certificateRef. */
  ref: string;
  /** Vault name (lower case), the first label of the vault host. */
  vault: string;
  name: string;
  version?: string;
  /** The vault's subscription, when the resource names it (ARM ids do; data-plane URLs do not). */
  vaultSubscription?: string;
}

function build(base: string, name: string, version: string | undefined, vaultSubscription?: string): KeyVaultSecretRef {
  const vault = new URL(base).hostname.split('.')[0].toLowerCase();
  const ref = `${base}/secrets/${name}${version ? `/${version}` : ''}`;
  return { ref, vault, name, ...(version ? { version } : {}), ...(vaultSubscription ? { vaultSubscription } : {}) };
}

/** A data-plane secret (or certificate) URL; undefined when it is not one. */
export function fromSecretUrl(url: string | undefined): KeyVaultSecretRef | undefined {
  if (!url) return undefined;
  const id = parseKvId(url.trim());
  if (!id || !/^https:$/i.test(new URL(id.base).protocol)) return undefined;
  // A certificate URL names the same object; bindings are matched by the secret form.
  if (id.collection !== 'secrets' && id.collection !== 'certificates') return undefined;
  return build(id.base, id.name, id.version);
}

const VAULT_ID = /^\/subscriptions\/([^/]+)\/resourcegroups\/[^/]+\/providers\/microsoft\.keyvault\/vaults\/([^/]+)$/i;
const SECRET_ID =
  /^\/subscriptions\/([^/]+)\/resourcegroups\/[^/]+\/providers\/microsoft\.keyvault\/vaults\/([^/]+)\/secrets\/([^/]+)(?:\/([^/]+))?$/i;

/** The vault's ARM id and a secret name (App Service certificates). */
export function fromVaultResourceId(
  vaultId: string | undefined,
  secretName: string | undefined,
  suffix: string,
): KeyVaultSecretRef | undefined {
  const m = vaultId ? VAULT_ID.exec(vaultId.trim().replace(/\/+$/, '')) : null;
  if (!m || !secretName) return undefined;
  return build(`https://${m[2].toLowerCase()}.${suffix}`, secretName, undefined, m[1].toLowerCase());
}

/** A secret's ARM id (Front Door `secretSource.id`), with the version kept apart by the service. */
export function fromSecretResourceId(
  secretId: string | undefined,
  version: string | undefined,
  suffix: string,
): KeyVaultSecretRef | undefined {
  const m = secretId ? SECRET_ID.exec(secretId.trim().replace(/\/+$/, '')) : null;
  if (!m) return undefined;
  return build(`https://${m[2].toLowerCase()}.${suffix}`, m[3], version || m[4] || undefined, m[1].toLowerCase());
}
