/**
 * The ELBv2 calls, one page or one call each, and the only module of this provider that touches
 * the SDK; the runtime follows the pages (src/engine/api/paging.ts). Every Describe* call draws
 * from the account/region's one shared bucket (burst 40, 10 per second). PageSize is passed
 * explicitly: the SDK's paginators do not send it.
 */
import {
  DescribeListenerCertificatesCommand,
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeSSLPoliciesCommand,
  DescribeTagsCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Page } from '../../src/engine/api/paging.js';
import type { Work } from '../../src/net/priority.js';
import { abortable, awsCall } from '../aws-shared/call.js';
import { clientSettings, lean } from '../aws-shared/clients.js';
import type { AwsHandle } from '../aws-shared/handle.js';
import type { ElbCertificate, ElbListener, ElbLoadBalancer, ElbSslPolicy } from './map.js';

const PAGE_SIZE = 400;
/** The rate-limit bucket every Describe* call draws from. */
export const API = 'elbv2:Describe';
/** DescribeTags takes at most 20 resource ARNs a call. */
export const TAGS_PER_CALL = 20;

export class ElbFetch {
  readonly client: ElasticLoadBalancingV2Client;
  private readonly policies = new Map<string, Promise<ElbSslPolicy | undefined>>();

  constructor(
    readonly h: AwsHandle,
    readonly signal?: AbortSignal,
  ) {
    this.client = lean(new ElasticLoadBalancingV2Client(clientSettings(h, h.region)));
  }

  private call<T>(operation: string, fn: () => Promise<T>, work?: Work): Promise<T> {
    return awsCall(this.h, operation, () => abortable(fn(), this.signal), { api: API, signal: this.signal, work });
  }

  async loadBalancers(Marker: string | undefined): Promise<Page<ElbLoadBalancer>> {
    const out = await this.call('DescribeLoadBalancers', () =>
      this.client.send(new DescribeLoadBalancersCommand({ Marker, PageSize: PAGE_SIZE })),
    );
    return { items: out.LoadBalancers ?? [], next: out.NextMarker };
  }

  async listeners(LoadBalancerArn: string, Marker: string | undefined, work?: Work): Promise<Page<ElbListener>> {
    const out = await this.call(
      'DescribeListeners',
      () => this.client.send(new DescribeListenersCommand({ LoadBalancerArn, Marker, PageSize: PAGE_SIZE })),
      work,
    );
    return { items: out.Listeners ?? [], next: out.NextMarker };
  }

  async listenerCertificates(
    ListenerArn: string,
    Marker: string | undefined,
    work?: Work,
  ): Promise<Page<ElbCertificate>> {
    const out = await this.call(
      'DescribeListenerCertificates',
      () => this.client.send(new DescribeListenerCertificatesCommand({ ListenerArn, Marker, PageSize: PAGE_SIZE })),
      work,
    );
    return { items: out.Certificates ?? [], next: out.NextMarker };
  }

  /** Cached per scope: many listeners share a handful of policies. */
  sslPolicy(name: string): Promise<ElbSslPolicy | undefined> {
    let p = this.policies.get(name);
    if (!p) {
      p = this.call('DescribeSSLPolicies', () =>
        this.client.send(new DescribeSSLPoliciesCommand({ Names: [name] })),
      ).then((out) => out.SslPolicies?.[0]);
      this.policies.set(name, p);
    }
    return p;
  }

  /** Tags of up to TAGS_PER_CALL resources per call (the API's limit), by ARN. */
  async tags(arns: string[]): Promise<Map<string, Record<string, string>>> {
    const out = new Map<string, Record<string, string>>();
    for (let i = 0; i < arns.length; i += TAGS_PER_CALL) {
      const r = await this.call('DescribeTags', () =>
        this.client.send(new DescribeTagsCommand({ ResourceArns: arns.slice(i, i + TAGS_PER_CALL) })),
      );
      for (const d of r.TagDescriptions ?? []) {
        if (d.ResourceArn)
          out.set(
            d.ResourceArn,
            Object.fromEntries((d.Tags ?? []).filter((t) => t.Key).map((t) => [t.Key!, t.Value ?? ''])),
          );
      }
    }
    return out;
  }

  close(): void {
    this.client.destroy();
  }
}
