/**
 * The `securityhub` notify target end to end: real audits through the real AWS SDK clients against
 * the simulator, then BatchImportFindings through the real Security Hub client. Security Hub keeps
 * its findings from night to night (the estate's world is re-seeded, the imported findings kept).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import { runAudit } from '../../src/cli/audit.js';
import { ruleDoc } from '../../src/cli/rules.js';
import { notifyAfterRun, notifyRun } from '../../src/notify/index.js';
import { startSimulator, type Simulator } from '../../src/sim/index.js';
import type { AwsCertificateSpec, ImportedFinding } from '../../src/sim/aws/index.js';
import type { SimOptions } from '../../src/sim/types.js';
import { RULES } from '../../rules/index.js';

const ACCOUNT = '123456789012';
const KEY = { id: 'AKIASECURITYHUB00001', secret: 'securityhub-test-secret-opens-nothing' };
const START = new Date('2026-06-01T00:00:00Z');
const DAY = 86_400_000;
const rules = RULES.map(ruleDoc);
const dir = mkdtempSync(join(tmpdir(), 'cw-securityhub-'));

const www = (expiresInDays: number): AwsCertificateSpec => ({ name: 'www', cn: 'www.example.com', expiresInDays });
const old: AwsCertificateSpec = { name: 'old', cn: 'old.example.com', expiresInDays: -5 };

type Hub = Map<string, Map<string, ImportedFinding>>;

function logger() {
  const warnings: string[] = [];
  return { warnings, log: { info() {}, debug() {}, warn: (m: string) => warnings.push(m) } };
}

async function night(n: number, certificates: AwsCertificateSpec[], hub?: Hub, options: SimOptions = {}) {
  const now = new Date(START.getTime() + n * DAY);
  const sim: Simulator = await startSimulator(
    {
      aws: {
        accounts: [
          {
            id: ACCOUNT,
            accessKeys: [KEY],
            regions: {
              'us-east-1': {
                certificates,
                loadBalancers: [{ name: 'web', listeners: [{ protocol: 'HTTPS', port: 443, certificate: 'www' }] }],
              },
              'eu-west-1': { certificates: [{ name: 'eu', cn: 'eu.example.com', expiresInDays: 10 }] },
            },
          },
        ],
      },
    },
    { now, options },
  );
  if (hub) sim.aws!.securityHub = hub;
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: KEY.id, AWS_SECRET_ACCESS_KEY: KEY.secret, AWS_REGION: 'us-east-1' });
  delete process.env.AWS_SESSION_TOKEN;
  const config: Config = parseConfig(`
providers:
  aws: { endpoint: ${JSON.stringify(sim.server.url)}, regions: [us-east-1, eu-west-1], retryDelayMs: 5, maxAttempts: 4 }
store: { path: ${JSON.stringify(join(dir, 'history.db'))} }
notify:
  - type: securityhub
`);
  const { report } = await runAudit({ config, now, log: logger().log });
  return { sim, config, report: report };
}

const held = (hub: Hub, region: string) => [...(hub.get(`${ACCOUNT}/${region}`)?.values() ?? [])];
const byId = (hub: Hub) => new Map([...hub.values()].flatMap((m) => [...m.values()]).map((f) => [f.finding.Id, f]));
const imports = (sim: Simulator) => sim.server.calls.filter((c) => c.action === 'BatchImportFindings');

let hub: Hub;

test('night 1: every AWS finding is imported in its own account and region', async () => {
  const { sim, config, report } = await night(0, [www(20), old]);
  try {
    const { warnings, log } = logger();
    const [outcome] = await notifyAfterRun(report, config, { log, aws: config.providers.aws, rules });
    expect(warnings).toEqual([]);
    expect(outcome).toMatchObject({ type: 'securityhub', status: 'sent', items: report.findings.length });
    hub = sim.aws!.securityHub!;
    expect(held(hub, 'us-east-1').length + held(hub, 'eu-west-1').length).toBe(report.findings.length);
    expect(held(hub, 'eu-west-1').length).toBeGreaterThan(0);
    expect(held(hub, 'eu-west-1').every((f) => f.finding.Region === 'eu-west-1')).toBe(true);
    for (const f of byId(hub).values()) expect([f.imports, f.finding.RecordState]).toEqual([1, 'ACTIVE']);
    expect(imports(sim).map((c) => c.scope)).toEqual(expect.arrayContaining([`${ACCOUNT}/us-east-1`]));
    // An analyst takes up a finding in Security Hub: that is theirs, and stays.
    const expired = [...byId(hub).values()].find((f) => f.finding.GeneratorId === 'cert-expired')!;
    expired.finding.Workflow = { Status: 'NOTIFIED' };
  } finally {
    await sim.server.close();
  }
}, 90_000);

test('night 2: the renewed certificate is ARCHIVED, the unchanged one updated in place, nothing duplicated', async () => {
  const before = new Map([...byId(hub)].map(([id, f]) => [id, structuredClone(f)]));
  const { sim, config, report } = await night(1, [www(300), old], hub);
  try {
    const { warnings, log } = logger();
    const [outcome] = await notifyAfterRun(report, config, { log, aws: config.providers.aws, rules });
    expect(warnings).toEqual([]);
    expect(outcome.status).toBe('sent');
    const resolved = report.history!.resolved;
    expect(resolved.map((f) => f.ruleId)).toContain('cert-expiring');
    const after = byId(hub);
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const r of resolved) {
      const renewed = after.get(r.id)!;
      expect(renewed.finding).toMatchObject({ RecordState: 'ARCHIVED', Compliance: { Status: 'PASSED' } });
      expect(renewed.imports).toBe(2);
    }
    const archived = [...after.values()].filter((f) => f.finding.RecordState === 'ARCHIVED');
    expect(archived.map((f) => f.finding.Id).sort()).toEqual(resolved.map((f) => f.id).sort());
    const expired = [...after.values()].find((f) => f.finding.GeneratorId === 'cert-expired')!;
    const was = before.get(expired.finding.Id)!;
    expect(expired.imports).toBe(2);
    expect(expired.finding.RecordState).toBe('ACTIVE');
    expect(expired.finding.CreatedAt).toBe(was.finding.CreatedAt);
    expect(expired.finding.UpdatedAt).not.toBe(was.finding.UpdatedAt);
    expect(expired.finding.Workflow).toEqual({ Status: 'NOTIFIED' });
  } finally {
    await sim.server.close();
  }
}, 90_000);

test('a finding Security Hub refuses is named with its reason; the rest of its batch is imported', async () => {
  const { sim, config, report } = await night(2, [www(20), old], new Map());
  try {
    const bad = report.findings.find((f) => f.resource.location === 'us-east-1')!;
    bad.id = `x${'0'.repeat(600)}`;
    const { warnings, log } = logger();
    const [outcome] = await notifyRun(report, config.notify!, { log, aws: config.providers.aws, rules });
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toMatch(
      new RegExp(
        `^1 of ${report.findings.length} finding\\(s\\) not imported: x0+: InvalidInput: .*data\\.Id should NOT be longer than 512 characters`,
      ),
    );
    // The finding with its account, region and reason; then the target's outcome.
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(new RegExp(`finding x0+ \\(${ACCOUNT}/us-east-1\\) not imported: InvalidInput: `));
    expect(warnings[1]).toBe(`notify[0] securityhub: ${outcome.error}`);
    const hubNow = sim.aws!.securityHub!;
    expect(byId(hubNow).size).toBe(report.findings.length - 1);
    expect(byId(hubNow).has(bad.id)).toBe(false);
    expect(imports(sim).filter((c) => c.scope === `${ACCOUNT}/us-east-1`)).toHaveLength(1);
  } finally {
    await sim.server.close();
  }
}, 90_000);

test('batches of at most 100, held below the published 10 calls a second (burst 30): the service never throttles', async () => {
  const { sim, config, report } = await night(3, [www(20), old], new Map(), { rateLimits: true });
  try {
    const seed = report.findings.find((f) => f.resource.location === 'us-east-1')!;
    const many = Array.from({ length: 3_450 }, (_, i) => ({ ...seed, id: `${seed.id}-${i}` }));
    const { warnings, log } = logger();
    const [outcome] = await notifyRun({ ...report, findings: many }, config.notify!, {
      log,
      aws: config.providers.aws,
      rules,
    });
    expect(warnings).toEqual([]);
    expect(outcome).toMatchObject({ status: 'sent', items: 3_450 });
    const calls = imports(sim);
    expect(calls).toHaveLength(35);
    expect(calls.every((c) => c.status === 200 && !c.fault)).toBe(true);
    // 35 calls with a burst of 27 and 9 a second: the last ones waited for the bucket.
    expect(calls[34].at - calls[0].at).toBeGreaterThanOrEqual(800);
    expect(byId(sim.aws!.securityHub!).size).toBe(3_450);
  } finally {
    await sim.server.close();
  }
}, 90_000);

test('a bad securityhub target names the offending key', () => {
  expect(() => parseConfig('notify: [{ type: securityhub, roleName: "bad name!" }]')).toThrow(
    'notify[0].roleName: an IAM role name',
  );
  expect(() => parseConfig('notify: [{ type: securityhub, urlEnv: HOOK }]')).toThrow('notify[0].urlEnv: unknown key');
  expect(parseConfig('notify: [{ type: securityhub }]').notify).toEqual([{ type: 'securityhub', minSeverity: 'info' }]);
});
