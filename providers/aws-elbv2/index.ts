/**
 * Elastic Load Balancing v2: every HTTPS/TLS listener of every Application and Network Load
 * Balancer, as one Binding per (listener, certificate), default and SNI certificates alike,
 * with the listener's TLS policy and the load balancer's tags.
 */
import pLimit from 'p-limit';
import { asCompleted } from '../../src/engine/runtime/as-completed.js';
import type { Binding } from '../../src/model/types.js';
import {
  scopeHandle,
  enrich,
  LOST,
  readItem,
  withUnread,
  type CollectContext,
  type Provider,
  type Scope,
} from '../../src/engine/api/provider.js';
import { awsScopes } from '../aws-shared/scopes.js';
import { ELBV2_PERMISSIONS } from '../aws-shared/permissions.js';
import type { AwsHandle } from '../aws-shared/handle.js';
import { ElbFetch } from './fetch.js';
import { listenerCertificates, TLS_PROTOCOLS, tlsPolicy, toBinding, type ElbLoadBalancer } from './map.js';

/** Load balancers worked on at once; the shared Describe* bucket sets the actual pace. */
const CONCURRENCY = 4;

type Tags = Record<string, string> | undefined | typeof LOST;

/**
 * One load balancer's bindings. Its listeners and each listener's certificate list are required
 * (a listener whose list cannot be read keeps its default certificate, which DescribeListeners
 * gives, and is named as not read); the TLS policy's protocols and ciphers and the tags are
 * enrichments: without them the bindings are kept, lacking `tls-policy` or `tags`.
 */
async function bindingsOf(f: ElbFetch, lb: ElbLoadBalancer, tags: Tags, ctx: CollectContext): Promise<Binding[]> {
  const out: Binding[] = [];
  const listeners = (await f.listeners(lb.LoadBalancerArn!)).filter((l) => TLS_PROTOCOLS.has(l.Protocol ?? ''));
  // The load balancer was counted for one certificate listing before its listeners were known; each TLS listener has its own.
  f.work.add(listeners.length - 1);
  for (const l of listeners) {
    const [certs, policy] = await Promise.all([
      readItem(ctx, `listener ${l.ListenerArn}`, () => f.listenerCertificates(l.ListenerArn!)),
      l.SslPolicy ? enrich(ctx, 'tls-policy', () => f.sslPolicy(l.SslPolicy!)) : undefined,
    ]);
    for (const c of listenerCertificates(l, certs ?? [])) {
      let b = toBinding({
        account: f.h.account,
        region: f.h.region,
        loadBalancer: lb,
        listener: l,
        certificate: c,
        policy: tlsPolicy(l.SslPolicy, policy === LOST ? undefined : policy),
        tags: tags === LOST ? undefined : tags,
      });
      if (policy === LOST) b = withUnread(b, 'tls-policy');
      out.push(tags === LOST ? withUnread(b, 'tags') : b);
    }
  }
  return out;
}

export const awsElbv2: Provider<AwsHandle> = {
  id: 'aws-elbv2',
  title: 'Elastic Load Balancing (ALB/NLB listeners)',
  binds: ['aws-acm', 'aws-iam'],
  permissions: ELBV2_PERMISSIONS,
  enabled: (config) => !!config.providers.aws && config.providers.aws.services.elbv2,
  scopes: (ctx) => awsScopes('aws-elbv2', ctx),
  async *collect(scope: Scope<AwsHandle>, ctx: CollectContext) {
    const f = new ElbFetch(scopeHandle(scope), ctx.signal);
    const limit = pLimit(CONCURRENCY);
    try {
      for await (const page of f.loadBalancers()) {
        // Gateway Load Balancers have no TLS listeners.
        const lbs = page.filter((lb) => lb.LoadBalancerArn && lb.Type !== 'gateway');
        // Each needs its listeners described, and (a guess until they are) one certificate listing.
        f.work.add(2 * lbs.length);
        const tags = lbs.length
          ? await enrich(ctx, 'tags', () => f.tags(lbs.map((lb) => lb.LoadBalancerArn!)))
          : new Map<string, Record<string, string>>();
        const tagsOf = (lb: ElbLoadBalancer): Tags => (tags === LOST ? LOST : tags.get(lb.LoadBalancerArn!));
        // A load balancer whose listeners cannot be read is missing, named in the scope's result; the others are not.
        const reads = lbs.map((lb) =>
          limit(() => readItem(ctx, `load balancer ${lb.LoadBalancerArn}`, () => bindingsOf(f, lb, tagsOf(lb), ctx))),
        );
        for await (const bindings of asCompleted(reads)) if (bindings) yield* bindings;
      }
    } finally {
      f.close();
    }
  },
};

export default awsElbv2;
