/**
 * The simulated BatchImportFindings through the real Security Hub client: its documented limits
 * (100 findings a request, 240 KB a finding, 10 calls a second with a burst of 30) and error shapes.
 */
import { BatchImportFindingsCommand, SecurityHubClient, type AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { startSimulator, type Simulator } from '../../src/sim/index.js';
import { securityHubFindings } from '../../src/sim/aws/index.js';

const ACCOUNT = '123456789012';
const OTHER = '210987654321';
const KEY = { id: 'AKIASIMSECURITYHUB01', secret: 'sim-securityhub-secret-opens-nothing' };
const NOW = '2026-06-01T00:00:00.000Z';

let sim: Simulator;
let client: SecurityHubClient;

beforeAll(async () => {
  sim = await startSimulator(
    { aws: { accounts: [{ id: ACCOUNT, accessKeys: [KEY], regions: { 'eu-west-1': {} } }] } },
    { now: new Date(NOW), options: { rateLimits: true } },
  );
  client = new SecurityHubClient({
    region: 'eu-west-1',
    endpoint: sim.server.url,
    credentials: { accessKeyId: KEY.id, secretAccessKey: KEY.secret },
    maxAttempts: 1,
  });
});
afterAll(async () => {
  client.destroy();
  await sim.server.close();
});

function finding(id: string, extra: Partial<AwsSecurityFinding> = {}): AwsSecurityFinding {
  return {
    SchemaVersion: '2018-10-08',
    Id: id,
    ProductArn: `arn:aws:securityhub:eu-west-1:${ACCOUNT}:product/${ACCOUNT}/default`,
    GeneratorId: 'cert-expired',
    AwsAccountId: ACCOUNT,
    Types: ['Software and Configuration Checks/Industry and Regulatory Standards/expiry'],
    CreatedAt: NOW,
    UpdatedAt: NOW,
    Severity: { Label: 'HIGH' },
    Title: 'Certificate expired',
    Description: 'www.example.com expired',
    Resources: [{ Type: 'Other', Id: id }],
    ...extra,
  };
}

const send = (findings: AwsSecurityFinding[]) => client.send(new BatchImportFindingsCommand({ Findings: findings }));

test('more than 100 findings in one request: InvalidInputException, nothing imported', async () => {
  const many = Array.from({ length: 101 }, (_, i) => finding(`many-${i}`));
  await expect(send(many)).rejects.toMatchObject({ name: 'InvalidInputException', $metadata: { httpStatusCode: 400 } });
  expect(securityHubFindings(sim.aws!, ACCOUNT, 'eu-west-1').size).toBe(0);
});

test('refused findings are listed with ErrorCode and ErrorMessage; the others are imported', async () => {
  const out = await send([
    finding('ok-1'),
    finding('long-title', { Title: 'T'.repeat(257) }),
    finding('foreign', { AwsAccountId: OTHER }),
    finding('huge', { Description: 'd', ProductFields: { blob: 'x'.repeat(250 * 1024) } }),
    finding('bad-label', { Severity: { Label: 'SEVERE' as 'HIGH' } }),
    finding('ok-2'),
  ]);
  expect([out.SuccessCount, out.FailedCount]).toEqual([2, 4]);
  expect(out.FailedFindings!.map((f) => [f.Id, f.ErrorCode])).toEqual([
    ['long-title', 'InvalidInput'],
    ['foreign', 'InvalidInput'],
    ['huge', 'InvalidInput'],
    ['bad-label', 'InvalidInput'],
  ]);
  expect(out.FailedFindings![0].ErrorMessage).toBe(
    'Finding does not adhere to Amazon Finding Format. data.Title should NOT be longer than 256 characters',
  );
  expect(out.FailedFindings![2].ErrorMessage).toMatch(/240 KB/);
  expect([...securityHubFindings(sim.aws!, ACCOUNT, 'eu-west-1').values()].map((f) => f.finding.Id)).toEqual([
    'ok-1',
    'ok-2',
  ]);
});

test('a re-import replaces the finding but keeps what the customer owns', async () => {
  const held = securityHubFindings(sim.aws!, ACCOUNT, 'eu-west-1');
  const key = [...held.keys()].find((k) => k.endsWith('\u0000ok-1'))!;
  held.get(key)!.finding.Workflow = { Status: 'NOTIFIED' };
  await send([
    finding('ok-1', { Title: 'Certificate expired again', Workflow: { Status: 'NEW' }, RecordState: 'ARCHIVED' }),
  ]);
  expect(held.get(key)).toMatchObject({
    imports: 2,
    finding: { Title: 'Certificate expired again', Workflow: { Status: 'NOTIFIED' }, RecordState: 'ARCHIVED' },
  });
  expect(held.size).toBe(2);
});

test('past 30 calls at once, LimitExceededException (HTTP 429)', async () => {
  // The earlier tests drew on the same bucket: at 10 a second it is full again after 3 seconds.
  await new Promise((r) => setTimeout(r, 3_100));
  const results = await Promise.allSettled(Array.from({ length: 40 }, (_, i) => send([finding(`burst-${i}`)])));
  const refused = results.filter((r) => r.status === 'rejected').map((r) => r.reason);
  // The bucket refills at 10 a second while the 40 requests go out, so a few more than 30 get through.
  expect(refused.length).toBeGreaterThan(0);
  expect(results.length - refused.length).toBeGreaterThanOrEqual(30);
  expect(refused[0]).toMatchObject({ name: 'LimitExceededException', $metadata: { httpStatusCode: 429 } });
});
