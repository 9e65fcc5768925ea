/**
 * ELBv2's optional enrichments and its required reads, each failing alone, through the real SDK
 * and the simulator.
 *
 * - The TLS policy's facts (DescribeSSLPolicies) and the load balancers' tags (DescribeTags) are
 *   enrichments. Denied on a later night: every binding is still in the report, the field is
 *   absent and said to be (`unread`), the scope is `partial` naming the enrichment and its
 *   permission, rules that need the field do not fire on it, and the nightly store does not
 *   resolve their findings.
 * - A load balancer whose listeners, or a listener whose certificate list, cannot be read after
 *   every retry costs only itself: the scope's other load balancers and listeners are reported.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awsElbv2 } from '../../providers/aws-elbv2/index.js';
import { parseConfig } from '../../src/config/load.js';
import { runAudit } from '../../src/cli/audit.js';
import type { Binding } from '../../src/model/types.js';
import { startSimulator } from '../../src/sim/index.js';
import type { Scenario } from '../../src/sim/scenario.js';
import type { SimOptions } from '../../src/sim/types.js';
import type { RememberedReport } from '../../src/store/remember.js';
import { onlyRules } from '../store/scenario.js';
import { awsConfig, PROD, run, startAws, useAuditorKeys } from './aws-fixture.js';

const ACCOUNT = '123456789012';
const KEY = { id: 'AKIAELBV2ENRICH00001', secret: 'elbv2-enrichment-test-secret-opens-nothing' };
const DAY = 86_400_000;
const START = new Date('2026-06-01T00:00:00Z');
const dir = mkdtempSync(join(tmpdir(), 'cw-elbv2-enrich-'));
const silent = { info: () => {}, warn: () => {}, debug: () => {} };

const scenario: Scenario = {
  aws: {
    accounts: [
      {
        id: ACCOUNT,
        accessKeys: [KEY],
        regions: {
          'us-east-1': {
            certificates: [
              { name: 'www', cn: 'www.example.com', expiresInDays: 200 },
              { name: 'api', cn: 'api.example.com', expiresInDays: 200 },
            ],
            loadBalancers: [
              {
                name: 'legacy',
                tags: { team: 'payments' },
                listeners: [
                  {
                    protocol: 'HTTPS',
                    port: 443,
                    sslPolicy: 'ELBSecurityPolicy-TLS-1-0-2015-04',
                    certificate: 'www',
                    sni: ['api'],
                  },
                ],
              },
              {
                name: 'modern',
                tags: { team: 'web' },
                listeners: [
                  {
                    protocol: 'HTTPS',
                    port: 443,
                    sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
                    certificate: 'api',
                  },
                ],
              },
            ],
          },
        },
      },
    ],
  },
};

async function night(n: number, options: SimOptions = {}): Promise<RememberedReport> {
  const now = new Date(START.getTime() + n * DAY);
  const sim = await startSimulator(scenario, { now, options });
  try {
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: KEY.id,
      AWS_SECRET_ACCESS_KEY: KEY.secret,
      AWS_REGION: 'us-east-1',
    });
    delete process.env.AWS_SESSION_TOKEN;
    const config = parseConfig(`
providers:
  aws: { endpoint: ${JSON.stringify(sim.server.url)}, regions: [us-east-1], retryDelayMs: 5, maxAttempts: 2 }
store: { path: ${JSON.stringify(join(dir, 'history.db'))} }
rules:
${onlyRules(['weak-tls-policy'])}
`);
    return (await runAudit({ config, now, log: silent })).report;
  } finally {
    await sim.server.close();
  }
}

const elbScope = (r: RememberedReport) => r.scopes.find((s) => s.provider === 'aws-elbv2')!;
const elb = (r: RememberedReport) =>
  r.bindings.filter((b) => b.provider === 'aws-elbv2').sort((a, b) => a.uid.localeCompare(b.uid));
/** A binding as a clean night has it, less what an enrichment gives (an owner comes from the tags). */
const without = (b: Binding, field: 'tags' | 'tlsPolicy') => {
  const { tags: _tags, owner: _owner, tlsPolicy: _policy, unread: _unread, ...rest } = b;
  return field === 'tlsPolicy'
    ? { ...rest, tags: b.tags, owner: b.owner, tlsPolicy: { name: b.tlsPolicy?.name } }
    : { ...rest, tlsPolicy: b.tlsPolicy };
};

test('DescribeSSLPolicies, then DescribeTags denied: every binding kept, the field absent, the scope partial, findings not resolved', async () => {
  const first = await night(0);
  expect(elbScope(first).status).toBe('ok');
  const clean = elb(first);
  // The default and the SNI certificate of legacy's listener, and modern's default.
  expect(clean).toHaveLength(3);
  expect(clean.every((b) => b.tlsPolicy?.protocols?.length && b.tags && !b.unread)).toBe(true);
  expect(first.findings.map((f) => [f.ruleId, f.resource.name])).toEqual([['weak-tls-policy', 'legacy:443']]);

  const noPolicy = await night(1, {
    faults: [{ kind: 'denied', service: 'elbv2', action: 'DescribeSSLPolicies' }],
  });
  expect(elbScope(noPolicy)).toMatchObject({
    status: 'partial',
    error: {
      operation: 'DescribeSSLPolicies',
      permission: 'elasticloadbalancing:DescribeSSLPolicies',
      enrichment: 'tls-policy',
    },
  });
  // The same bindings, field for field, except that each policy is known by its name alone.
  const policyless = elb(noPolicy);
  expect(policyless.map((b) => without(b, 'tlsPolicy'))).toEqual(clean.map((b) => without(b, 'tlsPolicy')));
  for (const b of policyless) {
    expect(b.tlsPolicy).toEqual({ name: clean.find((c) => c.uid === b.uid)!.tlsPolicy!.name });
    expect(b.unread).toEqual(['tls-policy']);
  }
  // weak-tls-policy needs the policy's facts: it does not fire, and the store keeps its finding open.
  expect(noPolicy.findings).toEqual([]);
  expect(noPolicy.history?.counts.resolved).toBe(0);
  expect(noPolicy.history?.carried.map((f) => f.ruleId)).toEqual(['weak-tls-policy']);

  const noTags = await night(2, { faults: [{ kind: 'denied', service: 'elbv2', action: 'DescribeTags' }] });
  expect(elbScope(noTags)).toMatchObject({
    status: 'partial',
    error: { operation: 'DescribeTags', permission: 'elasticloadbalancing:DescribeTags', enrichment: 'tags' },
  });
  const untagged = elb(noTags);
  expect(untagged.map((b) => without(b, 'tags'))).toEqual(clean.map((b) => without(b, 'tags')));
  for (const b of untagged) expect([b.tags, b.owner, b.unread]).toEqual([undefined, undefined, ['tags']]);
  // No rule needs tags: the policy's finding is back, the same one, and nothing is resolved.
  expect(noTags.findings.map((f) => [f.ruleId, f.resource.name, f.id])).toEqual(
    first.findings.map((f) => [f.ruleId, f.resource.name, f.id]),
  );
  expect(noTags.history?.counts.resolved).toBe(0);
}, 90_000);

describe('one item that cannot be read after every retry costs only itself', () => {
  const TARGET = `${PROD}/us-east-1`;
  const config = (endpoint: string) =>
    awsConfig(endpoint, {
      accounts: [{ roleArn: `arn:aws:iam::${PROD}:role/certwarden-audit`, externalId: 'cw-ext-1' }],
    });
  beforeAll(useAuditorKeys);

  test.each([
    [
      'a load balancer whose listeners',
      'DescribeListeners',
      'loadbalancer/app/legacy/',
      /^load balancer arn:\S+ not read: /,
    ],
    [
      'a listener whose certificate list',
      'DescribeListenerCertificates',
      'listener/app/web/',
      /^listener arn:\S+ not read: /,
    ],
  ] as const)('%s cannot be read', async (_what, action, naming, message) => {
    const sim = await startAws({});
    try {
      const clean = await run(awsElbv2, config(sim.server.url));
      // Every attempt at that one item fails; every other call is answered.
      sim.server.configure({ faults: [{ kind: 'server-error', service: 'elbv2', action, naming, scope: TARGET }] });
      const out = await run(awsElbv2, config(sim.server.url));
      const tries = sim.server.calls.filter((c) => c.fault === 'server-error');
      expect(tries).toHaveLength(3);

      const hit = out.scopes.find((s) => `${s.account}/${s.location}` === TARGET)!;
      expect(hit).toMatchObject({
        status: 'partial',
        error: { code: 'ServiceUnavailable', operation: action, permission: `elasticloadbalancing:${action}` },
      });
      expect(hit.error!.message).toMatch(message);
      expect(hit.error!.message).toContain(naming);
      expect(out.scopes.filter((s) => s !== hit).every((s) => s.status === 'ok')).toBe(true);

      // Every other record is there, unchanged; only the item's own are missing.
      const mine = (r: { uid: string }) => r.uid.includes(naming.replace('loadbalancer/', 'listener/'));
      const kept = new Map(out.records.map((r) => [r.uid, JSON.stringify(r)]));
      for (const r of clean.records.filter((r) => !mine(r))) expect(kept.get(r.uid)).toBe(JSON.stringify(r));
      const lost = clean.records.filter((r) => mine(r) && !kept.has(r.uid)) as Binding[];
      if (action === 'DescribeListeners')
        expect(lost.map((b) => b.uid)).toEqual(clean.records.filter(mine).map((r) => r.uid));
      // A listener whose list is lost keeps its default certificate (DescribeListeners names it): its SNI ones go.
      else {
        expect(lost.length).toBeGreaterThan(0);
        expect(lost.every((b) => !b.isDefault)).toBe(true);
        expect(out.records.filter(mine).map((b) => (b as Binding).isDefault)).toEqual([true]);
      }
    } finally {
      await sim.server.close();
    }
  });
});
