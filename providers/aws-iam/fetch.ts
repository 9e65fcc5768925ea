/**
 * The IAM calls, and the only module of this provider that touches the SDK. IAM is a global
 * service: the client signs for the partition's home region (us-east-1 for `aws`), and goes to
 * the configured endpoint when there is one (else AWS_ENDPOINT_URL_IAM / AWS_ENDPOINT_URL apply).
 */
import { GetServerCertificateCommand, IAMClient, ListServerCertificatesCommand } from '@aws-sdk/client-iam';
import { abortable, awsCall, pages } from '../aws-shared/call.js';
import { clientSettings, lean } from '../aws-shared/clients.js';
import type { AwsHandle } from '../aws-shared/handle.js';
import type { IamMetadata, IamServerCertificate } from './map.js';

/** ListServerCertificates' MaxItems allows 1-1000 (default 100); IAM may still return fewer with IsTruncated. */
const PAGE_SIZE = 1000;
/** IAM's control plane is throttled per account, not per API group we know of: one bucket for both calls. */
export const IAM_API = 'iam:Read';

export class IamFetch {
  readonly client: IAMClient;

  constructor(
    readonly h: AwsHandle,
    readonly signal?: AbortSignal,
  ) {
    this.client = lean(new IAMClient(clientSettings(h, h.region)));
  }

  /** Follows Marker only while IsTruncated is true, as the API reference asks. */
  listServerCertificates(): AsyncGenerator<IamMetadata[]> {
    return pages(this.h, 'ListServerCertificates', async (Marker) => {
      const out = await awsCall(
        this.h,
        'ListServerCertificates',
        () =>
          abortable(this.client.send(new ListServerCertificatesCommand({ Marker, MaxItems: PAGE_SIZE })), this.signal),
        {
          api: IAM_API,
          signal: this.signal,
        },
      );
      return { items: out.ServerCertificateMetadataList ?? [], next: out.IsTruncated ? out.Marker : undefined };
    });
  }

  async serverCertificate(name: string): Promise<IamServerCertificate | undefined> {
    const out = await awsCall(
      this.h,
      'GetServerCertificate',
      () => abortable(this.client.send(new GetServerCertificateCommand({ ServerCertificateName: name })), this.signal),
      {
        api: IAM_API,
        signal: this.signal,
      },
    );
    return out.ServerCertificate;
  }

  close(): void {
    this.client.destroy();
  }
}
