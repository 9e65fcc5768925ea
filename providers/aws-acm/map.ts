/**
 * ACM's shapes -> certwarden's Certificate. Pure: X.509 facts come from the bytes (src/x509),
 * ACM's own view (type, status, renewal, use) goes to `state`, `inUse*` and the `acm` facet.
 */
import type { Certificate, CertificateState, ChainFacts } from '../../src/model/types.js';
import { certificateFacts, MAX_CHAIN, type ParsedCertificate } from '../../src/x509/index.js';
import { chainFacts } from '../../src/x509/parse.js';

/** The fields of ACM's CertificateSummary that certwarden reads. */
export interface AcmSummary {
  CertificateArn?: string;
  DomainName?: string;
  SubjectAlternativeNameSummaries?: string[];
  HasAdditionalSubjectAlternativeNames?: boolean;
  Status?: string;
  Type?: string;
  KeyAlgorithm?: string;
  InUse?: boolean;
  Exported?: boolean;
  ExportOption?: string;
  RenewalEligibility?: string;
  NotBefore?: Date;
  NotAfter?: Date;
  CreatedAt?: Date;
  IssuedAt?: Date;
  ImportedAt?: Date;
  RevokedAt?: Date;
  ManagedBy?: string;
  CertificateKeyPairOrigin?: string;
}

/** The fields of ACM's CertificateDetail that only DescribeCertificate has. */
export interface AcmDetail {
  InUseBy?: string[];
  FailureReason?: string;
  RevocationReason?: string;
  CertificateAuthorityArn?: string;
  RenewalSummary?: { RenewalStatus?: string; RenewalStatusReason?: string; UpdatedAt?: Date };
  Options?: { CertificateTransparencyLoggingPreference?: string };
}

export interface AcmTag {
  Key?: string;
  Value?: string;
}

/**
 * Tags as a record of strings; no tags is `{}`. Whatever else a body holds is dropped, and keys
 * stay data: fromEntries defines even `__proto__` as a plain key.
 */
export function tagRecord(tags: AcmTag[]): Record<string, string> {
  const list = Array.isArray(tags) ? tags : [];
  return Object.fromEntries(
    list.filter((t) => typeof t?.Key === 'string').map((t) => [t.Key!, typeof t.Value === 'string' ? t.Value : '']),
  );
}

const STATES: Record<string, CertificateState> = {
  ISSUED: 'active',
  PENDING_VALIDATION: 'pending',
  EXPIRED: 'expired',
  REVOKED: 'revoked',
  FAILED: 'failed',
  VALIDATION_TIMED_OUT: 'failed',
  INACTIVE: 'inactive',
};

const iso = (d: Date | undefined) => (d ? d.toISOString() : undefined);

/** Drops undefined values so records are byte-identical run to run. */
function compact<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export interface AcmInput {
  account: string;
  region: string;
  summary: AcmSummary;
  detail?: AcmDetail;
  pem?: { certificate?: string; chain?: string };
  tags?: AcmTag[];
}

/**
 * Facts of a chain, by its PEM text. An account's certificates share a handful of chains, and
 * parsing one (verifying its root's signature) costs three times the leaf, so each distinct chain
 * is parsed once. Only clean chains are kept; anything odd takes the whole-bundle path below.
 */
const chains = new Map<string, ChainFacts[] | null>();

function chainOf(pem: string): ChainFacts[] | undefined {
  let hit = chains.get(pem);
  if (hit === undefined) {
    const p = certificateFacts(pem);
    const clean = p.facts && !p.parseError && p.chain.length < MAX_CHAIN;
    hit = clean ? [chainFacts(p.facts!), ...p.chain] : null;
    if (chains.size >= 1000) chains.clear();
    chains.set(pem, hit);
  }
  return hit ?? undefined;
}

/** The same facts as parsing leaf + chain as one bundle, with the chain's part remembered. */
function bundleFacts(certificate: string, chain?: string): ParsedCertificate {
  const known = chain ? chainOf(chain) : [];
  if (known) {
    const leaf = certificateFacts(certificate);
    if (leaf.facts && !leaf.parseError && leaf.chain.length === 0) return { facts: leaf.facts, chain: known };
  }
  return certificateFacts(certificate + (chain ? `\n${chain}` : ''));
}

export function toCertificate({ account, region, summary: s, detail: d, pem, tags }: AcmInput): Certificate {
  const arn = s.CertificateArn!;
  const parsed = pem?.certificate ? bundleFacts(pem.certificate, pem.chain) : undefined;
  const renewal = d?.RenewalSummary;
  return compact({
    kind: 'certificate' as const,
    provider: 'aws-acm',
    account,
    location: region,
    uid: `aws-acm:${arn}`,
    name: s.DomainName || arn,
    ref: arn,
    ...(parsed?.facts ?? {}),
    chain: parsed?.facts ? parsed.chain : undefined,
    parseError: parsed?.parseError,
    state: s.Status ? (STATES[s.Status] ?? 'inactive') : undefined,
    inUse: s.InUse,
    inUseBy: d?.InUseBy ?? (s.InUse === false ? [] : undefined),
    tags: tags ? tagRecord(tags) : undefined,
    createdAt: iso(s.CreatedAt),
    acm: compact({
      type: s.Type,
      status: s.Status,
      keyAlgorithm: s.KeyAlgorithm,
      renewalEligibility: s.RenewalEligibility,
      renewalSummary: renewal
        ? compact({
            status: renewal.RenewalStatus,
            reason: renewal.RenewalStatusReason,
            updatedAt: iso(renewal.UpdatedAt),
          })
        : undefined,
      ctLogging: d?.Options?.CertificateTransparencyLoggingPreference,
      failureReason: d?.FailureReason,
      revocationReason: d?.RevocationReason,
      certificateAuthorityArn: d?.CertificateAuthorityArn,
      managedBy: s.ManagedBy,
      keyPairOrigin: s.CertificateKeyPairOrigin,
      exported: s.Exported,
      notBefore: iso(s.NotBefore),
      notAfter: iso(s.NotAfter),
      issuedAt: iso(s.IssuedAt),
      importedAt: iso(s.ImportedAt),
      revokedAt: iso(s.RevokedAt),
      hasAdditionalSans: s.HasAdditionalSubjectAlternativeNames || undefined,
    }),
  });
}
