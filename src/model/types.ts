import type { Severity } from './severity.js';
import type { BindingFacets, CertificateFacets } from './facets.js';
import type { CoverageEntry } from './coverage.js';

export type { Severity } from './severity.js';

/** Which provider a record came from: `files`, `aws-acm`, `aws-elbv2`, `azure-keyvault`, ... */
export type ProviderId = string;

/** Where a record lives. `account` is an AWS account id, an Azure subscription id, or `local`. */
export interface Origin {
  provider: ProviderId;
  account: string;
  /** AWS region, Key Vault name, or a directory for files. */
  location: string;
}

export type KeyAlgorithm = 'RSA' | 'EC' | 'Ed25519' | 'Ed448' | 'DSA' | 'unknown';

export interface KeyFacts {
  algorithm: KeyAlgorithm;
  /** Modulus size for RSA/DSA (of p for DSA); the size of the group order for EC; 256/448 for EdDSA. */
  bits?: number;
  /** "P-256", "P-384", "P-521", "secp256k1", ..., OpenSSL's name for other named curves, the OID of one
   * it does not know, "explicit" for curve parameters spelled out in the key (EC only). */
  curve?: string;
}

export interface SubjectAltNames {
  dns: string[];
  ip: string[];
  email: string[];
  uri: string[];
}

/** An extension certwarden reads (subjectAltName, basicConstraints, keyUsage, extendedKeyUsage) that it could not. */
export interface ExtensionError {
  /** OpenSSL's short name of the extension. */
  extension: string;
  error: string;
}

/** What the certificate's own bytes say. Every field is derived by src/x509 and nothing else. */
export interface X509Facts {
  subject: string;
  issuer: string;
  commonName?: string;
  sans: SubjectAltNames;
  serial: string;
  fingerprintSha256: string;
  notBefore: string;
  notAfter: string;
  key: KeyFacts;
  /** OpenSSL long name: sha256WithRSAEncryption, ecdsa-with-SHA384, ED25519, rsassaPss, ... (the OID when OpenSSL has none). */
  signatureAlgorithm: string;
  selfSigned: boolean;
  isCA: boolean;
  keyUsage: string[];
  extendedKeyUsage: string[];
  /** Extensions that could not be decoded: each costs its own facts (left empty), nothing else. */
  extensionErrors?: ExtensionError[];
}

/** A chain member: enough to name it and judge its expiry and signature. */
export type ChainFacts = Pick<
  X509Facts,
  | 'subject'
  | 'issuer'
  | 'serial'
  | 'fingerprintSha256'
  | 'notBefore'
  | 'notAfter'
  | 'signatureAlgorithm'
  | 'key'
  | 'isCA'
  | 'selfSigned'
>;

/**
 * Lifecycle state normalised across providers. `active` is a usable certificate;
 * the others say why it is not (or not yet) one.
 */
export type CertificateState = 'active' | 'pending' | 'expired' | 'revoked' | 'failed' | 'inactive' | 'disabled';

export interface Certificate extends Origin, Partial<X509Facts>, CertificateFacets {
  kind: 'certificate';
  /** Globally unique and stable across runs: `<provider>:<native id>`. */
  uid: string;
  /** Human name: the domain, the Key Vault certificate name, the file path. */
  name: string;
  /** The native id that bindings use to point at it (an ARN, a Key Vault id, a path). */
  ref: string;
  /** Other ids that also resolve to this certificate (versioned Key Vault ids, secret ids). */
  aliases?: string[];
  /** Set when bytes were present but could not be parsed; the X.509 fields are then absent. */
  parseError?: string;
  chain?: ChainFacts[];
  state?: CertificateState;
  /** The provider's own account of use (ACM InUse/InUseBy); undefined when it has none. */
  inUse?: boolean;
  inUseBy?: string[];
  tags?: Record<string, string>;
  createdAt?: string;
  /**
   * Enrichments that could not be read for this record (`tags`, `acm-detail`): the fields they fill
   * are absent, not empty, and rules that need them leave the record alone.
   */
  unread?: string[];
  /** Set by an incremental audit when it read the record (src/engine/runtime/incremental.ts); not provider data. */
  incremental?: IncrementalStamp;
  owner?: Owner;
}

/** When a record was read from its service, and a digest of the list entry it was read for. */
export interface IncrementalStamp {
  listDigest: string;
  readAt: string;
}

export interface TlsPolicy {
  name: string;
  protocols?: string[];
  ciphers?: string[];
}

export interface Binding extends Origin, BindingFacets {
  kind: 'binding';
  uid: string;
  name: string;
  /** What kind of thing serves the certificate: `elbv2-listener`, `app-gateway`, `endpoint`, ... */
  type: string;
  /** The native id of the serving resource (a listener ARN). */
  resource: string;
  /** The certificate id as the resource names it (an ACM or IAM ARN, a Key Vault secret id). */
  certificateRef: string;
  /** What kind of store the ref points at: `acm`, `iam`, `keyvault`, `file`, ... */
  refKind?: string;
  /** The certificate the ref resolved to in this run's inventory; absent when it resolved to none. */
  certificateUid?: string;
  isDefault?: boolean;
  protocol?: string;
  port?: number;
  /** Reachable from the internet (internet-facing load balancer, public endpoint). */
  public?: boolean;
  /** The resource is live (a load balancer that is active, a gateway that runs). */
  live?: boolean;
  loadBalancer?: { name: string; arn?: string; dnsName?: string; scheme?: string; type?: string };
  tlsPolicy?: TlsPolicy;
  tags?: Record<string, string>;
  /** Enrichments that could not be read for this record (`tags`, `tls-policy`), as on Certificate. */
  unread?: string[];
  owner?: Owner;
}

export type InventoryRecord = Certificate | Binding;

export interface ScopeError {
  /** The service's own error code where there is one (AccessDeniedException, Forbidden, ...). */
  code: string;
  message: string;
  /** The API operation that failed, e.g. `ListCertificates`. */
  operation?: string;
  /** The permission that operation needs (`tag:GetResources`, `Microsoft.KeyVault/vaults/read`). */
  permission?: string;
  /**
   * Set when the call only enriches records (`tags`, `acm-detail`, `tls-policy`): every record was
   * kept, without what this call gives. Unset: records are missing.
   */
  enrichment?: string;
  /** How many times it happened in the scope (items not read, enrichments lost), when more than once. */
  count?: number;
}

export type ScopeStatus = 'ok' | 'partial' | 'failed';

export interface ScopeResult extends Origin {
  status: ScopeStatus;
  /** The failure that cost records, if any; otherwise the first enrichment lost. */
  error?: ScopeError;
  /** Every distinct problem of the scope, when there is more than one. */
  errors?: ScopeError[];
  stats: { certificates: number; bindings: number };
  /**
   * How an incremental run read the scope, for providers with a change signal: `full` with the
   * reason the signal could not be relied on, or only what changed, keeping `kept` records of the
   * previous run.
   */
  reads?: ScopeReads;
}

export interface ScopeReads {
  full: boolean;
  reason?: string;
  kept: number;
}

export interface Inventory {
  certificates: Certificate[];
  bindings: Binding[];
  scopes: ScopeResult[];
  /** What discovery found, audited or not (src/model/coverage.ts). */
  discovered?: CoverageEntry[];
}

/** What one scope's collection cost: wall time and the calls made on its behalf (src/net/tally.ts). */
export interface ScopeTiming extends Origin {
  elapsedMs: number;
  calls: number;
  throttles: number;
}

export interface ResourceRef extends Origin {
  uid: string;
  kind: 'certificate' | 'binding' | 'scope' | 'rule';
  name: string;
}

export type FindingStatus = 'new' | 'open' | 'resolved' | 'suppressed';

/** Who must act on a finding, and where that answer came from. */
export interface Owner {
  name: string;
  source: 'tag' | 'mapping' | 'default';
  /** The tag key, the mapping key, or 'default'. */
  detail: string;
}

export interface Finding {
  /** Stable hash of rule id and resource uid: the same problem has the same id every night. */
  id: string;
  ruleId: string;
  severity: Severity;
  category: string;
  title: string;
  message: string;
  resource: ResourceRef;
  related: string[];
  evidence: Record<string, unknown>;
  remediation: string;
  compliance?: Record<string, string[]>;
  status?: FindingStatus;
  firstSeen?: string;
  owner?: Owner;
}
