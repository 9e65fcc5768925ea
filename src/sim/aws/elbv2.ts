/**
 * Elastic Load Balancing v2 over the Query protocol (form-encoded POST, XML answers wrapped in
 * `{Action}Result` in the 2015-12-01 namespace). Marker/PageSize paging (1-400); all Describe*
 * calls draw from one token bucket per account and region (burst 40, 10 per second).
 */
import type { SimRequest, SimResponse, SimService } from '../types.js';
import { authenticate, caller, scopeOf } from './auth.js';
import { memberList, paginate, parseForm, queryError, queryOk, readPageToken } from './protocol.js';
import { SSL_POLICIES } from './ssl-policies.js';
import type { AwsRegionState, AwsWorld, ElbListener, ElbLoadBalancer } from './world.js';

export const ELBV2_NAMESPACE = 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/';
const EMPTY: AwsRegionState = {
  certificates: [],
  certificatesByArn: new Map(),
  loadBalancers: [],
  listenersByArn: new Map(),
};

const lbXml = (lb: ElbLoadBalancer) => ({
  LoadBalancerArn: lb.arn,
  DNSName: lb.dnsName,
  CanonicalHostedZoneId: 'Z35SXDOTRQ7X7K',
  CreatedTime: lb.createdAt,
  LoadBalancerName: lb.name,
  Scheme: lb.scheme,
  VpcId: 'vpc-0a1b2c3d',
  State: { Code: lb.state },
  Type: lb.type,
  IpAddressType: 'ipv4',
});

const listenerXml = (l: ElbListener) => ({
  ListenerArn: l.arn,
  LoadBalancerArn: l.loadBalancerArn,
  Port: l.port,
  Protocol: l.protocol,
  // DescribeListeners shows only the default certificate, without IsDefault.
  Certificates: l.defaultCertificate ? [{ CertificateArn: l.defaultCertificate }] : undefined,
  SslPolicy: l.sslPolicy,
  DefaultActions: [
    {
      Type: 'forward',
      TargetGroupArn: l.loadBalancerArn.replace(':loadbalancer/', ':targetgroup/').replace(/\/(app|net|gwy)\//, '/'),
    },
  ],
});

function page<T>(
  form: URLSearchParams,
  all: T[],
  world: AwsWorld,
  salt: string,
  fault?: string,
): { items: T[]; next?: string } | SimResponse {
  const size = form.has('PageSize') ? Number(form.get('PageSize')) : 400;
  if (!Number.isInteger(size) || size < 1 || size > 400)
    return queryError(
      'ValidationError',
      `1 validation error detected: Value '${form.get('PageSize')}' at 'pageSize' failed to satisfy constraint: Member must have value less than or equal to 400`,
      400,
      ELBV2_NAMESPACE,
    );
  const marker = form.get('Marker') ?? undefined;
  const offset = readPageToken(marker, salt);
  if (offset === 'invalid') return queryError('ValidationError', 'Invalid marker', 400, ELBV2_NAMESPACE);
  return paginate(all, offset ?? 0, Math.min(size, world.pageLimits.elbv2), salt, marker, fault);
}

function describe(
  action: string,
  form: URLSearchParams,
  state: AwsRegionState,
  world: AwsWorld,
  scope: string,
  fault?: string,
): SimResponse {
  const err = (code: string, msg: string) => queryError(code, msg, 400, ELBV2_NAMESPACE);
  const ok = (result: Record<string, unknown>) => queryOk(action, ELBV2_NAMESPACE, result);
  switch (action) {
    case 'DescribeLoadBalancers': {
      const arns = memberList(form, 'LoadBalancerArns');
      const names = memberList(form, 'Names');
      if (arns.length && names.length)
        return err(
          'ValidationError',
          'Load balancer names and load balancer ARNs cannot be specified at the same time',
        );
      if (arns.length > 20) return err('ValidationError', 'A maximum of 20 load balancer ARNs can be specified');
      let all = state.loadBalancers;
      if (arns.length || names.length) {
        all = all.filter((lb) => arns.includes(lb.arn) || names.includes(lb.name));
        if (all.length < arns.length + names.length)
          return err('LoadBalancerNotFound', 'One or more load balancers not found');
      }
      const p = page(form, all, world, `lb:${scope}`, fault);
      return 'status' in p ? p : ok({ LoadBalancers: p.items.map(lbXml), NextMarker: p.next });
    }
    case 'DescribeListeners': {
      const lbArn = form.get('LoadBalancerArn');
      const arns = memberList(form, 'ListenerArns');
      if (!lbArn && !arns.length)
        return err('ValidationError', 'You must specify either listener ARNs or a load balancer ARN');
      let all: ElbListener[];
      if (lbArn) {
        const lb = state.loadBalancers.find((x) => x.arn === lbArn);
        if (!lb) return err('LoadBalancerNotFound', `Load balancer '${lbArn}' not found`);
        all = lb.listeners;
      } else {
        all = arns.map((a) => state.listenersByArn.get(a)).filter((l): l is ElbListener => !!l);
        if (all.length < arns.length) return err('ListenerNotFound', 'One or more listeners not found');
      }
      const p = page(form, all, world, `ls:${scope}:${lbArn ?? arns.join(',')}`, fault);
      return 'status' in p ? p : ok({ Listeners: p.items.map(listenerXml), NextMarker: p.next });
    }
    case 'DescribeListenerCertificates': {
      const arn = form.get('ListenerArn');
      if (!arn)
        return err(
          'ValidationError',
          "1 validation error detected: Value null at 'listenerArn' failed to satisfy constraint: Member must not be null",
        );
      const l = state.listenersByArn.get(arn);
      if (!l) return err('ListenerNotFound', `Listener '${arn}' not found`);
      // The default certificate comes with IsDefault=true; if it is also in the certificate list
      // it appears a second time with IsDefault=false (DescribeListenerCertificates reference).
      const all = [
        ...(l.defaultCertificate ? [{ CertificateArn: l.defaultCertificate, IsDefault: true }] : []),
        ...l.sni.map((c) => ({ CertificateArn: c, IsDefault: false })),
      ];
      const p = page(form, all, world, `lc:${scope}:${arn}`, fault);
      return 'status' in p ? p : ok({ Certificates: p.items, NextMarker: p.next });
    }
    case 'DescribeSSLPolicies': {
      const names = memberList(form, 'Names');
      const all = names.length ? names.map((n) => SSL_POLICIES.get(n)) : [...SSL_POLICIES.values()];
      if (all.some((p) => !p)) return err('SSLPolicyNotFound', 'One or more SSL policies not found');
      const p = page(form, all, world, `ssl:${scope}`, fault);
      if ('status' in p) return p;
      const policies = p.items.map((x) => ({
        SslProtocols: x!.protocols,
        Ciphers: x!.ciphers.map((Name, i) => ({ Name, Priority: i + 1 })),
        Name: x!.name,
        SupportedLoadBalancerTypes: ['application', 'network'],
      }));
      return ok({ SslPolicies: policies, NextMarker: p.next });
    }
    case 'DescribeTags': {
      const arns = memberList(form, 'ResourceArns');
      if (!arns.length || arns.length > 20)
        return err('ValidationError', 'Between 1 and 20 resource ARNs must be specified');
      const out = [];
      for (const a of arns) {
        const lb = state.loadBalancers.find((x) => x.arn === a);
        if (lb) out.push({ ResourceArn: a, Tags: Object.entries(lb.tags).map(([Key, Value]) => ({ Key, Value })) });
        else if (state.listenersByArn.has(a)) out.push({ ResourceArn: a, Tags: [] });
        else
          return err(
            a.includes(':listener/') ? 'ListenerNotFound' : 'LoadBalancerNotFound',
            `Resource '${a}' not found`,
          );
      }
      return ok({ TagDescriptions: out });
    }
    default:
      return queryError(
        'InvalidAction',
        `The action ${action} is not valid for this web service.`,
        400,
        ELBV2_NAMESPACE,
      );
  }
}

export function elbv2Service(world: AwsWorld): SimService {
  return {
    name: 'elbv2',
    identify(req: SimRequest) {
      if (
        req.method !== 'POST' ||
        !String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')
      )
        return undefined;
      const form = parseForm(req);
      if (form.get('Version') !== '2015-12-01' || !form.get('Action')) return undefined;
      const action = form.get('Action')!;
      return { service: 'elbv2', action, scope: scopeOf(world, req), permission: `elasticloadbalancing:${action}` };
    },
    authenticate: (req) => authenticate(world, req, 'query', ELBV2_NAMESPACE),
    handle(req, call, ctx) {
      const c = caller(world, req)!;
      const state = world.accounts.get(c.principal!.account)?.regions.get(c.sig.region) ?? EMPTY;
      return describe(call.action, parseForm(req), state, world, call.scope, ctx.fault);
    },
    error(kind) {
      switch (kind) {
        case 'throttle':
          return queryError('Throttling', 'Rate exceeded', 400, ELBV2_NAMESPACE);
        case 'server-error':
          return queryError('ServiceUnavailable', 'Service Unavailable', 503, ELBV2_NAMESPACE);
        case 'denied':
          return queryError(
            'AccessDenied',
            'User is not authorized to perform this action because no identity-based policy allows it',
            403,
            ELBV2_NAMESPACE,
          );
        case 'expired-token':
          return queryError(
            'ExpiredToken',
            'The security token included in the request is expired',
            400,
            ELBV2_NAMESPACE,
          );
      }
    },
    rateLimits: { Describe: { perSecond: 10, burst: 40 } },
    limitKey: (call) => (call.action.startsWith('Describe') ? 'Describe' : call.action),
    malformedBody:
      '<DescribeLoadBalancersResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"><DescribeLoadBalancersResult><LoadBalancers><member><LoadBalancerArn>arn:aws:elast',
  };
}
