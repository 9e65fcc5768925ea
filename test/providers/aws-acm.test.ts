import { createHash, X509Certificate } from 'node:crypto';
import { awsAcm, needsDescribe } from '../../providers/aws-acm/index.js';
import type { Certificate } from '../../src/model/types.js';
import { awsConfig, DEV, NOW, PROD, run, startAws, useAuditorKeys, type Sim } from './aws-fixture.js';

const DAY = 86_400_000;
let sim: Sim;
let records: Certificate[];
let scopes: Awaited<ReturnType<typeof run>>['scopes'];

beforeAll(async () => {
  useAuditorKeys();
  sim = await startAws();
  const out = await run(awsAcm, awsConfig(sim.server.url));
  records = out.records as Certificate[];
  scopes = out.scopes;
});
afterAll(() => sim.server.close());

const byName = (name: string) => {
  const world = sim.world.accounts.get(PROD)!.regions.get('us-east-1')!;
  const c = world.certificates.find((x) => x.name === name)!;
  return { world: c, record: records.find((r) => r.ref === c.arn)! };
};

test('every scope of both assumed accounts completes', () => {
  expect(scopes).toEqual([
    { account: PROD, location: 'eu-west-1', status: 'ok', records: 1 },
    { account: PROD, location: 'us-east-1', status: 'ok', records: 12 },
    { account: DEV, location: 'eu-west-1', status: 'ok', records: 0 },
    { account: DEV, location: 'us-east-1', status: 'ok', records: 1 },
  ]);
  // More certificates than one ListCertificates page (the simulator hands out 5 at a time).
  expect(
    sim.server.calls.filter((c) => c.action === 'ListCertificates' && c.scope === `${PROD}/us-east-1`),
  ).toHaveLength(3);
});

test('certificates of every key type ACM holds, named from their own bytes', () => {
  const keys = Object.fromEntries(records.filter((r) => r.key).map((r) => [r.acm!.keyAlgorithm, r.key]));
  expect(keys).toEqual({
    RSA_1024: { algorithm: 'RSA', bits: 1024 },
    RSA_2048: { algorithm: 'RSA', bits: 2048 },
    RSA_3072: { algorithm: 'RSA', bits: 3072 },
    RSA_4096: { algorithm: 'RSA', bits: 4096 },
    EC_prime256v1: { algorithm: 'EC', curve: 'P-256', bits: 256 },
    EC_secp384r1: { algorithm: 'EC', curve: 'P-384', bits: 384 },
    EC_secp521r1: { algorithm: 'EC', curve: 'P-521', bits: 521 },
  });
});

test('an imported certificate in use: facts, chain, ACM metadata, tags', () => {
  const { world, record } = byName('www');
  const x = new X509Certificate(world.material.der);
  const fp = createHash('sha256').update(world.material.der).digest('hex').toUpperCase().match(/../g)!.join(':');
  const lb = sim.world.accounts
    .get(PROD)!
    .regions.get('us-east-1')!
    .loadBalancers.find((l) => l.name === 'web')!;
  expect(record).toEqual({
    kind: 'certificate',
    provider: 'aws-acm',
    account: PROD,
    location: 'us-east-1',
    uid: `aws-acm:${world.arn}`,
    name: 'www.example.com',
    ref: world.arn,
    subject: 'CN=www.example.com',
    issuer: 'CN=certwarden simulated Issuing CA',
    commonName: 'www.example.com',
    sans: { dns: ['www.example.com', 'example.com'], ip: [], email: [], uri: [] },
    serial: x.serialNumber,
    fingerprintSha256: fp,
    notBefore: world.material.notBefore.toISOString(),
    notAfter: new Date(NOW.getTime() + 20 * DAY).toISOString(),
    key: { algorithm: 'RSA', bits: 2048 },
    signatureAlgorithm: 'sha256WithRSAEncryption',
    selfSigned: false,
    isCA: false,
    keyUsage: ['digitalSignature', 'keyEncipherment'],
    extendedKeyUsage: ['serverAuth', 'clientAuth'],
    chain: [
      expect.objectContaining({ subject: 'CN=certwarden simulated Issuing CA', isCA: true }),
      expect.objectContaining({ subject: 'CN=certwarden simulated Root CA', selfSigned: true }),
    ],
    state: 'active',
    inUse: true,
    inUseBy: [lb.arn],
    tags: { team: 'web', owner: 'alice' },
    createdAt: world.createdAt.toISOString(),
    acm: {
      type: 'IMPORTED',
      status: 'ISSUED',
      keyAlgorithm: 'RSA_2048',
      keyPairOrigin: 'CUSTOMER_PROVIDED',
      renewalEligibility: 'INELIGIBLE',
      ctLogging: 'ENABLED',
      notBefore: world.material.notBefore.toISOString(),
      notAfter: new Date(NOW.getTime() + 20 * DAY).toISOString(),
      importedAt: world.createdAt.toISOString(),
    },
  });
});

test('managed, expired, self-signed and never-issued certificates', () => {
  expect(byName('api').record).toMatchObject({
    state: 'active',
    key: { algorithm: 'EC', curve: 'P-256' },
    signatureAlgorithm: 'sha384WithRSAEncryption',
    acm: { type: 'AMAZON_ISSUED', renewalEligibility: 'ELIGIBLE', renewalSummary: { status: 'PENDING_AUTO_RENEWAL' } },
  });
  expect(byName('old').record).toMatchObject({
    state: 'expired',
    key: { bits: 1024 },
    signatureAlgorithm: 'sha1WithRSAEncryption',
    inUse: true,
    acm: { status: 'EXPIRED' },
  });
  expect(byName('p521').record).toMatchObject({ selfSigned: true, chain: [], key: { curve: 'P-521' } });
  expect(byName('r4096').record.acm).toMatchObject({
    type: 'PRIVATE',
    exported: false,
    certificateAuthorityArn: expect.stringContaining(':acm-pca:'),
  });
  const pending = byName('pending').record;
  expect(pending).toMatchObject({
    state: 'pending',
    name: 'new.example.com',
    acm: { status: 'PENDING_VALIDATION', type: 'AMAZON_ISSUED' },
  });
  expect(pending.fingerprintSha256).toBeUndefined();
  expect(pending.parseError).toBeUndefined();
  expect(byName('failed').record).toMatchObject({ state: 'failed', acm: { failureReason: 'CAA_ERROR' } });
});

test('an untagged certificate has no tags: {}', () => {
  expect(byName('api').record.tags).toEqual({});
  expect(records.filter((r) => r.ref !== byName('www').world.arn).every((r) => JSON.stringify(r.tags) === '{}')).toBe(
    true,
  );
});

test('per-certificate calls only where they add something', () => {
  const calls = sim.server.calls.filter((c) => c.scope === `${PROD}/us-east-1`);
  const count = (action: string) => calls.filter((c) => c.action === action).length;
  // 12 certificates; the two never issued have no bytes.
  expect(count('GetCertificate')).toBe(10);
  // Tags: one GetResources listing per scope, never a call per certificate.
  expect(count('GetResources')).toBe(1);
  expect(sim.server.calls.filter((c) => c.action === 'GetResources')).toHaveLength(scopes.length);
  expect(sim.server.calls.filter((c) => c.action === 'ListTagsForCertificate')).toEqual([]);
  // Not described: imported, ISSUED/EXPIRED, not in use -> r3072, p384, p521 and the three bulk copies.
  expect(count('DescribeCertificate')).toBe(6);
  expect(needsDescribe({ Type: 'IMPORTED', InUse: false, Status: 'ISSUED' })).toBe(false);
  expect(needsDescribe({ Type: 'IMPORTED', InUse: true, Status: 'ISSUED' })).toBe(true);
  expect(needsDescribe({ Type: 'AMAZON_ISSUED', InUse: false, Status: 'ISSUED' })).toBe(true);
});

test('records are identical run to run', async () => {
  const again = await run(awsAcm, awsConfig(sim.server.url));
  expect(JSON.stringify(again.records)).toBe(JSON.stringify(records));
});
