/**
 * Facets: what one provider knows about a record beyond the common model, typed. Each facet is
 * written by one provider's mapper and read by the rules that declare it in `requires`. Service
 * enums stay strings (a service adds values without notice); the values known today are named.
 */
import type { ChainFacts } from './types.js';

/** ACM's own account of a certificate (CertificateSummary and DescribeCertificate). */
export interface AcmFacet {
  /** IMPORTED | AMAZON_ISSUED | PRIVATE */
  type?: string;
  /** PENDING_VALIDATION | ISSUED | INACTIVE | EXPIRED | VALIDATION_TIMED_OUT | REVOKED | FAILED */
  status?: string;
  /** RSA_2048, EC_prime256v1, ... as ACM names them. */
  keyAlgorithm?: string;
  /** ELIGIBLE | INELIGIBLE */
  renewalEligibility?: string;
  /** `status`: PENDING_AUTO_RENEWAL | PENDING_VALIDATION | SUCCESS | FAILED. */
  renewalSummary?: { status?: string; reason?: string; updatedAt?: string };
  /** ENABLED | DISABLED */
  ctLogging?: string;
  failureReason?: string;
  revocationReason?: string;
  certificateAuthorityArn?: string;
  managedBy?: string;
  keyPairOrigin?: string;
  exported?: boolean;
  notBefore?: string;
  notAfter?: string;
  issuedAt?: string;
  importedAt?: string;
  revokedAt?: string;
  /** Set when the summary's SAN list was cut short. */
  hasAdditionalSans?: boolean;
}

/** IAM's ServerCertificateMetadata. */
export interface IamFacet {
  path?: string;
  serverCertificateId?: string;
  uploadDate?: string;
  expiration?: string;
}

/** A Key Vault certificate policy, normalised: what every renewal of the certificate follows. */
export interface KeyVaultPolicy {
  /** RSA | RSA-HSM | EC | EC-HSM */
  keyType?: string;
  keySize?: number;
  /** P-256 | P-256K | P-384 | P-521 */
  curve?: string;
  exportable?: boolean;
  reuseKey?: boolean;
  validityMonths?: number;
  /** Self | Unknown | DigiCert | GlobalSign | a configured issuer. */
  issuerName?: string;
  certificateType?: string;
  certificateTransparency?: boolean;
  contentType?: string;
  subject?: string;
  sans?: { dns?: string[]; ip?: string[]; email?: string[]; uri?: string[]; upn?: string[] };
  lifetimeActions: Array<{
    action: 'AutoRenew' | 'EmailContacts';
    daysBeforeExpiry?: number;
    lifetimePercentage?: number;
  }>;
}

/** Key Vault's attributes of the current version, and its policy when it was read. */
export interface KeyVaultFacet {
  vaultUri: string;
  version?: string;
  enabled?: boolean;
  nbf?: string;
  exp?: string;
  created?: string;
  updated?: string;
  recoveryLevel?: string;
  recoverableDays?: number;
  /** x5t as the portal shows it: SHA-1 of the DER, upper-case hex. */
  thumbprintSha1?: string;
  policy?: KeyVaultPolicy;
}

/** A certificate file on disk. */
export interface FileFacet {
  file: string;
  bytes: number;
}

/** A certificate that only a TLS endpoint showed (no provider holds these bytes). */
export interface EndpointFacet {
  /** `host:port` that served it. */
  servedBy: string;
  servername: string | null;
}

/** ELBv2 facts that have no common field; present only while the load balancer is not `active`. */
export interface Elbv2Facet {
  /** provisioning | active_impaired | failed, ... */
  loadBalancerState?: string;
}

/** An Application Gateway HTTPS listener and the Key Vault secret its certificate names. */
export interface AppGatewayFacet {
  listener?: string;
  sslCertificate?: string;
  keyVaultSecretId?: string;
  vault: string;
  pinnedVersion?: string;
  hostNames: string[];
  operationalState: string | null;
  sku?: string;
  sslPolicy?: string | null;
}

/** An App Service certificate imported from Key Vault, and the host name that serves it. */
export interface AppServiceFacet {
  webCertificate?: string;
  webCertificateId?: string;
  vault: string;
  vaultSubscription?: string;
  thumbprint: string | null;
  expirationDate: string | null;
  keyVaultSecretStatus: string | null;
  hostName?: string;
  siteState?: string | null;
}

/** A Front Door customer certificate secret, and the custom domain that serves it. */
export interface FrontDoorFacet {
  secret?: string;
  secretSourceId?: string;
  vault: string;
  vaultSubscription?: string;
  useLatestVersion: boolean;
  pinnedVersion?: string;
  /** With useLatestVersion, the version Front Door last deployed. */
  deployedVersion: string | null;
  domain?: string;
  hostName?: string;
  minimumTlsVersion?: string | null;
}

/** What a TLS handshake showed: only the wire knows these. */
export interface TlsFacet {
  host: string;
  servername?: string;
  /** config | load-balancer | certificate: where the target came from. */
  source?: string;
  tlsVersion?: string;
  cipher?: string;
  fingerprintSha256?: string;
  /** The chain as presented, after the leaf. */
  chain: ChainFacts[];
  verifyError?: string;
  identityError?: string;
}

export interface CertificateFacets {
  acm?: AcmFacet;
  iam?: IamFacet;
  keyVault?: KeyVaultFacet;
  file?: FileFacet;
  endpoint?: EndpointFacet;
}

export interface BindingFacets {
  elbv2?: Elbv2Facet;
  appGateway?: AppGatewayFacet;
  appService?: AppServiceFacet;
  frontDoor?: FrontDoorFacet;
  tls?: TlsFacet;
}

export type CertificateFacetName = keyof CertificateFacets;
export type BindingFacetName = keyof BindingFacets;
export type FacetName = CertificateFacetName | BindingFacetName;

/** Which kind of record carries each facet, and the one provider whose mapper writes it. */
export const FACETS = {
  acm: { kind: 'certificate', provider: 'aws-acm' },
  iam: { kind: 'certificate', provider: 'aws-iam' },
  keyVault: { kind: 'certificate', provider: 'azure-keyvault' },
  file: { kind: 'certificate', provider: 'files' },
  endpoint: { kind: 'certificate', provider: 'tls-endpoint' },
  elbv2: { kind: 'binding', provider: 'aws-elbv2' },
  appGateway: { kind: 'binding', provider: 'azure-appgateway' },
  appService: { kind: 'binding', provider: 'azure-appservice' },
  frontDoor: { kind: 'binding', provider: 'azure-frontdoor' },
  tls: { kind: 'binding', provider: 'tls-endpoint' },
} as const satisfies { [F in CertificateFacetName]: { kind: 'certificate'; provider: string } } & {
  [F in BindingFacetName]: { kind: 'binding'; provider: string };
};

export const FACET_NAMES = Object.keys(FACETS) as FacetName[];

/** Whether the record carries at least one of the facets. */
export function carries(record: CertificateFacets | BindingFacets, facets: readonly FacetName[]): boolean {
  return facets.some((f) => (record as Record<string, unknown>)[f] !== undefined);
}
