/**
 * The ACM calls and the one Resource Groups Tagging API call for their tags, and the only module
 * of this provider that touches the SDK. Each call goes through the account/region token bucket
 * of its API and the one retry layer.
 */
import {
  ACMClient,
  CertificateKeyPairOrigin,
  CertificateStatus,
  DescribeCertificateCommand,
  GetCertificateCommand,
  KeyAlgorithm,
  ListCertificatesCommand,
  type ListCertificatesCommandInput,
} from '@aws-sdk/client-acm';
import { GetResourcesCommand, ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { abortable, awsCall, pages } from '../aws-shared/call.js';
import { clientSettings, lean } from '../aws-shared/clients.js';
import type { AwsHandle } from '../aws-shared/handle.js';
import { errorFacts } from '../../src/net/retry.js';
import type { Work } from '../../src/net/priority.js';
import type { AcmDetail, AcmSummary, AcmTag } from './map.js';

/**
 * ListCertificates hides certificates unless asked for them (docs/completeness.md): without
 * `Includes.keyTypes` it returns only RSA_1024/RSA_2048 certificates that have a domain, and
 * without `CertificateKeyPairOrigins` none whose key pair origin is ACME. Every value the SDK's
 * model knows is asked for, so a value added to the API arrives with the SDK that can name it.
 * Statuses have no documented default; all are asked for all the same.
 */
const LIST_EVERYTHING = {
  CertificateStatuses: Object.values(CertificateStatus),
  CertificateKeyPairOrigins: Object.values(CertificateKeyPairOrigin),
  Includes: { keyTypes: Object.values(KeyAlgorithm) },
} satisfies ListCertificatesCommandInput;
const PAGE_SIZE = 1000;
/**
 * The first page is small: its certificates' reads can start a round trip after the listing does,
 * while the rest is listed, instead of after a thousand summaries have been fetched and parsed
 * (tens of milliseconds each on a thread that is starting dozens of scopes at once).
 */
const FIRST_PAGE_SIZE = 25;
/** GetResources' largest page. */
const TAG_PAGE_SIZE = 100;

export class AcmFetch {
  readonly client: ACMClient;
  readonly tagging: ResourceGroupsTaggingAPIClient;

  constructor(
    readonly h: AwsHandle,
    readonly signal?: AbortSignal,
  ) {
    this.client = lean(new ACMClient(clientSettings(h, h.region)));
    this.tagging = lean(new ResourceGroupsTaggingAPIClient(clientSettings(h, h.region)));
  }

  listCertificates(): AsyncGenerator<AcmSummary[]> {
    return pages(this.h, 'ListCertificates', async (NextToken) => {
      const out = await awsCall(
        this.h,
        'ListCertificates',
        () =>
          abortable(
            this.client.send(
              new ListCertificatesCommand({
                ...LIST_EVERYTHING,
                MaxItems: NextToken ? PAGE_SIZE : FIRST_PAGE_SIZE,
                NextToken,
              }),
            ),
            this.signal,
          ),
        { signal: this.signal },
      );
      return { items: out.CertificateSummaryList ?? [], next: out.NextToken };
    });
  }

  /** PEM of the certificate and its chain; undefined when ACM has none to give (not yet issued). */
  async certificate(arn: string, work?: Work): Promise<{ certificate?: string; chain?: string } | undefined> {
    try {
      const out = await awsCall(
        this.h,
        'GetCertificate',
        () => abortable(this.client.send(new GetCertificateCommand({ CertificateArn: arn })), this.signal),
        { signal: this.signal, work },
      );
      return { certificate: out.Certificate, chain: out.CertificateChain };
    } catch (err) {
      if (errorFacts(err).code === 'RequestInProgressException') return undefined;
      throw err;
    }
  }

  async describe(arn: string, work?: Work): Promise<AcmDetail | undefined> {
    const out = await awsCall(
      this.h,
      'DescribeCertificate',
      () => abortable(this.client.send(new DescribeCertificateCommand({ CertificateArn: arn })), this.signal),
      { signal: this.signal, work },
    );
    return out.Certificate;
  }

  /**
   * The tags of the scope's certificates by ARN, 100 certificates a call instead of one call each.
   * GetResources lists only resources that are or once were tagged: a certificate missing from
   * the map has no tags.
   */
  async tagsByArn(): Promise<Map<string, AcmTag[]>> {
    const out = new Map<string, AcmTag[]>();
    const listing = pages(this.h, 'GetResources', async (PaginationToken) => {
      const input = { ResourceTypeFilters: ['acm:certificate'], ResourcesPerPage: TAG_PAGE_SIZE, PaginationToken };
      const r = await awsCall(
        this.h,
        'GetResources',
        () => abortable(this.tagging.send(new GetResourcesCommand(input)), this.signal),
        { api: 'tag:GetResources', signal: this.signal },
      );
      // The last page carries an empty token, which pages() takes as the end.
      return { items: r.ResourceTagMappingList ?? [], next: r.PaginationToken };
    });
    for await (const page of listing) for (const m of page) if (m.ResourceARN) out.set(m.ResourceARN, m.Tags ?? []);
    return out;
  }

  close(): void {
    this.client.destroy();
    this.tagging.destroy();
  }
}
