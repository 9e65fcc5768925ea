/**
 * A small estate for the fault suite: two audited AWS accounts (reached by roles from an
 * auditor account) in two regions with ACM, ELBv2 and IAM, two Azure subscriptions with three
 * vaults, and a folder of certificate files. Pages are small, so every listing spans several
 * pages and the paging faults have something to bite on. `audit()` runs the real `runAudit`.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAudit } from '../../src/cli/audit.js';
import { parseConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import type { Binding, Certificate, ScopeResult } from '../../src/model/types.js';
import type { Report } from '../../src/report/json.js';
import { startSimulator, type Scenario, type Simulator } from '../../src/sim/index.js';
import { writeScenarioFiles } from '../../src/sim/files.js';
import { useSimulatorCredentials } from '../../src/sim/credentials.js';
import type { SimOptions } from '../../src/sim/types.js';

export const NOW = new Date('2026-05-01T00:00:00Z');
export const AUDITOR = '111111111111';
export const PROD = '222222222222';
export const DEV = '333333333333';
export const SUB_A = '9d0f0c1e-0000-4000-8000-00000000000a';
export const SUB_B = '9d0f0c1e-0000-4000-8000-00000000000b';
export const KEY = { id: 'AKIARELIABILITY00001', secret: 'reliability-secret-opens-only-the-sim000' };
export const TOKEN_ENV = 'CERTWARDEN_RELIABILITY_AZURE_TOKEN';
export const TOKEN = 'reliability-token-opens-only-the-sim';

export const quiet = { info() {}, warn() {}, debug() {} };

export function scenario(): Scenario {
  return {
    aws: {
      pageLimits: { acm: 2, elbv2: 1, iam: 1, organizations: 20 },
      organization: { managementAccount: AUDITOR },
      accounts: [
        { id: AUDITOR, accessKeys: [{ id: KEY.id, secret: KEY.secret }], regions: { 'us-east-1': {} } },
        {
          id: PROD,
          roles: [{ name: 'certwarden-audit', externalId: 'ext-prod', trustedAccounts: [AUDITOR] }],
          iamServerCertificates: [
            { name: 'legacy-a', cn: 'legacy-a.example.com', expiresInDays: 40 },
            { name: 'legacy-b', path: '/old/', cn: 'legacy-b.example.com', expiresInDays: -3 },
          ],
          regions: {
            'us-east-1': {
              certificates: [
                {
                  name: 'www',
                  cn: 'www.example.com',
                  sans: ['www.example.com', 'example.com'],
                  expiresInDays: 20,
                  tags: { team: 'web' },
                },
                {
                  name: 'api',
                  cn: 'api.example.com',
                  key: 'ec-p256',
                  type: 'AMAZON_ISSUED',
                  expiresInDays: 300,
                  renewal: { status: 'SUCCESS' },
                },
                { name: 'old', cn: 'old.example.com', key: 'rsa-1024', signature: 'sha1', expiresInDays: -5 },
                { name: 'bulk-{i}', cn: 'bulk{i}.example.com', repeat: 3 },
              ],
              loadBalancers: [
                { name: 'web', listeners: [{ protocol: 'HTTPS', port: 443, certificate: 'www', sni: ['api'] }] },
                {
                  name: 'legacy',
                  scheme: 'internal',
                  listeners: [{ protocol: 'HTTPS', port: 8443, certificate: 'old' }],
                },
              ],
            },
            'eu-west-1': {
              certificates: [{ name: 'eu', cn: 'eu.example.com', key: 'ec-p384', expiresInDays: 60 }],
              loadBalancers: [
                { name: 'eu-{i}', repeat: 2, listeners: [{ protocol: 'HTTPS', port: 443, certificate: 'eu' }] },
              ],
            },
          },
        },
        {
          id: DEV,
          roles: [{ name: 'certwarden-audit', trustedAccounts: [AUDITOR] }],
          iamServerCertificates: [{ name: 'dev-legacy', cn: 'dev-legacy.example.com' }],
          regions: {
            'us-east-1': {
              certificates: [{ name: 'dev-{i}', cn: 'dev{i}.example.com', expiresInDays: 5, repeat: 3 }],
              loadBalancers: [{ name: 'dev', listeners: [{ protocol: 'HTTPS', port: 443, certificate: 'dev-1' }] }],
            },
            'eu-west-1': { certificates: [{ name: 'dev-eu', cn: 'dev-eu.example.com' }] },
          },
        },
      ],
    },
    azure: {
      token: TOKEN,
      // Retry-After: 0 keeps throttling storms fast; the wait itself is tested with the provider.
      retryAfterSeconds: 0,
      pageSize: { subscriptions: 1, vaults: 1 },
      subscriptions: [
        {
          id: SUB_A,
          displayName: 'A',
          vaults: [
            {
              name: 'kv-a',
              generate: { count: 30, template: { cn: 'a{i}.example.com', key: 'ec-p256', tags: { app: 'a' } } },
            },
            {
              name: 'kv-b',
              certificates: [
                { name: 'pay', cn: 'pay.example.com', expiresInDays: 9 },
                { name: 'shop', cn: 'shop.example.com', key: 'ec-p384' },
              ],
            },
          ],
          // The services that bind Key Vault certificates, so their providers have something to read.
          appGateways: [
            {
              name: 'agw-a',
              listeners: [{ name: 'pay-https', hostNames: ['pay.example.com'], certificate: 'kv-b/pay' }],
            },
          ],
          webCertificates: [
            {
              name: 'shop-cert',
              certificate: 'kv-b/shop',
              sites: [{ name: 'app-shop', hostNames: ['shop.example.com'] }],
            },
          ],
          frontDoors: [
            {
              name: 'fd-a',
              secrets: [{ name: 'tools', certificate: 'kv-c/tools' }],
              domains: [{ name: 'tools', hostName: 'tools.example.dev', secret: 'tools' }],
            },
          ],
        },
        {
          id: SUB_B,
          displayName: 'B',
          vaults: [
            {
              name: 'kv-c',
              certificates: [
                { name: 'tools', cn: 'tools.example.dev' },
                { name: 'lab', cn: 'lab.example.dev', selfSigned: true },
              ],
            },
          ],
        },
      ],
    },
    files: {
      'web/www.pem': { cn: 'www.example.com', chain: true },
      'legacy/vpn.der': { cn: 'vpn.example.com', key: 'rsa-1024', der: true },
    },
  };
}

export interface Estate {
  sim: Simulator;
  certDir: string;
  /** The config a user would write for this estate, with short retries and timeouts. */
  config(over?: { aws?: Record<string, unknown>; azure?: Record<string, unknown> }): Config;
  /** A full audit through `runAudit` with these simulator options. */
  audit(options?: SimOptions, over?: Parameters<Estate['config']>[0]): Promise<{ report: Report; ms: number }>;
  close(): Promise<void>;
}

export function useCredentials(): void {
  useSimulatorCredentials(KEY, TOKEN_ENV, TOKEN);
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
}

export function estateConfigJson(
  url: string,
  certDir: string,
  over: { aws?: Record<string, unknown>; azure?: Record<string, unknown> } = {},
) {
  return {
    providers: {
      files: { paths: [certDir] },
      aws: {
        endpoint: url,
        regions: ['us-east-1', 'eu-west-1'],
        accounts: [
          { roleArn: `arn:aws:iam::${PROD}:role/certwarden-audit`, externalId: 'ext-prod' },
          { roleArn: `arn:aws:iam::${DEV}:role/certwarden-audit` },
        ],
        maxAttempts: 3,
        retryDelayMs: 5,
        timeoutMs: 2000,
        maxPages: 40,
        ...over.aws,
      },
      azure: {
        cloud: { resourceManager: url },
        credential: { type: 'token', env: TOKEN_ENV },
        subscriptions: ['all'],
        maxAttempts: 3,
        timeoutMs: 2000,
        maxPages: 40,
        ...over.azure,
      },
    },
  };
}

export async function startEstate(s: Scenario = scenario()): Promise<Estate> {
  useCredentials();
  const sim = await startSimulator(s, { now: NOW });
  const certDir = mkdtempSync(join(tmpdir(), 'cw-reliability-'));
  writeScenarioFiles(certDir, s.files ?? {}, sim.ca, NOW);
  const config = (over = {}) => parseConfig(JSON.stringify(estateConfigJson(sim.server.url, certDir, over)), 'estate');
  return {
    sim,
    certDir,
    config,
    async audit(options = {}, over = {}) {
      sim.server.configure(options);
      const started = Date.now();
      const { report } = await runAudit({ config: config(over), now: NOW, log: quiet });
      return { report, ms: Date.now() - started };
    },
    close: () => sim.server.close(),
  };
}

export const scopeKey = (s: { provider: string; account: string; location: string }) =>
  `${s.provider} ${s.account}/${s.location}`;

/**
 * What a scope collected, as comparable text: its certificates and bindings in full, except the
 * link to a certificate and a binding's owner (which comes from its certificate's tags when it
 * has none of its own): both depend on other scopes having completed.
 */
export function recordsOf(report: Report, scope: ScopeResult): string[] {
  const mine = (r: Certificate | Binding) =>
    r.provider === scope.provider && r.account === scope.account && r.location === scope.location;
  const digest = (r: unknown) => createHash('sha256').update(JSON.stringify(r)).digest('hex').slice(0, 16);
  const certs = report.certificates
    .filter(mine)
    .map((c) => `${c.uid} ${c.fingerprintSha256 ?? c.parseError} ${digest(c)}`);
  const binds = report.bindings
    .filter(mine)
    .map(({ certificateUid: _linked, owner: _owner, ...b }) => `${b.uid} ${digest(b)}`);
  return [...certs, ...binds].sort();
}

/** Whether `part` says nothing `whole` does not: equal, or an object whose every field is part of the same field of `whole`. */
export function isPart(part: unknown, whole: unknown): boolean {
  if (part === whole) return true;
  if (
    !part ||
    !whole ||
    typeof part !== 'object' ||
    typeof whole !== 'object' ||
    Array.isArray(part) ||
    Array.isArray(whole)
  )
    return JSON.stringify(part) === JSON.stringify(whole);
  return Object.entries(part).every(([k, v]) => isPart(v, (whole as Record<string, unknown>)[k]));
}

/**
 * What is wrong with a scope's records against a fault-free run's, as text (none: []). Each record
 * must be the fault-free one, less at most what the enrichments it names in `unread` fill in;
 * a scope that lost only enrichments (or nothing) must hold every fault-free record.
 */
export function recordProblems(report: Report, free: Report, scope: ScopeResult): string[] {
  const mine = (r: Certificate | Binding) =>
    r.provider === scope.provider && r.account === scope.account && r.location === scope.location;
  // A binding's owner may come from its certificate's tags, in another scope.
  const plain = (r: Certificate | Binding) => ({
    ...r,
    certificateUid: undefined,
    unread: undefined,
    ...(r.kind === 'binding' ? { owner: undefined } : {}),
  });
  const before = new Map([...free.certificates, ...free.bindings].filter(mine).map((r) => [r.uid, plain(r)]));
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const r of [...report.certificates, ...report.bindings].filter(mine)) {
    seen.add(r.uid);
    const was = before.get(r.uid);
    if (!was) problems.push(`${r.uid}: not in the fault-free run`);
    else if (r.unread?.length ? !isPart(plain(r), was) : JSON.stringify(plain(r)) !== JSON.stringify(was))
      problems.push(`${r.uid}: differs${r.unread ? ` beyond ${r.unread.join(', ')}` : ''}`);
    for (const e of r.unread ?? [])
      if (![scope.error, ...(scope.errors ?? [])].some((x) => x?.enrichment === e))
        problems.push(`${r.uid}: lacks ${e}, which the scope does not name`);
  }
  const onlyEnrichments = scope.status === 'ok' || [scope.error, ...(scope.errors ?? [])].every((e) => e?.enrichment);
  if (onlyEnrichments)
    for (const uid of before.keys())
      if (!seen.has(uid)) problems.push(`${uid}: missing, though the scope lost no record`);
  return problems;
}
