/**
 * `regions: [all]` visits every region the account can use: default regions and the opt-in
 * regions it enabled, never the ones it did not (docs/completeness.md). account:ListRegions lists
 * every region with its opt-in status unless filtered; the simulator does the same.
 */
import { AccountClient, ListRegionsCommand } from '@aws-sdk/client-account';
import { awsAcm } from '../../providers/aws-acm/index.js';
import { AUDIT, awsConfig, KEY, run, startAws, useAuditorKeys, type Sim } from '../providers/aws-fixture.js';

let sim: Sim;
beforeAll(async () => {
  useAuditorKeys();
  sim = await startAws(
    {},
    {
      accounts: [
        {
          id: AUDIT,
          accessKeys: [KEY],
          regions: {
            'us-east-1': { certificates: [{ cn: 'home.example.com' }] },
            'af-south-1': { certificates: [{ cn: 'cape.example.com', key: 'ec-p256' }] },
          },
          disabledRegions: ['me-south-1'],
        },
      ],
    },
  );
});
afterAll(() => sim.server.close());

test('ListRegions without a filter lists disabled regions too, each with its opt-in status', async () => {
  const client = new AccountClient({
    region: 'us-east-1',
    endpoint: sim.server.url,
    credentials: { accessKeyId: KEY.id, secretAccessKey: KEY.secret },
    maxAttempts: 1,
  });
  const out = await client.send(new ListRegionsCommand({}));
  client.destroy();
  expect(out.Regions).toEqual([
    { RegionName: 'us-east-1', RegionOptStatus: 'ENABLED_BY_DEFAULT' },
    { RegionName: 'af-south-1', RegionOptStatus: 'ENABLED' },
    { RegionName: 'me-south-1', RegionOptStatus: 'DISABLED' },
  ]);
});

test('certwarden audits the enabled opt-in region and the default one, and skips the disabled one', async () => {
  const out = await run(awsAcm, awsConfig(sim.server.url, { accounts: undefined, regions: ['all'] }));
  expect(out.scopes).toEqual([
    { account: AUDIT, location: 'af-south-1', status: 'ok', records: 1 },
    { account: AUDIT, location: 'us-east-1', status: 'ok', records: 1 },
  ]);
  expect(out.records.map((r) => r.name).sort()).toEqual(['cape.example.com', 'home.example.com']);
});
