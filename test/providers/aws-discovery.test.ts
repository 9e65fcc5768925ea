/** Accounts and regions: assumed roles, AWS Organizations, `regions: [all]`, and failures as scopes. */
import { readFileSync } from 'node:fs';
import { awsAcm } from '../../providers/aws-acm/index.js';
import { awsElbv2 } from '../../providers/aws-elbv2/index.js';
import { awsIam } from '../../providers/aws-iam/index.js';
import { AUDIT, awsConfig, DEV, PROD, run, scenario, startAws, useAuditorKeys, type Sim } from './aws-fixture.js';

let sim: Sim;
beforeAll(async () => {
  useAuditorKeys();
  const s = scenario();
  s.accounts.push({
    id: '444444444444',
    name: 'closing',
    status: 'SUSPENDED',
    roles: [{ name: 'OrganizationAccountAccessRole' }],
    regions: { 'us-east-1': {} },
  });
  sim = await startAws({}, s);
});
afterAll(() => sim.server.close());
beforeEach(() => sim.server.configure({}));

const where = (out: Awaited<ReturnType<typeof run>>) =>
  out.scopes.map(
    (s) => `${s.account}/${s.location}:${s.status}${s.error ? `:${s.error.operation}:${s.error.code}` : ''}`,
  );

test('an Organization: ACTIVE accounts only, roles assumed, the own account read directly, enabled regions', async () => {
  const out = await run(
    awsAcm,
    awsConfig(sim.server.url, {
      accounts: undefined,
      organization: { roleName: 'OrganizationAccountAccessRole' },
      regions: ['all'],
    }),
  );
  expect(where(out)).toEqual([
    `${AUDIT}/us-east-1:ok`,
    `${PROD}/eu-west-1:ok`,
    `${PROD}/us-east-1:ok`,
    `${DEV}/eu-west-1:ok`,
    `${DEV}/us-east-1:ok`,
  ]);
  const assumed = sim.server.calls.filter((c) => c.action === 'AssumeRole');
  expect(assumed).toHaveLength(2);
  expect(sim.server.calls.filter((c) => c.action === 'ListRegions')).toHaveLength(3);
});

test('include/exclude match account ids and names', async () => {
  const out = await run(
    awsAcm,
    awsConfig(sim.server.url, {
      accounts: undefined,
      organization: { roleName: 'OrganizationAccountAccessRole', exclude: ['dev', AUDIT] },
    }),
  );
  expect(where(out)).toEqual([`${PROD}/eu-west-1:ok`, `${PROD}/us-east-1:ok`]);
});

test('a role that cannot be assumed fails that account in every region; the others complete', async () => {
  const out = await run(
    awsElbv2,
    awsConfig(sim.server.url, {
      accounts: [
        { roleArn: `arn:aws:iam::${PROD}:role/certwarden-audit` },
        { roleArn: `arn:aws:iam::${DEV}:role/certwarden-audit` },
      ],
    }),
  );
  expect(where(out)).toEqual([
    `${PROD}/eu-west-1:failed:AssumeRole:AccessDenied`,
    `${PROD}/us-east-1:failed:AssumeRole:AccessDenied`,
    `${DEV}/eu-west-1:ok`,
    `${DEV}/us-east-1:ok`,
  ]);
  expect(out.scopes[0].error!.message).toContain('is not authorized to perform: sts:AssumeRole');
});

test('Organizations listing denied is a failed scope named after the caller', async () => {
  sim.server.configure({ allowPermissions: ['sts:GetCallerIdentity', 'sts:AssumeRole', 'acm:ListCertificates'] });
  const out = await run(
    awsAcm,
    awsConfig(sim.server.url, {
      accounts: undefined,
      organization: { roleName: 'OrganizationAccountAccessRole' },
      regions: ['us-east-1'],
    }),
  );
  expect(where(out)).toEqual([`${AUDIT}/us-east-1:failed:ListAccounts:AccessDeniedException`]);
});

test('default credentials without an account id: the id comes from GetCallerIdentity', async () => {
  const out = await run(awsAcm, awsConfig(sim.server.url, { accounts: undefined, regions: ['us-east-1'] }));
  expect(where(out)).toEqual([`${AUDIT}/us-east-1:ok`]);
  expect(sim.server.calls.some((c) => c.action === 'GetCallerIdentity')).toBe(true);
});

test('without a configured endpoint the SDK standard AWS_ENDPOINT_URL applies to every client', async () => {
  process.env.AWS_ENDPOINT_URL = sim.server.url;
  try {
    const out = await run(awsAcm, awsConfig(sim.server.url, { endpoint: undefined }));
    expect(out.scopes.every((s) => s.status === 'ok')).toBe(true);
    expect(out.records.length).toBe(14);
  } finally {
    delete process.env.AWS_ENDPOINT_URL;
  }
});

test('every call is in the documented IAM policy, and the policy is enough', async () => {
  const doc = readFileSync(new URL('../../docs/permissions.md', import.meta.url), 'utf8');
  const start = doc.indexOf('## AWS');
  const end = doc.indexOf('\n## ', start + 1);
  const aws = doc.slice(start, end < 0 ? undefined : end);
  const allowed = new Set<string>();
  for (const [, json] of aws.matchAll(/```json\n([\s\S]*?)```/g)) {
    for (const st of JSON.parse(json).Statement) for (const a of [st.Action].flat()) allowed.add(a);
  }
  expect(allowed.has('acm:ExportCertificate')).toBe(false);
  sim.server.configure({ allowPermissions: [...allowed] });
  sim.server.calls.length = 0;
  const org = awsConfig(sim.server.url, {
    organization: { roleName: 'OrganizationAccountAccessRole' },
    regions: ['all'],
  });
  const outs = await Promise.all([run(awsAcm, org), run(awsElbv2, org), run(awsIam, org)]);
  for (const out of outs) expect(out.scopes.every((s) => s.status === 'ok')).toBe(true);
  const used = new Set(sim.server.calls.map((c) => c.permission));
  expect([...used].filter((p) => !allowed.has(p))).toEqual([]);
  expect(used.has('acm:ExportCertificate')).toBe(false);
  // Nothing in the policy is unused: it is the exact set. The load balancers' change signal is
  // asked only on a run that has a previous one to compare with, which this first run has not.
  expect([...allowed].filter((a) => !used.has(a)).sort()).toEqual(['cloudtrail:LookupEvents']);
});
