/**
 * Elastic Load Balancing v2: every HTTPS/TLS listener of every Application and Network Load
 * Balancer, as one Binding per (listener, certificate), default and SNI certificates alike,
 * with the listener's TLS policy and the load balancer's tags.
 */
import pLimit from 'p-limit';
import { asCompleted } from '../../src/engine/as-completed.js';
import type { Binding } from '../../src/model/types.js';
import { scopeHandle, type CollectContext, type Provider, type Scope } from '../../src/engine/provider.js';
import { awsScopes } from '../aws-shared/scopes.js';
import type { AwsHandle } from '../aws-shared/handle.js';
import { ElbFetch } from './fetch.js';
import { listenerCertificates, TLS_PROTOCOLS, tlsPolicy, toBinding, type ElbLoadBalancer } from './map.js';

/** Load balancers worked on at once; the shared Describe* bucket sets the actual pace. */
const CONCURRENCY = 4;

async function bindingsOf(f: ElbFetch, lb: ElbLoadBalancer, tags: Record<string, string> | undefined): Promise<Binding[]> {
  const out: Binding[] = [];
  const listeners = (await f.listeners(lb.LoadBalancerArn!)).filter((l) => TLS_PROTOCOLS.has(l.Protocol ?? ''));
  // The load balancer was counted for one certificate listing before its listeners were known; each TLS listener has its own.
  f.work.add(listeners.length - 1);
  for (const l of listeners) {
    const [certs, policy] = await Promise.all([f.listenerCertificates(l.ListenerArn!), l.SslPolicy ? f.sslPolicy(l.SslPolicy) : undefined]);
    for (const c of listenerCertificates(l, certs)) {
      out.push(toBinding({ account: f.h.account, region: f.h.region, loadBalancer: lb, listener: l, certificate: c, policy: tlsPolicy(l.SslPolicy, policy), tags }));
    }
  }
  return out;
}

export const awsElbv2: Provider<AwsHandle> = {
  id: 'aws-elbv2',
  title: 'Elastic Load Balancing (ALB/NLB listeners)',
  binds: ['aws-acm', 'aws-iam'],
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
        const tags = lbs.length ? await f.tags(lbs.map((lb) => lb.LoadBalancerArn!)) : new Map<string, Record<string, string>>();
        for await (const bindings of asCompleted(lbs.map((lb) => limit(() => bindingsOf(f, lb, tags.get(lb.LoadBalancerArn!)))))) yield* bindings;
      }
    } finally {
      f.close();
    }
  },
};

export default awsElbv2;
