/**
 * The benchmark's organisation: `accounts` AWS accounts x `regions` regions, each with ACM
 * certificates and load balancers with two HTTPS listeners, and Azure subscriptions of vaults.
 * `scale` multiplies the per-scope counts (certificates, load balancers), not the scopes.
 */
import type { Scenario } from '../src/sim/scenario.js';
import type { AwsCertificateSpec, AwsLoadBalancerSpec } from '../src/sim/aws/scenario.js';

export interface Shape {
  accounts: number;
  regions: number;
  certificatesPerRegion: number;
  loadBalancersPerRegion: number;
  subscriptions: number;
  vaultsPerSubscription: number;
  certificatesPerVault: number;
}

export const DEFAULT_SHAPE: Shape = {
  accounts: 20,
  regions: 4,
  certificatesPerRegion: 500,
  loadBalancersPerRegion: 100,
  subscriptions: 4,
  vaultsPerSubscription: 10,
  certificatesPerVault: 200,
};

export const REGIONS = [
  'us-east-1',
  'eu-west-1',
  'ap-southeast-2',
  'us-west-2',
  'eu-central-1',
  'sa-east-1',
  'ap-northeast-1',
  'ca-central-1',
];
export const AUDITOR = '100000000000';
export const AUDITOR_KEY = { id: 'AKIABENCHAUDITOR0001', secret: 'bench-auditor-secret-0000000000000000000' };
export const ROLE = 'certwarden-audit';
export const AZURE_TOKEN = 'bench-azure-token';

export const accountId = (i: number) => String(200000000000 + i);
export const subscriptionId = (i: number) => `0b1f6471-1bf0-4dda-aec3-${String(i).padStart(12, '0')}`;

export function scaled(shape: Shape, scale: number): Shape {
  const n = (x: number) => Math.max(1, Math.round(x * scale));
  return {
    ...shape,
    certificatesPerRegion: n(shape.certificatesPerRegion),
    loadBalancersPerRegion: n(shape.loadBalancersPerRegion),
    certificatesPerVault: n(shape.certificatesPerVault),
  };
}

/**
 * A realistic mix: 40% ACM-issued (renewed by ACM, always described), 50% imported, a few
 * expiring, weak or EC. Listeners serve ACM-issued certificates as default and SNI and imported
 * ones on a second port, so about 60% of certificates are in use.
 */
function certificates(n: number): AwsCertificateSpec[] {
  const amazon = Math.round(n * 0.4);
  const soon = Math.round(n * 0.05);
  const ec = Math.round(n * 0.03);
  const weak = Math.round(n * 0.02);
  const imported = n - amazon - soon - ec - weak;
  const out: AwsCertificateSpec[] = [
    {
      name: 'web-{i}',
      cn: 'web{i}.example.com',
      type: 'AMAZON_ISSUED',
      expiresInDays: 300,
      renewal: { status: 'SUCCESS' },
      tags: { team: 'web' },
      repeat: amazon,
    },
    { name: 'imp-{i}', cn: 'imp{i}.example.net', expiresInDays: 120, tags: { owner: 'ops' }, repeat: imported },
    { name: 'soon-{i}', cn: 'soon{i}.example.net', expiresInDays: 12, repeat: soon },
    { name: 'ec-{i}', cn: 'ec{i}.example.org', key: 'ec-p256', expiresInDays: 200, repeat: ec },
    {
      name: 'weak-{i}',
      cn: 'weak{i}.example.org',
      key: 'rsa-1024',
      signature: 'sha1',
      expiresInDays: -5,
      repeat: weak,
    },
  ];
  return out.filter((c) => c.repeat! > 0);
}

function loadBalancers(n: number, certs: AwsCertificateSpec[]): AwsLoadBalancerSpec[] {
  const count = (prefix: string) => certs.find((c) => c.name!.startsWith(prefix))?.repeat ?? 0;
  const web = count('web-');
  const imp = count('imp-');
  const pick = (prefix: string, total: number, k: number) => (total > 0 ? `${prefix}${(k % total) + 1}` : undefined);
  const out: AwsLoadBalancerSpec[] = [];
  for (let i = 0; i < n; i++) {
    const main = pick('web-', web, 2 * i);
    const sni = pick('web-', web, 2 * i + 1);
    const second = pick('imp-', imp, i);
    out.push({
      name: `lb-${i + 1}`,
      tags: { env: i % 3 ? 'prod' : 'staging' },
      listeners: [
        {
          protocol: 'HTTPS',
          port: 443,
          sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
          certificate: main,
          sni: sni && sni !== main ? [sni] : [],
        },
        {
          protocol: 'HTTPS',
          port: 8443,
          sslPolicy: i % 10 ? 'ELBSecurityPolicy-TLS13-1-2-2021-06' : 'ELBSecurityPolicy-2016-08',
          certificate: second,
        },
      ],
    });
  }
  return out;
}

export function benchScenario(shape: Shape): Scenario {
  const certs = certificates(shape.certificatesPerRegion);
  const lbs = loadBalancers(shape.loadBalancersPerRegion, certs);
  const regions = Object.fromEntries(
    REGIONS.slice(0, shape.regions).map((r) => [r, { certificates: certs, loadBalancers: lbs }]),
  );
  const accounts = Array.from({ length: shape.accounts }, (_, i) => ({
    id: accountId(i + 1),
    name: `acct-${i + 1}`,
    roles: [{ name: ROLE, trustedAccounts: [AUDITOR] }],
    regions,
  }));
  return {
    aws: { accounts: [{ id: AUDITOR, name: 'auditor', accessKeys: [AUDITOR_KEY], regions: {} }, ...accounts] },
    azure: {
      token: AZURE_TOKEN,
      subscriptions: Array.from({ length: shape.subscriptions }, (_, s) => ({
        id: subscriptionId(s + 1),
        vaults: Array.from({ length: shape.vaultsPerSubscription }, (_, v) => ({
          name: `kv-bench-${s + 1}-${v + 1}`,
          generate: {
            count: shape.certificatesPerVault,
            prefix: 'cert',
            template: { cn: 'svc{i}.example.com', expiresInDays: 150, tags: { app: 'svc' } },
          },
        })),
      })),
    },
  };
}

export function regionsOf(shape: Shape): string[] {
  return REGIONS.slice(0, shape.regions);
}
