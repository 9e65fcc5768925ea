/** The simulated ELBv2, STS, Organizations and Account services against the real SDK clients. */
import {
  DescribeListenerCertificatesCommand,
  DescribeLoadBalancersCommand,
  DescribeSSLPoliciesCommand,
  DescribeTagsCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { ListAccountsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { AccountClient, ListRegionsCommand } from '@aws-sdk/client-account';
import { AUDIT, KEY, PROD, scenario, startAws, type Sim } from '../providers/aws-fixture.js';

let sim: Sim;
const creds = { accessKeyId: 'AKIAPRODREADER000001', secretAccessKey: 'prod-secret' };
const auditor = { accessKeyId: KEY.id, secretAccessKey: KEY.secret };
let elb: ElasticLoadBalancingV2Client;
const region = () => sim.world.accounts.get(PROD)!.regions.get('us-east-1')!;

beforeAll(async () => {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const s = scenario();
  s.accounts[1].accessKeys = [{ id: creds.accessKeyId, secret: creds.secretAccessKey }];
  s.accounts[1].regions!['us-east-1'].loadBalancers![0].tags = { env: 'prod', note: '<script>&"\'' };
  sim = await startAws({}, s);
  elb = new ElasticLoadBalancingV2Client({
    region: 'us-east-1',
    endpoint: sim.server.url,
    credentials: creds,
    maxAttempts: 1,
  });
});
afterAll(async () => {
  elb.destroy();
  await sim.server.close();
});

test('DescribeLoadBalancers pages by Marker; PageSize above 400 is a ValidationError', async () => {
  const first = await elb.send(new DescribeLoadBalancersCommand({ PageSize: 400 }));
  expect(first.LoadBalancers).toHaveLength(2);
  const second = await elb.send(new DescribeLoadBalancersCommand({ PageSize: 400, Marker: first.NextMarker }));
  expect(second.NextMarker).toBeUndefined();
  expect([...first.LoadBalancers!, ...second.LoadBalancers!].map((l) => l.LoadBalancerName)).toEqual([
    'web',
    'legacy',
    'nlb',
  ]);
  expect(first.LoadBalancers![0]).toMatchObject({
    Scheme: 'internet-facing',
    Type: 'application',
    State: { Code: 'active' },
    CreatedTime: expect.any(Date),
  });
  await expect(elb.send(new DescribeLoadBalancersCommand({ PageSize: 401 }))).rejects.toMatchObject({
    name: 'ValidationError',
  });
  await expect(elb.send(new DescribeLoadBalancersCommand({ Names: ['nope'] }))).rejects.toMatchObject({
    name: 'LoadBalancerNotFoundException',
    Code: 'LoadBalancerNotFound',
  });
});

test('DescribeListenerCertificates lists the default twice when it is also in the certificate list', async () => {
  const listener = region().loadBalancers[0].listeners[0];
  const first = await elb.send(new DescribeListenerCertificatesCommand({ ListenerArn: listener.arn, PageSize: 400 }));
  const rest = await elb.send(
    new DescribeListenerCertificatesCommand({ ListenerArn: listener.arn, PageSize: 400, Marker: first.NextMarker }),
  );
  const out = { Certificates: [...first.Certificates!, ...rest.Certificates!] };
  const www = region().certificates.find((c) => c.name === 'www')!.arn;
  const api = region().certificates.find((c) => c.name === 'api')!.arn;
  expect(out.Certificates).toEqual([
    { CertificateArn: www, IsDefault: true },
    { CertificateArn: api, IsDefault: false },
    { CertificateArn: www, IsDefault: false },
  ]);
});

test('DescribeSSLPolicies: real policy names, protocols and ciphers by priority', async () => {
  const out = await elb.send(new DescribeSSLPoliciesCommand({ Names: ['ELBSecurityPolicy-TLS13-1-2-Res-2021-06'] }));
  expect(out.SslPolicies![0]).toMatchObject({
    SslProtocols: ['TLSv1.2', 'TLSv1.3'],
    Ciphers: expect.arrayContaining([{ Name: 'TLS_AES_128_GCM_SHA256', Priority: 1 }]),
  });
  await expect(
    elb.send(new DescribeSSLPoliciesCommand({ Names: ['ELBSecurityPolicy-Made-Up'] })),
  ).rejects.toMatchObject({ name: 'SSLPolicyNotFoundException', Code: 'SSLPolicyNotFound' });
});

test('XML text is escaped: hostile tags come back as they were stored', async () => {
  const out = await elb.send(new DescribeTagsCommand({ ResourceArns: [region().loadBalancers[0].arn] }));
  expect(out.TagDescriptions![0].Tags).toEqual([
    { Key: 'env', Value: 'prod' },
    { Key: 'note', Value: '<script>&"\'' },
  ]);
});

test('Describe* share one bucket per account and region: 40 at once, then Throttling', async () => {
  sim.server.configure({ rateLimits: true });
  try {
    const started = Date.now();
    const results = await Promise.allSettled(
      Array.from({ length: 120 }, (_, i) =>
        elb.send(
          i % 2
            ? new DescribeLoadBalancersCommand({})
            : new DescribeSSLPoliciesCommand({ Names: ['ELBSecurityPolicy-2016-08'] }),
        ),
      ),
    );
    const seconds = (Date.now() - started) / 1000;
    const throttled = results.filter((r) => r.status === 'rejected');
    // 40 from the burst, plus at most what 10 per second refill while the requests arrive (a slow
    // machine spreads their arrival, so the bound follows the time they took).
    const served = results.length - throttled.length;
    expect(served).toBeGreaterThanOrEqual(40);
    expect(served).toBeLessThanOrEqual(40 + Math.ceil(10 * seconds) + 1);
    expect(throttled.length).toBeGreaterThan(0);
    expect(throttled[0].reason).toMatchObject({ name: 'Throttling', $metadata: { httpStatusCode: 400 } });
  } finally {
    sim.server.configure({});
  }
});

test('STS: AssumeRole honours trust and ExternalId; the temporary key belongs to the role account', async () => {
  const sts = new STSClient({ region: 'us-east-1', endpoint: sim.server.url, credentials: auditor, maxAttempts: 1 });
  const role = `arn:aws:iam::${PROD}:role/certwarden-audit`;
  await expect(sts.send(new AssumeRoleCommand({ RoleArn: role, RoleSessionName: 'cw' }))).rejects.toMatchObject({
    name: 'AccessDenied',
  });
  const out = await sts.send(new AssumeRoleCommand({ RoleArn: role, RoleSessionName: 'cw', ExternalId: 'cw-ext-1' }));
  expect(out.Credentials!.AccessKeyId).toMatch(/^ASIA/);
  expect(out.Credentials!.Expiration!.getTime()).toBeGreaterThan(Date.now());
  const temp = new STSClient({
    region: 'eu-west-1',
    endpoint: sim.server.url,
    credentials: {
      accessKeyId: out.Credentials!.AccessKeyId!,
      secretAccessKey: out.Credentials!.SecretAccessKey!,
      sessionToken: out.Credentials!.SessionToken,
    },
    maxAttempts: 1,
  });
  expect(await temp.send(new GetCallerIdentityCommand({}))).toMatchObject({
    Account: PROD,
    Arn: `arn:aws:sts::${PROD}:assumed-role/certwarden-audit/cw`,
  });
  // Without its session token the temporary key is not valid.
  const noToken = new STSClient({
    region: 'eu-west-1',
    endpoint: sim.server.url,
    credentials: { accessKeyId: out.Credentials!.AccessKeyId!, secretAccessKey: 'x' },
    maxAttempts: 1,
  });
  await expect(noToken.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: 'InvalidClientTokenId' });
  for (const c of [sts, temp, noToken]) c.destroy();
});

test('Organizations ListAccounts pages for the management account; Account ListRegions lists enabled regions', async () => {
  const org = new OrganizationsClient({
    region: 'us-east-1',
    endpoint: sim.server.url,
    credentials: auditor,
    maxAttempts: 1,
  });
  const out = await org.send(new ListAccountsCommand({ MaxResults: 2 }));
  expect(out.Accounts!.map((a) => a.Id)).toEqual([AUDIT, PROD]);
  expect(out.Accounts![0]).toMatchObject({ State: 'ACTIVE', JoinedTimestamp: expect.any(Date) });
  expect((await org.send(new ListAccountsCommand({ NextToken: out.NextToken }))).Accounts).toHaveLength(1);
  const member = new OrganizationsClient({
    region: 'us-east-1',
    endpoint: sim.server.url,
    credentials: creds,
    maxAttempts: 1,
  });
  await expect(member.send(new ListAccountsCommand({}))).rejects.toMatchObject({ name: 'AccessDeniedException' });
  const account = new AccountClient({
    region: 'us-east-1',
    endpoint: sim.server.url,
    credentials: creds,
    maxAttempts: 1,
  });
  expect(
    (await account.send(new ListRegionsCommand({ RegionOptStatusContains: ['ENABLED', 'ENABLED_BY_DEFAULT'] })))
      .Regions,
  ).toEqual([
    { RegionName: 'us-east-1', RegionOptStatus: 'ENABLED_BY_DEFAULT' },
    { RegionName: 'eu-west-1', RegionOptStatus: 'ENABLED_BY_DEFAULT' },
  ]);
  for (const c of [org, member, account]) c.destroy();
});
