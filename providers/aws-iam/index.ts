/**
 * IAM server certificates: every certificate uploaded to IAM in each audited account, with its
 * real bytes (body and chain) from GetServerCertificate. ELBv2 listeners (and CloudFront and
 * Classic Load Balancers) can serve these; the engine links listener references by ARN.
 * Listing and reading are required; IAM has nothing to enrich a certificate with.
 */
import { scopeHandle, type Provider, type Scope } from '../../src/engine/api/provider.js';
import { defineKind } from '../../src/engine/api/resource-kind.js';
import { errorFacts } from '../../src/net/retry.js';
import type { AwsHandle } from '../aws-shared/handle.js';
import { IamFetch } from './fetch.js';
import { toCertificate, type IamMetadata } from './map.js';
import { iamScopes } from './scopes.js';
import { IAM_PERMISSIONS } from '../aws-shared/permissions.js';

/** Certificates read at once in an account; the account's IAM bucket sets the actual pace. */
const CONCURRENCY = 2;

/** The server certificates of one account (IAM is global). */
const serverCertificates = defineKind({
  open: (scope: Scope<AwsHandle>, ctx) => new IamFetch(scopeHandle(scope), ctx.signal),
  close: (f) => f.close(),
  list: (f) => f.listServerCertificates(),
  keep: (m: IamMetadata) => !!m.Arn && !!m.ServerCertificateName,
  describe: (m) => `server certificate ${m.Arn}`,
  uid: (m) => `aws-iam:${m.Arn}`,
  // Deleted between the listing and now: it is no longer there to audit.
  gone: (err) => errorFacts(err).code === 'NoSuchEntity',
  read: { slots: () => CONCURRENCY, call: (f, m) => f.serverCertificate(m.ServerCertificateName!) },
  map: (f, m, detail) => toCertificate({ account: f.h.account, summary: m, detail }),
});

export const awsIam: Provider<AwsHandle> = {
  id: 'aws-iam',
  title: 'IAM server certificates',
  // IAM is global: a listener in any region of the account can use its certificates.
  referencedAs: { refKind: 'iam', reach: 'account' },
  permissions: IAM_PERMISSIONS,
  enabled: (config) => !!config.providers.aws && config.providers.aws.services.iam,
  scopes: (ctx) => iamScopes('aws-iam', ctx),
  kinds: [serverCertificates],
};

export default awsIam;
