/**
 * Webhook receivers that misbehave: an endless 200 body, a redirect, credentials in the URL, a
 * peer that closes cleanly and one that resets. Each exchange is bounded in time and bytes, each
 * error says what happened, and the outcome is recorded beside the run in the history store.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../src/config/load.js';
import { runAudit } from '../../src/cli/audit.js';
import { notifyAfterRun, notifyRun } from '../../src/notify/index.js';
import { openStore } from '../../src/store/sqlite.js';
import type { NotifyTarget } from '../../src/config/schema.js';
import { NOW } from '../fixtures/certs.js';
import { writeCert } from '../store/scenario.js';
import { RULES } from '../../rules/index.js';
import { receiver } from './receiver.js';

const MB = 1 << 20;
const dir = mkdtempSync(join(tmpdir(), 'cw-notify-bounded-'));
const certs = join(dir, 'certs');
writeCert(join(certs, 'weak.pem'), 'rsa-1024');
writeCert(join(certs, 'md5.pem'), 'md5-signed');
const db = join(dir, 'history.db');
const logs: string[] = [];
const log = {
  info: (m: string) => logs.push(m),
  warn: (m: string) => logs.push(`warning: ${m}`),
  debug: (m: string) => logs.push(`debug: ${m}`),
};
const config = (notify: Partial<NotifyTarget> = {}) =>
  parseConfig(
    JSON.stringify({
      providers: { files: { paths: [certs] } },
      store: { path: db },
      notify: [{ type: 'webhook', urlEnv: 'HOOK_URL', minSeverity: 'high', ...notify }],
      rules: Object.fromEntries(
        RULES.filter((r) => !['weak-rsa-key', 'weak-signature'].includes(r.id)).map((r) => [r.id, { enabled: false }]),
      ),
    }),
  );
const target = (over: Partial<NotifyTarget> = {}): NotifyTarget => ({
  type: 'webhook',
  urlEnv: 'HOOK_URL',
  minSeverity: 'high',
  maxItems: 20,
  timeoutMs: 5000,
  attempts: 3,
  ...over,
});

let report: Awaited<ReturnType<typeof runAudit>>['report'];
beforeAll(async () => {
  report = (await runAudit({ config: config(), now: NOW, log })).report;
  expect(report.history?.run).toBe(1);
});

test('a 200 whose body never ends: the body is read up to its cap and dropped, memory and time stay bounded, the outcome is stored', async () => {
  const hook = await receiver(['endless']);
  try {
    const rss0 = process.resourceUsage().maxRSS * 1024;
    const started = performance.now();
    const out = await notifyAfterRun(report, config({ timeoutMs: 5000 }), {
      env: { HOOK_URL: hook.url },
      log,
      minDelayMs: 10,
    });
    const ms = performance.now() - started;
    const growth = process.resourceUsage().maxRSS * 1024 - rss0;
    process.stdout.write(
      `endless webhook body: ${ms.toFixed(0)} ms, peak RSS +${(growth / MB).toFixed(0)} MB, ${(hook.seen.endlessBytes / MB).toFixed(1)} MB written by the receiver\n`,
    );
    expect(out).toEqual([{ target: 'notify[0] webhook ($HOOK_URL)', type: 'webhook', status: 'sent', items: 2 }]);
    // Delivered is delivered: the answer's body is not waited for until the deadline.
    expect(ms).toBeLessThan(2_000);
    expect(growth).toBeLessThan(64 * MB);
    const store = openStore(db, { mustExist: true });
    try {
      expect(await store.notifications(1)).toEqual(out);
    } finally {
      await store.close();
    }
    // The client went away: the receiver's answer was cut off, not read to the end of time.
    await new Promise((r) => setTimeout(r, 100));
    expect(hook.seen.endlessClosed).toBe(1);
  } finally {
    await hook.close();
  }
}, 30_000);

test('a 200 whose body trickles forever: the exchange ends at its deadline, body included', async () => {
  const hook = await receiver(['trickle']);
  try {
    const started = performance.now();
    const out = await notifyRun(report, [target({ timeoutMs: 1000 })], {
      env: { HOOK_URL: hook.url },
      log,
      minDelayMs: 10,
    });
    const ms = performance.now() - started;
    expect(out[0]).toMatchObject({ status: 'sent', items: 2 });
    expect(ms).toBeGreaterThanOrEqual(900);
    expect(ms).toBeLessThan(3_000);
  } finally {
    await hook.close();
  }
});

test('a 307 is refused with its status, not followed and not retried', async () => {
  const hook = await receiver(['redirect', 200]);
  try {
    const out = await notifyRun(report, [target()], { env: { HOOK_URL: hook.url }, log, minDelayMs: 10 });
    expect(out[0]).toMatchObject({
      status: 'failed',
      items: 2,
      error: 'redirect refused: 307 (a webhook URL must answer itself; set HOOK_URL to the final URL)',
    });
    expect(hook.requests.map((r) => r.path)).toEqual(['/services/T000/B000/SECRETtoken123']);
  } finally {
    await hook.close();
  }
});

test('a URL with user:password@ is refused before any connection, and the credentials are not shown', async () => {
  const hook = await receiver([200]);
  try {
    logs.length = 0;
    const url = hook.url.replace('http://', 'http://alice:pw-s3cret@');
    const out = await notifyRun(report, [target()], { env: { HOOK_URL: url }, log, minDelayMs: 10 });
    expect(out[0]).toMatchObject({
      status: 'failed',
      items: 2,
      error:
        'the value of HOOK_URL holds credentials before the host (user:password@), which are refused: they would be sent in clear to every hop that logs URLs',
    });
    expect(hook.seen.connections).toBe(0);
    expect(JSON.stringify(out) + logs.join('\n')).not.toMatch(/alice|s3cret/);
  } finally {
    await hook.close();
  }
});

test.each([
  ['close', 'the webhook closed the connection without answering (closed by peer)'],
  ['reset', 'the webhook reset the connection (ECONNRESET)'],
] as const)('a peer that does "%s" is reported as such, and retried', async (step, error) => {
  const hook = await receiver([step]);
  try {
    const out = await notifyRun(report, [target({ attempts: 2 })], {
      env: { HOOK_URL: hook.url },
      log,
      minDelayMs: 10,
    });
    expect(out[0]).toMatchObject({ status: 'failed', items: 2, error });
    expect(hook.requests).toHaveLength(2);
  } finally {
    await hook.close();
  }
});
