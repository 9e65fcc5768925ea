/** Which regions of an account are visited, and how each is named in coverage (ListRegions answers as the API reference gives them). */
import { classifyRegions } from '../../providers/aws-shared/coverage.js';

const listed = [
  { name: 'us-east-1', status: 'ENABLED_BY_DEFAULT' },
  { name: 'af-south-1', status: 'ENABLED' },
  { name: 'me-south-1', status: 'DISABLED' },
  { name: 'ap-east-1', status: 'ENABLING' },
];
const rows = (r: ReturnType<typeof classifyRegions>) =>
  r.entries.map((e) => `${e.id} ${e.source} ${e.outcome}${e.reason ? ` ${e.reason}` : ''}`);

test.each([
  {
    wanted: ['all'],
    visit: ['af-south-1', 'us-east-1'],
    entries: [
      'af-south-1 regions-all audited',
      'ap-east-1 regions-all skipped region-not-enabled',
      'me-south-1 regions-all skipped region-not-enabled',
      'us-east-1 regions-all audited',
    ],
  },
  {
    wanted: ['us-east-1', 'me-south-1', 'eu-central-2'],
    visit: ['us-east-1'],
    entries: [
      'af-south-1 list-regions skipped region-not-configured',
      'ap-east-1 list-regions skipped region-not-enabled',
      'eu-central-2 config skipped region-not-enabled',
      'me-south-1 config skipped region-not-enabled',
      'us-east-1 config audited',
    ],
  },
])('regions $wanted', ({ wanted, visit, entries }) => {
  const r = classifyRegions('111111111111', wanted, listed);
  expect(r.visit).toEqual(visit);
  expect(rows(r)).toEqual(entries);
});

test('ListRegions not granted: a configured list is visited as configured; `all` visits nothing here (the caller fails the account)', () => {
  const r = classifyRegions('111111111111', ['us-east-1', 'eu-west-1'], undefined);
  expect(r.visit).toEqual(['eu-west-1', 'us-east-1']);
  expect(rows(r)).toEqual(['eu-west-1 config audited', 'us-east-1 config audited']);
  expect(classifyRegions('111111111111', ['all'], undefined).visit).toEqual([]);
});
