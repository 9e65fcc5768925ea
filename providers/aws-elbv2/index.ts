/**
 * Elastic Load Balancing v2: every HTTPS/TLS listener of every Application and Network Load
 * Balancer, as one Binding per (listener, certificate), default and SNI certificates alike,
 * with the listener's TLS policy and the load balancer's tags.
 *
 * Load balancers are listed; each one's listeners are its required read, and each TLS
 * listener's certificate list is the nested required read (a listener whose list cannot be read
 * keeps its default certificate, which DescribeListeners gives, and is named as not read). The
 * TLS policy's protocols and ciphers and the tags are enrichments: without them the bindings are
 * kept, lacking `tls-policy` or `tags`. CloudTrail says which load balancers changed since the
 * previous run (changes.ts); the others keep its bindings.
 */
import type { Binding } from '../../src/model/types.js';
import { scopeHandle, type CollectContext, type Provider, type Scope } from '../../src/engine/api/provider.js';
import { defineKind, nest, type Parent } from '../../src/engine/api/resource-kind.js';
import { awsScopes } from '../aws-shared/scopes.js';
import { ELBV2_PERMISSIONS } from '../aws-shared/permissions.js';
import type { AwsHandle } from '../aws-shared/handle.js';
import { API, ElbFetch } from './fetch.js';
import { planScope, reuse, type ChangePlan } from './changes.js';
import {
  listenerCertificates,
  TLS_PROTOCOLS,
  tlsPolicy,
  toBinding,
  type ElbCertificate,
  type ElbListener,
  type ElbLoadBalancer,
  type ElbSslPolicy,
} from './map.js';

/** Reads of each kind in flight at once in a scope; the shared Describe* bucket sets the actual pace. */
const SLOTS = 4;

interface Session {
  f: ElbFetch;
  ctx: CollectContext;
  /** The change signal's lookups (2 a second), under way while the load balancers are listed. */
  planning: Promise<ChangePlan>;
}

type Tags = Record<string, string>;
type LoadBalancer = Parent<ElbLoadBalancer, ElbListener[], { tags: Tags }>;

const describe = {
  slots: () => SLOTS,
  perSecond: (s: Session) => s.f.h.limits.perSecond(API),
  bucket: API,
};

const listeners = nest({
  children: (lb: LoadBalancer) => (lb.read ?? []).filter((l) => TLS_PROTOCOLS.has(l.Protocol ?? '')),
  describe: (l: ElbListener) => `listener ${l.ListenerArn}`,
  read: {
    ...describe,
    call: (s: Session, l, c): Promise<ElbCertificate[]> =>
      c.all('DescribeListenerCertificates', (m) => s.f.listenerCertificates(l.ListenerArn!, m, c.work)),
  },
  enrichments: {
    'tls-policy': {
      permission: ELBV2_PERMISSIONS.DescribeSSLPolicies,
      loses: "the TLS policy's protocols and ciphers",
      needed: (l) => !!l.SslPolicy,
      slots: () => SLOTS,
      call: (s: Session, l): Promise<ElbSslPolicy | undefined> => s.f.sslPolicy(l.SslPolicy!),
    },
  },
  map: (s: Session, lb, l, certs, enriched): Binding[] =>
    listenerCertificates(l, certs ?? []).map((certificate) =>
      toBinding({
        account: s.f.h.account,
        region: s.f.h.region,
        loadBalancer: lb.item,
        listener: l,
        certificate,
        policy: tlsPolicy(l.SslPolicy, enriched['tls-policy']),
        tags: lb.enriched.tags,
      }),
    ),
});

const loadBalancers = defineKind({
  open: (scope: Scope<AwsHandle>, ctx): Session => {
    const f = new ElbFetch(scopeHandle(scope), ctx.signal);
    const planning = planScope(f.h, ctx);
    void planning.then((plan) => {
      if (plan.full && ctx.incremental)
        ctx.log.info(`aws-elbv2 ${f.h.account}/${f.h.region}: every listener is read (${plan.reason})`);
    });
    return { f, ctx, planning };
  },
  // The change signal's lookups end before the scope does.
  close: async (s) => {
    await s.planning;
    s.f.close();
  },
  maxPages: (s) => s.f.h.maxPages,
  list: (s, c) => c.pages('DescribeLoadBalancers', (m) => s.f.loadBalancers(m)),
  // Gateway Load Balancers have no TLS listeners.
  keep: (lb: ElbLoadBalancer) => !!lb.LoadBalancerArn && lb.Type !== 'gateway',
  describe: (lb) => `load balancer ${lb.LoadBalancerArn}`,
  uid: (lb) => `aws-elbv2:${lb.LoadBalancerArn}`,
  pageEnrichments: {
    tags: {
      permission: ELBV2_PERMISSIONS.DescribeTags,
      loses: "the load balancer's tags",
      fetch: async (s: Session, lbs: ElbLoadBalancer[]): Promise<Array<Tags | undefined>> => {
        const tags = await s.f.tags(lbs.map((lb) => lb.LoadBalancerArn!));
        return lbs.map((lb) => tags.get(lb.LoadBalancerArn!));
      },
    },
  },
  unchanged: async (s, lb, enriched): Promise<Binding[] | undefined> => reuse(await s.planning, lb, enriched.tags),
  collected: async (s, { kept }) => {
    if (!s.ctx.incremental) return;
    const plan = await s.planning;
    s.ctx.reads?.(plan.full ? { full: true, reason: plan.reason, kept: 0 } : { full: false, kept });
  },
  read: {
    ...describe,
    call: (s, lb, c): Promise<ElbListener[]> =>
      c.all('DescribeListeners', (m) => s.f.listeners(lb.LoadBalancerArn!, m, c.work)),
  },
  nested: listeners,
});

export const awsElbv2: Provider<AwsHandle> = {
  id: 'aws-elbv2',
  title: 'Elastic Load Balancing (ALB/NLB listeners)',
  binds: ['aws-acm', 'aws-iam'],
  permissions: ELBV2_PERMISSIONS,
  enabled: (config) => !!config.providers.aws && config.providers.aws.services.elbv2,
  scopes: (ctx) => awsScopes('aws-elbv2', ctx),
  kinds: [loadBalancers],
};

export default awsElbv2;
