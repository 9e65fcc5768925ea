import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseConfig } from '../../src/config/load.js';
import { runAudit } from '../../src/cli/audit.js';
import { notifyRun } from '../../src/notify/index.js';
import { notifyItems } from '../../src/notify/items.js';
import { slackPayload } from '../../src/notify/slack.js';
import { openStore } from '../../src/store/sqlite.js';
import type { NotifyTarget } from '../../src/config/schema.js';
import { NOW } from '../fixtures/certs.js';
import { onlyRules, writeCert } from '../store/scenario.js';
import { receiver } from './receiver.js';

const DAY = 86_400_000;
const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'cw-notify-'));
const certs = join(dir, 'certs');
const evil = 'edge <!channel> & <mailto:x@phish.example|login>.pem'; // a file name is cloud data too
writeCert(join(certs, 'soon.pem'), 'expiring-20d');
writeCert(join(certs, 'weak.pem'), 'rsa-1024');
writeCert(join(certs, evil), 'md5-signed');

const configText = (db: string, notify = '') => `
providers:
  files: { paths: [${JSON.stringify(certs)}] }
store: { path: ${JSON.stringify(db)} }
rules:
${onlyRules(['cert-expiring', 'weak-rsa-key', 'weak-signature'])}
${notify}`;
const logs: string[] = [];
const log = {
  info: (m: string) => logs.push(m),
  warn: (m: string) => logs.push(`warning: ${m}`),
  debug: (m: string) => logs.push(`debug: ${m}`),
};
const target = (over: Partial<NotifyTarget> = {}): NotifyTarget => ({
  type: 'slack',
  urlEnv: 'HOOK_URL',
  minSeverity: 'medium',
  maxItems: 20,
  timeoutMs: 2000,
  attempts: 3,
  ...over,
});
const nightly = (db: string, days: number) =>
  runAudit({ config: parseConfig(configText(db)), now: new Date(NOW.getTime() + days * DAY), log }).then(
    (r) => r.report,
  );

describe('what is sent: new and worsened findings only, escaped for Slack', () => {
  const db = join(dir, 'slack.db');

  test('night 1: every finding is new; the Slack message lists them with cloud strings escaped', async () => {
    const hook = await receiver([200]);
    try {
      const report = await nightly(db, 0);
      const out = await notifyRun(report, [target()], { env: { HOOK_URL: hook.url }, log, minDelayMs: 10 });
      expect(out).toEqual([{ target: 'notify[0] slack ($HOOK_URL)', type: 'slack', status: 'sent', items: 3 }]);
      expect(hook.requests).toHaveLength(1);
      const { body, headers, path } = hook.requests[0];
      expect(path).toBe('/services/T000/B000/SECRETtoken123');
      expect(headers['content-type']).toMatch(/^application\/json/);
      expect(body.text).toBe(`certwarden: 3 new and 0 worsened findings (run ${report.run.id})`);
      expect(body.blocks.map((b: any) => b.type)).toEqual(['header', 'section', 'section', 'section', 'context']);
      const sections = body.blocks.filter((b: any) => b.type === 'section').map((b: any) => b.text.text);
      expect(sections[0]).toMatch(
        /^\*\[critical\]\* \(new\) `weak-signature` .*edge &lt;!channel&gt; &amp; &lt;mailto:x@phish\.example\|login&gt;\.pem/,
      );
      expect(sections[1]).toMatch(/^\*\[high\]\* \(new\) `weak-rsa-key` /);
      expect(sections[2]).toMatch(/^\*\[medium\]\* \(new\) `cert-expiring` /);
      expect(JSON.stringify(body)).not.toMatch(/<!channel>|<mailto:/);
      // The cap: one finding listed, the rest counted.
      const capped = slackPayload(report, notifyItems(report, 'medium'), 1) as any;
      expect(capped.blocks.map((b: any) => b.type)).toEqual(['header', 'section', 'context']);
      expect(capped.blocks[2].elements[0].text).toMatch(/^and 2 more in the report · run /);
    } finally {
      await hook.close();
    }
  });

  test('night 2, nothing changed: the backlog is not sent again', async () => {
    const hook = await receiver([200]);
    try {
      const report = await nightly(db, 1);
      expect(report.history?.counts.open).toBe(3);
      expect(await notifyRun(report, [target()], { env: { HOOK_URL: hook.url }, log })).toEqual([
        { target: 'notify[0] slack ($HOOK_URL)', type: 'slack', status: 'skipped', items: 0 },
      ]);
      expect(hook.requests).toHaveLength(0);
    } finally {
      await hook.close();
    }
  });

  test('night 15: the expiring certificate crosses criticalDays: one worsened finding, as JSON, after two 500s', async () => {
    const hook = await receiver([500, 500, 200]);
    try {
      const report = await nightly(db, 14);
      const out = await notifyRun(report, [target({ type: 'webhook', minSeverity: 'high' })], {
        env: { HOOK_URL: hook.url },
        log,
        minDelayMs: 10,
      });
      expect(out[0]).toMatchObject({ status: 'sent', items: 1 });
      expect(hook.requests).toHaveLength(3);
      expect(hook.requests.map((r) => r.body)).toEqual([
        hook.requests[0].body,
        hook.requests[0].body,
        hook.requests[0].body,
      ]);
      const body = hook.requests[2].body;
      expect(body).toMatchObject({
        tool: { name: 'certwarden' },
        run: { id: report.run.id, now: '2026-06-15T00:00:00.000Z', seq: 3 },
        counts: { new: 0, worsened: 1 },
        truncated: 0,
      });
      expect(body.findings).toEqual([
        expect.objectContaining({
          change: 'worsened',
          severity: 'high',
          previousSeverity: 'medium',
          ruleId: 'cert-expiring',
          firstSeen: '2026-06-01T00:00:00.000Z',
        }),
      ]);
    } finally {
      await hook.close();
    }
  });
});

describe('failures are reported, never fatal, and never show the URL', () => {
  const db = join(dir, 'fail.db');
  let report: Awaited<ReturnType<typeof nightly>>;
  beforeAll(async () => {
    report = await nightly(db, 0);
  });

  test.each([
    ['a 404 is not retried', [404] as const, {}, 1, 'the webhook answered HTTP 404'],
    ['a 500 is retried up to the attempts', [500] as const, {}, 3, 'the webhook answered HTTP 500'],
    [
      'a hanging webhook times out on every attempt',
      ['hang'] as const,
      { timeoutMs: 200, attempts: 2 },
      2,
      'no answer within 200 ms',
    ],
  ])('%s', async (_n, plan, over, requests, error) => {
    const hook = await receiver([...plan]);
    try {
      logs.length = 0;
      const out = await notifyRun(report, [target(over)], { env: { HOOK_URL: hook.url }, log, minDelayMs: 10 });
      expect(out[0]).toMatchObject({ status: 'failed', items: 3, error });
      expect(hook.requests).toHaveLength(requests);
      expect(logs.join('\n')).toContain(`warning: notify[0] slack ($HOOK_URL): 3 finding(s) not delivered: ${error}`);
      expect(logs.join('\n')).not.toMatch(/SECRET|127\.0\.0\.1/);
    } finally {
      await hook.close();
    }
  });

  test('a refused connection, an unset variable and a plain-http URL are failures with reasons', async () => {
    const hook = await receiver();
    await hook.close(); // nothing listens on its port now
    const out = await notifyRun(
      report,
      [target(), target({ urlEnv: 'UNSET_HOOK' }), target({ type: 'webhook', urlEnv: 'PLAIN' })],
      {
        env: { HOOK_URL: hook.url, PLAIN: 'http://hooks.example.com/x' },
        log,
        minDelayMs: 10,
      },
    );
    expect(out.map((o) => o.error)).toEqual([
      'could not reach the webhook (ECONNREFUSED)',
      'environment variable UNSET_HOOK is not set',
      'the value of PLAIN must be an https URL (plain http only on a loopback address)',
    ]);
  });
});

/** Runs the real command without blocking this process, so the receiver here can answer it. */
function certwardenAsync(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), ...args], {
      cwd: root,
      env: { ...process.env, NODE_OPTIONS: '', ...env },
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

test('certwarden audit with a dead webhook: report written, exit code unchanged, outcome stored', async () => {
  const hook = await receiver([503]);
  try {
    const db = join(dir, 'cli.db');
    const cfg = join(dir, 'cli.yaml');
    writeFileSync(
      cfg,
      configText(db, 'notify:\n  - { type: webhook, urlEnv: CW_HOOK, minSeverity: low, attempts: 2 }\n'),
    );
    const out = join(dir, 'cli-report.json');
    const r = await certwardenAsync(['audit', '-c', cfg, '-o', out, '--now', NOW.toISOString(), '--fail-on', 'none'], {
      CW_HOOK: hook.url,
    });
    expect(r.code).toBe(0);
    expect(existsSync(out)).toBe(true);
    expect(r.stderr).toContain(
      'warning: notify[0] webhook ($CW_HOOK): 3 finding(s) not delivered: the webhook answered HTTP 503',
    );
    expect(r.stderr).not.toMatch(/SECRET|127\.0\.0\.1/);
    expect(hook.requests).toHaveLength(2);
    const store = openStore(db, { mustExist: true });
    expect(await store.notifications(1)).toEqual([
      {
        target: 'notify[0] webhook ($CW_HOOK)',
        type: 'webhook',
        status: 'failed',
        items: 3,
        error: 'the webhook answered HTTP 503',
      },
    ]);
    await store.close();
  } finally {
    await hook.close();
  }
}, 120_000);
