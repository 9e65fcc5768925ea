/**
 * Incremental audits against the simulated clouds through the real SDK clients: a second night of
 * an unchanged organisation reads (almost) nothing again and ends with the same inventory; a
 * renewed certificate is read again; a record older than maxAgeDays is read again.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAudit, writeJson } from '../../src/cli/audit.js';
import { fromCertificates, listDigest, reusable, stamp } from '../../src/engine/runtime/incremental.js';
import type { Certificate } from '../../src/model/types.js';
import type { CallRecord } from '../../src/sim/types.js';
import { awsAcm } from '../../providers/aws-acm/index.js';
import { awsElbv2 } from '../../providers/aws-elbv2/index.js';
import { azureKeyVault } from '../../providers/azure-keyvault/index.js';
import { benchConfig, benchEnvironment } from '../../bench/config.js';
import { inventoryText } from '../../bench/audit.js';
import { accountId, type Shape } from '../../bench/scenario.js';
import { recordAsVersion1, reportAsVersion1 } from '../fixtures/version1.js';
import { startSimHost, type SimHost } from '../../bench/sim-host.js';

const SHAPE: Shape = {
  accounts: 2,
  regions: 1,
  certificatesPerRegion: 20,
  loadBalancersPerRegion: 4,
  subscriptions: 1,
  vaultsPerSubscription: 2,
  certificatesPerVault: 30,
};
const NOW = new Date('2026-01-15T00:00:00Z');
const DAY = 86_400_000;
const quiet = { info: () => {}, warn: () => {}, debug: () => {} };
const PROVIDERS = [awsAcm, awsElbv2, azureKeyVault];
const count = (calls: CallRecord[], service: string, action: string) =>
  calls.filter((c) => c.service === service && c.action === action).length;

let sim: SimHost;
let dir: string;

beforeAll(async () => {
  sim = await startSimHost(SHAPE, NOW, {}, { thread: false });
  benchEnvironment();
  dir = mkdtempSync(join(tmpdir(), 'certwarden-incremental-'));
});

afterAll(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

async function night(now: Date, previous: string, opts: { maxAgeDays?: number } = {}) {
  const { report } = await runAudit({
    config: benchConfig(sim.url, SHAPE),
    now,
    log: quiet,
    providers: PROVIDERS,
    previous,
    ...opts,
  });
  writeJson(report, previous);
  return { report, calls: await sim.take() };
}

test('the first night reads everything; an unchanged second night reads no certificate again and ends with the same inventory', async () => {
  const file = join(dir, 'unchanged.json');
  const first = await night(NOW, file);
  expect(first.report.certificates).toHaveLength(2 * 20 + 2 * 30);
  expect(count(first.calls, 'acm', 'GetCertificate')).toBe(40);
  expect(count(first.calls, 'azure-keyvault', 'GetCertificate')).toBe(60);
  expect(
    first.report.certificates.every(
      (c) => typeof c.incremental?.listDigest === 'string' && c.incremental.readAt === NOW.toISOString(),
    ),
  ).toBe(true);
  // The stamp is the engine's, never mixed into what the provider said.
  expect(JSON.stringify(first.report.certificates.map((c) => [c.acm, c.keyVault]))).not.toMatch(/listDigest|readAt/);

  const second = await night(new Date(NOW.getTime() + DAY), file);
  for (const action of ['GetCertificate', 'DescribeCertificate']) expect(count(second.calls, 'acm', action)).toBe(0);
  // Tags are not in the list entry: they are listed afresh each night, one GetResources per scope.
  expect(count(second.calls, 'tagging', 'GetResources')).toBe(2);
  expect(count(second.calls, 'acm', 'ListTagsForCertificate')).toBe(0);
  expect(count(second.calls, 'azure-keyvault', 'GetCertificate')).toBe(0);
  expect(count(second.calls, 'acm', 'ListCertificates')).toBe(2);
  expect(second.calls.length).toBeLessThan(first.calls.length * 0.4);
  expect(inventoryText(second.report)).toBe(inventoryText(first.report));
  expect(second.report.findings.map((f) => f.id)).toEqual(first.report.findings.map((f) => f.id));
});

test('a renewed certificate (new bytes under the same ARN) is read again, and only it', async () => {
  const file = join(dir, 'renewed.json');
  await night(NOW, file);
  const renewed = await sim.renew(accountId(1), 'us-east-1', 2);
  const second = await night(new Date(NOW.getTime() + DAY), file);
  const got = second.calls.filter((c) => c.service === 'acm' && c.action === 'GetCertificate');
  expect(got).toHaveLength(2);
  expect(got.every((c) => c.scope === `${accountId(1)}/us-east-1`)).toBe(true);
  for (const arn of renewed) {
    const c = second.report.certificates.find((x) => x.ref === arn)!;
    expect(c.incremental?.readAt).toBe(new Date(NOW.getTime() + DAY).toISOString());
    expect(Date.parse(c.notAfter!)).toBeGreaterThan(NOW.getTime() + 399 * DAY);
  }
});

test('records older than maxAgeDays are read again even when unchanged', async () => {
  const file = join(dir, 'aged.json');
  const first = await night(NOW, file);
  const later = await night(new Date(NOW.getTime() + 8 * DAY), file, { maxAgeDays: 7 });
  expect(count(later.calls, 'acm', 'GetCertificate')).toBe(count(first.calls, 'acm', 'GetCertificate'));
  expect(count(later.calls, 'azure-keyvault', 'GetCertificate')).toBe(60);
  const none = await night(new Date(NOW.getTime() + 9 * DAY), file, { maxAgeDays: 0 });
  expect(count(none.calls, 'azure-keyvault', 'GetCertificate')).toBe(60);
});

test('reusable: same digest and young enough; a changed digest, a missing record or an old one is read', () => {
  const cert = {
    kind: 'certificate',
    uid: 'aws-acm:arn:x',
    provider: 'aws-acm',
    account: '1',
    location: 'r',
    name: 'x',
    ref: 'arn:x',
  } as Certificate;
  const digest = listDigest({ NotAfter: new Date(NOW.getTime()), Status: 'ISSUED' });
  expect(listDigest({ Status: 'ISSUED', NotAfter: new Date(NOW.getTime()) })).toBe(digest);
  const inc = fromCertificates([stamp(cert, digest, NOW)], 7);
  expect(reusable(inc, cert.uid, digest, new Date(NOW.getTime() + DAY))).toBeDefined();
  expect(reusable(inc, cert.uid, listDigest({ Status: 'EXPIRED' }), new Date(NOW.getTime() + DAY))).toBeUndefined();
  expect(reusable(inc, 'aws-acm:arn:other', digest, NOW)).toBeUndefined();
  expect(reusable(inc, cert.uid, digest, new Date(NOW.getTime() + 7 * DAY))).toBeUndefined();
  expect(reusable(fromCertificates([cert]), cert.uid, digest, NOW)).toBeUndefined();
  // A record stored by a version that kept the stamp in `meta` is read afresh, not trusted.
  const older = { ...cert, meta: { listDigest: digest, readAt: NOW.toISOString() } } as Certificate;
  expect(reusable(fromCertificates([older]), cert.uid, digest, new Date(NOW.getTime() + DAY))).toBeUndefined();
});

test('a previous report of schema version 1 serves as --previous: every certificate is read afresh once, then reused', async () => {
  const file = join(dir, 'v1.json');
  const first = await night(NOW, file);
  writeFileSync(file, JSON.stringify(reportAsVersion1(first.report)));
  const second = await night(new Date(NOW.getTime() + DAY), file);
  expect(second.report.schemaVersion).toBe(2);
  expect(count(second.calls, 'acm', 'GetCertificate')).toBe(40);
  expect(count(second.calls, 'azure-keyvault', 'GetCertificate')).toBe(60);
  expect(JSON.stringify(second.report.certificates.map((c) => ({ ...c, incremental: undefined })))).toBe(
    JSON.stringify(first.report.certificates.map((c) => ({ ...c, incremental: undefined }))),
  );
  const third = await night(new Date(NOW.getTime() + 2 * DAY), file);
  expect(count(third.calls, 'acm', 'GetCertificate') + count(third.calls, 'azure-keyvault', 'GetCertificate')).toBe(0);
});

test('a history store whose records are in version 1 shape: read afresh once, findings stay open, nothing resolved', async () => {
  const path = join(dir, 'v1-history.db');
  const config = { ...benchConfig(sim.url, SHAPE), store: { path } };
  const nightOf = async (now: Date) => ({
    report: (await runAudit({ config, now, log: quiet, providers: PROVIDERS })).report,
    calls: await sim.take(),
  });
  const first = await nightOf(NOW);
  const db = new Database(path);
  const rows = db.prepare('SELECT run, uid, body FROM records').all() as Array<{
    run: number;
    uid: string;
    body: string;
  }>;
  const update = db.prepare('UPDATE records SET body = ? WHERE run = ? AND uid = ?');
  for (const r of rows) update.run(JSON.stringify(recordAsVersion1(JSON.parse(r.body))), r.run, r.uid);
  expect(db.prepare('SELECT count(*) AS n FROM records WHERE body LIKE \'%"meta":{%listDigest%\'').get()).toEqual({
    n: 100,
  });
  db.close();
  const second = await nightOf(new Date(NOW.getTime() + DAY));
  expect(count(second.calls, 'acm', 'GetCertificate') + count(second.calls, 'azure-keyvault', 'GetCertificate')).toBe(
    100,
  );
  expect(second.report.history?.counts).toMatchObject({ new: 0, resolved: 0, open: first.report.findings.length });
  const third = await nightOf(new Date(NOW.getTime() + 2 * DAY));
  expect(count(third.calls, 'acm', 'GetCertificate') + count(third.calls, 'azure-keyvault', 'GetCertificate')).toBe(0);
});
