/**
 * ACM's description (DescribeCertificate) is an enrichment. Denied on the second night: every
 * certificate is still in the report with its bytes and its summary, the scope is `partial`
 * naming `acm-detail`, each described record says it lacks it, and the nightly store does not
 * resolve the findings of the rules that need it (ct-logging-disabled, renewal-failing). Through
 * runAudit, the real ACM client and the simulator.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../src/config/load.js';
import { runAudit } from '../../src/cli/audit.js';
import { startSimulator } from '../../src/sim/index.js';
import type { Scenario } from '../../src/sim/scenario.js';
import type { SimOptions } from '../../src/sim/types.js';
import type { RememberedReport } from '../../src/store/remember.js';
import { onlyRules } from '../store/scenario.js';

const ACCOUNT = '123456789012';
const KEY = { id: 'AKIAACMDETAIL0000001', secret: 'acm-detail-test-secret-opens-nothing' };
const DAY = 86_400_000;
const START = new Date('2026-06-01T00:00:00Z');
const dir = mkdtempSync(join(tmpdir(), 'cw-acm-detail-'));
const silent = { info: () => {}, warn: () => {}, debug: () => {} };

const scenario: Scenario = {
  aws: {
    accounts: [
      {
        id: ACCOUNT,
        accessKeys: [KEY],
        regions: {
          'us-east-1': {
            certificates: [
              { name: 'quiet', cn: 'quiet.example.com', type: 'AMAZON_ISSUED', ctLogging: 'DISABLED' },
              {
                name: 'stuck',
                cn: 'stuck.example.com',
                type: 'AMAZON_ISSUED',
                expiresInDays: 20,
                renewal: { status: 'FAILED', reason: 'CAA_ERROR' },
              },
              // Imported, not in use: not described at all, so the denial costs it nothing.
              { name: 'imported', cn: 'imported.example.com', expiresInDays: 200 },
            ],
          },
        },
      },
    ],
  },
};

async function night(n: number, options: SimOptions = {}): Promise<RememberedReport> {
  const now = new Date(START.getTime() + n * DAY);
  const sim = await startSimulator(scenario, { now, options });
  try {
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: KEY.id,
      AWS_SECRET_ACCESS_KEY: KEY.secret,
      AWS_REGION: 'us-east-1',
    });
    delete process.env.AWS_SESSION_TOKEN;
    const config = parseConfig(`
providers:
  aws: { endpoint: ${JSON.stringify(sim.server.url)}, regions: [us-east-1], retryDelayMs: 5, maxAttempts: 2 }
store: { path: ${JSON.stringify(join(dir, 'history.db'))} }
rules:
${onlyRules(['ct-logging-disabled', 'renewal-failing'])}
`);
    return (await runAudit({ config, now, log: silent })).report;
  } finally {
    await sim.server.close();
  }
}

const acmScope = (r: RememberedReport) => r.scopes.find((s) => s.provider === 'aws-acm')!;
const names = (r: RememberedReport) => r.certificates.map((c) => c.name).sort();

test('DescribeCertificate denied: every certificate kept, the scope partial naming acm-detail, findings not resolved', async () => {
  const first = await night(0);
  expect(acmScope(first).status).toBe('ok');
  expect(first.findings.map((f) => f.ruleId).sort()).toEqual(['ct-logging-disabled', 'renewal-failing']);

  const denied = await night(1, { faults: [{ kind: 'denied', service: 'acm', action: 'DescribeCertificate' }] });
  expect(names(denied)).toEqual(names(first));
  expect(acmScope(denied)).toMatchObject({
    status: 'partial',
    error: { operation: 'DescribeCertificate', permission: 'acm:DescribeCertificate', enrichment: 'acm-detail' },
  });
  const byName = new Map(denied.certificates.map((c) => [c.name, c]));
  for (const name of ['quiet.example.com', 'stuck.example.com']) {
    const c = byName.get(name)!;
    // The bytes and the summary are there; what the description gives is absent and said to be.
    expect(c.fingerprintSha256).toMatch(/^[0-9A-F:]+$/);
    expect(c.acm?.status).toBe('ISSUED');
    expect([c.acm?.ctLogging, c.acm?.renewalSummary, c.unread]).toEqual([undefined, undefined, ['acm-detail']]);
  }
  expect(byName.get('imported.example.com')!.unread).toBeUndefined();
  // The rules that need the description do not fire, and the store keeps their findings open.
  expect(denied.findings).toEqual([]);
  expect(denied.history?.counts.resolved).toBe(0);
  expect(denied.history?.carried.map((f) => f.ruleId).sort()).toEqual(['ct-logging-disabled', 'renewal-failing']);
}, 60_000);
