/** The simulated IAM as the real @aws-sdk/client-iam sees it: paging defaults, PathPrefix, validation and errors. */
import { GetServerCertificateCommand, IAMClient, ListServerCertificatesCommand } from '@aws-sdk/client-iam';
import { KEY, PROD, scenario, startAws, type Sim } from './aws-fixture.js';

let sim: Sim;
let iam: IAMClient;

beforeAll(async () => {
  const s = scenario();
  // The auditor's own account holds 105 certificates: more than the default page of 100.
  s.accounts[0].iamServerCertificates = [
    ...Array.from({ length: 103 }, (_, i) => ({ name: `bulk-${i}`, path: '/bulk/', cn: `bulk${i}.example.com` })),
    { name: 'cf', path: '/cloudfront/prod/', cn: 'cdn.example.com' },
    { name: 'root-path', cn: 'plain.example.com', chain: false },
  ];
  sim = await startAws({}, s);
  iam = new IAMClient({
    region: 'us-east-1',
    endpoint: sim.server.url,
    credentials: { accessKeyId: KEY.id, secretAccessKey: KEY.secret },
    maxAttempts: 1,
  });
});
afterAll(async () => {
  iam.destroy();
  await sim.server.close();
});

test('without MaxItems a page holds 100, IsTruncated and Marker lead to the rest', async () => {
  const first = await iam.send(new ListServerCertificatesCommand({}));
  expect(first.ServerCertificateMetadataList).toHaveLength(100);
  expect(first.IsTruncated).toBe(true);
  const second = await iam.send(new ListServerCertificatesCommand({ Marker: first.Marker }));
  expect(second.ServerCertificateMetadataList).toHaveLength(5);
  expect(second.IsTruncated).toBe(false);
  expect(second.Marker).toBeUndefined();
});

test('PathPrefix filters by path; metadata carries ARN, id and dates', async () => {
  const out = await iam.send(new ListServerCertificatesCommand({ PathPrefix: '/cloudfront/' }));
  expect(out.ServerCertificateMetadataList).toEqual([
    expect.objectContaining({
      Path: '/cloudfront/prod/',
      ServerCertificateName: 'cf',
      Arn: 'arn:aws:iam::111111111111:server-certificate/cloudfront/prod/cf',
      ServerCertificateId: expect.stringMatching(/^ASCA[A-Z0-9]{17}$/),
      UploadDate: expect.any(Date),
      Expiration: expect.any(Date),
    }),
  ]);
});

test('MaxItems outside 1-1000 and a foreign Marker are validation errors', async () => {
  await expect(iam.send(new ListServerCertificatesCommand({ MaxItems: 1001 }))).rejects.toMatchObject({
    name: 'ValidationError',
    $metadata: { httpStatusCode: 400 },
  });
  await expect(iam.send(new ListServerCertificatesCommand({ Marker: 'not-a-marker' }))).rejects.toMatchObject({
    name: 'ValidationError',
  });
});

test('GetServerCertificate: body and chain, no chain when none was uploaded, NoSuchEntity (404) for an unknown name', async () => {
  const cf = await iam.send(new GetServerCertificateCommand({ ServerCertificateName: 'cf' }));
  expect(cf.ServerCertificate?.CertificateBody).toMatch(/^-----BEGIN CERTIFICATE-----/);
  expect(cf.ServerCertificate?.CertificateChain?.match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
  expect(Object.keys(cf.ServerCertificate!).sort()).toEqual([
    'CertificateBody',
    'CertificateChain',
    'ServerCertificateMetadata',
  ]);
  const plain = await iam.send(new GetServerCertificateCommand({ ServerCertificateName: 'root-path' }));
  expect(plain.ServerCertificate?.CertificateChain).toBeUndefined();
  await expect(iam.send(new GetServerCertificateCommand({ ServerCertificateName: 'missing' }))).rejects.toMatchObject({
    name: 'NoSuchEntityException',
    Code: 'NoSuchEntity',
    $metadata: { httpStatusCode: 404 },
  });
});

test('IAM is per account: another account sees only its own certificates', async () => {
  const out = await iam.send(new ListServerCertificatesCommand({ PathPrefix: '/legacy/' }));
  expect(out.ServerCertificateMetadataList).toEqual([]);
  expect(sim.world.accounts.get(PROD)!.serverCertificates!.map((c) => c.name)).toEqual(['www-2019']);
});
