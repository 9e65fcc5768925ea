/** The simulated Resource Groups Tagging API against the real SDK client: GetResources as documented. */
import {
  GetResourcesCommand,
  ResourceGroupsTaggingAPIClient,
  type GetResourcesCommandInput,
} from '@aws-sdk/client-resource-groups-tagging-api';
import { scenario, startAws, PROD, type Sim } from '../providers/aws-fixture.js';

const READER = { accessKeyId: 'AKIAPRODREADER000001', secretAccessKey: 'prod-secret' };
let sim: Sim;
let tagging: ResourceGroupsTaggingAPIClient;
const region = () => sim.world.accounts.get(PROD)!.regions.get('us-east-1')!;
const cert = (name: string) => region().certificates.find((c) => c.name === name)!;

beforeAll(async () => {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const s = scenario();
  s.accounts[1].accessKeys = [{ id: READER.accessKeyId, secret: READER.secretAccessKey }];
  const use1 = s.accounts[1].regions!['us-east-1'];
  use1.certificates!.push(
    { name: 'many-{i}', cn: 'many{i}.example.com', tags: { batch: 'many' }, repeat: 120 },
    { name: 'cleared', cn: 'cleared.example.com', tags: {} },
  );
  sim = await startAws({}, s);
  tagging = new ResourceGroupsTaggingAPIClient({
    region: 'us-east-1',
    endpoint: sim.server.url,
    credentials: READER,
    maxAttempts: 1,
  });
});
afterAll(async () => {
  tagging.destroy();
  await sim.server.close();
});

async function all(input: GetResourcesCommandInput) {
  const out = [];
  const tokens = [];
  let PaginationToken: string | undefined;
  do {
    const page = await tagging.send(new GetResourcesCommand({ ...input, PaginationToken }));
    out.push(...page.ResourceTagMappingList!);
    tokens.push(page.PaginationToken);
    PaginationToken = page.PaginationToken || undefined;
  } while (PaginationToken);
  return { out, tokens };
}

test('only tagged or once-tagged resources, with their tags; an empty token ends the listing', async () => {
  const { out, tokens } = await all({ ResourceTypeFilters: ['acm:certificate'], ResourcesPerPage: 100 });
  // www, the 120 copies and the certificate whose tags were removed: 122 in pages of 100 and 22.
  expect(out).toHaveLength(122);
  expect(tokens).toEqual([expect.stringMatching(/.+/), '']);
  expect(out.find((m) => m.ResourceARN === cert('www').arn)!.Tags).toEqual([
    { Key: 'team', Value: 'web' },
    { Key: 'owner', Value: 'alice' },
  ]);
  expect(out.find((m) => m.ResourceARN === cert('cleared').arn)!.Tags).toEqual([]);
  expect(out.some((m) => m.ResourceARN === cert('api').arn)).toBe(false);
});

test('ResourceTypeFilters: service[:type] from the ARN; none means every tagged resource', async () => {
  const web = region().loadBalancers.find((l) => l.name === 'web')!;
  expect((await all({ ResourceTypeFilters: ['elasticloadbalancing'] })).out).toEqual([
    { ResourceARN: web.arn, Tags: [{ Key: 'env', Value: 'prod' }] },
  ]);
  expect((await all({ ResourceTypeFilters: ['elasticloadbalancing:loadbalancer', 'acm'] })).out).toHaveLength(123);
  expect((await all({})).out).toHaveLength(123);
  expect((await all({ ResourceTypeFilters: ['acm:certificate-authority'] })).out).toEqual([]);
});

test('TagFilters: filters ANDed, values ORed, a key alone matches any value', async () => {
  expect(
    (await all({ TagFilters: [{ Key: 'team', Values: ['web', 'x'] }, { Key: 'owner' }] })).out.map(
      (m) => m.ResourceARN,
    ),
  ).toEqual([cert('www').arn]);
  expect((await all({ TagFilters: [{ Key: 'team', Values: ['x'] }] })).out).toEqual([]);
});

test('page sizes: ResourcesPerPage (unset: 50), TagsPerPage counts an untagged resource as one tag', async () => {
  expect((await tagging.send(new GetResourcesCommand({}))).ResourceTagMappingList).toHaveLength(50);
  expect((await tagging.send(new GetResourcesCommand({ ResourcesPerPage: 7 }))).ResourceTagMappingList).toHaveLength(7);
  // www has two tags, the copies one each: 100 tags hold www and 98 copies.
  expect((await tagging.send(new GetResourcesCommand({ TagsPerPage: 100 }))).ResourceTagMappingList).toHaveLength(99);
});

test('ResourceARNList looks resources up (unknown ARNs left out) and cannot be combined with paging', async () => {
  const out = await tagging.send(
    new GetResourcesCommand({ ResourceARNList: [cert('www').arn, cert('api').arn, `${cert('www').arn}0`] }),
  );
  expect(out.ResourceTagMappingList!.map((m) => m.ResourceARN)).toEqual([cert('www').arn]);
  await expect(
    tagging.send(new GetResourcesCommand({ ResourceARNList: [cert('www').arn], ResourcesPerPage: 10 })),
  ).rejects.toMatchObject({ name: 'InvalidParameterException', $metadata: { httpStatusCode: 400 } });
});

test('out-of-range values and foreign tokens are InvalidParameterException', async () => {
  for (const input of [
    { ResourcesPerPage: 101 },
    { ResourcesPerPage: 0 },
    { TagsPerPage: 99 },
    { PaginationToken: 'bm9wZQ==' },
    { ExcludeCompliantResources: true },
  ]) {
    await expect(tagging.send(new GetResourcesCommand(input))).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
  }
});

test('the service throttles with ThrottledException; the call log names tag:GetResources', async () => {
  sim.server.configure({ faults: [{ kind: 'throttle', service: 'tagging', count: 1 }] });
  try {
    await expect(tagging.send(new GetResourcesCommand({}))).rejects.toMatchObject({
      name: 'ThrottledException',
      message: 'Rate exceeded',
      $metadata: { httpStatusCode: 400 },
    });
  } finally {
    sim.server.configure({});
  }
  expect(sim.server.calls.at(-1)).toMatchObject({
    service: 'tagging',
    action: 'GetResources',
    scope: `${PROD}/us-east-1`,
    permission: 'tag:GetResources',
    fault: 'throttle',
  });
});

test('a request signed for another service is refused', async () => {
  const auth = `AWS4-HMAC-SHA256 Credential=${READER.accessKeyId}/20250601/us-east-1/acm/aws4_request, SignedHeaders=host, Signature=${'0'.repeat(64)}`;
  const res = await fetch(sim.server.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'ResourceGroupsTaggingAPI_20170126.GetResources',
      authorization: auth,
    },
    body: '{}',
  });
  expect(res.status).toBe(403);
  expect(await res.json()).toMatchObject({ __type: 'InvalidSignatureException' });
});
