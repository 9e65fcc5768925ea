/**
 * No secret leaves the process. The real command runs with recognisable fake credentials (AWS
 * key, secret and session token, an Azure bearer token, two webhook URLs whose paths are the
 * secret), verbosely, writing every report format and a history store, while credentials expire,
 * a vault denies and both webhooks fail. None of those values may appear in any file written,
 * on stdout or stderr, in any failed scope's message, or in what the webhook receives.
 */
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FORMATS } from '../../src/report/formats.js';
import { receiver } from '../notify/receiver.js';
import { estateConfigJson, KEY, NOW, TOKEN, TOKEN_ENV, startEstate, type Estate } from '../reliability/estate.js';
import { certwardenAsync } from '../reliability/spawn.js';

const SESSION_TOKEN = 'FwoGZXIvYXdzEXAMPLE-session-token-SECRET-7d1e';
const DEAD_HOOK_SECRET = 'B0DEAD/deadhookSECRETpath42';

let estate: Estate;
let hook: Awaited<ReturnType<typeof receiver>>;
let run: Awaited<ReturnType<typeof certwardenAsync>>;
const dir = mkdtempSync(join(tmpdir(), 'cw-secrets-'));

function filesUnder(d: string): string[] {
  return readdirSync(d).flatMap((n) => {
    const p = join(d, n);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

beforeAll(async () => {
  estate = await startEstate();
  // Every webhook call fails (500, then retries), so its error path runs too.
  hook = await receiver([500]);
  estate.sim.server.configure({
    faults: [
      { kind: 'denied', service: 'azure-keyvault', scope: 'kv-b' },
      { kind: 'expired-token', service: 'azure-keyvault', scope: 'kv-c', after: 1 },
      { kind: 'expired-token', service: 'acm', scope: '222222222222/*', after: 2 },
    ],
  });
  const config = {
    ...estateConfigJson(estate.sim.server.url, estate.certDir),
    store: { path: join(dir, 'history.db') },
    notify: [
      { type: 'webhook', urlEnv: 'CW_TEST_HOOK', minSeverity: 'info', attempts: 2, timeoutMs: 2000 },
      { type: 'slack', urlEnv: 'CW_TEST_DEAD_HOOK', minSeverity: 'info', attempts: 1, timeoutMs: 1000 },
    ],
  };
  writeFileSync(join(dir, 'certwarden.json'), JSON.stringify(config));
  run = await certwardenAsync(
    [
      'audit',
      '-v',
      '-c',
      join(dir, 'certwarden.json'),
      '-o',
      join(dir, 'out', 'report.json'),
      '--format',
      FORMATS.join(','),
      '--now',
      NOW.toISOString(),
      '--fail-on',
      'none',
    ],
    {
      env: {
        AWS_ACCESS_KEY_ID: KEY.id,
        AWS_SECRET_ACCESS_KEY: KEY.secret,
        AWS_SESSION_TOKEN: SESSION_TOKEN,
        AWS_REGION: 'us-east-1',
        [TOKEN_ENV]: TOKEN,
        CW_TEST_HOOK: hook.url,
        // A port nothing listens on: the connection is refused.
        CW_TEST_DEAD_HOOK: `http://127.0.0.1:9/services/T000/${DEAD_HOOK_SECRET}`,
      },
    },
  );
}, 150_000);
afterAll(async () => {
  await hook.close();
  await estate.close();
});

const SECRETS: Record<string, string> = {
  'AWS secret access key': KEY.secret,
  'AWS access key id': KEY.id,
  'AWS session token': SESSION_TOKEN,
  'Azure bearer token': TOKEN,
  'webhook secret path': '/services/T000/B000/SECRETtoken123',
  'webhook secret token': 'SECRETtoken123',
  'dead webhook secret path': DEAD_HOOK_SECRET,
};

test('the run really went through the failure paths', () => {
  expect(run.code).toBe(3);
  expect(run.stderr).toMatch(/ForbiddenByRbac/);
  expect(run.stderr).toMatch(/Unauthorized|TokenExpired/);
  expect(run.stderr).toMatch(/ExpiredTokenException/);
  expect(run.stderr).toMatch(/notify\[0\] webhook \(\$CW_TEST_HOOK\): .*not delivered/);
  expect(run.stderr).toMatch(/notify\[1\] slack \(\$CW_TEST_DEAD_HOOK\): .*not delivered/);
  expect(hook.requests.length).toBe(2);
  const written = filesUnder(dir)
    .map((f) => f.slice(dir.length + 1))
    .sort();
  expect(written).toEqual(
    expect.arrayContaining([
      'history.db',
      'out/report.json',
      'out/report.html',
      'out/report.md',
      'out/report.csv',
      'out/report.sarif',
      'out/report.junit.xml',
      'out/report.prom',
    ]),
  );
});

test.each(Object.entries(SECRETS))('the %s appears in no file, log line or payload', (_what, secret) => {
  expect(run.stdout).not.toContain(secret);
  expect(run.stderr).not.toContain(secret);
  for (const file of filesUnder(dir)) {
    if (file.endsWith('certwarden.json')) continue; // the config names variables, never values
    // latin1 reads any bytes (the SQLite store included) without dropping any.
    expect([file, readFileSync(file, 'latin1').includes(secret)]).toEqual([file, false]);
  }
  for (const r of hook.requests) expect(JSON.stringify(r.body)).not.toContain(secret);
});

test('every failed scope says why without a credential in its message', () => {
  const report = JSON.parse(readFileSync(join(dir, 'out', 'report.json'), 'utf8'));
  const failed = report.scopes.filter((s: { status: string }) => s.status !== 'ok');
  expect(failed.length).toBeGreaterThanOrEqual(2);
  for (const s of failed) {
    expect(s.error.message.length).toBeGreaterThan(10);
    for (const secret of Object.values(SECRETS)) expect(s.error.message).not.toContain(secret);
    expect(s.error.message).not.toMatch(/authorization:|bearer [a-z0-9]|x-amz-security-token/i);
  }
});
