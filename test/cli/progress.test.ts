/**
 * Progress as a nightly job sees it: the real command, its stderr a pipe (as under cron, CI or
 * Kubernetes), pointed at a simulator in this process with a little latency and a few throttles.
 * What the progress lines and the report's `run.timings` count is checked against the calls the
 * simulator served.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ScopeTiming } from '../../src/model/types.js';
import { certwarden } from '../fixtures/cli.js';
import { certwardenAsync } from '../reliability/spawn.js';
import { estateConfigJson, KEY, NOW, TOKEN, TOKEN_ENV, startEstate, type Estate } from '../reliability/estate.js';

const env = {
  AWS_ACCESS_KEY_ID: KEY.id,
  AWS_SECRET_ACCESS_KEY: KEY.secret,
  AWS_REGION: 'us-east-1',
  [TOKEN_ENV]: TOKEN,
};
// Calls made to find the scopes, before any scope runs: they belong to no scope's tally.
const DISCOVERY = new Set(['sts', 'account', 'azure-metadata']);
const DISCOVERY_ARM = new Set(['Subscriptions_List', 'Vaults_ListBySubscription']);

let estate: Estate;
let dir: string;
beforeAll(async () => {
  estate = await startEstate();
  dir = join(estate.certDir, '..');
}, 60_000);
afterAll(() => estate.close());

/** One audit through the real command, with throttles on two ACM calls and 20 ms per answer. */
async function run(name: string, args: string[], over: Record<string, unknown> = {}) {
  estate.sim.server.calls.length = 0;
  estate.sim.server.configure({
    latency: { fixedMs: 20 },
    faults: [{ kind: 'throttle', service: 'acm', action: 'ListCertificates', count: 2 }],
  });
  const config = join(dir, `cw-progress-${name}-${process.pid}.json`);
  writeFileSync(config, JSON.stringify({ ...estateConfigJson(estate.sim.server.url, estate.certDir), ...over }));
  const out = join(dir, `cw-progress-${name}-${process.pid}-report.json`);
  const r = await certwardenAsync(['audit', '-c', config, '-o', out, '--fail-on', 'none', ...args], { env });
  expect(r.code).toBe(0);
  const report = JSON.parse(readFileSync(out, 'utf8'));
  // What the scopes asked for: everything served but discovery, and Key Vault's bearer challenge
  // (the SDK answers it inside the call it belongs to).
  const served = estate.sim.server.calls.filter(
    (c) =>
      !DISCOVERY.has(c.service) &&
      !(c.service === 'azure-arm' && DISCOVERY_ARM.has(c.action)) &&
      !(c.service === 'azure-keyvault' && c.status === 401),
  );
  return { ...r, report, served };
}

const progressLines = (stderr: string) =>
  stderr
    .split('\n')
    .filter((l) => l.startsWith('progress: '))
    .map((l) => {
      const m = /^progress: (\d+)\/(\d+) scopes done, (\d+) calls, (\d+) throttles, (\d+) running/.exec(l);
      expect(m).not.toBeNull();
      return { line: l, done: +m![1], total: +m![2], calls: +m![3], throttles: +m![4], running: +m![5] };
    });

const sum = (timings: ScopeTiming[], key: 'calls' | 'throttles') => timings.reduce((n, t) => n + t[key], 0);

describe.each([
  ['on this thread', {}],
  ['on two threads', { threads: 2 }],
])('collecting %s, without a terminal', (name, over) => {
  let r: Awaited<ReturnType<typeof run>>;
  beforeAll(async () => {
    r = await run(name.replace(/ /g, '-'), ['-v', '--progress-interval', '0.2'], over);
  }, 120_000);

  test('a progress line per interval, counting up to every scope', () => {
    const lines = progressLines(r.stderr);
    expect(lines.length).toBeGreaterThanOrEqual(2);
    const scopes = r.report.scopes.length;
    for (const [i, l] of lines.entries()) {
      expect(l.done).toBeLessThanOrEqual(l.total);
      expect(l.total).toBeLessThanOrEqual(scopes);
      if (i > 0) {
        expect(l.done).toBeGreaterThanOrEqual(lines[i - 1].done);
        expect(l.calls).toBeGreaterThanOrEqual(lines[i - 1].calls);
      }
      expect(l.calls).toBeLessThanOrEqual(r.served.length);
      if (l.running) expect(l.line).toMatch(/; slowest running: \S+ \S+ for \d/);
    }
    // By the last line every scope has been found.
    expect(lines.at(-1)!.total).toBe(scopes);
  });

  test('run.timings: one per scope, whose calls are the calls the simulator served them', () => {
    const timings = r.report.run.timings as ScopeTiming[];
    expect(timings.map((t) => `${t.provider} ${t.account}/${t.location}`)).toEqual(
      r.report.scopes.map((s: ScopeTiming) => `${s.provider} ${s.account}/${s.location}`),
    );
    expect(sum(timings, 'calls')).toBe(r.served.length);
    expect(sum(timings, 'throttles')).toBe(2);
    expect(sum(timings, 'throttles')).toBe(r.served.filter((c) => c.fault === 'throttle').length);
    const acm = timings.filter((t) => t.provider === 'aws-acm');
    const acmServed = r.served.filter((c) => c.service === 'acm' || c.service === 'tagging');
    expect(sum(acm, 'calls')).toBe(acmServed.length);
    for (const t of timings) expect(t.elapsedMs).toBeGreaterThanOrEqual(0);
  });

  test('-v: a line per finished scope with its time, calls and throttles', () => {
    const perScope = r.stderr.split('\n').filter((l) => l.startsWith('scope '));
    const timings = r.report.run.timings as ScopeTiming[];
    expect(perScope).toHaveLength(timings.length);
    for (const t of timings) {
      const line = perScope.find((l) => l.startsWith(`scope ${t.provider} ${t.account}/${t.location}: `));
      expect(line).toMatch(new RegExp(`: ok in [\\d.]+ m?s, ${t.calls} calls, ${t.throttles} throttles$`));
    }
  });
});

test('-q is quiet, and a report on a fixed clock has no timings', async () => {
  const r = await run('quiet', ['-q', '--now', NOW.toISOString(), '--progress-interval', '0.1']);
  expect(r.stderr).toBe('');
  expect(r.report.run).not.toHaveProperty('timings');
  expect(r.report.run.startedAt).toBe(NOW.toISOString());
}, 120_000);

test.each([
  ['--progress-interval 0', ['--progress-interval', '0'], /--progress-interval/],
  ['progressIntervalSeconds: -1', [], /progressIntervalSeconds/],
])('%s is refused, naming the option or key', (_name, args, named) => {
  const config = join(estate.certDir, '..', `cw-progress-bad-${process.pid}.yaml`);
  const bad = args.length ? '' : 'progressIntervalSeconds: -1\n';
  writeFileSync(config, `providers:\n  files: { paths: [${JSON.stringify(estate.certDir)}] }\n${bad}`);
  const r = certwarden(['audit', '-c', config, '-o', join(dir, 'never.json'), ...args]);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(named);
});
