/**
 * A small two-account AWS world for the end-to-end tests: an auditor's own account whose keys
 * assume roles in `prod` (ExternalId required) and `dev`, several regions, more certificates and
 * load balancers than one page, every ACM key type, a listener with SNI certificates, a dangling
 * certificate ARN and an IAM server certificate.
 */
import { configSchema, type Config } from '../../src/config/schema.js';
import type { Binding, Certificate, Inventory, ScopeError } from '../../src/model/types.js';
import { collectScope } from '../../src/engine/runtime/collect.js';
import type { CollectContext, Provider } from '../../src/engine/api/provider.js';
import { startSimServer, type SimServer } from '../../src/sim/server.js';
import { ScenarioCa } from '../../src/sim/template.js';
import { awsServices, seedAws, type AwsScenario, type AwsWorld } from '../../src/sim/aws/index.js';
import type { SimOptions } from '../../src/sim/types.js';

export const NOW = new Date('2025-06-01T00:00:00Z');
export const AUDIT = '111111111111';
export const PROD = '222222222222';
export const DEV = '333333333333';
export const KEY = { id: 'AKIAAUDITOR000000001', secret: 'auditor-secret-key-0000000000000000000000' };
export const DANGLING = `arn:aws:acm:us-east-1:${PROD}:certificate/00000000-dead-4000-8000-000000000000`;
export const IAM_CERT = `arn:aws:iam::${PROD}:server-certificate/legacy/www-2019`;

export function scenario(): AwsScenario {
  return {
    pageLimits: { acm: 5, elbv2: 2 },
    organization: { managementAccount: AUDIT },
    accounts: [
      { id: AUDIT, name: 'audit', accessKeys: [{ id: KEY.id, secret: KEY.secret }], regions: { 'us-east-1': {} } },
      {
        id: PROD,
        name: 'prod',
        roles: [
          { name: 'certwarden-audit', externalId: 'cw-ext-1', trustedAccounts: [AUDIT] },
          { name: 'OrganizationAccountAccessRole' },
        ],
        iamServerCertificates: [{ name: 'www-2019', path: '/legacy/', cn: 'www.example.com', expiresInDays: -30 }],
        regions: {
          'us-east-1': {
            certificates: [
              {
                name: 'www',
                cn: 'www.example.com',
                sans: ['www.example.com', 'example.com'],
                key: 'rsa-2048',
                expiresInDays: 20,
                tags: { team: 'web', owner: 'alice' },
              },
              {
                name: 'api',
                cn: 'api.example.com',
                key: 'ec-p256',
                type: 'AMAZON_ISSUED',
                expiresInDays: 300,
                renewal: { status: 'PENDING_AUTO_RENEWAL' },
              },
              { name: 'old', cn: 'old.example.com', key: 'rsa-1024', signature: 'sha1', expiresInDays: -10 },
              { name: 'r3072', cn: 'r3072.example.com', key: 'rsa-3072', expiresInDays: 100 },
              { name: 'r4096', cn: 'r4096.example.com', key: 'rsa-4096', type: 'PRIVATE', expiresInDays: 100 },
              { name: 'p384', cn: 'p384.example.com', key: 'ec-p384', expiresInDays: 100 },
              { name: 'p521', cn: 'p521.example.com', key: 'ec-p521', expiresInDays: 100, selfSigned: true },
              { name: 'pending', cn: 'new.example.com', type: 'AMAZON_ISSUED', status: 'PENDING_VALIDATION' },
              {
                name: 'failed',
                cn: 'bad.example.com',
                type: 'AMAZON_ISSUED',
                status: 'FAILED',
                failureReason: 'CAA_ERROR',
              },
              { name: 'bulk-{i}', cn: 'bulk{i}.example.com', expiresInDays: 60, repeat: 3 },
            ],
            loadBalancers: [
              {
                name: 'web',
                tags: { env: 'prod' },
                listeners: [
                  {
                    protocol: 'HTTPS',
                    port: 443,
                    sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
                    certificate: 'www',
                    sni: ['api', 'www'],
                  },
                  { protocol: 'HTTP', port: 80 },
                ],
              },
              {
                name: 'legacy',
                scheme: 'internal',
                listeners: [
                  {
                    protocol: 'HTTPS',
                    port: 8443,
                    sslPolicy: 'ELBSecurityPolicy-TLS-1-0-2015-04',
                    certificate: IAM_CERT,
                    sni: [DANGLING],
                  },
                ],
              },
              {
                name: 'nlb',
                type: 'network',
                state: 'provisioning',
                listeners: [{ protocol: 'TLS', port: 443, certificate: 'old' }],
              },
            ],
          },
          'eu-west-1': {
            certificates: [{ name: 'eu', cn: 'eu.example.com', key: 'ec-p256', expiresInDays: 45 }],
            loadBalancers: [
              {
                name: 'eu-{i}',
                repeat: 3,
                listeners: [
                  {
                    protocol: 'HTTPS',
                    port: 443,
                    sslPolicy: 'ELBSecurityPolicy-FS-1-2-Res-2020-10',
                    certificate: 'eu',
                  },
                ],
              },
            ],
          },
        },
      },
      {
        id: DEV,
        name: 'dev',
        roles: [{ name: 'certwarden-audit' }, { name: 'OrganizationAccountAccessRole' }],
        regions: {
          'us-east-1': { certificates: [{ name: 'dev', cn: 'dev.example.com', expiresInDays: 5 }] },
          'eu-west-1': {},
        },
      },
    ],
  };
}

export interface Sim {
  server: SimServer;
  world: AwsWorld;
}

export async function startAws(options: SimOptions = {}, s: AwsScenario = scenario()): Promise<Sim> {
  const world = seedAws(s, new ScenarioCa(NOW), NOW);
  const server = await startSimServer(awsServices(world), options, { now: () => NOW });
  return { server, world };
}

export function awsConfig(endpoint: string, aws: Record<string, unknown> = {}): Config {
  return configSchema.parse({
    providers: {
      aws: {
        endpoint,
        regions: ['us-east-1', 'eu-west-1'],
        accounts: [
          { roleArn: `arn:aws:iam::${PROD}:role/certwarden-audit`, externalId: 'cw-ext-1' },
          { roleArn: `arn:aws:iam::${DEV}:role/certwarden-audit` },
        ],
        maxAttempts: 3,
        retryDelayMs: 5,
        maxPages: 20,
        timeoutMs: 2000,
        ...aws,
      },
    },
  });
}

export function useAuditorKeys(): void {
  process.env.AWS_ACCESS_KEY_ID = KEY.id;
  process.env.AWS_SECRET_ACCESS_KEY = KEY.secret;
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  process.env.AWS_REGION = 'us-east-1';
}

export interface ScopeOutcome {
  account: string;
  location: string;
  status: 'ok' | 'partial' | 'failed';
  error?: ScopeError;
  errors?: ScopeError[];
  records: number;
}

const silent = { info() {}, warn() {}, debug() {} };

/** What the engine does with one provider: visit every scope, keep records, name failed scopes. */
export async function run(
  provider: Provider,
  config: Config,
  extra: Partial<Pick<CollectContext, 'incremental' | 'signal'>> = {},
): Promise<{ records: Array<Certificate | Binding>; scopes: ScopeOutcome[] }> {
  const records: Array<Certificate | Binding> = [];
  const scopes: ScopeOutcome[] = [];
  const work: Promise<void>[] = [];
  for await (const scope of provider.scopes({ config, log: silent, signal: extra.signal })) {
    work.push(
      (async () => {
        const sink: Inventory = { certificates: [], bindings: [], scopes: [] };
        const r = await collectScope(provider, scope, { config, log: silent, now: NOW, ...extra }, sink);
        records.push(...sink.certificates, ...sink.bindings);
        scopes.push({
          account: r.account,
          location: r.location,
          status: r.status,
          ...(r.error ? { error: r.error } : {}),
          ...(r.errors ? { errors: r.errors } : {}),
          records: r.stats.certificates + r.stats.bindings,
        });
      })(),
    );
  }
  await Promise.all(work);
  const key = (s: { account: string; location: string }) => `${s.account}/${s.location}`;
  scopes.sort((a, b) => key(a).localeCompare(key(b)));
  records.sort((a, b) => a.uid.localeCompare(b.uid));
  return { records, scopes };
}
