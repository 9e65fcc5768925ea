/**
 * Each fault the simulator plays, in the service's own shape, against one scope: the run
 * completes, every other scope completes, and the failing scope is named with its reason.
 */
import { awsAcm } from '../../providers/aws-acm/index.js';
import { awsElbv2 } from '../../providers/aws-elbv2/index.js';
import type { Provider } from '../../src/engine/api/provider.js';
import type { FaultKind } from '../../src/sim/types.js';
import { awsConfig, DEV, PROD, run, startAws, useAuditorKeys, type Sim } from './aws-fixture.js';

let sim: Sim;
beforeAll(async () => {
  useAuditorKeys();
  sim = await startAws();
});
afterAll(() => sim.server.close());

const TARGET = `${PROD}/us-east-1`;
const providers: Record<string, [Provider, string, string]> = {
  acm: [awsAcm, 'acm', 'ListCertificates'],
  elbv2: [awsElbv2, 'elbv2', 'DescribeLoadBalancers'],
};

// [fault, provider, expected code, attempts made (3 = retried to the end, 1 = not retried)]
const cases: Array<[FaultKind, string, string, number]> = [
  ['throttle', 'acm', 'ThrottlingException', 3],
  ['throttle', 'elbv2', 'Throttling', 3],
  ['server-error', 'acm', 'InternalFailure', 3],
  ['server-error', 'elbv2', 'ServiceUnavailable', 3],
  ['drop', 'acm', 'ECONNRESET', 3],
  ['drop', 'elbv2', 'ECONNRESET', 3],
  ['malformed', 'acm', 'MalformedResponse', 3],
  ['malformed', 'elbv2', 'MalformedResponse', 3],
  ['truncate', 'acm', 'MalformedResponse', 3],
  ['truncate', 'elbv2', 'MalformedResponse', 3],
  ['slow', 'acm', 'ETIMEDOUT', 3],
  ['slow', 'elbv2', 'ETIMEDOUT', 3],
  ['denied', 'acm', 'AccessDeniedException', 1],
  ['denied', 'elbv2', 'AccessDenied', 1],
  ['expired-token', 'acm', 'ExpiredTokenException', 1],
  ['expired-token', 'elbv2', 'ExpiredToken', 1],
];

test.each(cases)('%s on %s fails only its scope, with %s', async (kind, which, code, attempts) => {
  const [provider, service, action] = providers[which];
  // A slow answer comes 1.8 s late against a 250 ms timeout: undici keeps time to within a second.
  sim.server.configure({ faults: [{ kind, service, action, scope: TARGET, delayMs: 1800 }] });
  sim.server.calls.length = 0;
  const out = await run(provider, awsConfig(sim.server.url, { timeoutMs: 250 }));
  expect(out.scopes.map((s) => [s.account, s.location, s.status])).toEqual([
    [PROD, 'eu-west-1', 'ok'],
    [PROD, 'us-east-1', 'failed'],
    [DEV, 'eu-west-1', 'ok'],
    [DEV, 'us-east-1', 'ok'],
  ]);
  expect(out.scopes[1].error).toMatchObject({ code, operation: action });
  expect(sim.server.calls.filter((c) => c.scope === TARGET && c.action === action)).toHaveLength(attempts);
});

test.each([
  ['acm', 'ListCertificates', 10],
  ['elbv2', 'DescribeLoadBalancers', 2],
] as const)('a %s next-page token that repeats stops the listing as a loop (%s)', async (which, action, before) => {
  const [provider, service] = providers[which];
  sim.server.configure({ faults: [{ kind: 'loop-paging', service, action, scope: TARGET }] });
  const out = await run(provider, awsConfig(sim.server.url));
  const failed = out.scopes.find((s) => `${s.account}/${s.location}` === TARGET)!;
  // What the pages before the loop held is kept: a partial scope, named.
  expect(failed).toMatchObject({ status: 'partial', error: { code: 'PagingLoop', operation: action } });
  expect(failed.records).toBeGreaterThanOrEqual(Math.min(before, 1));
  expect(out.scopes.filter((s) => s.status === 'ok')).toHaveLength(3);
});

test.each([
  ['acm', 'ListCertificates'],
  ['elbv2', 'DescribeLoadBalancers'],
] as const)('an endless %s listing is stopped after maxPages (%s)', async (which, action) => {
  const [provider, service] = providers[which];
  sim.server.configure({ faults: [{ kind: 'endless-paging', service, action, scope: TARGET }] });
  sim.server.calls.length = 0;
  const out = await run(provider, awsConfig(sim.server.url, { maxPages: 6 }));
  expect(out.scopes.find((s) => `${s.account}/${s.location}` === TARGET)).toMatchObject({
    status: 'partial',
    error: { code: 'PagingLimit', operation: action },
  });
  expect(sim.server.calls.filter((c) => c.scope === TARGET && c.action === action)).toHaveLength(6);
});

test('a transient fault that clears is retried away: nothing is lost', async () => {
  sim.server.configure({});
  const clean = await run(awsAcm, awsConfig(sim.server.url));
  sim.server.configure({
    faults: [
      { kind: 'throttle', service: 'acm', scope: TARGET, count: 2 },
      { kind: 'drop', service: 'acm', action: 'GetCertificate', count: 1 },
    ],
  });
  const out = await run(awsAcm, awsConfig(sim.server.url));
  expect(out.scopes.every((s) => s.status === 'ok')).toBe(true);
  expect(JSON.stringify(out.records)).toBe(JSON.stringify(clean.records));
});

test('under the published rate limits no call is spent on a throttle', async () => {
  sim.server.configure({ rateLimits: true });
  sim.server.calls.length = 0;
  const [acm, elb] = await Promise.all([
    run(awsAcm, awsConfig(sim.server.url)),
    run(awsElbv2, awsConfig(sim.server.url)),
  ]);
  expect([...acm.scopes, ...elb.scopes].every((s) => s.status === 'ok')).toBe(true);
  expect(sim.server.calls.filter((c) => c.fault === 'throttle')).toEqual([]);
});
