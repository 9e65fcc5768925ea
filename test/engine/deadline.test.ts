/**
 * The scope deadline (`scopeTimeoutMs`): a scope whose service answers too slowly ends `failed`
 * with `Deadline` when its time is up, every other scope completes with exactly what a fault-free
 * run collects, the run does not wait for the slow answer, and the stopped scope makes no call
 * after its deadline. On one thread and on several.
 */
import { runAudit } from '../../src/cli/audit.js';
import { summaryText } from '../../src/cli/summary.js';
import type { Report } from '../../src/report/json.js';
import { NOW, PROD, quiet, recordsOf, scopeKey, startEstate, type Estate } from '../reliability/estate.js';

const SLOW = `aws-acm ${PROD}/us-east-1`;
const DEADLINE_MS = 6_000;
const ANSWER_MS = 12_000;

let estate: Estate;
const expected = new Map<string, string[]>();
beforeAll(async () => {
  estate = await startEstate();
  const { report } = await estate.audit();
  expect(report.scopes.filter((s) => s.status !== 'ok')).toEqual([]);
  for (const s of report.scopes) expected.set(scopeKey(s), recordsOf(report, s));
}, 60_000);
afterAll(() => estate.close());

async function slowRun(threads: number): Promise<{ report: Report; ms: number; ended: number }> {
  // The first listing of one ACM scope answers after 12 s, within the 30 s timeout of each call:
  // only the scope's deadline can stop it.
  estate.sim.server.configure({
    faults: [
      {
        kind: 'slow',
        service: 'acm',
        action: 'ListCertificates',
        scope: `${PROD}/us-east-1`,
        delayMs: ANSWER_MS,
        count: 1,
      },
    ],
  });
  estate.sim.server.calls.length = 0;
  const config = { ...estate.config({ aws: { timeoutMs: 30_000 } }), scopeTimeoutMs: DEADLINE_MS, threads };
  const started = Date.now();
  const { report } = await runAudit({ config, now: NOW, log: quiet });
  return { report, ms: Date.now() - started, ended: Date.now() };
}

const slowCall = () => estate.sim.server.calls.find((c) => c.service === 'acm' && c.scope === `${PROD}/us-east-1`)!;

function checkDeadline(report: Report, ms: number, ended: number): void {
  const failed = report.scopes.filter((s) => s.status !== 'ok');
  expect(failed.map((s) => [scopeKey(s), s.status, s.error?.code])).toEqual([[SLOW, 'failed', 'Deadline']]);
  expect(failed[0].error?.message).toBe(`did not finish within 6 s (scopeTimeoutMs: ${DEADLINE_MS}); stopped`);
  expect(summaryText(report)).toContain(`${SLOW}: Deadline: did not finish within 6 s`);
  // Every other scope, whole.
  for (const s of report.scopes)
    if (scopeKey(s) !== SLOW)
      expect([scopeKey(s), recordsOf(report, s)]).toEqual([scopeKey(s), expected.get(scopeKey(s))]);
  expect(report.scopes.map(scopeKey).sort()).toEqual([...expected.keys()].sort());
  // The run ended at the deadline, not when the slow answer came (threads take a while to start
  // on a busy machine: the answer is timed from when it was asked for).
  expect(ms).toBeGreaterThanOrEqual(DEADLINE_MS);
  expect(ended).toBeLessThan(slowCall().at + ANSWER_MS - 1_000);
}

const callsTo = (account: string, region: string) =>
  estate.sim.server.calls.filter((c) => c.service === 'acm' && c.scope === `${account}/${region}`).map((c) => c.action);

test.each([1, 2])(
  '%i thread(s): the slow scope ends failed with Deadline, the others complete, nothing of it runs on',
  async (threads) => {
    const { report, ms, ended } = await slowRun(threads);
    checkDeadline(report, ms, ended);
    // Wait until the slow answer has come and gone: a scope still running would now list on and read.
    await new Promise((r) => setTimeout(r, Math.max(0, slowCall().at + ANSWER_MS + 2_000 - Date.now())));
    expect(callsTo(PROD, 'us-east-1')).toEqual(['ListCertificates']);
  },
  90_000,
);
