/**
 * Seeds an AwsScenario into a world the simulated services serve: ARNs derived deterministically
 * from account, region and name, real certificate bytes from the scenario CA, and ACM's own view
 * of each certificate (key algorithm name, status, InUseBy from the listeners that use it).
 */
import { createHash, X509Certificate } from 'node:crypto';
import { parseKey, type ScenarioCa, type MaterialCertificate } from '../template.js';
import type { AcmStatus, AcmType, AwsCertificateSpec, AwsScenario } from './scenario.js';
import { seedIamCertificates } from './iam.js';
import type { ImportedFinding } from './securityhub.js';

export interface AcmCertificate {
  arn: string;
  name: string;
  spec: AwsCertificateSpec;
  material: MaterialCertificate;
  type: AcmType;
  status: AcmStatus;
  keyAlgorithm: string;
  keyPairOrigin: 'AWS_MANAGED' | 'CUSTOMER_PROVIDED' | 'ACME';
  domainName: string;
  sans: string[];
  /** Issuer/Subject/Serial/SignatureAlgorithm as DescribeCertificate prints them (absent for broken bytes). */
  described?: { subject: string; issuer: string; serial: string; signatureAlgorithm: string };
  createdAt: Date;
  inUseBy: string[];
  tags: Record<string, string>;
  /** Tagged now or once (the scenario gave `tags`, even `{}`): what the Resource Groups Tagging API lists. */
  tagged: boolean;
}

export interface ElbListener {
  arn: string;
  loadBalancerArn: string;
  protocol: string;
  port: number;
  sslPolicy?: string;
  defaultCertificate?: string;
  sni: string[];
}

export interface ElbLoadBalancer {
  arn: string;
  name: string;
  type: string;
  scheme: string;
  state: string;
  dnsName: string;
  createdAt: Date;
  tags: Record<string, string>;
  listeners: ElbListener[];
}

export interface IamCertificate {
  arn: string;
  name: string;
  path: string;
  id: string;
  uploadDate: Date;
  material: MaterialCertificate;
  /** Whether the chain was uploaded with the body. */
  chain: boolean;
  tags: Record<string, string>;
}

export interface AwsRegionState {
  certificates: AcmCertificate[];
  certificatesByArn: Map<string, AcmCertificate>;
  loadBalancers: ElbLoadBalancer[];
  listenersByArn: Map<string, ElbListener>;
}

export interface AwsPrincipal {
  account: string;
  arn: string;
  secret: string;
  sessionToken?: string;
  /** Real-clock expiry of temporary credentials (the SDK compares against the real clock). */
  expiresAt?: number;
}

export interface AwsWorld {
  partition: string;
  accounts: Map<
    string,
    {
      id: string;
      name: string;
      status: string;
      regions: Map<string, AwsRegionState>;
      disabledRegions?: string[];
      serverCertificates?: IamCertificate[];
    }
  >;
  /** Access key id -> who it is. AssumeRole adds temporary keys here. */
  keys: Map<string, AwsPrincipal>;
  roles: Map<string, { account: string; name: string; externalId?: string; trustedAccounts?: string[] }>;
  organization?: { managementAccount: string };
  pageLimits: { acm: number; elbv2: number; organizations: number; iam: number };
  /** Security Hub findings imported so far, by `account/region` (src/sim/aws/securityhub.ts). */
  securityHub?: Map<string, Map<string, ImportedFinding>>;
}

const DAY = 86_400_000;

function hex(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex');
}

function uuid(...parts: string[]): string {
  const h = hex(...parts);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[parseInt(h[16], 16) % 4]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** ACM's KeyAlgorithm names; ACM holds no other key types, so a scenario asking for one is refused. */
export function acmKeyAlgorithm(key = 'rsa-2048'): string {
  const spec = parseKey(key);
  if (spec.type === 'rsa' && [1024, 2048, 3072, 4096].includes(spec.bits)) return `RSA_${spec.bits}`;
  if (spec.type === 'ec') {
    const name = { 'P-256': 'EC_prime256v1', 'P-384': 'EC_secp384r1', 'P-521': 'EC_secp521r1' }[spec.curve];
    if (name) return name;
  }
  throw new Error(`ACM cannot hold a ${key} key (it supports RSA 1024-4096 and EC P-256/P-384/P-521)`);
}

/** DescribeCertificate prints names comma-separated, serials as colon-separated lower-case hex. */
function describe(
  der: Buffer,
  key: string,
  signerKeyType: string | undefined,
  signature?: string,
): AcmCertificate['described'] {
  try {
    const c = new X509Certificate(der);
    const hash = (signature ?? (parseKey(key).type === 'ec' ? 'sha384' : 'sha256')).replace('pss-', '').toUpperCase();
    return {
      subject: c.subject.split('\n').join(','),
      issuer: c.issuer.split('\n').join(','),
      serial: c.serialNumber.toLowerCase().match(/../g)!.join(':'),
      // Named after the signer's key: an EC leaf issued by an RSA CA is signed "...WITHRSA".
      signatureAlgorithm: `${hash}WITH${signerKeyType === 'ec' ? 'ECDSA' : 'RSA'}`,
    };
  } catch {
    return undefined;
  }
}

const fill = (s: string, i: number) => s.replaceAll('{i}', String(i));

function expand<T extends { repeat?: number }>(items: T[] | undefined, subst: (t: T, i: number) => T): T[] {
  const out: T[] = [];
  for (const t of items ?? []) {
    if (!t.repeat) out.push(t);
    else for (let i = 1; i <= t.repeat; i++) out.push(subst(t, i));
  }
  return out;
}

function seedCertificate(
  spec: AwsCertificateSpec,
  account: string,
  region: string,
  partition: string,
  ca: ScenarioCa,
  now: Date,
): AcmCertificate {
  const name = spec.name ?? spec.cn;
  const material = ca.materialize(spec, now);
  const type = spec.type ?? 'IMPORTED';
  const status = spec.status ?? (material.notAfter.getTime() <= now.getTime() ? 'EXPIRED' : 'ISSUED');
  const sans = spec.sans ?? [spec.cn];
  return {
    arn: `arn:${partition}:acm:${region}:${account}:certificate/${uuid(account, region, name)}`,
    name,
    spec,
    material,
    type,
    status,
    keyAlgorithm: acmKeyAlgorithm(spec.key),
    keyPairOrigin: spec.keyPairOrigin ?? (type === 'IMPORTED' ? 'CUSTOMER_PROVIDED' : 'AWS_MANAGED'),
    domainName: spec.cn,
    sans: sans.filter((s) => !/^(ip|email|uri):/.test(s)),
    described: spec.malformed
      ? undefined
      : describe(
          material.der,
          spec.key ?? 'rsa-2048',
          spec.selfSigned ? parseKey(spec.key).type : ca.intermediate.privateKey.asymmetricKeyType,
          spec.signature,
        ),
    createdAt: new Date(material.notBefore.getTime() - DAY),
    inUseBy: [...(spec.inUseBy ?? [])],
    tags: { ...(spec.tags ?? {}) },
    tagged: spec.tags !== undefined,
  };
}

export function seedAws(scenario: AwsScenario, ca: ScenarioCa, now: Date): AwsWorld {
  const partition = scenario.partition ?? 'aws';
  const world: AwsWorld = {
    partition,
    accounts: new Map(),
    keys: new Map(),
    roles: new Map(),
    organization: scenario.organization,
    pageLimits: { acm: 1000, elbv2: 400, organizations: 20, iam: 1000, ...scenario.pageLimits },
  };
  for (const a of scenario.accounts) {
    const regions = new Map<string, AwsRegionState>();
    const serverCertificates = seedIamCertificates(a.iamServerCertificates, a.id, partition, ca, now);
    world.accounts.set(a.id, {
      id: a.id,
      name: a.name ?? a.id,
      status: a.status ?? 'ACTIVE',
      regions,
      disabledRegions: a.disabledRegions,
      serverCertificates,
    });
    for (const k of a.accessKeys ?? [])
      world.keys.set(k.id, {
        account: a.id,
        arn: `arn:${partition}:iam::${a.id}:user/${k.user ?? 'auditor'}`,
        secret: k.secret,
      });
    for (const r of a.roles ?? [])
      world.roles.set(`arn:${partition}:iam::${a.id}:role/${r.name}`, { account: a.id, ...r });
    for (const [region, spec] of Object.entries(a.regions ?? {})) {
      const certSpecs = expand(spec.certificates, (c, i) => ({
        ...c,
        repeat: undefined,
        cn: fill(c.cn, i),
        name: c.name && fill(c.name, i),
        sans: c.sans?.map((s) => fill(s, i)),
      }));
      const certificates = certSpecs.map((c) => seedCertificate(c, a.id, region, partition, ca, now));
      const byName = new Map(certificates.map((c) => [c.name, c.arn]));
      const state: AwsRegionState = {
        certificates,
        certificatesByArn: new Map(certificates.map((c) => [c.arn, c])),
        loadBalancers: [],
        listenersByArn: new Map(),
      };
      const resolve = (ref: string) => {
        if (ref.startsWith('arn:')) return ref;
        const arn = byName.get(ref);
        if (!arn) throw new Error(`listener certificate "${ref}" is not a certificate of ${a.id}/${region}`);
        return arn;
      };
      for (const lb of expand(spec.loadBalancers, (l, i) => ({ ...l, repeat: undefined, name: fill(l.name, i) }))) {
        const type = lb.type ?? 'application';
        const kind = type === 'application' ? 'app' : type === 'network' ? 'net' : 'gwy';
        const id = hex(a.id, region, lb.name).slice(0, 16);
        const arn = `arn:${partition}:elasticloadbalancing:${region}:${a.id}:loadbalancer/${kind}/${lb.name}/${id}`;
        const scheme = lb.scheme ?? 'internet-facing';
        const digits = BigInt(`0x${id.slice(0, 12)}`)
          .toString()
          .slice(0, 10);
        const dnsName = `${scheme === 'internal' ? 'internal-' : ''}${lb.name}-${digits}.${type === 'network' ? `elb.${region}` : `${region}.elb`}.amazonaws.com`;
        const listeners = (lb.listeners ?? []).map((l, i): ElbListener => {
          const tls = l.protocol === 'HTTPS' || l.protocol === 'TLS';
          return {
            arn: `arn:${partition}:elasticloadbalancing:${region}:${a.id}:listener/${kind}/${lb.name}/${id}/${hex(arn, String(l.port), String(i)).slice(0, 16)}`,
            loadBalancerArn: arn,
            protocol: l.protocol,
            port: l.port,
            sslPolicy: tls ? (l.sslPolicy ?? 'ELBSecurityPolicy-2016-08') : undefined,
            defaultCertificate: l.certificate ? resolve(l.certificate) : undefined,
            sni: (l.sni ?? []).map(resolve),
          };
        });
        state.loadBalancers.push({
          arn,
          name: lb.name,
          type,
          scheme,
          state: lb.state ?? 'active',
          dnsName,
          createdAt: new Date(now.getTime() - 30 * DAY),
          tags: { ...(lb.tags ?? {}) },
          listeners,
        });
        for (const l of listeners) {
          state.listenersByArn.set(l.arn, l);
          // ACM's InUseBy names the load balancer, once, for every certificate its listeners use.
          for (const c of [l.defaultCertificate, ...l.sni]) {
            const cert = c && state.certificatesByArn.get(c);
            if (cert && !cert.inUseBy.includes(arn)) cert.inUseBy.push(arn);
          }
        }
      }
      regions.set(region, state);
    }
  }
  return world;
}
