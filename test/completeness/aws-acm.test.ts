/**
 * Every class of ACM certificate that ListCertificates hides unless asked for (docs/completeness.md)
 * is seen by certwarden: real SDK client, simulated ACM applying the documented defaults.
 */
import { ACMClient, ListCertificatesCommand } from '@aws-sdk/client-acm';
import { awsAcm } from '../../providers/aws-acm/index.js';
import type { Certificate } from '../../src/model/types.js';
import type { AwsCertificateSpec } from '../../src/sim/aws/scenario.js';
import { AUDIT, awsConfig, KEY, run, startAws, useAuditorKeys, type Sim } from '../providers/aws-fixture.js';

/** One certificate per hidden-by-default class, and the classes no default hides, for contrast. */
const HIDDEN: Array<[string, AwsCertificateSpec]> = [
  ['RSA_3072 (keyTypes default: RSA_1024, RSA_2048)', { name: 'rsa3072', cn: 'r3072.example.com', key: 'rsa-3072' }],
  ['RSA_4096', { name: 'rsa4096', cn: 'r4096.example.com', key: 'rsa-4096', type: 'PRIVATE' }],
  ['EC_prime256v1', { name: 'p256', cn: 'p256.example.com', key: 'ec-p256', type: 'AMAZON_ISSUED' }],
  ['EC_secp384r1', { name: 'p384', cn: 'p384.example.com', key: 'ec-p384' }],
  ['EC_secp521r1', { name: 'p521', cn: 'p521.example.com', key: 'ec-p521', selfSigned: true }],
  ['no domain (keyTypes default: only certificates with a domain)', { name: 'ip-only', cn: '', sans: ['ip:10.0.0.7'] }],
  [
    'key pair origin ACME (CertificateKeyPairOrigins default: AWS_MANAGED, CUSTOMER_PROVIDED)',
    { name: 'acme', cn: 'acme.example.com', type: 'AMAZON_ISSUED', keyPairOrigin: 'ACME' },
  ],
  [
    'ACME and EC at once',
    { name: 'acme-ec', cn: 'acme-ec.example.com', key: 'ec-p384', type: 'AMAZON_ISSUED', keyPairOrigin: 'ACME' },
  ],
];
const VISIBLE: Array<[string, AwsCertificateSpec]> = [
  ['RSA_2048 imported', { name: 'plain', cn: 'www.example.com' }],
  ['RSA_1024 expired', { name: 'old', cn: 'old.example.com', key: 'rsa-1024', expiresInDays: -3 }],
  ['managed by CloudFront', { name: 'cf', cn: 'cdn.example.com', type: 'AMAZON_ISSUED', managedBy: 'CLOUDFRONT' }],
  ...(['PENDING_VALIDATION', 'INACTIVE', 'VALIDATION_TIMED_OUT', 'REVOKED', 'FAILED'] as const).map(
    (status): [string, AwsCertificateSpec] => [
      `status ${status}`,
      { name: status.toLowerCase(), cn: `${status.toLowerCase()}.example.com`, type: 'AMAZON_ISSUED', status },
    ],
  ),
];

let sim: Sim;
let records: Certificate[];
let scopes: Awaited<ReturnType<typeof run>>['scopes'];
const arnOf = (name: string) =>
  sim.world.accounts
    .get(AUDIT)!
    .regions.get('us-east-1')!
    .certificates.find((c) => c.name === name)!.arn;

beforeAll(async () => {
  useAuditorKeys();
  const certificates = [...HIDDEN, ...VISIBLE].map(([, spec]) => spec);
  // Pages of 3, so the overrides must hold on every page, not only the first.
  sim = await startAws(
    {},
    {
      pageLimits: { acm: 3 },
      accounts: [{ id: AUDIT, accessKeys: [KEY], regions: { 'us-east-1': { certificates } } }],
    },
  );
  const out = await run(awsAcm, awsConfig(sim.server.url, { accounts: undefined, regions: ['us-east-1'] }));
  records = out.records as Certificate[];
  scopes = out.scopes;
});
afterAll(() => sim.server.close());

test('the simulator hides each class from a ListCertificates without overrides, as documented', async () => {
  const acm = new ACMClient({
    region: 'us-east-1',
    endpoint: sim.server.url,
    credentials: { accessKeyId: KEY.id, secretAccessKey: KEY.secret },
    maxAttempts: 1,
  });
  const arns: string[] = [];
  let NextToken: string | undefined;
  do {
    const out = await acm.send(new ListCertificatesCommand({ NextToken }));
    arns.push(...out.CertificateSummaryList!.map((c) => c.CertificateArn!));
    NextToken = out.NextToken;
  } while (NextToken);
  for (const [, spec] of HIDDEN) expect(arns).not.toContain(arnOf(spec.name!));
  for (const [, spec] of VISIBLE) expect(arns).toContain(arnOf(spec.name!));
  // Asked for, ACME certificates are listed (with the other key types) and say where their key came from.
  const acme = await acm.send(
    new ListCertificatesCommand({
      CertificateKeyPairOrigins: ['ACME'],
      Includes: { keyTypes: ['RSA_2048', 'EC_secp384r1'] },
    }),
  );
  expect(acme.CertificateSummaryList!.map((c) => [c.CertificateArn, c.CertificateKeyPairOrigin])).toEqual([
    [arnOf('acme'), 'ACME'],
    [arnOf('acme-ec'), 'ACME'],
  ]);
  acm.destroy();
});

test.each(HIDDEN)('certwarden sees a certificate hidden by default: %s', (_, spec) => {
  const record = records.find((r) => r.ref === arnOf(spec.name!));
  expect(record).toBeDefined();
  expect(record!.fingerprintSha256).toBeDefined();
});

test('certwarden sees every certificate the region holds, whatever its class', () => {
  expect(scopes).toEqual([
    { account: AUDIT, location: 'us-east-1', status: 'ok', records: HIDDEN.length + VISIBLE.length },
  ]);
  const held = sim.world.accounts
    .get(AUDIT)!
    .regions.get('us-east-1')!
    .certificates.map((c) => c.arn)
    .sort();
  expect(records.map((r) => r.ref).sort()).toEqual(held);
});
