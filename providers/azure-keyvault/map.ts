/**
 * Key Vault certificate (as @azure/keyvault-certificates returns it) -> normalised Certificate.
 * Pure: the input types below are structural copies of the SDK's fields this provider reads, so
 * no SDK type leaves fetch.ts.
 */
import type { Certificate, CertificateState } from '../../src/model/types.js';
import type { KeyVaultPolicy } from '../../src/model/facets.js';
import { certificateFacts } from '../../src/x509/index.js';
import { parseKvId } from '../azure-shared/keyvault-ref.js';

export const PROVIDER_ID = 'azure-keyvault';

export interface KvPolicyInput {
  keyType?: string;
  keySize?: number;
  keyCurveName?: string;
  exportable?: boolean;
  reuseKey?: boolean;
  validityInMonths?: number;
  issuerName?: string;
  certificateType?: string;
  certificateTransparency?: boolean;
  contentType?: string;
  subject?: string;
  subjectAlternativeNames?: {
    dnsNames?: string[];
    emails?: string[];
    userPrincipalNames?: string[];
    uniformResourceIdentifiers?: string[];
    ipAddresses?: string[];
  };
  lifetimeActions?: Array<{ action?: string; daysBeforeExpiry?: number; lifetimePercentage?: number }>;
}

export interface KvCertificateInput {
  name: string;
  secretId?: string;
  cer?: Uint8Array;
  policy?: KvPolicyInput;
  properties: {
    id?: string;
    version?: string;
    enabled?: boolean;
    notBefore?: Date;
    expiresOn?: Date;
    createdOn?: Date;
    updatedOn?: Date;
    recoveryLevel?: string;
    recoverableDays?: number;
    tags?: Record<string, string>;
    x509ThumbprintString?: string;
  };
}

export interface VaultRef {
  subscriptionId: string;
  name: string;
  vaultUri: string;
}

/** Drops undefined members so records compare and serialise the same however they were built. */
function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

const iso = (d?: Date) => (d && !Number.isNaN(d.getTime()) ? d.toISOString() : undefined);

export function normalisePolicy(p: KvPolicyInput): KeyVaultPolicy {
  const s = p.subjectAlternativeNames;
  const sans = s
    ? compact({
        dns: s.dnsNames,
        ip: s.ipAddresses,
        email: s.emails,
        uri: s.uniformResourceIdentifiers,
        upn: s.userPrincipalNames,
      })
    : undefined;
  return compact({
    keyType: p.keyType,
    keySize: p.keySize,
    curve: p.keyCurveName,
    exportable: p.exportable,
    reuseKey: p.reuseKey,
    validityMonths: p.validityInMonths,
    issuerName: p.issuerName,
    certificateType: p.certificateType,
    certificateTransparency: p.certificateTransparency,
    contentType: p.contentType,
    subject: p.subject,
    sans: sans && Object.keys(sans).length > 0 ? sans : undefined,
    lifetimeActions: (p.lifetimeActions ?? [])
      .filter((a) => a.action === 'AutoRenew' || a.action === 'EmailContacts')
      .map((a) =>
        compact({
          action: a.action as 'AutoRenew' | 'EmailContacts',
          daysBeforeExpiry: a.daysBeforeExpiry,
          lifetimePercentage: a.lifetimePercentage,
        }),
      ),
  });
}

function stateOf(input: KvCertificateInput, notAfter: string | undefined, now: Date): CertificateState {
  // A certificate whose first version was never issued has no bytes yet; Key Vault also shows it
  // disabled, with the validity it was ordered for.
  if (!input.cer || input.cer.length === 0) return 'pending';
  if (input.properties.enabled === false) return 'disabled';
  const exp = input.properties.expiresOn?.getTime() ?? (notAfter ? Date.parse(notAfter) : undefined);
  if (exp !== undefined && exp <= now.getTime()) return 'expired';
  return 'active';
}

/** The uid mapCertificate gives the certificate a list item (or a get) names. */
export function uidOf(id: string | undefined, vaultUri: string, name: string): string {
  const parsed = parseKvId(id ?? `${vaultUri.replace(/\/+$/, '')}/certificates/${name}`);
  const base = parsed?.base ?? vaultUri.replace(/\/+$/, '').toLowerCase();
  return `${PROVIDER_ID}:${base}/certificates/${parsed?.name ?? name}`;
}

/** A kept record's state tonight: expiry is judged against tonight's clock, not the night it was read. */
export function refreshState(prev: Certificate, now: Date): Certificate {
  const m = prev.keyVault;
  const hadBytes = prev.fingerprintSha256 !== undefined || prev.parseError !== undefined;
  const exp = typeof m?.exp === 'string' ? new Date(m.exp) : undefined;
  const state = stateOf(
    {
      name: prev.name,
      cer: hadBytes ? new Uint8Array(1) : undefined,
      properties: { enabled: m?.enabled, expiresOn: exp },
    },
    prev.notAfter,
    now,
  );
  return state === prev.state ? prev : { ...prev, state };
}

export function mapCertificate(input: KvCertificateInput, vault: VaultRef, now: Date): Certificate {
  const p = input.properties;
  const id = parseKvId(p.id ?? `${vault.vaultUri.replace(/\/+$/, '')}/certificates/${input.name}`);
  const base = id?.base ?? vault.vaultUri.replace(/\/+$/, '').toLowerCase();
  const name = id?.name ?? input.name;
  const ref = `${base}/certificates/${name}`;
  const version = id?.version ?? p.version;
  const sid = input.secretId ? parseKvId(input.secretId) : undefined;
  const aliases = [
    version ? `${ref}/${version}` : undefined,
    // Key Vault keeps every certificate's bytes in a secret of the same name and version, which is
    // what gateways and apps name; without a `sid` (a pending certificate) it is derived.
    sid ? `${sid.base}/secrets/${sid.name}` : `${base}/secrets/${name}`,
    sid?.version
      ? `${sid.base}/secrets/${sid.name}/${sid.version}`
      : version
        ? `${base}/secrets/${name}/${version}`
        : undefined,
  ].filter((a): a is string => a !== undefined);
  const parsed = input.cer && input.cer.length > 0 ? certificateFacts(input.cer) : undefined;
  return compact({
    kind: 'certificate' as const,
    uid: `${PROVIDER_ID}:${ref}`,
    provider: PROVIDER_ID,
    account: vault.subscriptionId,
    location: vault.name,
    name,
    ref,
    aliases,
    ...(parsed?.facts ?? {}),
    chain: parsed ? parsed.chain : undefined,
    parseError: parsed?.parseError,
    state: stateOf(input, parsed?.facts?.notAfter, now),
    tags: p.tags && Object.keys(p.tags).length > 0 ? p.tags : undefined,
    createdAt: iso(p.createdOn),
    keyVault: compact({
      vaultUri: vault.vaultUri,
      version,
      enabled: p.enabled,
      nbf: iso(p.notBefore),
      exp: iso(p.expiresOn),
      created: iso(p.createdOn),
      updated: iso(p.updatedOn),
      recoveryLevel: p.recoveryLevel,
      recoverableDays: p.recoverableDays,
      // x5t as the portal shows it: SHA-1 of the DER, upper-case hex.
      thumbprintSha1: p.x509ThumbprintString?.toUpperCase(),
      policy: input.policy ? normalisePolicy(input.policy) : undefined,
    }),
  });
}
