import { awsElbv2 } from '../../providers/aws-elbv2/index.js';
import type { Binding } from '../../src/model/types.js';
import { SSL_POLICIES } from '../../src/sim/aws/index.js';
import { awsConfig, DANGLING, DEV, IAM_CERT, PROD, run, startAws, useAuditorKeys, type Sim } from './aws-fixture.js';

let sim: Sim;
let records: Binding[];
let scopes: Awaited<ReturnType<typeof run>>['scopes'];

beforeAll(async () => {
  useAuditorKeys();
  sim = await startAws();
  const out = await run(awsElbv2, awsConfig(sim.server.url));
  records = out.records as Binding[];
  scopes = out.scopes;
});
afterAll(() => sim.server.close());

const region = (r: string) => sim.world.accounts.get(PROD)!.regions.get(r)!;
const certArn = (name: string) => region('us-east-1').certificates.find((c) => c.name === name)!.arn;
const lb = (name: string, r = 'us-east-1') => region(r).loadBalancers.find((l) => l.name === name)!;
const policy = (name: string) => ({
  name,
  protocols: SSL_POLICIES.get(name)!.protocols,
  ciphers: SSL_POLICIES.get(name)!.ciphers,
});

test('every scope completes, across more load balancers than one page', () => {
  expect(scopes).toEqual([
    { account: PROD, location: 'eu-west-1', status: 'ok', records: 3 },
    { account: PROD, location: 'us-east-1', status: 'ok', records: 5 },
    { account: DEV, location: 'eu-west-1', status: 'ok', records: 0 },
    { account: DEV, location: 'us-east-1', status: 'ok', records: 0 },
  ]);
  // Three load balancers, two a page: DescribeLoadBalancers is called twice in each region of PROD.
  expect(
    sim.server.calls.filter((c) => c.action === 'DescribeLoadBalancers' && c.scope === `${PROD}/eu-west-1`),
  ).toHaveLength(2);
  expect(records).toHaveLength(8);
});

test('a listener with SNI certificates: the default once, each SNI certificate once', () => {
  const web = lb('web');
  const listener = web.listeners[0];
  const common = {
    kind: 'binding',
    provider: 'aws-elbv2',
    account: PROD,
    location: 'us-east-1',
    name: 'web:443',
    type: 'elbv2-listener',
    resource: listener.arn,
    refKind: 'acm',
    protocol: 'HTTPS',
    port: 443,
    public: true,
    live: true,
    loadBalancer: { name: 'web', arn: web.arn, dnsName: web.dnsName, scheme: 'internet-facing', type: 'application' },
    tlsPolicy: policy('ELBSecurityPolicy-TLS13-1-2-2021-06'),
    tags: { env: 'prod' },
  };
  const mine = records.filter((r) => r.resource === listener.arn);
  expect(mine).toEqual(
    expect.arrayContaining([
      {
        ...common,
        uid: `aws-elbv2:${listener.arn}#${certArn('www')}`,
        certificateRef: certArn('www'),
        isDefault: true,
      },
      {
        ...common,
        uid: `aws-elbv2:${listener.arn}#${certArn('api')}`,
        certificateRef: certArn('api'),
        isDefault: false,
      },
    ]),
  );
  expect(mine).toHaveLength(2);
});

test('an IAM server certificate and a dangling ACM ARN are kept as the listener names them', () => {
  const legacy = lb('legacy');
  const mine = records.filter((r) => r.loadBalancer?.name === 'legacy');
  expect(mine.map((b) => [b.certificateRef, b.refKind, b.isDefault])).toEqual(
    expect.arrayContaining([
      [IAM_CERT, 'iam', true],
      [DANGLING, 'acm', false],
    ]),
  );
  expect(mine[0]).toMatchObject({
    public: false,
    port: 8443,
    resource: legacy.listeners[0].arn,
    tlsPolicy: policy('ELBSecurityPolicy-TLS-1-0-2015-04'),
  });
  expect(mine[0].tlsPolicy!.ciphers).toContain('DES-CBC3-SHA');
});

test('a network load balancer that is not active is a TLS binding that is not live', () => {
  const nlb = records.find((r) => r.loadBalancer?.name === 'nlb')!;
  expect(nlb).toMatchObject({
    protocol: 'TLS',
    live: false,
    certificateRef: certArn('old'),
    isDefault: true,
    elbv2: { loadBalancerState: 'provisioning' },
    loadBalancer: { type: 'network' },
    tlsPolicy: policy('ELBSecurityPolicy-2016-08'),
  });
});

test('HTTP listeners yield nothing; SSL policies are described once per scope', () => {
  expect(records.some((r) => r.protocol === 'HTTP')).toBe(false);
  const ssl = sim.server.calls.filter((c) => c.action === 'DescribeSSLPolicies' && c.scope === `${PROD}/us-east-1`);
  expect(ssl).toHaveLength(3);
});
