/**
 * The ACM calls, and the only module of this provider that touches the SDK. Each call goes
 * through the account/region token bucket of its API and the one retry layer.
 */
import {
  ACMClient,
  DescribeCertificateCommand,
  GetCertificateCommand,
  ListCertificatesCommand,
  ListTagsForCertificateCommand,
  type CertificateStatus,
  type KeyAlgorithm,
} from '@aws-sdk/client-acm';
import { awsCall, pages } from '../aws-shared/call.js';
import { clientSettings } from '../aws-shared/clients.js';
import type { AwsHandle } from '../aws-shared/handle.js';
import { errorFacts } from '../../src/net/retry.js';
import type { AcmDetail, AcmSummary, AcmTag } from './map.js';

/** ListCertificates returns only RSA_1024 and RSA_2048 certificates unless asked for every key type. */
const ALL_KEY_TYPES: KeyAlgorithm[] = ['RSA_1024', 'RSA_2048', 'RSA_3072', 'RSA_4096', 'EC_prime256v1', 'EC_secp384r1', 'EC_secp521r1'];
const ALL_STATUSES: CertificateStatus[] = ['PENDING_VALIDATION', 'ISSUED', 'INACTIVE', 'EXPIRED', 'VALIDATION_TIMED_OUT', 'REVOKED', 'FAILED'];
const PAGE_SIZE = 1000;

export class AcmFetch {
  readonly client: ACMClient;

  constructor(
    readonly h: AwsHandle,
    readonly signal?: AbortSignal,
  ) {
    this.client = new ACMClient(clientSettings(h, h.region));
  }

  listCertificates(): AsyncGenerator<AcmSummary[]> {
    return pages(this.h, 'ListCertificates', async (NextToken) => {
      const out = await awsCall(this.h, 'ListCertificates', () =>
        this.client.send(new ListCertificatesCommand({ CertificateStatuses: ALL_STATUSES, Includes: { keyTypes: ALL_KEY_TYPES }, MaxItems: PAGE_SIZE, NextToken }), { abortSignal: this.signal }),
        { signal: this.signal },
      );
      return { items: out.CertificateSummaryList ?? [], next: out.NextToken };
    });
  }

  /** PEM of the certificate and its chain; undefined when ACM has none to give (not yet issued). */
  async certificate(arn: string): Promise<{ certificate?: string; chain?: string } | undefined> {
    try {
      const out = await awsCall(this.h, 'GetCertificate', () => this.client.send(new GetCertificateCommand({ CertificateArn: arn }), { abortSignal: this.signal }), { signal: this.signal });
      return { certificate: out.Certificate, chain: out.CertificateChain };
    } catch (err) {
      if (errorFacts(err).code === 'RequestInProgressException') return undefined;
      throw err;
    }
  }

  async describe(arn: string): Promise<AcmDetail | undefined> {
    const out = await awsCall(this.h, 'DescribeCertificate', () => this.client.send(new DescribeCertificateCommand({ CertificateArn: arn }), { abortSignal: this.signal }), { signal: this.signal });
    return out.Certificate;
  }

  async tags(arn: string): Promise<AcmTag[]> {
    const out = await awsCall(this.h, 'ListTagsForCertificate', () => this.client.send(new ListTagsForCertificateCommand({ CertificateArn: arn }), { abortSignal: this.signal }), { signal: this.signal });
    return out.Tags ?? [];
  }

  close(): void {
    this.client.destroy();
  }
}
