/**
 * Verdicts that need completeness are judged on the region that could hold the other side. An
 * ELBv2 listener uses only ACM certificates of its own account and region, so when ACM and ELBv2
 * fail in eu-west-1, a us-east-1 listener pointing at a deleted us-east-1 certificate is still
 * dangling, a us-east-1 certificate nothing binds is still unused, and both are resolved once
 * fixed. What lives in eu-west-1 is carried. Three nights through the real AWS SDK clients.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../src/config/load.js';
import { runAudit } from '../../src/cli/audit.js';
import { startSimulator } from '../../src/sim/index.js';
import type { Scenario } from '../../src/sim/scenario.js';
import type { AwsCertificateSpec, AwsLoadBalancerSpec } from '../../src/sim/aws/index.js';
import type { SimOptions } from '../../src/sim/types.js';
import type { RememberedReport } from '../../src/store/remember.js';
import { onlyRules } from './scenario.js';

const ACCOUNT = '123456789012';
const KEY = { id: 'AKIAREGIONAL00000001', secret: 'regional-test-secret-opens-nothing' };
const DAY = 86_400_000;
const START = new Date('2026-06-01T00:00:00Z');
const DELETED = `arn:aws:acm:us-east-1:${ACCOUNT}:certificate/00000000-dead-4000-8000-000000000001`;
const dir = mkdtempSync(join(tmpdir(), 'cw-regional-'));
const silent = { info: () => {}, warn: () => {}, debug: () => {} };

const www: AwsCertificateSpec = { name: 'www', cn: 'www.example.com', expiresInDays: 200 };
const spare: AwsCertificateSpec = { name: 'spare', cn: 'spare.example.com', expiresInDays: 200 };
const euSpare: AwsCertificateSpec = { name: 'eu-spare', cn: 'eu-spare.example.com', expiresInDays: 200 };
const web: AwsLoadBalancerSpec = { name: 'web', listeners: [{ protocol: 'HTTPS', port: 443, certificate: 'www' }] };
const edge = (certificate: string): AwsLoadBalancerSpec => ({
  name: 'edge',
  listeners: [{ protocol: 'HTTPS', port: 443, certificate }],
});

function scenario(us: { certificates: AwsCertificateSpec[]; loadBalancers: AwsLoadBalancerSpec[] }): Scenario {
  return {
    aws: {
      accounts: [
        {
          id: ACCOUNT,
          accessKeys: [KEY],
          regions: {
            'us-east-1': us,
            'eu-west-1': {
              certificates: [{ name: 'eu', cn: 'eu.example.com', expiresInDays: 200 }, euSpare],
              loadBalancers: [{ name: 'eu-web', listeners: [{ protocol: 'HTTPS', port: 443, certificate: 'eu' }] }],
            },
          },
        },
      ],
    },
  };
}

/** ACM and ELBv2 both denied in eu-west-1 only. */
const euDown: SimOptions = {
  faults: [
    { kind: 'denied', service: 'acm', scope: `${ACCOUNT}/eu-west-1` },
    { kind: 'denied', service: 'elbv2', scope: `${ACCOUNT}/eu-west-1` },
  ],
};

async function night(n: number, s: Scenario, options: SimOptions = {}): Promise<RememberedReport> {
  const now = new Date(START.getTime() + n * DAY);
  const sim = await startSimulator(s, { now, options });
  try {
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: KEY.id,
      AWS_SECRET_ACCESS_KEY: KEY.secret,
      AWS_REGION: 'us-east-1',
    });
    delete process.env.AWS_SESSION_TOKEN;
    const config = parseConfig(`
providers:
  aws: { endpoint: ${JSON.stringify(sim.server.url)}, regions: [us-east-1, eu-west-1], retryDelayMs: 5, maxAttempts: 2, services: { iam: false } }
store: { path: ${JSON.stringify(join(dir, 'history.db'))} }
rules:
${onlyRules(['dangling-binding', 'unused-certificate'])}
  unused-certificate: { graceDays: 0 }
`);
    return (await runAudit({ config, now, log: silent })).report;
  } finally {
    await sim.server.close();
  }
}

const named = (fs: Array<{ ruleId: string; resource: { name: string } }>) =>
  fs.map((f) => `${f.ruleId} ${f.resource.name.replace(/^arn:.*:loadbalancer\/app\/([^/]+)\/.*$/, '$1')}`).sort();
const findings = (r: RememberedReport) =>
  named(r.findings.map((f) => ({ ...f, resource: { name: `${f.resource.name} ${f.status}` } })));

test('night 1, everything read: the dangling listener and the two spare certificates are new', async () => {
  const r = await night(0, scenario({ certificates: [www, spare], loadBalancers: [web, edge(DELETED)] }));
  expect(r.scopes.filter((s) => s.status !== 'ok')).toEqual([]);
  expect(findings(r)).toEqual([
    'dangling-binding edge:443 new',
    'unused-certificate eu-spare.example.com new',
    'unused-certificate spare.example.com new',
  ]);
}, 60_000);

test('night 2, eu-west-1 denied: us-east-1 verdicts stand, the eu-west-1 one is carried', async () => {
  const r = await night(1, scenario({ certificates: [www, spare], loadBalancers: [web, edge(DELETED)] }), euDown);
  expect(
    r.scopes
      .filter((s) => s.status !== 'ok')
      .map((s) => `${s.provider} ${s.location} ${s.status}`)
      .sort(),
  ).toEqual(['aws-acm eu-west-1 failed', 'aws-elbv2 eu-west-1 failed']);
  expect(findings(r)).toEqual(['dangling-binding edge:443 open', 'unused-certificate spare.example.com open']);
  expect(named(r.history!.carried)).toEqual(['unused-certificate eu-spare.example.com']);
  expect(r.history!.resolved).toEqual([]);
}, 60_000);

test('night 3, eu-west-1 still denied: fixing the listener and deleting the spare resolve both', async () => {
  const r = await night(2, scenario({ certificates: [www], loadBalancers: [web, edge('www')] }), euDown);
  expect(findings(r)).toEqual([]);
  expect(named(r.history!.resolved)).toEqual(['dangling-binding edge:443', 'unused-certificate spare.example.com']);
  expect(named(r.history!.carried)).toEqual(['unused-certificate eu-spare.example.com']);
}, 60_000);
