/**
 * IAM server certificates: every certificate uploaded to IAM in each audited account, with its
 * real bytes (body and chain) from GetServerCertificate. ELBv2 listeners (and CloudFront and
 * Classic Load Balancers) can serve these; the engine links listener references by ARN.
 */
import pLimit from 'p-limit';
import { asCompleted } from '../../src/engine/runtime/as-completed.js';
import type { Certificate } from '../../src/model/types.js';
import {
  scopeHandle,
  readItem,
  type CollectContext,
  type Provider,
  type Scope,
} from '../../src/engine/api/provider.js';
import { errorFacts } from '../../src/net/retry.js';
import type { AwsHandle } from '../aws-shared/handle.js';
import { IamFetch } from './fetch.js';
import { toCertificate, type IamMetadata } from './map.js';
import { iamScopes } from './scopes.js';
import { IAM_PERMISSIONS } from '../aws-shared/permissions.js';

/** Certificates read at once in an account; the account's IAM bucket sets the actual pace. */
const CONCURRENCY = 2;

async function collectOne(f: IamFetch, m: IamMetadata): Promise<Certificate | undefined> {
  try {
    const detail = await f.serverCertificate(m.ServerCertificateName!);
    return toCertificate({ account: f.h.account, summary: m, detail });
  } catch (err) {
    // Deleted between the listing and now: it is no longer there to audit.
    if (errorFacts(err).code === 'NoSuchEntity') return undefined;
    throw err;
  }
}

export const awsIam: Provider<AwsHandle> = {
  id: 'aws-iam',
  title: 'IAM server certificates',
  // IAM is global: a listener in any region of the account can use its certificates.
  referencedAs: { refKind: 'iam', reach: 'account' },
  permissions: IAM_PERMISSIONS,
  enabled: (config) => !!config.providers.aws && config.providers.aws.services.iam,
  scopes: (ctx) => iamScopes('aws-iam', ctx),
  async *collect(scope: Scope<AwsHandle>, ctx: CollectContext) {
    const f = new IamFetch(scopeHandle(scope), ctx.signal);
    const limit = pLimit(CONCURRENCY);
    try {
      for await (const page of f.listServerCertificates()) {
        // A certificate that cannot be read is missing, named in the scope's result; the rest are not.
        const reads = page
          .filter((m) => m.Arn && m.ServerCertificateName)
          .map((m) => limit(() => readItem(ctx, `server certificate ${m.Arn}`, () => collectOne(f, m))));
        for await (const r of asCompleted(reads)) if (r) yield r;
      }
    } finally {
      f.close();
    }
  },
};

export default awsIam;
