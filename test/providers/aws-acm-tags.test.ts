/**
 * ACM tags come from the Resource Groups Tagging API, 100 certificates a call: more than a page of
 * tagged certificates in one scope, untagged and once-tagged ones ({}), tags that change on a
 * certificate the incremental path does not read again, and a throttled listing.
 */
import { awsAcm } from '../../providers/aws-acm/index.js';
import { tagRecord, type AcmTag } from '../../providers/aws-acm/map.js';
import { collect } from '../../src/engine/runtime/audit.js';
import { fromCertificates } from '../../src/engine/runtime/incremental.js';
import type { Certificate } from '../../src/model/types.js';
import { awsConfig, NOW, PROD, run, scenario, startAws, useAuditorKeys, type Sim } from './aws-fixture.js';

const SCOPE = `${PROD}/eu-west-1`;
const quiet = { info() {}, warn() {}, debug() {} };
let sim: Sim;
/** The first night's records: later runs reuse them, so the 200 certificates are read (at 10/s) once. */
let first: Certificate[];

beforeAll(async () => {
  useAuditorKeys();
  const s = scenario();
  s.pageLimits = { ...s.pageLimits, acm: 100 };
  const eu = s.accounts[1].regions!['eu-west-1'];
  // 199 tagged and one whose tags were removed: exactly two pages of 100. Load balancers carry
  // tags too, so a listing not filtered to ACM certificates would need a third page.
  eu.certificates!.push(
    { name: 'tagged-{i}', cn: 'tagged{i}.example.com', tags: { team: 'bulk' }, repeat: 199 },
    { name: 'cleared', cn: 'cleared.example.com', tags: {} },
  );
  eu.loadBalancers = eu.loadBalancers!.map((lb) => ({ ...lb, tags: { env: 'prod' } }));
  sim = await startAws({}, s);
});
afterAll(() => sim.server.close());

const world = (name: string) =>
  sim.world.accounts
    .get(PROD)!
    .regions.get('eu-west-1')!
    .certificates.find((c) => c.name === name)!;
const calls = (action: string) => sim.server.calls.filter((c) => c.scope === SCOPE && c.action === action);
const tagsOf = (records: Certificate[], name: string) => records.find((r) => r.ref === world(name).arn)!.tags;

test('tags of 200 listed certificates in two GetResources calls; untagged and once-tagged ones have {}', async () => {
  sim.server.calls.length = 0;
  const { records, scopes } = await run(awsAcm, awsConfig(sim.server.url), { incremental: fromCertificates([]) });
  expect(scopes.every((s) => s.status === 'ok')).toBe(true);
  expect(calls('GetResources')).toHaveLength(2);
  expect(sim.server.calls.filter((c) => c.action === 'ListTagsForCertificate')).toEqual([]);
  first = records as Certificate[];
  for (const i of [1, 100, 101, 199]) expect(tagsOf(first, `tagged-${i}`)).toEqual({ team: 'bulk' });
  expect(tagsOf(first, 'cleared')).toEqual({});
  expect(tagsOf(first, 'eu')).toEqual({});
}, 60_000);

test("an unchanged certificate is not read again, but carries tonight's tags", async () => {
  Object.assign(world('tagged-1'), { tags: { team: 'bulk', owner: 'bob' } });
  Object.assign(world('tagged-2'), { tags: {} });
  Object.assign(world('eu'), { tags: { owner: 'carol' }, tagged: true });
  sim.server.calls.length = 0;
  try {
    const second = (await run(awsAcm, awsConfig(sim.server.url), { incremental: fromCertificates(first) }))
      .records as Certificate[];
    expect(calls('GetCertificate')).toEqual([]);
    expect(tagsOf(second, 'tagged-1')).toEqual({ team: 'bulk', owner: 'bob' });
    expect(tagsOf(second, 'tagged-2')).toEqual({});
    expect(tagsOf(second, 'eu')).toEqual({ owner: 'carol' });
    // Everything else, and the order of every record's fields, is as the first night left it.
    const changed = new Set(['tagged-1', 'tagged-2', 'eu'].map((n) => world(n).arn));
    const same = (rs: Certificate[]) => JSON.stringify(rs.filter((r) => !changed.has(r.ref)));
    expect(same(second)).toBe(same(first));
    for (const r of second) expect(Object.keys(r)).toEqual(Object.keys(first.find((f) => f.uid === r.uid)!));
  } finally {
    Object.assign(world('tagged-1'), { tags: { team: 'bulk' } });
    Object.assign(world('tagged-2'), { tags: { team: 'bulk' } });
    Object.assign(world('eu'), { tags: {}, tagged: false });
  }
});

test('a throttled GetResources is retried: nothing lost', async () => {
  sim.server.configure({ faults: [{ kind: 'throttle', service: 'tagging', scope: SCOPE, count: 2 }] });
  try {
    const { records, scopes } = await run(awsAcm, awsConfig(sim.server.url), { incremental: fromCertificates(first) });
    expect(scopes.every((s) => s.status === 'ok')).toBe(true);
    expect(sim.server.calls.filter((c) => c.service === 'tagging' && c.fault === 'throttle')).toHaveLength(2);
    expect(tagsOf(records as Certificate[], 'tagged-150')).toEqual({ team: 'bulk' });
  } finally {
    sim.server.configure({});
  }
});

test('tag:GetResources denied (an SCP, a permission boundary): every certificate is kept without tags, the scope partial naming the enrichment', async () => {
  // us-east-1 is read afresh, eu-west-1's 200 reused: both ways a record is made lose only their tags.
  const previous = first.filter((c) => c.location !== 'us-east-1');
  const config = awsConfig(sim.server.url, {
    accounts: [{ roleArn: `arn:aws:iam::${PROD}:role/certwarden-audit`, externalId: 'cw-ext-1' }],
  });
  const expected = first.filter((c) => c.account === PROD);
  sim.server.configure({
    allowPermissions: ['sts:AssumeRole', 'acm:ListCertificates', 'acm:DescribeCertificate', 'acm:GetCertificate'],
  });
  try {
    const denied = await collect({
      config,
      providers: [awsAcm],
      rules: [],
      now: NOW,
      log: quiet,
      incremental: fromCertificates(previous),
    });
    expect(denied.scopes.map((s) => s.location).sort()).toEqual(['eu-west-1', 'us-east-1']);
    for (const s of denied.scopes) {
      expect(s).toMatchObject({
        provider: 'aws-acm',
        status: 'partial',
        error: {
          code: 'AccessDeniedException',
          operation: 'GetResources',
          permission: 'tag:GetResources',
          enrichment: 'tags',
        },
      });
      expect(s.error!.message).toContain('tag:GetResources');
    }
    // The same certificates, field for field, except that their tags are unknown: absent, and said to be unread.
    const without = (c: Certificate) => JSON.stringify({ ...c, tags: undefined, unread: undefined });
    expect(denied.certificates.map(without).sort()).toEqual(expected.map(without).sort());
    for (const c of denied.certificates) expect([c.tags, c.unread]).toEqual([undefined, ['tags']]);
  } finally {
    sim.server.configure({});
  }
});

test('tag lists become records of strings; odd bodies give no tags, and keys stay plain data', () => {
  expect(tagRecord([{ Key: 'team', Value: 'web' }, { Key: 'flag' }, { Value: 'orphan' }])).toEqual({
    team: 'web',
    flag: '',
  });
  const odd = tagRecord([
    { Key: '__proto__', Value: 'x' },
    { Key: 'n', Value: 7 },
    null,
    { Key: 3 },
  ] as unknown as AcmTag[]);
  expect(Object.getPrototypeOf(odd)).toBe(Object.prototype);
  expect(JSON.stringify(odd)).toBe('{"__proto__":"x","n":""}');
  expect(tagRecord('nope' as unknown as AcmTag[])).toEqual({});
});
