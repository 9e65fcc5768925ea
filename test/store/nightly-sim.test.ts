/**
 * Three nights against the local cloud, through the real AWS SDK clients: the estate changes
 * between runs (a certificate renewed, one added, a listener removed) and on the third night one
 * scope fails. Findings in the failed scope are carried, never resolved.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../src/config/load.js';
import { runAudit } from '../../src/cli/audit.js';
import { findingId } from '../../src/engine/api/rule.js';
import { startSimulator } from '../../src/sim/index.js';
import type { Scenario } from '../../src/sim/scenario.js';
import type { AwsCertificateSpec, AwsLoadBalancerSpec } from '../../src/sim/aws/index.js';
import type { SimOptions } from '../../src/sim/types.js';
import type { RememberedReport } from '../../src/store/remember.js';
import { backends, type Backend } from './backends.js';
import { onlyRules } from './scenario.js';

const ACCOUNT = '123456789012';
const KEY = { id: 'AKIANIGHTLY000000001', secret: 'nightly-test-secret-opens-nothing' };
const DAY = 86_400_000;
const START = new Date('2026-06-01T00:00:00Z');
const dir = mkdtempSync(join(tmpdir(), 'cw-nightly-'));
const silent = { info: () => {}, warn: () => {}, debug: () => {} };

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
              certificates: [{ name: 'eu', cn: 'eu.example.com', expiresInDays: 10 }],
              loadBalancers: [{ name: 'eu-web', listeners: [{ protocol: 'HTTPS', port: 443, certificate: 'eu' }] }],
            },
          },
        },
      ],
    },
  };
}

const www = (expiresInDays: number): AwsCertificateSpec => ({ name: 'www', cn: 'www.example.com', expiresInDays });
const weak: AwsCertificateSpec = { name: 'weak', cn: 'weak.example.com', key: 'rsa-1024', expiresInDays: 200 };
const old: AwsCertificateSpec = { name: 'old', cn: 'old.example.com', expiresInDays: -5 };
const added: AwsCertificateSpec = { name: 'added', cn: 'added.example.com', key: 'rsa-1024', expiresInDays: 200 };
const web: AwsLoadBalancerSpec = { name: 'web', listeners: [{ protocol: 'HTTPS', port: 443, certificate: 'www' }] };
const legacy: AwsLoadBalancerSpec = {
  name: 'legacy',
  listeners: [{ protocol: 'HTTPS', port: 443, certificate: 'old' }],
};

async function night(backend: Backend, n: number, s: Scenario, options: SimOptions = {}): Promise<RememberedReport> {
  const now = new Date(START.getTime() + n * DAY);
  const sim = await startSimulator(s, { now, options });
  try {
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: KEY.id,
      AWS_SECRET_ACCESS_KEY: KEY.secret,
      AWS_REGION: 'us-east-1',
    });
    delete process.env.AWS_SESSION_TOKEN;
    const weakArn = sim
      .aws!.accounts.get(ACCOUNT)!
      .regions.get('us-east-1')!
      .certificates.find((c) => c.name === 'weak')!.arn;
    const suppressions = join(dir, `suppressions-${backend.name}.yaml`);
    writeFileSync(
      suppressions,
      `suppressions:\n  - id: ${findingId('weak-rsa-key', `aws-acm:${weakArn}`)}\n    reason: appliance replaced next quarter\n    owner: team-edge\n    expires: 2027-01-01\n`,
    );
    const config = parseConfig(`
providers:
  aws: { endpoint: ${JSON.stringify(sim.server.url)}, regions: [us-east-1, eu-west-1], retryDelayMs: 5, maxAttempts: 2 }
store: ${await backend.yaml('nightly')}
suppressions: ${JSON.stringify(suppressions)}
rules:
${onlyRules(['cert-expired', 'cert-expiring', 'weak-rsa-key', 'bound-cert-unhealthy'])}
`);
    return (await runAudit({ config, now, log: silent })).report;
  } finally {
    await sim.server.close();
  }
}

const statuses = (r: RememberedReport) =>
  r.findings
    .map(
      (f) => `${f.ruleId} ${f.resource.name.replace(/.*listener\/app\/([^/]+)\/.*/, '$1')} ${f.status} ${f.severity}`,
    )
    .sort();

/** Each backend's nights, as statuses with first-seen days and the history counts. */
const nights = new Map<string, string[][]>();
async function remembered(seen: string[][], report: Promise<RememberedReport>): Promise<RememberedReport> {
  const r = await report;
  seen.push([
    ...r.findings.map((f) => `${statuses({ ...r, findings: [f] })[0]} ${f.firstSeen?.slice(0, 10)}`).sort(),
    JSON.stringify(r.history?.counts),
    ...(r.history?.resolved ?? []).map((f) => `resolved ${f.ruleId} ${f.resource.name}`).sort(),
    ...(r.history?.carried ?? []).map((f) => `carried ${f.ruleId} ${f.resource.name}`).sort(),
  ]);
  return r;
}

describe.each(backends(dir))('three nights against the simulated AWS, $name store', (backend) => {
  const seen: string[][] = [];
  nights.set(backend.name, seen);
  test('night 1: everything new, the accepted weak key suppressed', async () => {
    const r = await remembered(
      seen,
      night(backend, 0, scenario({ certificates: [www(20), weak, old], loadBalancers: [web, legacy] })),
    );
    expect(r.history?.counts).toEqual({ new: 4, open: 0, suppressed: 1, resolved: 0, carried: 0, worsened: 0 });
    expect(r.scopes.every((s) => s.status === 'ok')).toBe(true);
  }, 60_000);

  test('night 2: www renewed and legacy listener removed resolve two; the added certificate is new', async () => {
    const r = await remembered(
      seen,
      night(backend, 1, scenario({ certificates: [www(300), weak, old, added], loadBalancers: [web] })),
    );
    expect(r.history?.counts).toEqual({ new: 1, open: 2, suppressed: 1, resolved: 2, carried: 0, worsened: 0 });
    expect(r.history?.resolved.map((f) => f.ruleId).sort()).toEqual(['bound-cert-unhealthy', 'cert-expiring']);
    // The expired certificate lost its listener: still open, no longer critical.
    expect(statuses(r).filter((s) => s.startsWith('cert-expired'))).toEqual(['cert-expired old.example.com open low']);
  }, 60_000);

  test('night 3: ACM in eu-west-1 is denied; its finding is carried, not resolved', async () => {
    const denied: SimOptions = { faults: [{ kind: 'denied', service: 'acm', scope: `${ACCOUNT}/eu-west-1` }] };
    const r = await remembered(
      seen,
      night(backend, 2, scenario({ certificates: [www(300), weak, old, added], loadBalancers: [web] }), denied),
    );
    expect(
      r.scopes.filter((s) => s.status !== 'ok').map((s) => `${s.provider} ${s.location} ${s.error?.code}`),
    ).toEqual(['aws-acm eu-west-1 AccessDeniedException']);
    expect(r.history?.counts).toEqual({ new: 0, open: 2, suppressed: 1, resolved: 0, carried: 1, worsened: 0 });
    expect(r.history?.carried.map((f) => f.resource.name)).toEqual(['eu.example.com']);
  }, 60_000);
});

test('SQLite and PostgreSQL give the same statuses, first-seen dates and counts every night', () => {
  expect(nights.get('sqlite')).toHaveLength(3);
  expect(nights.get('postgres')).toEqual(nights.get('sqlite'));
});
