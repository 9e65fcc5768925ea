/** The simulated ACM against the real SDK client: defaults, shapes and errors as documented. */
import {
  ACMClient,
  DescribeCertificateCommand,
  GetCertificateCommand,
  ListCertificatesCommand,
} from '@aws-sdk/client-acm';
import { scenario, startAws, PROD, type Sim } from '../providers/aws-fixture.js';
import { ScenarioCa } from '../../src/sim/template.js';
import { seedAws } from '../../src/sim/aws/index.js';

let sim: Sim;
let acm: ACMClient;
const cert = (name: string) =>
  sim.world.accounts
    .get(PROD)!
    .regions.get('us-east-1')!
    .certificates.find((c) => c.name === name)!;

beforeAll(async () => {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  // Long-term keys straight into PROD, so the tests talk to its certificates directly.
  const s = scenario();
  s.accounts[1].accessKeys = [{ id: 'AKIAPRODREADER000001', secret: 'prod-secret' }];
  sim = await startAws({}, s);
  acm = new ACMClient({
    region: 'us-east-1',
    endpoint: sim.server.url,
    credentials: { accessKeyId: 'AKIAPRODREADER000001', secretAccessKey: 'prod-secret' },
    maxAttempts: 1,
  });
});
afterAll(async () => {
  acm.destroy();
  await sim.server.close();
});

test('ListCertificates without Includes returns only RSA_1024/RSA_2048 certificates (the documented default)', async () => {
  const all = [];
  let NextToken: string | undefined;
  do {
    const out = await acm.send(new ListCertificatesCommand({ NextToken }));
    all.push(...out.CertificateSummaryList!);
    NextToken = out.NextToken;
  } while (NextToken);
  expect(new Set(all.map((c) => c.KeyAlgorithm))).toEqual(new Set(['RSA_1024', 'RSA_2048']));
  const every = await acm.send(
    new ListCertificatesCommand({
      MaxItems: 100,
      Includes: {
        keyTypes: ['RSA_1024', 'RSA_2048', 'RSA_3072', 'RSA_4096', 'EC_prime256v1', 'EC_secp384r1', 'EC_secp521r1'],
      },
    }),
  );
  // The page is capped by the scenario (5), whatever the client asks: NextToken says there is more.
  expect(every.CertificateSummaryList).toHaveLength(5);
  expect(every.NextToken).toBeDefined();
});

test('summaries carry epoch-second timestamps the SDK turns into Dates, and ACM enum names', async () => {
  const out = await acm.send(
    new ListCertificatesCommand({ CertificateStatuses: ['ISSUED'], Includes: { keyTypes: ['EC_prime256v1'] } }),
  );
  const api = out.CertificateSummaryList!.find((c) => c.DomainName === 'api.example.com')!;
  expect(api).toMatchObject({
    Type: 'AMAZON_ISSUED',
    Status: 'ISSUED',
    KeyAlgorithm: 'EC_prime256v1',
    InUse: true,
    RenewalEligibility: 'ELIGIBLE',
    ExtendedKeyUsages: ['TLS_WEB_SERVER_AUTHENTICATION', 'TLS_WEB_CLIENT_AUTHENTICATION'],
  });
  expect(api.NotAfter).toEqual(cert('api').material.notAfter);
});

test('DescribeCertificate: subject, serial and signature as ACM prints them, InUseBy, renewal', async () => {
  const { Certificate: d } = await acm.send(new DescribeCertificateCommand({ CertificateArn: cert('api').arn }));
  expect(d).toMatchObject({
    Subject: 'CN=api.example.com',
    SignatureAlgorithm: 'SHA384WITHRSA',
    InUseBy: [expect.stringContaining(':loadbalancer/app/web/')],
    RenewalSummary: { RenewalStatus: 'PENDING_AUTO_RENEWAL' },
    Options: { CertificateTransparencyLoggingPreference: 'ENABLED' },
  });
  expect(d!.Serial).toMatch(/^([0-9a-f]{2}:)+[0-9a-f]{2}$/);
});

test('GetCertificate: PEM and chain; RequestInProgressException before issue; ResourceNotFoundException', async () => {
  const out = await acm.send(new GetCertificateCommand({ CertificateArn: cert('www').arn }));
  expect(out.Certificate).toBe(cert('www').material.pem);
  expect(out.CertificateChain).toContain('BEGIN CERTIFICATE');
  await expect(acm.send(new GetCertificateCommand({ CertificateArn: cert('pending').arn }))).rejects.toMatchObject({
    name: 'RequestInProgressException',
  });
  await expect(
    acm.send(new GetCertificateCommand({ CertificateArn: `${cert('www').arn.slice(0, -4)}beef` })),
  ).rejects.toMatchObject({ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 400 } });
});

test('requests without SigV4, or with an unknown key, are refused as AWS refuses them', async () => {
  const res = await fetch(sim.server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'CertificateManager.ListCertificates' },
    body: '{}',
  });
  expect(res.status).toBe(403);
  expect(await res.json()).toEqual({
    __type: 'MissingAuthenticationTokenException',
    message: 'Missing Authentication Token',
  });
  const stranger = new ACMClient({
    region: 'us-east-1',
    endpoint: sim.server.url,
    credentials: { accessKeyId: 'AKIANOBODY0000000000', secretAccessKey: 'x' },
    maxAttempts: 1,
  });
  await expect(stranger.send(new ListCertificatesCommand({}))).rejects.toMatchObject({
    name: 'UnrecognizedClientException',
  });
  stranger.destroy();
});

test('ACM holds only RSA 1024-4096 and EC P-256/384/521 keys; a scenario asking for more is refused', () => {
  expect(() =>
    seedAws(
      { accounts: [{ id: '1', regions: { 'us-east-1': { certificates: [{ cn: 'x', key: 'ed25519' }] } } }] },
      new ScenarioCa(new Date()),
      new Date(),
    ),
  ).toThrow(/ACM cannot hold/);
});

// Seeding time is the benchmark's figure (`seeded in` in `npm run bench`), not a test's timer.
test('seeding many certificates gives each its own ARN', () => {
  const w = seedAws(
    {
      accounts: [{ id: '1', regions: { 'us-east-1': { certificates: [{ cn: 'host{i}.example.com', repeat: 300 }] } } }],
    },
    new ScenarioCa(new Date()),
    new Date(),
  );
  expect(w.accounts.get('1')!.regions.get('us-east-1')!.certificates).toHaveLength(300);
  expect(
    new Set(
      w.accounts
        .get('1')!
        .regions.get('us-east-1')!
        .certificates.map((c) => c.arn),
    ).size,
  ).toBe(300);
});
