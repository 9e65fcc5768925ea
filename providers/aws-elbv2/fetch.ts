/**
 * The ELBv2 calls, and the only module of this provider that touches the SDK. Every Describe*
 * call draws from the account/region's one shared bucket (burst 40, 10 per second). PageSize is
 * passed explicitly: the SDK's paginators do not send it.
 */
import {
  DescribeListenerCertificatesCommand,
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeSSLPoliciesCommand,
  DescribeTagsCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { abortable, awsCall, pages } from '../aws-shared/call.js';
import { clientSettings, lean } from '../aws-shared/clients.js';
import type { AwsHandle } from '../aws-shared/handle.js';
import { callPriority, type Work } from '../../src/net/priority.js';
import type { ElbCertificate, ElbListener, ElbLoadBalancer, ElbSslPolicy } from './map.js';

const PAGE_SIZE = 400;
const API = 'elbv2:Describe';

export class ElbFetch {
  readonly client: ElasticLoadBalancingV2Client;
  private readonly policies = new Map<string, Promise<ElbSslPolicy | undefined>>();
  /**
   * The per-load-balancer reads still to make, for the thread's priority (src/net/priority.ts):
   * stated as load balancers are listed and corrected as their listeners are described.
   */
  readonly work: Work;

  constructor(
    readonly h: AwsHandle,
    readonly signal?: AbortSignal,
  ) {
    this.client = lean(new ElasticLoadBalancingV2Client(clientSettings(h, h.region)));
    this.work = callPriority.work(h.limits.perSecond(API));
  }

  private call<T>(operation: string, fn: () => Promise<T>, work?: Work): Promise<T> {
    return awsCall(this.h, operation, fn, { api: API, signal: this.signal, work });
  }

  loadBalancers(): AsyncGenerator<ElbLoadBalancer[]> {
    return pages(this.h, 'DescribeLoadBalancers', async (Marker) => {
      const out = await this.call('DescribeLoadBalancers', () =>
        abortable(this.client.send(new DescribeLoadBalancersCommand({ Marker, PageSize: PAGE_SIZE })), this.signal),
      );
      return { items: out.LoadBalancers ?? [], next: out.NextMarker };
    });
  }

  async listeners(loadBalancerArn: string): Promise<ElbListener[]> {
    const all: ElbListener[] = [];
    for await (const page of pages(this.h, 'DescribeListeners', async (Marker) => {
      const out = await this.call(
        'DescribeListeners',
        () =>
          abortable(
            this.client.send(
              new DescribeListenersCommand({ LoadBalancerArn: loadBalancerArn, Marker, PageSize: PAGE_SIZE }),
            ),
            this.signal,
          ),
        this.work,
      );
      return { items: out.Listeners ?? [], next: out.NextMarker };
    }))
      all.push(...page);
    return all;
  }

  async listenerCertificates(listenerArn: string): Promise<ElbCertificate[]> {
    const all: ElbCertificate[] = [];
    for await (const page of pages(this.h, 'DescribeListenerCertificates', async (Marker) => {
      const out = await this.call(
        'DescribeListenerCertificates',
        () =>
          abortable(
            this.client.send(
              new DescribeListenerCertificatesCommand({ ListenerArn: listenerArn, Marker, PageSize: PAGE_SIZE }),
            ),
            this.signal,
          ),
        this.work,
      );
      return { items: out.Certificates ?? [], next: out.NextMarker };
    }))
      all.push(...page);
    return all;
  }

  /** Cached per scope: many listeners share a handful of policies. */
  sslPolicy(name: string): Promise<ElbSslPolicy | undefined> {
    let p = this.policies.get(name);
    if (!p) {
      p = this.call('DescribeSSLPolicies', () =>
        abortable(this.client.send(new DescribeSSLPoliciesCommand({ Names: [name] })), this.signal),
      ).then((out) => out.SslPolicies?.[0]);
      this.policies.set(name, p);
    }
    return p;
  }

  /** Tags of up to 20 resources per call (the API's limit). */
  async tags(arns: string[]): Promise<Map<string, Record<string, string>>> {
    const out = new Map<string, Record<string, string>>();
    for (let i = 0; i < arns.length; i += 20) {
      const r = await this.call('DescribeTags', () =>
        abortable(this.client.send(new DescribeTagsCommand({ ResourceArns: arns.slice(i, i + 20) })), this.signal),
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
    this.work.end();
    this.client.destroy();
  }
}
