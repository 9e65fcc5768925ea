/**
 * Load balancers over several nights with CloudTrail as the change signal: each kind of change
 * made in the daytime through the simulated ELBv2 shows in the next night's bindings, which equal
 * a full read of the same estate at the same moment, while unchanged load balancers are not
 * described again. Real SDK clients over HTTP to the simulator; real certificates.
 */
import { awsElbv2 } from '../../providers/aws-elbv2/index.js';
import { collectScope } from '../../src/engine/runtime/collect.js';
import { fromCertificates, type Incremental } from '../../src/engine/runtime/incremental.js';
import type { Binding, Inventory, ScopeResult } from '../../src/model/types.js';
import { startSimServer, type SimServer } from '../../src/sim/server.js';
import { ScenarioCa } from '../../src/sim/template.js';
import { awsServices, Elbv2Changes, seedAws, type AwsWorld } from '../../src/sim/aws/index.js';
import { awsConfig, NOW, PROD, scenario, useAuditorKeys } from './aws-fixture.js';

const HOUR = 3_600_000;
let clock = NOW;
let world: AwsWorld;
let server: SimServer;
let changes: Elbv2Changes;
let last: Night | undefined;
const lines: string[] = [];
const log = { info: (m: string) => lines.push(m), warn: (m: string) => lines.push(m), debug() {} };

interface Night {
  bindings: Binding[];
  scopes: ScopeResult[];
  startedAt: string;
  describeCalls: number;
}

async function collect(incremental?: Incremental): Promise<Night> {
  const config = awsConfig(server.url);
  const before = server.calls.length;
  const inv: Inventory = { certificates: [], bindings: [], scopes: [] };
  const scopes: ScopeResult[] = [];
  for await (const scope of awsElbv2.scopes({ config, log }))
    scopes.push(await collectScope(awsElbv2, scope, { config, log, now: clock, incremental }, inv));
  const calls = server.calls.slice(before);
  return {
    bindings: inv.bindings.sort((a, b) => a.uid.localeCompare(b.uid)),
    scopes,
    startedAt: clock.toISOString(),
    describeCalls: calls.filter((c) => c.action === 'DescribeListeners').length,
  };
}

/** One night: the day's changes were made at noon; the audit starts at 02:00 the next day. */
async function night(): Promise<{ tonight: Night; full: Night }> {
  clock = new Date(clock.getTime() + 14 * HOUR);
  lines.length = 0;
  const incremental = last ? fromCertificates([], 7, last) : undefined;
  const tonight = await collect(incremental);
  const full = await collect();
  last = tonight;
  clock = new Date(clock.getTime() + 10 * HOUR);
  return { tonight, full };
}

const state = () => world.accounts.get(PROD)!.regions.get('us-east-1')!;
const lb = (name: string) => state().loadBalancers.find((l) => l.name === name)!;
const cert = (name: string) => state().certificates.find((c) => c.name === name)!.arn;
const uids = (n: Night) => n.bindings.map((b) => b.uid);
const lbCount = () => [...world.accounts.get(PROD)!.regions.values()].reduce((n, r) => n + r.loadBalancers.length, 0);

beforeAll(async () => {
  useAuditorKeys();
  world = seedAws(scenario(), new ScenarioCa(NOW), NOW);
  server = await startSimServer(awsServices(world), {}, { now: () => clock });
  changes = new Elbv2Changes(world, PROD, 'us-east-1');
  clock = new Date(NOW.getTime() - 12 * HOUR);
  const { tonight, full } = await night();
  expect(tonight).toEqual(full);
  expect(tonight.describeCalls).toBe(lbCount());
});
afterAll(() => server.close());

test('an unchanged estate: no listener described again, the same bindings', async () => {
  const before = last!;
  const { tonight, full } = await night();
  expect(tonight.bindings).toEqual(full.bindings);
  expect(tonight.bindings).toEqual(before.bindings);
  expect(tonight.describeCalls).toBe(0);
  expect(full.describeCalls).toBe(lbCount());
  expect(tonight.scopes.find((sc) => sc.account === PROD && sc.location === 'us-east-1')?.reads).toEqual({
    full: false,
    kept: before.bindings.filter((b) => b.account === PROD && b.location === 'us-east-1').length,
  });
  expect(full.scopes.every((sc) => sc.reads === undefined)).toBe(true);
});

test('a listener added shows the night after; only its load balancer is described', async () => {
  const l = changes.createListener(lb('web').arn, clock, {
    port: 9443,
    certificate: cert('r3072'),
  });
  const { tonight, full } = await night();
  expect(tonight.bindings).toEqual(full.bindings);
  expect(uids(tonight)).toContain(`aws-elbv2:${l.arn}#${cert('r3072')}`);
  // Its three listeners take two pages of two: the other load balancers are not described.
  expect(tonight.describeCalls).toBe(2);
});

test('a listener removed is gone the night after', async () => {
  const l = lb('web').listeners.find((x) => x.port === 9443)!;
  changes.deleteListener(l.arn, clock);
  const { tonight, full } = await night();
  expect(tonight.bindings).toEqual(full.bindings);
  expect(tonight.bindings.some((b) => b.resource === l.arn)).toBe(false);
  expect(tonight.describeCalls).toBe(1);
});

test('a default certificate swapped shows the night after', async () => {
  const l = lb('web').listeners.find((x) => x.port === 443)!;
  changes.swapCertificate(l.arn, cert('p384'), clock);
  const { tonight, full } = await night();
  expect(tonight.bindings).toEqual(full.bindings);
  expect(tonight.bindings.find((b) => b.resource === l.arn && b.isDefault)?.certificateRef).toBe(cert('p384'));
});

test('an SNI certificate added, then removed, shows each the night after', async () => {
  const l = lb('legacy').listeners[0];
  const uid = `aws-elbv2:${l.arn}#${cert('r4096')}`;
  changes.addSni(l.arn, cert('r4096'), clock);
  const added = await night();
  expect(added.tonight.bindings).toEqual(added.full.bindings);
  expect(uids(added.tonight)).toContain(uid);
  changes.removeSni(l.arn, cert('r4096'), clock);
  const removed = await night();
  expect(removed.tonight.bindings).toEqual(removed.full.bindings);
  expect(uids(removed.tonight)).not.toContain(uid);
});

test('a load balancer deleted and another created show the night after', async () => {
  const gone = lb('nlb');
  changes.deleteLoadBalancer(gone.arn, new Date(clock.getTime() - HOUR));
  const made = changes.createLoadBalancer('fresh', clock);
  const l = changes.createListener(made.arn, clock, {
    port: 443,
    certificate: cert('www'),
  });
  const { tonight, full } = await night();
  expect(tonight.bindings).toEqual(full.bindings);
  expect(tonight.bindings.some((b) => b.loadBalancer?.arn === gone.arn)).toBe(false);
  expect(uids(tonight)).toContain(`aws-elbv2:${l.arn}#${cert('www')}`);
  expect(tonight.describeCalls).toBe(1);
});

test('the signal denied one night: that scope is read in full, says why, and the change still shows', async () => {
  world.trailDenied = new Set([`${PROD}/us-east-1`]);
  const l = lb('web').listeners.find((x) => x.port === 443)!;
  changes.swapCertificate(l.arn, cert('www'), clock);
  const { tonight, full } = await night();
  world.trailDenied = undefined;
  expect(tonight.bindings).toEqual(full.bindings);
  expect(tonight.bindings.find((b) => b.resource === l.arn && b.isDefault)?.certificateRef).toBe(cert('www'));
  expect(tonight.describeCalls).toBe(state().loadBalancers.length);
  expect(tonight.scopes.find((sc) => sc.account === PROD && sc.location === 'us-east-1')?.reads).toMatchObject({
    full: true,
    reason: expect.stringMatching(/the change signal failed/),
  });
  expect(
    lines.some((m) => /us-east-1: every listener is read \(the change signal failed: .*not authorized/.test(m)),
  ).toBe(true);
});

test('a previous run that was partial, older than the history or ahead of the clock: a full read', async () => {
  const cases: [() => Partial<Night>, RegExp][] = [
    [() => ({ scopes: last!.scopes.map((s) => ({ ...s, status: 'partial' as const })) }), /read this scope partial/],
    [
      () => ({ startedAt: new Date(clock.getTime() - 91 * 24 * HOUR).toISOString() }),
      /older than CloudTrail event history/,
    ],
    [() => ({ startedAt: new Date(clock.getTime() + 48 * HOUR).toISOString() }), /clock skew/],
  ];
  for (const [change, reason] of cases) {
    last = { ...last!, ...change() };
    const { tonight, full } = await night();
    expect(tonight.bindings).toEqual(full.bindings);
    expect(tonight.describeCalls).toBe(lbCount());
    expect(lines.some((m) => reason.test(m))).toBe(true);
    for (const sc of tonight.scopes)
      expect(sc.reads).toEqual({ full: true, reason: expect.stringMatching(reason), kept: 0 });
  }
});
