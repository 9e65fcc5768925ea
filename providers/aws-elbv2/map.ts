/**
 * ELBv2 shapes -> one Binding per (listener, certificate). Pure. The certificate ARN is kept as
 * the listener names it, whether it resolves or not: an IAM server certificate is marked
 * `refKind: 'iam'`, a missing ACM certificate stays a dangling `acm` reference for the rules.
 */
import type { Binding, TlsPolicy } from '../../src/model/types.js';

export interface ElbLoadBalancer {
  LoadBalancerArn?: string;
  LoadBalancerName?: string;
  DNSName?: string;
  Scheme?: string;
  Type?: string;
  State?: { Code?: string };
}

export interface ElbListener {
  ListenerArn?: string;
  Protocol?: string;
  Port?: number;
  SslPolicy?: string;
  Certificates?: ElbCertificate[];
}

export interface ElbCertificate {
  CertificateArn?: string;
  IsDefault?: boolean;
}

export interface ElbSslPolicy {
  Name?: string;
  SslProtocols?: string[];
  Ciphers?: { Name?: string; Priority?: number }[];
}

export const TLS_PROTOCOLS = new Set(['HTTPS', 'TLS']);

export function refKind(arn: string): string {
  const service = arn.split(':')[2];
  return service === 'iam' ? 'iam' : service === 'acm' ? 'acm' : service || 'unknown';
}

export function tlsPolicy(name: string | undefined, p: ElbSslPolicy | undefined): TlsPolicy | undefined {
  if (!name) return undefined;
  if (!p) return { name };
  const ciphers = [...(p.Ciphers ?? [])]
    .sort((a, b) => (a.Priority ?? 0) - (b.Priority ?? 0))
    .flatMap((c) => (c.Name ? [c.Name] : []));
  return { name, protocols: p.SslProtocols ?? [], ciphers };
}

/**
 * The listener's certificates with the default first; DescribeListenerCertificates lists the
 * default twice when it is also in the certificate list (once IsDefault=true, once false).
 */
export function listenerCertificates(
  listener: ElbListener,
  described: ElbCertificate[],
): Array<{ arn: string; isDefault: boolean }> {
  const byArn = new Map<string, boolean>();
  for (const c of [...(listener.Certificates ?? []).map((x) => ({ ...x, IsDefault: true })), ...described]) {
    if (!c.CertificateArn) continue;
    byArn.set(c.CertificateArn, (byArn.get(c.CertificateArn) ?? false) || !!c.IsDefault);
  }
  return [...byArn]
    .map(([arn, isDefault]) => ({ arn, isDefault }))
    .sort((a, b) => Number(b.isDefault) - Number(a.isDefault));
}

export interface BindingInput {
  account: string;
  region: string;
  loadBalancer: ElbLoadBalancer;
  listener: ElbListener;
  certificate: { arn: string; isDefault: boolean };
  policy?: TlsPolicy;
  tags?: Record<string, string>;
}

export function toBinding({
  account,
  region,
  loadBalancer: lb,
  listener: l,
  certificate: c,
  policy,
  tags,
}: BindingInput): Binding {
  const b: Binding = {
    kind: 'binding',
    provider: 'aws-elbv2',
    account,
    location: region,
    uid: `aws-elbv2:${l.ListenerArn}#${c.arn}`,
    name: `${lb.LoadBalancerName}:${l.Port}`,
    type: 'elbv2-listener',
    resource: l.ListenerArn!,
    certificateRef: c.arn,
    refKind: refKind(c.arn),
    isDefault: c.isDefault,
    protocol: l.Protocol,
    port: l.Port,
    public: lb.Scheme === 'internet-facing',
    live: lb.State?.Code === 'active',
    loadBalancer: {
      name: lb.LoadBalancerName!,
      arn: lb.LoadBalancerArn,
      dnsName: lb.DNSName,
      scheme: lb.Scheme,
      type: lb.Type,
    },
  };
  if (policy) b.tlsPolicy = policy;
  if (tags) b.tags = tags;
  if (lb.State?.Code && lb.State.Code !== 'active') b.elbv2 = { loadBalancerState: lb.State.Code };
  return b;
}
