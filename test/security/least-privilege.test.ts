/**
 * Least privilege, proven: the simulator enforces an allow-list made of exactly the AWS policy
 * actions and the Azure role's actions and data actions that docs/permissions.md publishes. A full
 * audit of every cloud provider passes under it with no failed scope and the same records as an
 * unrestricted run; every call made is on the list; and nothing that can read a private key or a
 * secret is on the list or ever called. What one permission fewer costs: ablation.test.ts.
 */
import { GetServerCertificateCommand, IAMClient } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import {
  AUDITOR,
  KEY,
  PROD,
  SUB_A,
  SUB_B,
  recordsOf,
  scopeKey,
  startEstate,
  type Estate,
} from '../reliability/estate.js';
import { AWS_ACTIONS, AZURE_ACTIONS, AZURE_ROLE, SUBSCRIPTION_LIST } from './permissions-doc.js';

/** What can return a private key or a secret value: never documented, never called. */
const KEY_READING = [
  /^acm:ExportCertificate$/,
  /^secretsmanager:/,
  /^kms:/,
  /^Microsoft\.KeyVault\/vaults\/(secrets|keys)\//,
  /^Microsoft\.KeyVault\/vaults\/\*/,
  /\/\*$/,
];

let estate: Estate;
beforeAll(async () => {
  estate = await startEstate();
}, 60_000);
afterAll(() => estate.close());

test('the documented lists are what the doc says, and none can read a key or a secret', () => {
  expect(AWS_ACTIONS).toEqual(
    new Set([
      'acm:ListCertificates',
      'acm:DescribeCertificate',
      'acm:GetCertificate',
      'tag:GetResources',
      'elasticloadbalancing:DescribeLoadBalancers',
      'elasticloadbalancing:DescribeListeners',
      'elasticloadbalancing:DescribeListenerCertificates',
      'elasticloadbalancing:DescribeSSLPolicies',
      'elasticloadbalancing:DescribeTags',
      'cloudtrail:LookupEvents',
      'iam:ListServerCertificates',
      'iam:GetServerCertificate',
      'sts:GetCallerIdentity',
      'account:ListRegions',
      'sts:AssumeRole',
      'organizations:ListAccounts',
    ]),
  );
  expect(AZURE_ROLE.DataActions).toEqual(['Microsoft.KeyVault/vaults/certificates/read']);
  expect(AZURE_ROLE.NotActions).toEqual([]);
  for (const p of [...AWS_ACTIONS, ...AZURE_ACTIONS])
    for (const bad of KEY_READING) expect([p, bad.test(p)]).toEqual([p, false]);
});

async function auditUnder(allow: Set<string>, over: Parameters<Estate['audit']>[1]) {
  const free = (await estate.audit({}, over)).report;
  estate.sim.server.calls.length = 0;
  const { report } = await estate.audit({ allowPermissions: [...allow] }, over);
  // ARM's cloud metadata (the vault suffix of the simulator's cloud) is anonymous: no permission.
  const used = new Set(estate.sim.server.calls.filter((c) => !c.anonymous).map((c) => c.permission));
  return { free, report, used, denied: estate.sim.server.calls.filter((c) => c.fault === 'denied') };
}

function expectSameAs(free: Awaited<ReturnType<typeof auditUnder>>['free'], report: typeof free) {
  expect(report.scopes.filter((s) => s.status !== 'ok')).toEqual([]);
  expect(report.scopes.map(scopeKey).sort()).toEqual(free.scopes.map(scopeKey).sort());
  for (const s of report.scopes) expect(recordsOf(report, s)).toEqual(recordsOf(free, s));
}

test('listed accounts and subscriptions: every provider completes under exactly the documented permissions', async () => {
  const allow = new Set([...AWS_ACTIONS, ...AZURE_ACTIONS]);
  const { free, report, used, denied } = await auditUnder(allow, { azure: { subscriptions: [SUB_A, SUB_B] } });
  expect(denied).toEqual([]);
  expectSameAs(free, report);
  expect(new Set(report.scopes.map((s) => s.provider))).toEqual(
    new Set([
      'files',
      'aws-acm',
      'aws-elbv2',
      'aws-iam',
      'azure-keyvault',
      'azure-appgateway',
      'azure-appservice',
      'azure-frontdoor',
    ]),
  );
  expect([...used].filter((p) => !allow.has(p))).toEqual([]);
  for (const p of used) for (const bad of KEY_READING) expect([p, bad.test(p)]).toEqual([p, false]);
});

test('an Organization, all regions, all subscriptions: also complete, and every documented permission is needed', async () => {
  const allow = new Set([...AWS_ACTIONS, ...AZURE_ACTIONS, SUBSCRIPTION_LIST]);
  const { free, report, used, denied } = await auditUnder(allow, {
    aws: {
      accounts: undefined,
      organization: { roleName: 'certwarden-audit', externalId: 'ext-prod', exclude: [AUDITOR] },
      regions: ['all'],
    },
    azure: { subscriptions: ['all'] },
  });
  expect(denied).toEqual([]);
  expectSameAs(free, report);
  expect(report.scopes.some((s) => s.provider === 'aws-acm' && s.account === PROD)).toBe(true);
  expect([...used].filter((p) => !allow.has(p))).toEqual([]);
  // Nothing on the list is spare: the documented set is the set certwarden calls. The change
  // signal is called only when there is a previous run (test/providers/aws-elbv2-changes.test.ts).
  expect([...allow].filter((p) => !used.has(p)).sort()).toEqual(['cloudtrail:LookupEvents']);
}, 60_000);

test('iam:GetServerCertificate returns the public certificate and chain, never a private key', async () => {
  const settings = { region: 'us-east-1', endpoint: estate.sim.server.url, maxAttempts: 1 };
  const sts = new STSClient({ ...settings, credentials: { accessKeyId: KEY.id, secretAccessKey: KEY.secret } });
  const role = await sts.send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${PROD}:role/certwarden-audit`,
      RoleSessionName: 'check',
      ExternalId: 'ext-prod',
    }),
  );
  sts.destroy();
  const c = role.Credentials!;
  const iam = new IAMClient({
    ...settings,
    credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken },
  });
  try {
    const out = await iam.send(new GetServerCertificateCommand({ ServerCertificateName: 'legacy-a' }));
    const cert = out.ServerCertificate!;
    expect(cert.CertificateBody).toMatch(/^-----BEGIN CERTIFICATE-----/);
    // IAM's ServerCertificate shape is metadata, body, chain and tags. A private key is accepted by
    // UploadServerCertificate and returned by no API.
    for (const k of Object.keys(cert))
      expect(['ServerCertificateMetadata', 'CertificateBody', 'CertificateChain', 'Tags']).toContain(k);
    expect(JSON.stringify(out)).not.toMatch(/PRIVATE KEY/);
  } finally {
    iam.destroy();
  }
});
