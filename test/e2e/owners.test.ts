/**
 * Owners end to end: an AWS estate in the simulator, audited night after night by the real
 * `certwarden audit --now ...` command with a history store, and four webhooks: two teams owning
 * certificates by tag, a security list for every critical, and an escalation for the last days.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { startSimulator, type Simulator } from '../../src/sim/index.js';
import type { Report } from '../../src/report/json.js';
import { certwardenAsync } from '../reliability/spawn.js';
import { renderHtml } from '../../src/report/html.js';
import { receiver } from '../notify/receiver.js';

const DAY = 86_400_000;
const T0 = new Date('2026-03-01T00:00:00Z');
const AUDIT = '111111111111';
const PROD = '222222222222';
const DEV = '333333333333';
const KEY = { id: 'AKIAOWNERS0000000001', secret: 'owners-test-secret-key-opens-nothing-000' };

const listener = (certificate: string) => ({ protocol: 'HTTPS', port: 443, certificate });

let sim: Simulator;
let hooks: Record<'STORE' | 'PAY' | 'SEC' | 'ESC', Awaited<ReturnType<typeof receiver>>>;
const dir = mkdtempSync(join(tmpdir(), 'cw-owners-'));
const db = join(dir, 'history.db');
const nights: { day: number; report: Report; bodies: Record<string, any[]> }[] = [];

beforeAll(async () => {
  sim = await startSimulator(
    {
      aws: {
        accounts: [
          { id: AUDIT, name: 'audit', accessKeys: [KEY], regions: { 'us-east-1': {} } },
          {
            id: PROD,
            name: 'prod',
            roles: [{ name: 'certwarden-audit', trustedAccounts: [AUDIT] }],
            regions: {
              'us-east-1': {
                certificates: [
                  { name: 'shop', cn: 'shop.example.com', expiresInDays: 35, tags: { team: 'storefront' } },
                  { name: 'checkout', cn: 'checkout.example.com', expiresInDays: -2, tags: { owner: 'payments' } },
                  {
                    name: 'pay',
                    cn: 'pay.example.com',
                    key: 'rsa-1024',
                    expiresInDays: 200,
                    tags: { Owner: 'payments' },
                  },
                ],
                loadBalancers: [
                  { name: 'shop-alb', listeners: [listener('shop')] },
                  { name: 'checkout-alb', listeners: [listener('checkout')] },
                  { name: 'pay-alb', listeners: [listener('pay')] },
                ],
              },
            },
          },
          {
            id: DEV,
            name: 'dev',
            roles: [{ name: 'certwarden-audit', trustedAccounts: [AUDIT] }],
            regions: {
              'us-east-1': {
                certificates: [{ name: 'dev', cn: 'dev.example.com', key: 'rsa-1024', expiresInDays: -1 }],
                loadBalancers: [{ name: 'dev-alb', listeners: [listener('dev')] }],
              },
            },
          },
        ],
      },
    },
    { now: T0 },
  );
  hooks = { STORE: await receiver(), PAY: await receiver(), SEC: await receiver(), ESC: await receiver() };
  const config = {
    providers: {
      aws: {
        endpoint: sim.server.url,
        regions: ['us-east-1'],
        accounts: [PROD, DEV].map((id) => ({ roleArn: `arn:aws:iam::${id}:role/certwarden-audit` })),
        services: { acm: true, elbv2: true, iam: false },
      },
    },
    store: { path: db },
    owners: { map: [{ account: DEV, owner: 'platform' }] },
    reminders: { days: [30, 14, 7, 3, 1] },
    notify: [
      { type: 'webhook', urlEnv: 'STORE', owners: ['storefront'], minSeverity: 'medium' },
      { type: 'webhook', urlEnv: 'PAY', owners: ['payments'], minSeverity: 'medium' },
      { type: 'webhook', urlEnv: 'SEC', minSeverity: 'critical', reminders: false },
      { type: 'webhook', urlEnv: 'ESC', rules: ['cert-expiring'], minSeverity: 'medium', remindWithinDays: 3 },
    ],
  };
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  const env = {
    AWS_ACCESS_KEY_ID: KEY.id,
    AWS_SECRET_ACCESS_KEY: KEY.secret,
    AWS_REGION: 'us-east-1',
    AWS_PROFILE: undefined,
    AWS_SESSION_TOKEN: undefined,
    ...Object.fromEntries(Object.entries(hooks).map(([k, h]) => [k, h.url])),
  };
  // Night 32 (3 days left) is skipped: night 33 must still announce the 3-day threshold.
  for (const day of [0, 6, 7, 21, 28, 29, 33, 34]) {
    const before = Object.fromEntries(Object.entries(hooks).map(([k, h]) => [k, h.requests.length]));
    const out = join(dir, `night-${day}.json`);
    const now = new Date(T0.getTime() + day * DAY).toISOString();
    const r = await certwardenAsync(['audit', '-c', join(dir, 'config.json'), '--now', now, '-o', out, '-q'], { env });
    if (r.code !== 1) throw new Error(`night ${day}: exit ${r.code}\n${r.stderr}`);
    const bodies = Object.fromEntries(
      Object.entries(hooks).map(([k, h]) => [k, h.requests.slice(before[k]).map((q) => q.body)]),
    );
    nights.push({ day, report: JSON.parse(readFileSync(out, 'utf8')), bodies });
  }
}, 300_000);

afterAll(async () => {
  await Promise.all([sim?.server.close(), ...Object.values(hooks ?? {}).map((h) => h.close())]);
});

const findingsOf = (bodies: any[]) => bodies.flatMap((b) => b.findings);

test('owners come from tags (any case of the key) and from the account mapping', () => {
  const { report } = nights[0];
  const owner = (name: string) => report.certificates.find((c) => c.name.startsWith(name))?.owner;
  expect(owner('shop.example.com')).toEqual({ name: 'storefront', source: 'tag', detail: 'team' });
  expect(owner('pay.example.com')).toEqual({ name: 'payments', source: 'tag', detail: 'Owner' });
  expect(owner('dev.example.com')).toEqual({ name: 'platform', source: 'mapping', detail: `account=${DEV}` });
  expect(report.findings.every((f) => f.owner)).toBe(true);
  expect(report.bindings.find((b) => b.name.includes('checkout'))?.owner?.name).toBe('payments');
});

test("each team's webhook receives only its own findings, and each of them", () => {
  for (const { report, bodies } of nights) {
    for (const [hook, team] of [
      ['STORE', 'storefront'],
      ['PAY', 'payments'],
    ] as const) {
      const got = findingsOf(bodies[hook]);
      expect(got.every((f: any) => f.owner.name === team)).toBe(true);
      const changed = report.findings.filter(
        (f) =>
          f.owner?.name === team &&
          ['medium', 'high', 'critical'].includes(f.severity) &&
          (f.status === 'new' || (report as any).history.worsened.some((w: any) => w.id === f.id)),
      );
      expect(got.filter((f: any) => f.change !== 'reminder').map((f: any) => f.id)).toEqual(changed.map((f) => f.id));
    }
  }
  expect(findingsOf(nights[0].bodies.PAY).length).toBeGreaterThan(0);
  expect(findingsOf(nights[0].bodies.STORE).length).toBeGreaterThan(0);
});

test('the security target receives every new or worsened critical, whoever owns it, and no reminder', () => {
  const all = nights.flatMap((n) => findingsOf(n.bodies.SEC));
  expect(all.every((f: any) => f.severity === 'critical' && f.change !== 'reminder')).toBe(true);
  const night0 = findingsOf(nights[0].bodies.SEC);
  expect(night0.map((f: any) => f.id)).toEqual(
    nights[0].report.findings.filter((f) => f.severity === 'critical').map((f) => f.id),
  );
  expect(new Set(night0.map((f: any) => f.owner.name))).toEqual(new Set(['payments', 'platform']));
});

test('the expiring certificate is announced at each threshold exactly once, a skipped night included', () => {
  const shop = (hook: 'STORE' | 'ESC') =>
    nights.flatMap(({ day, bodies }) =>
      findingsOf(bodies[hook])
        .filter((f: any) => f.ruleId === 'cert-expiring')
        .map((f: any) => `${day}:${f.change}${f.threshold ? `@${f.threshold}` : ''}`),
    );
  // Night 6: 29 days left, new (the 30-day threshold with it); 21: 14 days; 28: 7 days; 29: worse
  // (6 days, critical); 33: 2 days, the 3-day threshold of the skipped night 32; 34: 1 day.
  expect(shop('STORE')).toEqual([
    '6:new',
    '21:reminder@14',
    '28:reminder@7',
    '29:worsened',
    '33:reminder@3',
    '34:reminder@1',
  ]);
  // The escalation target hears of it only from 3 days before expiry (and when it worsened).
  expect(shop('ESC')).toEqual(['6:new', '29:worsened', '33:reminder@3', '34:reminder@1']);
  const raw = new Database(db, { readonly: true });
  const rows = raw.prepare("SELECT threshold FROM reminders WHERE target = 'webhook:STORE' ORDER BY threshold").all();
  raw.close();
  expect(rows).toEqual([1, 3, 7, 14, 30].map((threshold) => ({ threshold })));
});

test("the HTML report of a night shows tonight's changes: new, worsened, resolved", () => {
  const night = nights.find((n) => n.day === 29)!;
  const html = renderHtml(night.report);
  const start = html.indexOf('<section id="nightly">');
  expect(start).toBeGreaterThan(0);
  const section = html.slice(start, html.indexOf('</section>', start));
  const worsened = (night.report as any).history.worsened.length;
  expect(worsened).toBeGreaterThan(0);
  expect(section).toContain(`<strong>${worsened}</strong> worsened`);
  expect(section).toMatch(/<code>cert-expiring<\/code> shop\.example\.com<\/a>: high → critical/);
  expect(renderHtml(nights[0].report)).toContain('first run');
});
