/**
 * IAM server certificates end to end: the real @aws-sdk/client-iam against the simulator, in two
 * accounts reached by assuming roles, over more than one page, and joined to the ELBv2 listener
 * that names one of them.
 */
import { awsIam } from '../../providers/aws-iam/index.js';
import { awsAcm } from '../../providers/aws-acm/index.js';
import { awsElbv2 } from '../../providers/aws-elbv2/index.js';
import { audit } from '../../src/engine/runtime/audit.js';
import { activeRules } from '../../src/config/load.js';
import { RULES } from '../../rules/index.js';
import type { Certificate } from '../../src/model/types.js';
import type { AwsScenario } from '../../src/sim/aws/index.js';
import {
  awsConfig,
  DEV,
  IAM_CERT,
  NOW,
  PROD,
  run,
  scenario,
  startAws,
  useAuditorKeys,
  type Sim,
} from './aws-fixture.js';

/** The fixture's world, with IAM certificates in both accounts and IAM pages of two. */
function iamScenario(): AwsScenario {
  const s = scenario();
  s.pageLimits = { ...s.pageLimits, iam: 2 };
  const prod = s.accounts.find((a) => a.id === PROD)!;
  prod.iamServerCertificates = [
    {
      name: 'www-2019',
      path: '/legacy/',
      cn: 'www.example.com',
      expiresInDays: -30,
      uploadedDaysAgo: 800,
      tags: { owner: 'web' },
    },
    { name: 'cdn', path: '/cloudfront/', cn: 'cdn.example.com', key: 'ec-p256', expiresInDays: 90 },
    { name: 'weak', cn: 'weak.example.com', key: 'rsa-1024', signature: 'sha1', expiresInDays: 40 },
    { name: 'no-chain', cn: 'bare.example.com', expiresInDays: 60, chain: false },
    { name: 'self', cn: 'self.example.com', selfSigned: true, expiresInDays: 100 },
  ];
  s.accounts.find((a) => a.id === DEV)!.iamServerCertificates = [
    { name: 'dev-iam', cn: 'dev-iam.example.com', expiresInDays: 10 },
  ];
  return s;
}

let sim: Sim;
beforeAll(async () => {
  useAuditorKeys();
  sim = await startAws({}, iamScenario());
});
afterAll(() => sim.server.close());
beforeEach(() => sim.server.configure({}));

const byName = (records: Array<{ name: string }>, name: string) => records.find((r) => r.name === name) as Certificate;

test('one global scope per account, every certificate over several pages, with its bytes and metadata', async () => {
  const out = await run(awsIam, awsConfig(sim.server.url));
  expect(out.scopes).toEqual([
    { account: PROD, location: 'global', status: 'ok', records: 5 },
    { account: DEV, location: 'global', status: 'ok', records: 1 },
  ]);
  // Five certificates, two a page: three listings in PROD, each following the previous Marker.
  const lists = sim.server.calls.filter((c) => c.action === 'ListServerCertificates');
  expect(lists.filter((c) => c.scope === `${PROD}/us-east-1`)).toHaveLength(3);
  expect(lists.filter((c) => c.scope === `${DEV}/us-east-1`)).toHaveLength(1);
  expect(sim.server.calls.filter((c) => c.action === 'GetServerCertificate')).toHaveLength(6);
  // Roles are assumed once per account, not once per region or call.
  expect(sim.server.calls.filter((c) => c.action === 'AssumeRole')).toHaveLength(2);

  const www = byName(out.records, 'www-2019');
  const world = sim.world.accounts.get(PROD)!.serverCertificates!.find((c) => c.name === 'www-2019')!;
  expect(www).toMatchObject({
    kind: 'certificate',
    provider: 'aws-iam',
    account: PROD,
    location: 'global',
    uid: `aws-iam:${IAM_CERT}`,
    ref: IAM_CERT,
    commonName: 'www.example.com',
    notAfter: world.material.notAfter.toISOString(),
    tags: { owner: 'web' },
    createdAt: new Date(NOW.getTime() - 800 * 86_400_000).toISOString(),
    iam: {
      path: '/legacy/',
      serverCertificateId: world.id,
      uploadDate: new Date(NOW.getTime() - 800 * 86_400_000).toISOString(),
      expiration: world.material.notAfter.toISOString(),
    },
  });
  expect(world.id).toMatch(/^ASCA[A-Z0-9]{17}$/);
  expect(www.chain!.map((c) => c.subject)).toEqual([
    'CN=certwarden simulated Issuing CA',
    'CN=certwarden simulated Root CA',
  ]);
  expect(www.state).toBeUndefined();
  expect(www.inUse).toBeUndefined();
  expect(byName(out.records, 'cdn')).toMatchObject({
    ref: `arn:aws:iam::${PROD}:server-certificate/cloudfront/cdn`,
    key: { algorithm: 'EC', curve: 'P-256' },
  });
  expect(byName(out.records, 'weak')).toMatchObject({
    key: { algorithm: 'RSA', bits: 1024 },
    signatureAlgorithm: 'sha1WithRSAEncryption',
  });
  expect(byName(out.records, 'no-chain').chain).toEqual([]);
  expect(byName(out.records, 'dev-iam')).toMatchObject({
    account: DEV,
    ref: `arn:aws:iam::${DEV}:server-certificate/dev-iam`,
  });
});

test('IAM is signed for us-east-1 and sent to the configured endpoint, once per account whatever the regions', async () => {
  const out = await run(awsIam, awsConfig(sim.server.url, { regions: ['eu-west-1', 'ap-southeast-2', 'us-west-2'] }));
  expect(out.scopes.map((s) => `${s.account}/${s.location}:${s.status}`)).toEqual([
    `${PROD}/global:ok`,
    `${DEV}/global:ok`,
  ]);
  expect(new Set(sim.server.calls.filter((c) => c.service === 'iam').map((c) => c.scope.split('/')[1]))).toEqual(
    new Set(['us-east-1']),
  );
});

test('without a configured endpoint, AWS_ENDPOINT_URL routes the global IAM client too', async () => {
  process.env.AWS_ENDPOINT_URL = sim.server.url;
  try {
    const out = await run(awsIam, awsConfig(sim.server.url, { endpoint: undefined }));
    expect(out.scopes.every((s) => s.status === 'ok')).toBe(true);
    expect(out.records).toHaveLength(6);
  } finally {
    delete process.env.AWS_ENDPOINT_URL;
  }
});

test('throttling is retried; a denied listing fails that account only, with the service code', async () => {
  sim.server.configure({ faults: [{ kind: 'throttle', service: 'iam', action: 'GetServerCertificate', count: 2 }] });
  const throttled = await run(awsIam, awsConfig(sim.server.url));
  expect(throttled.scopes.every((s) => s.status === 'ok')).toBe(true);
  expect(sim.server.calls.filter((c) => c.fault === 'throttle')).toHaveLength(2);

  sim.server.configure({ faults: [{ kind: 'denied', service: 'iam', scope: `${DEV}/*` }] });
  const denied = await run(awsIam, awsConfig(sim.server.url));
  expect(
    denied.scopes.map((s) => `${s.account}:${s.status}:${s.error?.operation ?? ''}:${s.error?.code ?? ''}`),
  ).toEqual([`${PROD}:ok::`, `${DEV}:failed:ListServerCertificates:AccessDenied`]);
});

test('a certificate deleted between the listing and the read is skipped, not a failure', async () => {
  const prod = sim.world.accounts.get(PROD)!;
  const real = prod.serverCertificates!;
  const listed = [
    ...real,
    { ...real[1], name: 'gone', arn: `arn:aws:iam::${PROD}:server-certificate/gone`, path: '/' },
  ];
  // The listing still shows "gone"; the simulator's lookup by name (GetServerCertificate) no longer finds it.
  listed.find = real.find.bind<typeof listed.find>(real);
  prod.serverCertificates = listed;
  try {
    const out = await run(awsIam, awsConfig(sim.server.url));
    expect(out.scopes.every((s) => s.status === 'ok')).toBe(true);
    expect(out.records.map((r) => r.name)).not.toContain('gone');
    expect(sim.server.calls.filter((c) => c.action === 'GetServerCertificate' && c.status === 404)).toHaveLength(1);
  } finally {
    prod.serverCertificates = real;
  }
});

test('the ELBv2 listener that names an IAM certificate resolves to it; expired behind a live listener is critical', async () => {
  const config = awsConfig(sim.server.url);
  const { inventory, findings } = await audit({
    config,
    providers: [awsAcm, awsElbv2, awsIam],
    rules: activeRules(config, RULES),
    now: NOW,
    log: { info() {}, warn() {}, debug() {} },
  });
  const listener = inventory.bindings.find((b) => b.certificateRef === IAM_CERT)!;
  expect(listener).toMatchObject({ refKind: 'iam', certificateUid: `aws-iam:${IAM_CERT}`, live: true });
  const expired = findings.find((f) => f.ruleId === 'cert-expired' && f.resource.uid === `aws-iam:${IAM_CERT}`)!;
  expect(expired.severity).toBe('critical');
  expect(expired.message).toMatch(/^www-2019 expired 30 day\(s\) ago .*served by elbv2-listener legacy:8443/);
  expect(expired.related).toEqual([listener.uid]);
  expect(expired.compliance?.['CIS-AWS-3.0']).toEqual(['1.19']);
  expect(findings.some((f) => f.ruleId === 'bound-cert-unhealthy' && f.resource.uid === listener.uid)).toBe(true);
  // The IAM reference no longer dangles; the deleted ACM ARN on the same listener still does.
  const dangling = findings.filter((f) => f.ruleId === 'dangling-binding').map((f) => f.evidence.certificateRef);
  expect(dangling).not.toContain(IAM_CERT);
  expect(dangling.length).toBeGreaterThan(0);
  expect(findings.some((f) => f.ruleId === 'weak-rsa-key' && f.resource.uid.endsWith('server-certificate/weak'))).toBe(
    true,
  );
});
