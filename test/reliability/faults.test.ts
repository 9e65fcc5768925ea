/**
 * Full audits (every provider: files, ACM, ELBv2, IAM, Key Vault) of one estate while the
 * simulator misbehaves. For every fault: the run ends within a bound, every scope the fault did
 * not touch is complete and identical to a fault-free run, the touched scope is named with the
 * service's code and a reason, and the exit code says the run is incomplete (3).
 */
import { exitCode } from '../../src/cli/audit.js';
import { summaryText } from '../../src/cli/summary.js';
import type { ScopeResult } from '../../src/model/types.js';
import type { Report } from '../../src/report/json.js';
import type { FaultRule } from '../../src/sim/types.js';
import { DEV, PROD, SUB_A, SUB_B, recordProblems, recordsOf, scopeKey, startEstate, type Estate } from './estate.js';

let estate: Estate;
let baseline: Report;
const expected = new Map<string, string[]>();

beforeAll(async () => {
  estate = await startEstate();
  baseline = (await estate.audit()).report;
  for (const s of baseline.scopes) expected.set(scopeKey(s), recordsOf(baseline, s));
}, 60_000);
afterAll(() => estate.close());

test('the fault-free run is complete and covers every provider', () => {
  expect(baseline.scopes.filter((s) => s.status !== 'ok')).toEqual([]);
  expect([...new Set(baseline.scopes.map((s) => s.provider))]).toEqual(
    expect.arrayContaining(['files', 'aws-acm', 'aws-elbv2', 'aws-iam', 'azure-keyvault']),
  );
  expect(baseline.scopes.length).toBeGreaterThanOrEqual(14);
  expect(baseline.certificates.length).toBe(50);
  expect(exitCode(baseline, 'none')).toBe(0);
});

/**
 * The promise, checked scope by scope: a scope that completed holds exactly what it holds in a
 * fault-free run; a scope that did not is one the fault could reach, with the expected code; every
 * scope the fault could not reach completed.
 */
function checkRun(
  report: Report,
  c: { reach?: RegExp; code?: RegExp; operation?: RegExp; mention?: (s: ScopeResult) => RegExp; enrichment?: string },
) {
  const byKey = new Map(report.scopes.map((s) => [scopeKey(s), s]));
  for (const s of report.scopes) {
    const key = scopeKey(s);
    if (s.status === 'ok') {
      expect([key, recordsOf(report, s)]).toEqual([key, expected.get(key)]);
      continue;
    }
    // Printed with its error, so an unexpected failure says why.
    expect({ key, error: s.error }).toEqual({ key: expect.stringMatching(c.reach ?? /^$/), error: s.error });
    expect(s.error?.code).toMatch(c.code!);
    if (c.operation) expect(s.error?.operation).toMatch(c.operation);
    if (c.mention) expect(s.error?.message).toMatch(c.mention(s));
    // An enrichment lost keeps every record: the scope is partial, naming it.
    if (c.enrichment) expect(s).toMatchObject({ status: 'partial', error: { enrichment: c.enrichment } });
    // A partial scope keeps what it read, and only what a fault-free run also has: a record that
    // lost an enrichment lacks only what that gives, and one that lost only enrichments lacks no record.
    expect([key, recordProblems(report, baseline, s)]).toEqual([key, []]);
    // The person reading the summary sees where, what and why on one line.
    const line = summaryText(report)
      .split('\n')
      .find((l) => l.includes(`${s.provider} ${s.account}/${s.location}:`));
    expect(line).toContain(s.error!.code);
    if (s.error?.operation) expect(line).toContain(s.error.operation);
  }
  for (const key of expected.keys())
    if (!c.reach?.test(key)) expect([key, byKey.get(key)?.status]).toEqual([key, 'ok']);
}

const PROD_USE1 = `${PROD}/us-east-1`;
const vault = (s: ScopeResult) => new RegExp(`vault ${s.location}\\b`);
const subscription = (s: ScopeResult) => new RegExp(`subscription ${s.account}`);

interface Case {
  faults: FaultRule[];
  /** Scopes the fault may fail (provider account/location). */
  reach: RegExp;
  code: RegExp;
  operation?: RegExp;
  mention?: (s: ScopeResult) => RegExp;
  enrichment?: string;
  over?: Parameters<Estate['audit']>[1];
  maxMs?: number;
}

// Each fault aimed at one scope (or one account / one vault), in the service's own shape.
const CASES: Record<string, Case> = {
  'ACM throttling that never lets up': {
    faults: [{ kind: 'throttle', service: 'acm', scope: PROD_USE1 }],
    reach: /^aws-acm 222222222222\/us-east-1$/,
    code: /^ThrottlingException$/,
    operation: /^ListCertificates$/,
  },
  'ELBv2 throttling that never lets up': {
    faults: [{ kind: 'throttle', service: 'elbv2', scope: `${DEV}/us-east-1` }],
    reach: /^aws-elbv2 333333333333\/us-east-1$/,
    code: /^Throttling$/,
    operation: /^DescribeLoadBalancers$/,
  },
  'Key Vault 429 on every read of one vault': {
    faults: [{ kind: 'throttle', service: 'azure-keyvault', scope: 'kv-b' }],
    reach: /^azure-keyvault .*\/kv-b$/,
    code: /^Throttled$/,
    mention: vault,
  },
  'ACM 5xx on every DescribeCertificate': {
    faults: [{ kind: 'server-error', service: 'acm', action: 'DescribeCertificate', scope: PROD_USE1 }],
    reach: /^aws-acm 222222222222\/us-east-1$/,
    code: /^InternalFailure$/,
    operation: /^DescribeCertificate$/,
    enrichment: 'acm-detail',
  },
  'IAM 5xx on GetServerCertificate': {
    faults: [{ kind: 'server-error', service: 'iam', action: 'GetServerCertificate', scope: `${PROD}/*` }],
    reach: /^aws-iam 222222222222\/global$/,
    code: /^ServiceFailure$/,
    operation: /^GetServerCertificate$/,
  },
  'Key Vault 500 on one vault': {
    faults: [{ kind: 'server-error', service: 'azure-keyvault', action: 'GetCertificate', scope: 'kv-b' }],
    reach: /^azure-keyvault .*\/kv-b$/,
    code: /^InternalServerError$/,
    operation: /^GetCertificate$/,
    mention: vault,
  },
  'connections reset on ELBv2': {
    faults: [{ kind: 'drop', service: 'elbv2', scope: `${PROD}/eu-west-1` }],
    reach: /^aws-elbv2 222222222222\/eu-west-1$/,
    code: /^ECONNRESET$/,
    operation: /^DescribeLoadBalancers$/,
  },
  'connections reset on one vault': {
    faults: [{ kind: 'drop', service: 'azure-keyvault', scope: 'kv-c' }],
    reach: /^azure-keyvault .*\/kv-c$/,
    code: /^ECONNRESET$|^REQUEST_SEND_ERROR$/,
    mention: vault,
  },
  'ACM answers slower than the timeout': {
    faults: [{ kind: 'slow', service: 'acm', action: 'GetCertificate', scope: `${DEV}/us-east-1`, delayMs: 6000 }],
    reach: /^aws-acm 333333333333\/us-east-1$/,
    code: /^(ETIMEDOUT|TimeoutError|RequestTimeout)$/,
    operation: /^GetCertificate$/,
  },
  'Key Vault answers slower than the timeout': {
    faults: [{ kind: 'slow', service: 'azure-keyvault', action: 'GetCertificates', scope: 'kv-c', delayMs: 6000 }],
    reach: /^azure-keyvault .*\/kv-c$/,
    code: /^ETIMEDOUT$/,
    operation: /^GetCertificates$/,
    mention: vault,
  },
  'malformed ACM JSON': {
    faults: [{ kind: 'malformed', service: 'acm', action: 'ListCertificates', scope: `${PROD}/eu-west-1` }],
    reach: /^aws-acm 222222222222\/eu-west-1$/,
    code: /^MalformedResponse$/,
    operation: /^ListCertificates$/,
  },
  'malformed ELBv2 XML': {
    faults: [{ kind: 'malformed', service: 'elbv2', action: 'DescribeListeners', scope: PROD_USE1 }],
    reach: /^aws-elbv2 222222222222\/us-east-1$/,
    code: /^MalformedResponse$/,
    operation: /^DescribeListeners$/,
  },
  'truncated IAM XML': {
    faults: [{ kind: 'truncate', service: 'iam', action: 'ListServerCertificates', scope: `${DEV}/*` }],
    reach: /^aws-iam 333333333333\/global$/,
    code: /^MalformedResponse$/,
    operation: /^ListServerCertificates$/,
  },
  'malformed Key Vault JSON': {
    faults: [{ kind: 'malformed', service: 'azure-keyvault', action: 'GetCertificates', scope: 'kv-a' }],
    reach: /^azure-keyvault .*\/kv-a$/,
    code: /^PARSE_ERROR$/,
    operation: /^GetCertificates$/,
    mention: vault,
  },
  'truncated ARM vault list': {
    faults: [{ kind: 'truncate', service: 'azure-arm', action: 'Vaults_ListBySubscription', scope: SUB_B }],
    reach: new RegExp(`^azure-keyvault ${SUB_B}/`),
    code: /^PARSE_ERROR$/,
    operation: /^Vaults_ListBySubscription$/,
    mention: subscription,
  },
  'ACM NextToken that loops': {
    faults: [{ kind: 'loop-paging', service: 'acm', action: 'ListCertificates', scope: PROD_USE1 }],
    reach: /^aws-acm 222222222222\/us-east-1$/,
    code: /^PagingLoop$/,
    operation: /^ListCertificates$/,
  },
  'ELBv2 Marker that loops': {
    faults: [{ kind: 'loop-paging', service: 'elbv2', action: 'DescribeLoadBalancers', scope: PROD_USE1 }],
    reach: /^aws-elbv2 222222222222\/us-east-1$/,
    code: /^PagingLoop$/,
    operation: /^DescribeLoadBalancers$/,
  },
  'IAM Marker that loops': {
    faults: [{ kind: 'loop-paging', service: 'iam', action: 'ListServerCertificates', scope: `${PROD}/*` }],
    reach: /^aws-iam 222222222222\/global$/,
    code: /^PagingLoop$/,
    operation: /^ListServerCertificates$/,
  },
  'Key Vault nextLink that loops': {
    faults: [{ kind: 'loop-paging', service: 'azure-keyvault', action: 'GetCertificates', scope: 'kv-a' }],
    reach: /^azure-keyvault .*\/kv-a$/,
    code: /^PagingLoop$/,
    operation: /^GetCertificates$/,
    mention: vault,
  },
  'ARM nextLink that loops': {
    faults: [{ kind: 'loop-paging', service: 'azure-arm', action: 'Vaults_ListBySubscription', scope: SUB_A }],
    reach: new RegExp(`^azure-keyvault ${SUB_A}/`),
    code: /^PagingLoop$/,
    operation: /^Vaults_ListBySubscription$/,
    mention: subscription,
  },
  'an ACM listing that never ends': {
    faults: [{ kind: 'endless-paging', service: 'acm', action: 'ListCertificates', scope: PROD_USE1 }],
    reach: /^aws-acm 222222222222\/us-east-1$/,
    code: /^PagingLimit$/,
    operation: /^ListCertificates$/,
    over: { aws: { maxPages: 12 } },
  },
  'a Key Vault listing that never ends': {
    faults: [{ kind: 'endless-paging', service: 'azure-keyvault', action: 'GetCertificates', scope: 'kv-b' }],
    reach: /^azure-keyvault .*\/kv-b$/,
    code: /^PagingLimit$/,
    operation: /^GetCertificates$/,
    mention: vault,
    over: { azure: { maxPages: 12 } },
  },
  'AWS credentials of one account expire mid-run': {
    faults: [{ kind: 'expired-token', scope: `${PROD}/*`, after: 8 }],
    reach: /^aws-(acm|elbv2|iam) 222222222222\//,
    code: /^ExpiredToken(Exception)?$/,
  },
  'the Azure token expires mid-run (Key Vault 401 after a good start)': {
    faults: [{ kind: 'expired-token', service: 'azure-keyvault', after: 6 }],
    reach: /^azure-keyvault /,
    code: /^Unauthorized$/,
    mention: vault,
  },
  'the Azure token expires mid-run (ARM 401 after a good start)': {
    faults: [{ kind: 'expired-token', service: 'azure-arm', action: 'Vaults_ListBySubscription', after: 1 }],
    // A subscription whose vault list fails has no vault scopes at all: its vaults are absent, the subscription failed.
    reach: /^azure-keyvault /,
    code: /^ExpiredAuthenticationToken$/,
    operation: /^Vaults_ListBySubscription$/,
    mention: subscription,
  },
  'Application Gateway list fails with 5xx': {
    faults: [{ kind: 'server-error', service: 'azure-arm', action: 'ApplicationGateways_ListAll', scope: SUB_A }],
    reach: new RegExp(`^azure-appgateway ${SUB_A}/`),
    code: /^InternalServerError$/,
    operation: /^ApplicationGateways_ListAll$/,
    mention: subscription,
  },
  'Front Door secrets nextLink that loops': {
    faults: [{ kind: 'loop-paging', service: 'azure-arm', action: 'Secrets_ListByProfile', scope: SUB_A }],
    reach: new RegExp(`^azure-frontdoor ${SUB_A}/`),
    code: /^PagingLoop$/,
    operation: /^Secrets_ListByProfile$/,
    mention: subscription,
  },
  'one AWS account denies everything': {
    faults: [{ kind: 'denied', scope: `${DEV}/*` }],
    reach: /^aws-(acm|elbv2|iam) 333333333333\//,
    code: /^AccessDenied(Exception)?$/,
  },
  'one vault denies access': {
    faults: [{ kind: 'denied', service: 'azure-keyvault', scope: 'kv-c' }],
    reach: /^azure-keyvault .*\/kv-c$/,
    code: /^ForbiddenByRbac$/,
    operation: /^GetCertificates$/,
    mention: vault,
  },
};

test.each(Object.entries(CASES))('%s: healthy scopes identical, the faulty one named, exit 3', async (_name, c) => {
  const { report, ms } = await estate.audit({ faults: c.faults, seed: 7 }, c.over);
  expect(ms).toBeLessThan(c.maxMs ?? 15_000);
  expect(report.scopes.filter((s) => s.status !== 'ok').length).toBeGreaterThan(0);
  checkRun(report, c);
  expect(exitCode(report, 'none')).toBe(3);
});

// Storms that a patient client survives: every call may fail, none fails maxAttempts times in a row.
const STORMS: Record<string, FaultRule[]> = {
  'a throttling storm on every service': [{ kind: 'throttle', rate: 0.2 }],
  'a burst of 5xx on every service': [{ kind: 'server-error', rate: 0.2 }],
  'connections reset at random': [{ kind: 'drop', rate: 0.15 }],
  'truncated bodies at random': [{ kind: 'truncate', rate: 0.15 }],
};

test.each(Object.entries(STORMS))('%s: retried away, nothing lost, exit 0', async (_name, faults) => {
  const { report, ms } = await estate.audit(
    { faults, seed: 11 },
    { aws: { maxAttempts: 9 }, azure: { maxAttempts: 9 } },
  );
  expect(ms).toBeLessThan(30_000);
  expect(estate.sim.server.calls.some((call) => call.fault)).toBe(true);
  checkRun(report, {});
  expect(exitCode(report, 'none')).toBe(0);
});
