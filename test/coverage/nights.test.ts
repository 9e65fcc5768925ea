/**
 * Two nights against the local cloud: between them a member leaves the organisation and another
 * member's role starts refusing. Both are coverage lost, in the report's history, in `diff`, in
 * the webhook and in the exit code; none of their findings is resolved.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT, exitCode, runAudit } from '../../src/cli/audit.js';
import { diffText } from '../../src/cli/history.js';
import { webhookPayload } from '../../src/notify/webhook.js';
import { startSimulator } from '../../src/sim/index.js';
import { useSimulatorCredentials } from '../../src/sim/credentials.js';
import { diffRuns } from '../../src/store/diff.js';
import { openStore } from '../../src/store/sqlite.js';
import type { RememberedReport } from '../../src/store/remember.js';
import { reportSchemaErrors } from '../fixtures/schema.js';
import * as E from './estate.js';

const silent = { info: () => {}, warn: () => {}, debug: () => {} };
const DAY = 86_400_000;
const START = new Date('2026-06-01T00:00:00Z');
const dir = mkdtempSync(join(tmpdir(), 'cw-coverage-'));
const db = join(dir, 'history.db');

async function night(n: number, changes: E.EstateChanges): Promise<RememberedReport> {
  const now = new Date(START.getTime() + n * DAY);
  const sim = await startSimulator(E.estate(changes), { now });
  try {
    useSimulatorCredentials(E.KEY, E.TOKEN_ENV, E.TOKEN);
    const config = E.estateConfig(sim.server.url, `store: { path: ${JSON.stringify(db)} }\nfailOnCoverage: true`);
    return (await runAudit({ config, now, log: silent })).report;
  } finally {
    await sim.server.close();
  }
}

const ofAccount = (r: RememberedReport, account: string) =>
  r.findings.filter((f) => f.resource.account === account).map((f) => f.id);

test('a member that leaves and a role that starts refusing are coverage lost, and their findings are not resolved', async () => {
  const first = await night(0, { refusing: [] });
  expect(first.coverage!.entries.filter((e) => e.kind === 'account' && e.outcome === 'audited').map((e) => e.id))
    .toEqual([E.MGMT, E.ACTIVE, E.REFUSING]);
  expect(first.history!.previousRun).toBeNull();
  const before = [...ofAccount(first, E.ACTIVE), ...ofAccount(first, E.REFUSING)];
  expect(before.length).toBeGreaterThan(0);

  const second = await night(1, { left: [E.ACTIVE], refusing: [E.REFUSING] });
  expect(second.history!.coverage!.lost).toEqual([
    { cloud: 'aws', kind: 'account', id: E.ACTIVE, name: 'active', before: { outcome: 'audited' } },
    {
      cloud: 'aws',
      kind: 'account',
      id: E.REFUSING,
      name: 'refusing',
      before: { outcome: 'audited' },
      now: { outcome: 'failed', error: 'AccessDenied' },
    },
  ]);
  expect(second.history!.coverage!.gained).toEqual([]);
  // Nothing of theirs is resolved: every finding is carried.
  expect(second.history!.resolved.map((f) => f.id)).toEqual([]);
  expect(second.history!.carried.map((f) => f.id).sort()).toEqual([...before].sort());
  expect(reportSchemaErrors(second)).toEqual([]);
  expect(exitCode(second, "none", { failOnCoverage: true })).toBe(EXIT.coverageLost);
  expect(exitCode(second, "none", { failOnCoverage: false })).toBe(EXIT.scopeFailed);

  const store = openStore(db);
  try {
    const [a, b] = (await store.runs()).sort((x, y) => x.seq - y.seq);
    const d = await diffRuns(store, a, b);
    expect(d.coverage.lost.map((c) => c.id)).toEqual([E.ACTIVE, E.REFUSING]);
    expect(d.findings.resolved).toEqual([]);
    const text = diffText(d);
    expect(text).toContain('coverage lost: 2');
    expect(text).toContain(`aws account ${E.ACTIVE} (active): audited -> not found`);
    expect(text).toContain(`aws account ${E.REFUSING} (refusing): audited -> failed (AccessDenied)`);
    expect(text).toContain('resolved findings: 0');
  } finally {
    await store.close();
  }
  const hook = webhookPayload(second, [], 20);
  expect(hook.coverageLost).toEqual(second.history!.coverage!.lost);
}, 120_000);
