/**
 * One item that cannot be read costs only itself: a certificate whose bytes fail, a load balancer
 * whose listeners fail, a listener whose certificate list fails, an IAM certificate whose body
 * fails. One attempt, and one failed answer from the simulator, so exactly one item is lost; the
 * scope is `partial`, names the item, the operation and the permission, and keeps every other
 * record of a clean run. Ten failures in a row stop the scope instead of trying every item.
 */
import { awsAcm } from '../../providers/aws-acm/index.js';
import { awsElbv2 } from '../../providers/aws-elbv2/index.js';
import { awsIam } from '../../providers/aws-iam/index.js';
import type { Provider } from '../../src/engine/api/provider.js';
import type { Binding, Certificate } from '../../src/model/types.js';
import { awsConfig, PROD, run, scenario, startAws, useAuditorKeys, type Sim } from './aws-fixture.js';

let sim: Sim;
beforeAll(async () => {
  useAuditorKeys();
  const s = scenario();
  s.accounts[1].iamServerCertificates!.push(
    { name: 'api-2020', cn: 'api.example.com' },
    { name: 'old-2018', cn: 'old.example.com', expiresInDays: -400 },
  );
  sim = await startAws({}, s);
});
afterAll(() => sim.server.close());

const TARGET = `${PROD}/us-east-1`;
const config = () =>
  awsConfig(sim.server.url, {
    maxAttempts: 1,
    accounts: [{ roleArn: `arn:aws:iam::${PROD}:role/certwarden-audit`, externalId: 'cw-ext-1' }],
  });
const uids = (rs: Array<Certificate | Binding>) => rs.map((r) => r.uid);

test.each([
  [
    'a certificate whose bytes cannot be read',
    awsAcm,
    'acm',
    'GetCertificate',
    'acm:GetCertificate',
    /^certificate arn:aws:acm:us-east-1:\d+:certificate\/[0-9a-f-]+ not read: /,
    TARGET,
  ],
  [
    'a load balancer whose listeners cannot be read',
    awsElbv2,
    'elbv2',
    'DescribeListeners',
    'elasticloadbalancing:DescribeListeners',
    /^load balancer arn:aws:elasticloadbalancing:us-east-1:.* not read: /,
    TARGET,
  ],
  [
    'a listener whose certificate list cannot be read',
    awsElbv2,
    'elbv2',
    'DescribeListenerCertificates',
    'elasticloadbalancing:DescribeListenerCertificates',
    /^listener arn:aws:elasticloadbalancing:us-east-1:.* not read: /,
    TARGET,
  ],
  [
    'an IAM certificate whose body cannot be read',
    awsIam,
    'iam',
    'GetServerCertificate',
    'iam:GetServerCertificate',
    /^server certificate arn:aws:iam::\d+:server-certificate\/.* not read: /,
    `${PROD}/*`,
  ],
] as const)('%s costs only itself', async (_name, provider: Provider, service, action, permission, message, scope) => {
  sim.server.configure({});
  const clean = await run(provider, config());
  sim.server.configure({ faults: [{ kind: 'server-error', service, action, scope, after: 1, count: 1 }] });
  const out = await run(provider, config());
  const hit = out.scopes.filter((s) => s.status !== 'ok');
  expect(hit).toHaveLength(1);
  expect(hit[0]).toMatchObject({ status: 'partial', error: { operation: action, permission } });
  expect(hit[0].error!.message).toMatch(message);
  // Every record read is one of the clean run's, unchanged; what is missing is that one item's.
  const before = new Map(clean.records.map((r) => [r.uid, JSON.stringify(r)]));
  for (const r of out.records) expect([r.uid, JSON.stringify(r)]).toEqual([r.uid, before.get(r.uid)]);
  const missing = uids(clean.records).filter((u) => !uids(out.records).includes(u));
  if (action === 'DescribeListenerCertificates') {
    // Listeners are read concurrently, so which one the fault hits varies; the message names it.
    // It keeps its default certificate, which DescribeListeners gives: exactly its SNI bindings go.
    const listener = /^listener (\S+) not read/.exec(hit[0].error!.message)![1];
    const its = clean.records.filter((r) => r.kind === 'binding' && r.resource === listener) as Binding[];
    expect(its.filter((b) => b.isDefault).map((b) => b.uid)).toEqual(
      uids(out.records.filter((r) => r.kind === 'binding' && r.resource === listener)),
    );
    expect(missing.sort()).toEqual(uids(its.filter((b) => !b.isDefault)).sort());
  } else expect(missing.length).toBeGreaterThan(0);
  // ELBv2's one load balancer or listener, ACM's and IAM's one certificate.
  if (action !== 'DescribeListenerCertificates' && action !== 'DescribeListeners') expect(missing).toHaveLength(1);
});

test('ten certificates in a row that cannot be read stop the scope: the rest are not tried one by one', async () => {
  const s = scenario();
  s.accounts[1].regions!['us-east-1'].certificates!.push({ name: 'many-{i}', cn: 'many{i}.example.com', repeat: 30 });
  const big = await startAws(
    { faults: [{ kind: 'denied', service: 'acm', action: 'GetCertificate', scope: TARGET }] },
    s,
  );
  try {
    const out = await run(
      awsAcm,
      awsConfig(big.server.url, {
        accounts: [{ roleArn: `arn:aws:iam::${PROD}:role/certwarden-audit`, externalId: 'cw-ext-1' }],
      }),
    );
    const hit = out.scopes.find((x) => `${x.account}/${x.location}` === TARGET)!;
    expect(hit).toMatchObject({
      error: { code: 'AccessDeniedException', operation: 'GetCertificate', permission: 'acm:GetCertificate' },
    });
    expect(hit.error!.message).toMatch(
      /^stopped after \d+ items in a row could not be read; the last, certificate arn:aws:acm:/,
    );
    // 46 certificates have bytes; ten failures and the reads already under way are all that is asked.
    expect(big.server.calls.filter((c) => c.scope === TARGET && c.action === 'GetCertificate').length).toBeLessThan(25);
    // The certificates that have no bytes yet (pending, failed) need no GetCertificate and are kept.
    expect(hit.records).toBeGreaterThan(0);
  } finally {
    await big.server.close();
  }
});
