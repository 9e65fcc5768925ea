/** The simulated CloudTrail event history, fed by simulated ELBv2 changes, against the real SDK client. */
import { CloudTrailClient, LookupEventsCommand, type LookupEventsCommandInput } from '@aws-sdk/client-cloudtrail';
import { startSimServer, type SimServer } from '../../src/sim/server.js';
import { ScenarioCa } from '../../src/sim/template.js';
import { awsServices, Elbv2Changes, seedAws, type AwsWorld } from '../../src/sim/aws/index.js';
import { NOW, PROD, scenario } from '../providers/aws-fixture.js';

const MINUTE = 60_000;
const creds = { accessKeyId: 'AKIAPRODREADER000001', secretAccessKey: 'prod-secret' };
let world: AwsWorld;
let clock = NOW;
let server: SimServer;
let limited: SimServer;
let changes: Elbv2Changes;
const client = (s: SimServer) =>
  new CloudTrailClient({ region: 'us-east-1', endpoint: s.url, credentials: creds, maxAttempts: 1 });
const at = (minutes: number) => new Date(NOW.getTime() + minutes * MINUTE);
const byName = (name: string): LookupEventsCommandInput => ({
  LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: name }],
});

beforeAll(async () => {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const s = scenario();
  s.accounts[1].accessKeys = [{ id: creds.accessKeyId, secret: creds.secretAccessKey }];
  world = seedAws(s, new ScenarioCa(NOW), NOW);
  server = await startSimServer(awsServices(world), {}, { now: () => clock });
  limited = await startSimServer(awsServices(world), { rateLimits: true }, { now: () => clock });
  changes = new Elbv2Changes(world, PROD, 'us-east-1');
});
afterAll(async () => {
  await server.close();
  await limited.close();
});

test('a change is looked up by event name, with its resources, only once delivered (5 minutes)', async () => {
  clock = at(0);
  const lb = world.accounts.get(PROD)!.regions.get('us-east-1')!.loadBalancers[0];
  const cert = lb.listeners.find((l) => l.defaultCertificate)!.defaultCertificate!;
  const l = changes.createListener(lb.arn, at(-2), { port: 9443, certificate: cert });
  const ct = client(server);
  expect((await ct.send(new LookupEventsCommand(byName('CreateListener')))).Events).toEqual([]);
  clock = at(3);
  const { Events } = await ct.send(new LookupEventsCommand(byName('CreateListener')));
  expect(Events).toHaveLength(1);
  expect(Events![0]).toMatchObject({ EventName: 'CreateListener', EventSource: 'elasticloadbalancing.amazonaws.com' });
  expect(Events![0].EventTime).toEqual(at(-2));
  expect(Events![0].Resources!.map((r) => r.ResourceName)).toEqual([lb.arn, l.arn]);
  expect(JSON.parse(Events![0].CloudTrailEvent!).requestParameters.port).toBe(9443);
  ct.destroy();
});

test('one lookup attribute per call, 1-50 results a page, 90 days of history, newest first', async () => {
  clock = at(0);
  const lb = world.accounts.get(PROD)!.regions.get('us-east-1')!.loadBalancers[1];
  const l = lb.listeners[0];
  changes.addSni(l.arn, l.defaultCertificate!, new Date(NOW.getTime() - 91 * 86_400_000));
  for (let i = 0; i < 60; i++) changes.addSni(l.arn, l.defaultCertificate!, at(-100 + i));
  const ct = client(server);
  await expect(
    ct.send(
      new LookupEventsCommand({
        LookupAttributes: [
          { AttributeKey: 'EventName', AttributeValue: 'AddListenerCertificates' },
          { AttributeKey: 'ResourceName', AttributeValue: l.arn },
        ],
      }),
    ),
  ).rejects.toMatchObject({ name: 'InvalidLookupAttributesException' });
  await expect(ct.send(new LookupEventsCommand({ MaxResults: 51 }))).rejects.toMatchObject({
    name: 'InvalidMaxResultsException',
  });
  const first = await ct.send(new LookupEventsCommand(byName('AddListenerCertificates')));
  expect(first.Events).toHaveLength(50);
  expect(first.Events![0].EventTime).toEqual(at(-41));
  const second = await ct.send(
    new LookupEventsCommand({ ...byName('AddListenerCertificates'), NextToken: first.NextToken }),
  );
  expect(second.Events).toHaveLength(10);
  expect(second.NextToken).toBeUndefined();
  ct.destroy();
});

test('two lookups a second per account and region: the third at once is throttled', async () => {
  const ct = client(limited);
  const results = await Promise.allSettled(
    Array.from({ length: 5 }, () => ct.send(new LookupEventsCommand(byName('DeleteListener')))),
  );
  const throttled = results.filter((r) => r.status === 'rejected');
  expect(results.filter((r) => r.status === 'fulfilled').length).toBeGreaterThanOrEqual(2);
  expect(throttled.length).toBeGreaterThanOrEqual(1);
  for (const r of throttled) expect(r.reason).toMatchObject({ name: 'ThrottlingException' });
  ct.destroy();
});

test('a denied lookup answers AccessDeniedException', async () => {
  world.trailDenied = new Set([`${PROD}/us-east-1`]);
  const ct = client(server);
  await expect(ct.send(new LookupEventsCommand(byName('DeleteListener')))).rejects.toMatchObject({
    name: 'AccessDeniedException',
  });
  world.trailDenied = undefined;
  ct.destroy();
});
