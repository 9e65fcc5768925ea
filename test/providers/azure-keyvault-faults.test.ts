/**
 * Each fault the simulator plays, in the real services' shapes, against the real SDK clients:
 * what is retried (and how long we wait), what fails the scope, and with which code.
 */
import type { CallRecord, FaultRule } from '../../src/sim/types.js';
import { startAzure, SUB_A, TOKEN, TOKEN_ENV, type AzureHarness } from './azure-fixture.js';

let h: AzureHarness;

beforeAll(async () => {
  h = await startAzure({
    retryAfterSeconds: 1,
    subscriptions: [
      {
        id: SUB_A,
        vaults: [
          { name: 'kv-a', generate: { count: 30, template: { cn: 'h{i}.example.com', key: 'ec-p256' } } },
          { name: 'kv-one', certificates: [{ name: 'only', cn: 'only.example.com' }] },
        ],
      },
    ],
  });
});
afterAll(() => h.close());

async function runWith(faults: FaultRule[], overrides?: Record<string, unknown>) {
  h.sim.configure({ faults });
  h.sim.calls.length = 0;
  const started = Date.now();
  const [outcome, ...rest] = await h.run(overrides);
  return { outcome, rest, ms: Date.now() - started, calls: h.sim.calls };
}

const complete = (o: { status: string; certificates: unknown[] }) =>
  expect([o.status, o.certificates.length]).toEqual(['ok', 30]);

test('Key Vault 429: Retry-After is honoured, then the certificate is read', async () => {
  const { outcome, calls } = await runWith([
    { kind: 'throttle', service: 'azure-keyvault', action: 'GetCertificate', count: 1 },
  ]);
  complete(outcome);
  const i = calls.findIndex((c) => c.status === 429);
  expect(calls[i]).toMatchObject({ action: 'GetCertificate', fault: 'throttle' });
  // The retry of that one request comes no sooner than the 1 s the service asked for.
  const retry = calls.slice(i + 1).find((c) => c.action === 'GetCertificate' && c.at - calls[i].at >= 1000);
  expect(retry).toBeDefined();
});

test('ARM 429 on the vault list is retried after Retry-After', async () => {
  const { outcome, calls, ms } = await runWith([
    { kind: 'throttle', service: 'azure-arm', action: 'Vaults_ListBySubscription', count: 1 },
  ]);
  complete(outcome);
  expect(calls.filter((c) => c.action === 'Vaults_ListBySubscription').map((c) => c.status)).toEqual([429, 200]);
  expect(ms).toBeGreaterThanOrEqual(1000);
});

test('5xx: retried; when it persists the vault fails with the service code after maxAttempts', async () => {
  complete(
    (await runWith([{ kind: 'server-error', service: 'azure-keyvault', action: 'GetCertificates', count: 2 }])).outcome,
  );
  const { outcome, rest, calls } = await runWith([
    { kind: 'server-error', service: 'azure-keyvault', action: 'GetCertificate', scope: 'kv-one' },
  ]);
  complete(outcome);
  expect(rest[0]).toMatchObject({
    location: 'kv-one',
    status: 'failed',
    error: { code: 'InternalServerError', operation: 'GetCertificate' },
  });
  expect(rest[0].error).toMatchObject({ permission: 'Microsoft.KeyVault/vaults/certificates/read' });
  expect(rest[0].error!.message).toBe(
    'certificate only not read: vault kv-one: The service encountered an internal error. Please try again later. (HTTP 500)',
  );
  // maxAttempts is 4 in the fixture, and no SDK retry multiplies it.
  expect(calls.filter((c) => c.action === 'GetCertificate' && c.scope === 'kv-one')).toHaveLength(4);
});

test('one certificate that cannot be read costs only itself', async () => {
  // One attempt only, so the one 500 costs one certificate.
  const { outcome } = await runWith(
    [{ kind: 'server-error', service: 'azure-keyvault', action: 'GetCertificate', scope: 'kv-a', after: 3, count: 1 }],
    { maxAttempts: 1 },
  );
  expect(outcome).toMatchObject({
    status: 'partial',
    error: {
      code: 'InternalServerError',
      operation: 'GetCertificate',
      permission: 'Microsoft.KeyVault/vaults/certificates/read',
    },
  });
  expect(outcome.error!.message).toMatch(/^certificate cert-\d+ not read: vault kv-a: /);
  expect(outcome.certificates).toHaveLength(29);
});

test('a vault that denies every read stops trying after ten in a row, instead of asking for each certificate', async () => {
  const { outcome, calls } = await runWith([
    { kind: 'denied', service: 'azure-keyvault', action: 'GetCertificate', scope: 'kv-a' },
  ]);
  expect(outcome).toMatchObject({ status: 'failed', error: { code: 'ForbiddenByRbac', operation: 'GetCertificate' } });
  expect(outcome.error!.message).toMatch(
    /^stopped after \d+ items in a row could not be read; the last, certificate cert-\d+: vault kv-a: /,
  );
  // Ten failed, and at most the reads already in flight then (8 at once) besides.
  expect(calls.filter((c) => c.action === 'GetCertificate' && c.scope === 'kv-a').length).toBeLessThanOrEqual(18);
});

test('dropped connections, malformed and truncated bodies are retried transparently', async () => {
  complete((await runWith([{ kind: 'drop', service: 'azure-keyvault', action: 'GetCertificates', count: 1 }])).outcome);
  complete(
    (await runWith([{ kind: 'malformed', service: 'azure-keyvault', action: 'GetCertificates', count: 1 }])).outcome,
  );
  complete(
    (await runWith([{ kind: 'truncate', service: 'azure-keyvault', action: 'GetCertificate', count: 2 }])).outcome,
  );
  complete(
    (await runWith([{ kind: 'malformed', service: 'azure-arm', action: 'Subscriptions_List', count: 1 }])).outcome,
  );
});

test('a body that stays malformed fails the vault as unparseable', async () => {
  const { outcome } = await runWith([{ kind: 'malformed', service: 'azure-keyvault', action: 'GetCertificates' }]);
  expect(outcome).toMatchObject({ status: 'failed', error: { code: 'PARSE_ERROR', operation: 'GetCertificates' } });
});

test('a slow answer times out (timeoutMs) and is asked again', async () => {
  const gets = (calls: CallRecord[]) => calls.filter((c) => c.action === 'GetCertificate').length;
  const plain = gets((await runWith([])).calls);
  const { outcome, calls } = await runWith(
    [{ kind: 'slow', service: 'azure-keyvault', action: 'GetCertificate', count: 1, delayMs: 1500 }],
    { timeoutMs: 250 },
  );
  complete(outcome);
  // Without the timeout the held-back answer would simply arrive: no read would be asked twice.
  expect(calls.find((c) => c.fault === 'slow')).toBeDefined();
  expect(gets(calls)).toBe(plain + 1);
});

test('an expired token fails the vault (Key Vault) or the subscription (ARM) with the 401 reason', async () => {
  // A token from the environment cannot be renewed, so a 401 is not retried: the scope says why.
  const kv = await runWith([{ kind: 'expired-token', service: 'azure-keyvault', action: 'GetCertificate', after: 5 }]);
  // The five read before it are kept.
  expect(kv.outcome).toMatchObject({ status: 'partial', error: { code: 'Unauthorized', operation: 'GetCertificate' } });
  expect(kv.outcome.certificates).toHaveLength(5);
  expect(kv.outcome.error!.message).toMatch(
    /^stopped after \d+ items in a row could not be read; the last, certificate cert-\d+: vault kv-a: \[TokenExpired\]/,
  );
  const { outcome } = await runWith([
    { kind: 'expired-token', service: 'azure-arm', action: 'Vaults_ListBySubscription' },
  ]);
  expect(outcome).toMatchObject({
    account: SUB_A,
    location: '*',
    status: 'failed',
    error: { code: 'ExpiredAuthenticationToken', operation: 'Vaults_ListBySubscription' },
  });
  expect(outcome.error!.message).toMatch(new RegExp(`^subscription ${SUB_A}: The access token expiry`));
});

test('a token the services reject: 401 names the reason, never the token', async () => {
  process.env[TOKEN_ENV] = 'wrong-token-value-123';
  try {
    const { outcome, rest } = await runWith([]);
    expect(rest).toEqual([]);
    expect(outcome).toMatchObject({
      account: '*',
      location: '*',
      status: 'failed',
      error: { code: 'InvalidAuthenticationToken', operation: 'Subscriptions_List' },
    });
    expect(JSON.stringify(outcome)).not.toContain('wrong-token-value-123');
    delete process.env[TOKEN_ENV];
    const unset = await runWith([]);
    expect(unset.outcome.error).toMatchObject({ code: 'CredentialUnavailable' });
    expect(unset.outcome.error!.message).toContain(TOKEN_ENV);
  } finally {
    process.env[TOKEN_ENV] = TOKEN;
  }
});

test('a certificate denied by a fault is missing alone, with the RBAC reason', async () => {
  const { outcome } = await runWith([
    { kind: 'denied', service: 'azure-keyvault', action: 'GetCertificate', after: 3, count: 1 },
  ]);
  expect(outcome).toMatchObject({ status: 'partial', error: { code: 'ForbiddenByRbac', operation: 'GetCertificate' } });
  expect(outcome.error!.message).toContain('vault kv-a');
  expect(outcome.certificates).toHaveLength(29);
});

test('a next link that repeats stops the listing with a clear error', async () => {
  const kv = await runWith([{ kind: 'loop-paging', service: 'azure-keyvault', action: 'GetCertificates' }]);
  // What the pages before the loop held is kept.
  expect(kv.outcome).toMatchObject({ status: 'partial', error: { code: 'PagingLoop', operation: 'GetCertificates' } });
  expect(kv.outcome.error!.message).toMatch(
    /^vault kv-a: GetCertificates returned a next page it had already returned \(\/.*\); stopped instead of looping$/,
  );
  expect(kv.calls.filter((c) => c.action === 'GetCertificates' && c.status === 200).length).toBeLessThanOrEqual(3);
  const arm = await runWith([{ kind: 'loop-paging', service: 'azure-arm', action: 'Vaults_ListBySubscription' }]);
  expect(arm.outcome).toMatchObject({ location: '*', status: 'failed', error: { code: 'PagingLoop' } });
  const subs = await runWith([{ kind: 'loop-paging', service: 'azure-arm', action: 'Subscriptions_List' }]);
  expect(subs.outcome).toMatchObject({
    account: '*',
    status: 'failed',
    error: { code: 'PagingLoop', operation: 'Subscriptions_List' },
  });
});

test('endless paging stops at maxPages', async () => {
  const { outcome } = await runWith(
    [{ kind: 'endless-paging', service: 'azure-keyvault', action: 'GetCertificates' }],
    { maxPages: 4 },
  );
  expect(outcome).toMatchObject({ status: 'partial', error: { code: 'PagingLimit' } });
  expect(outcome.certificates).toHaveLength(30); // what was read before the stop is kept
});

test('server-side rate limits answered with 429 slow the run down but lose nothing', async () => {
  h.sim.calls.length = 0;
  h.sim.configure({ rateLimits: { 'azure-keyvault:vault-transactions': { perSecond: 50, burst: 5 } } });
  // Attempts enough to outlast the bucket however late a loaded machine sends the reads.
  const [outcome] = await h.run({ maxAttempts: 10 });
  complete(outcome);
  expect(h.sim.calls.some((c) => c.status === 429)).toBe(true);
});
