/**
 * The Azure part of a scenario file (YAML-friendly) and the seeded world the simulated
 * Azure Resource Manager and Key Vault data plane serve.
 */
import type { KeyVaultPolicy } from '../../model/facets.js';
import type { CertTemplate } from '../template.js';

/**
 * A Key Vault certificate policy as a scenario writes it, in the normalised shape certwarden reads
 * back (the simulator serves it in the service's wire shape, see seed.ts `restPolicy`). Omitted
 * fields take Key Vault's defaults: keyType, keySize and curve from the template's key; issuerName
 * Self for self-signed templates, else Unknown (imported); contentType application/x-pkcs12;
 * lifetimeActions AutoRenew at 80% of lifetime, or EmailContacts for Unknown issuers (an empty
 * list: no lifetime action at all). The subject and SANs come from the template.
 */
export type AzurePolicySpec = Partial<Omit<KeyVaultPolicy, 'subject' | 'sans'>>;

export interface AzureCertificateSpec extends CertTemplate {
  name: string;
  /** attributes.enabled (default true). */
  enabled?: boolean;
  tags?: Record<string, string>;
  policy?: AzurePolicySpec;
  /** Older versions before the current one: a count (each a year older), or templates merged over this one, oldest first. */
  versions?: number | Array<Partial<CertTemplate> & { enabled?: boolean }>;
  /**
   * Still being created (its issuer has not answered yet): the one version has no bytes, and
   * Key Vault lists the certificate only when asked with `includePending=true`.
   */
  pending?: boolean;
}

export interface AzureVaultSpec {
  name: string;
  /** Azure region (default westeurope). */
  location?: string;
  resourceGroup?: string;
  /** ok (default); denied: the data plane answers 403 to the caller; firewall: 403 ForbiddenByFirewall. */
  access?: 'ok' | 'denied' | 'firewall';
  /** Azure RBAC permission model (default true) instead of access policies. */
  rbac?: boolean;
  sku?: 'standard' | 'premium';
  softDelete?: boolean;
  softDeleteRetentionInDays?: number;
  purgeProtection?: boolean;
  tags?: Record<string, string>;
  /** The vaultUri ARM reports, when it is not the vault's own `https://<name>.<suffix>/` (a tampered or hostile answer). */
  vaultUri?: string;
  certificates?: AzureCertificateSpec[];
  /** Bulk certificates for large scenarios: `${prefix}-${i}` from one template. */
  generate?: { count: number; prefix?: string; template: Omit<AzureCertificateSpec, 'name'> };
}

/**
 * A Key Vault certificate as a binding resource names it: `vault/name` (which may name nothing:
 * a deleted certificate) and the version it is pinned to: none (follow the latest), `current`,
 * `previous` (the version before the current one), or a literal version id.
 */
export interface AzureKvRefSpec {
  certificate: string;
  version?: string;
}

/** An Application Gateway; each HTTPS listener gets its own SSL certificate entry. */
export interface AzureAppGatewaySpec {
  name: string;
  resourceGroup?: string;
  location?: string;
  /** operationalState (default Running). */
  state?: 'Running' | 'Stopped' | 'Starting' | 'Stopping';
  /** A frontend with a public IP (default true), else a private one. */
  public?: boolean;
  tags?: Record<string, string>;
  /** `inline`: the certificate was uploaded to the gateway (publicCertData), not taken from Key Vault. */
  listeners: Array<
    Partial<AzureKvRefSpec> & {
      name?: string;
      port?: number;
      protocol?: 'Https' | 'Http';
      hostNames?: string[];
      inline?: boolean;
    }
  >;
}

/** An App Service certificate imported from Key Vault, and the web apps whose host names use it. */
export interface AzureWebCertificateSpec extends AzureKvRefSpec {
  name: string;
  resourceGroup?: string;
  location?: string;
  /** Apps whose host names serve it; with `slot`, a deployment slot of the app `name` instead. */
  sites?: Array<{
    name: string;
    slot?: string;
    hostNames: string[];
    state?: 'Running' | 'Stopped';
    sslState?: 'SniEnabled' | 'IpBasedEnabled';
  }>;
}

/** A Front Door Standard/Premium profile (or a classic CDN profile, by `sku`). */
export interface AzureFrontDoorSpec {
  name: string;
  resourceGroup?: string;
  sku?: 'Standard_AzureFrontDoor' | 'Premium_AzureFrontDoor' | 'Standard_Microsoft';
  /** resourceState (default Active). */
  state?: 'Active' | 'Disabled';
  /** Customer certificates; `useLatestVersion` defaults to true unless a version is given. */
  secrets?: Array<AzureKvRefSpec & { name: string; useLatestVersion?: boolean }>;
  /** Custom domains; without `secret` the domain uses a Front Door managed certificate. */
  domains?: Array<{ name: string; hostName: string; secret?: string }>;
}

export interface AzureSubscriptionSpec {
  id: string;
  displayName?: string;
  state?: 'Enabled' | 'Disabled' | 'Warned' | 'PastDue' | 'Deleted';
  /** denied: listing its vaults answers 403 AuthorizationFailed. */
  access?: 'ok' | 'denied';
  vaults?: AzureVaultSpec[];
  appGateways?: AzureAppGatewaySpec[];
  webCertificates?: AzureWebCertificateSpec[];
  frontDoors?: AzureFrontDoorSpec[];
}

export interface AzureScenario {
  /** Directory (tenant) id; a fixed GUID by default. */
  tenant?: string;
  /** DNS suffix of vault hosts (default vault.azure.net). */
  keyVaultSuffix?: string;
  /** The only bearer token accepted; any token when unset. */
  token?: string;
  /** Server-side page sizes (ARM chooses its own; Key Vault caps certificate pages at 25). */
  pageSize?: { subscriptions?: number; vaults?: number; resources?: number };
  /** Seconds sent in Retry-After with 429 answers (default 1). */
  retryAfterSeconds?: number;
  subscriptions: AzureSubscriptionSpec[];
}

/** One certificate version as Key Vault stores it; `cer` is the DER. */
export interface KvVersion {
  version: string;
  der: Buffer;
  x5t: string;
  enabled: boolean;
  nbf: number;
  exp: number;
  created: number;
  updated: number;
}

export interface KvCertificate {
  name: string;
  tags?: Record<string, string>;
  /** Oldest first; the last one is current. */
  versions: KvVersion[];
  /** The policy exactly as the REST API spells it (key_props, x509_props, ...). */
  policy: Record<string, unknown>;
  /** Creation in progress: the one version is not issued yet (no `cer`, no `x5t`, disabled). */
  pending?: boolean;
}

export interface KvVault {
  name: string;
  subscriptionId: string;
  resourceGroup: string;
  location: string;
  host: string;
  /** vaultUri in ARM's answer, when it is not `https://<host>/`. */
  uri?: string;
  access: 'ok' | 'denied' | 'firewall';
  rbac: boolean;
  sku: 'standard' | 'premium';
  softDelete: boolean;
  softDeleteRetentionInDays: number;
  purgeProtection: boolean;
  tags?: Record<string, string>;
  /** Sorted by name, as the service lists them. */
  certificates: KvCertificate[];
  byName: Map<string, KvCertificate>;
}

export interface AzureSubscription {
  id: string;
  displayName: string;
  state: string;
  access: 'ok' | 'denied';
  vaults: KvVault[];
  /** ARM resources of the binding services, exactly as their list operations answer. */
  appGateways: unknown[];
  webCertificates: unknown[];
  sites: unknown[];
  frontDoors: Array<{
    profile: { id: string; name: string; resourceGroup: string };
    body: unknown;
    secrets: unknown[];
    domains: unknown[];
  }>;
}

/** One ARM list operation of a binding service, served with ARM's auth, paging and faults. */
export interface ArmListRoute {
  pattern: RegExp;
  action: string;
  permission: string;
  /** api-versions the simulated resource provider accepts. */
  apiVersions: string[];
  /** The items, or a string: the ResourceNotFound message. */
  items(sub: AzureSubscription, match: RegExpExecArray, query: URLSearchParams): unknown[] | string;
  /** Query parameters (besides api-version) that next links carry over. */
  keep?: string[];
}

export interface AzureWorld {
  tenant: string;
  keyVaultSuffix: string;
  token?: string;
  pageSize: { subscriptions: number; vaults: number; resources: number };
  retryAfterSeconds: number;
  subscriptions: AzureSubscription[];
  /** Vault host (lower-case) -> vault. */
  vaults: Map<string, KvVault>;
}
