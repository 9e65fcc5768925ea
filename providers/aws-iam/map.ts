/**
 * IAM server certificates -> certwarden's Certificate. Pure: X.509 facts come from the body and
 * chain GetServerCertificate returns (src/x509); IAM's own metadata goes to the `iam` facet. IAM keeps no
 * lifecycle state and no account of use, so `state` and `inUse` stay unset.
 */
import type { Certificate } from '../../src/model/types.js';
import { certificateFacts } from '../../src/x509/index.js';

/** The fields of IAM's ServerCertificateMetadata (ListServerCertificates, GetServerCertificate). */
export interface IamMetadata {
  Path?: string;
  ServerCertificateName?: string;
  ServerCertificateId?: string;
  Arn?: string;
  UploadDate?: Date;
  Expiration?: Date;
}

/** GetServerCertificate's ServerCertificate: public body and chain only; IAM never returns the private key. */
export interface IamServerCertificate {
  ServerCertificateMetadata?: IamMetadata;
  CertificateBody?: string;
  CertificateChain?: string;
  Tags?: Array<{ Key?: string; Value?: string }>;
}

const iso = (d: Date | undefined) => (d ? d.toISOString() : undefined);

function compact<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export interface IamInput {
  account: string;
  /** From the listing; the detail's own metadata wins when present. */
  summary: IamMetadata;
  detail?: IamServerCertificate;
}

export function toCertificate({ account, summary, detail }: IamInput): Certificate {
  const m = { ...summary, ...compact({ ...(detail?.ServerCertificateMetadata ?? {}) }) };
  const arn = m.Arn!;
  const body = detail?.CertificateBody;
  const parsed = body
    ? certificateFacts(body + (detail?.CertificateChain ? `\n${detail.CertificateChain}` : ''))
    : undefined;
  const tags = detail?.Tags?.filter((t) => t.Key !== undefined);
  return compact({
    kind: 'certificate' as const,
    provider: 'aws-iam',
    account,
    // IAM is global: one location per account.
    location: 'global',
    uid: `aws-iam:${arn}`,
    name: m.ServerCertificateName || arn,
    ref: arn,
    ...(parsed?.facts ?? {}),
    chain: parsed?.facts ? parsed.chain : undefined,
    parseError: parsed ? parsed.parseError : 'GetServerCertificate returned no certificate body',
    tags: tags?.length ? Object.fromEntries(tags.map((t) => [t.Key!, t.Value ?? ''])) : undefined,
    createdAt: iso(m.UploadDate),
    iam: compact({
      path: m.Path,
      serverCertificateId: m.ServerCertificateId,
      uploadDate: iso(m.UploadDate),
      expiration: iso(m.Expiration),
    }),
  });
}
