/**
 * TLS endpoints end to end: real handshakes with local TLS servers on loopback, joined to an
 * inventory read from the AWS simulator through the real SDK clients. Covers a renewal that was
 * never deployed, a leaf sent without its intermediate, a name the certificate does not cover,
 * a refused port and a server that never answers the handshake.
 */
import { awsAcm } from '../../providers/aws-acm/index.js';
import { awsElbv2 } from '../../providers/aws-elbv2/index.js';
import { tlsEndpoint } from '../../providers/tls-endpoint/index.js';
import { audit, type AuditResult } from '../../src/engine/runtime/audit.js';
import { activeRules } from '../../src/config/load.js';
import { configSchema } from '../../src/config/schema.js';
import { RULES } from '../../rules/index.js';
import { ScenarioCa } from '../../src/sim/template.js';
import {
  refusedPort,
  siteFromTemplate,
  startStalledServer,
  startTlsServer,
  type LocalTlsServer,
} from '../../src/sim/tls.js';
import type { AwsScenario } from '../../src/sim/aws/index.js';
import { AUDIT, awsConfig, KEY, NOW, PROD, startAws, useAuditorKeys, type Sim } from './aws-fixture.js';

const quiet = { info() {}, warn() {}, debug() {} };
const TIMEOUT = 800;

/** ACM holds this year's shop.example.com certificate and the live shop listener binds it. */
function estate(): AwsScenario {
  return {
    accounts: [
      { id: AUDIT, accessKeys: [{ id: KEY.id, secret: KEY.secret }], regions: { 'us-east-1': {} } },
      {
        id: PROD,
        roles: [{ name: 'certwarden-audit', externalId: 'cw-ext-1' }],
        regions: {
          'us-east-1': {
            certificates: [{ name: 'shop', cn: 'shop.example.com', expiresInDays: 300 }],
            loadBalancers: [{ name: 'shop', listeners: [{ protocol: 'HTTPS', port: 443, certificate: 'shop' }] }],
          },
        },
      },
    ],
  };
}

let sim: Sim;
let site: LocalTlsServer;
let stalled: LocalTlsServer;
let refused: number;
let result: AuditResult;
let elapsed: number;

beforeAll(async () => {
  useAuditorKeys();
  sim = await startAws({}, estate());
  const ca = new ScenarioCa(NOW);
  // One port, three names: the first site also answers names nobody claims.
  site = await startTlsServer([
    siteFromTemplate(ca, { cn: 'legacy.example.org' }, NOW, ['legacy.example.org']),
    siteFromTemplate(ca, { cn: 'shop.example.com', expiresInDays: 9 }, NOW, ['shop.example.com']),
    siteFromTemplate(ca, { cn: 'bare.example.org' }, NOW, ['bare.example.org'], 'none'),
  ]);
  stalled = await startStalledServer();
  refused = await refusedPort();
  const base = awsConfig(sim.server.url, {
    regions: ['us-east-1'],
    accounts: [{ roleArn: `arn:aws:iam::${PROD}:role/certwarden-audit`, externalId: 'cw-ext-1' }],
  });
  const config = configSchema.parse({
    providers: {
      aws: base.providers.aws,
      tls: {
        timeoutMs: TIMEOUT,
        endpoints: [
          { host: '127.0.0.1', port: site.port, servername: 'shop.example.com' },
          { host: '127.0.0.1', port: site.port, servername: 'bare.example.org' },
          { host: '127.0.0.1', port: site.port, servername: 'billing.example.org' },
          `127.0.0.1:${refused}`,
          { host: '127.0.0.1', port: stalled.port, servername: 'slow.example.org' },
        ],
      },
    },
  });
  const started = Date.now();
  result = await audit({
    config,
    providers: [awsAcm, awsElbv2, tlsEndpoint],
    rules: activeRules(config, RULES),
    now: NOW,
    log: quiet,
  });
  elapsed = Date.now() - started;
});
afterAll(async () => {
  await Promise.all([site.close(), stalled.close(), sim.server.close()]);
});

const at = (name: string) => `127.0.0.1:${site.port}/${name}`;
const findings = (rule: string) => result.findings.filter((f) => f.ruleId === rule);

test('one scope per endpoint; the refused port and the silent server fail alone, with their reasons, within the timeout', () => {
  const tls = result.inventory.scopes
    .filter((s) => s.provider === 'tls-endpoint')
    .map((s) => `${s.location} ${s.status} ${s.error?.code ?? ''}`)
    .sort();
  expect(tls).toEqual(
    [
      `${at('bare.example.org')} ok `,
      `${at('billing.example.org')} ok `,
      `${at('shop.example.com')} ok `,
      `127.0.0.1:${refused}/127.0.0.1 failed ECONNREFUSED`,
      `127.0.0.1:${stalled.port}/slow.example.org failed Timeout`,
    ].sort(),
  );
  const slow = result.inventory.scopes.find((s) => s.location.endsWith('slow.example.org'))!;
  expect(slow.error!.message).toBe(`no TLS handshake with 127.0.0.1:${stalled.port} within ${TIMEOUT} ms`);
  expect(result.inventory.scopes.find((s) => s.error?.code === 'ECONNREFUSED')!.error!.message).toBe(
    `connection refused by 127.0.0.1:${refused}`,
  );
  expect(elapsed).toBeLessThan(TIMEOUT + 10_000);
});

test('the served certificate and chain are recorded, with an endpoint binding that links to it', () => {
  const binding = result.inventory.bindings.find((b) => b.uid === `tls-endpoint:${at('shop.example.com')}#endpoint`)!;
  expect(binding).toMatchObject({
    type: 'endpoint',
    resource: `127.0.0.1:${site.port}`,
    live: true,
    port: site.port,
    certificateUid: `tls-endpoint:${at('shop.example.com')}`,
  });
  expect(binding.tls).toMatchObject({ host: '127.0.0.1', servername: 'shop.example.com', tlsVersion: 'TLSv1.3' });
  expect(binding.tls!.chain.map((c) => c.subject)).toEqual([
    'CN=certwarden simulated Issuing CA',
    'CN=certwarden simulated Root CA',
  ]);
  const cert = result.inventory.certificate(binding.certificateUid!)!;
  expect(cert).toMatchObject({
    provider: 'tls-endpoint',
    account: 'network',
    commonName: 'shop.example.com',
    inUse: true,
  });
});

test('an endpoint serving an older certificate than the one the listener binds: a renewal never deployed', () => {
  const f = findings('served-cert-mismatch');
  expect(f.map((x) => x.resource.uid)).toEqual([`tls-endpoint:${at('shop.example.com')}#endpoint`]);
  expect(f[0].severity).toBe('high');
  expect(f[0].message).toMatch(
    /not shop\.example\.com \(aws-acm 222222222222\/us-east-1\) that elbv2-listener shop:443 .* binds for shop\.example\.com: a renewal that was never deployed/,
  );
});

test('the leaf sent without its intermediate, and a name the certificate does not cover', () => {
  expect(findings('chain-incomplete').map((x) => x.resource.name)).toEqual([`bare.example.org via 127.0.0.1`]);
  expect(findings('hostname-mismatch').map((x) => x.resource.name)).toEqual([`billing.example.org via 127.0.0.1`]);
  const billing = result.inventory.bindings.find((b) => b.name === 'billing.example.org via 127.0.0.1')!;
  expect(String(billing.tls!.identityError)).toMatch(/Hostname\/IP does not match certificate's altnames/);
});

test('the expiring served certificate is named with the endpoint that serves it', () => {
  const f = result.findings.find(
    (x) => x.ruleId === 'cert-expiring' && x.resource.uid === `tls-endpoint:${at('shop.example.com')}`,
  )!;
  expect(f.message).toContain(`served by endpoint shop.example.com via 127.0.0.1:${site.port}`);
});

test('a handshake that never completes is abandoned at the timeout, not later', async () => {
  const { handshake } = await import('../../providers/tls-endpoint/connect.js');
  const { target } = await import('../../providers/tls-endpoint/targets.js');
  const started = Date.now();
  await expect(handshake(target('127.0.0.1', stalled.port, 'slow.example.org', 'config'), 300)).rejects.toMatchObject({
    code: 'Timeout',
    operation: 'TLSHandshake',
  });
  expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  expect(Date.now() - started).toBeLessThan(1500);
});

test('a server that answers in plain text fails the handshake with that reason', async () => {
  const { createServer } = await import('node:net');
  const { handshake } = await import('../../providers/tls-endpoint/connect.js');
  const { target } = await import('../../providers/tls-endpoint/targets.js');
  const open = new Set<import('node:net').Socket>();
  const plain = createServer((s) => {
    open.add(s);
    s.write('HTTP/1.1 400 Bad Request\r\n\r\n');
  });
  await new Promise<void>((r) => plain.listen(0, '127.0.0.1', () => r()));
  const port = (plain.address() as { port: number }).port;
  try {
    await expect(handshake(target('127.0.0.1', port, 'plain.example.org', 'config'), 2000)).rejects.toMatchObject({
      code: 'HandshakeFailure',
      message: expect.stringMatching(
        /^TLS handshake with 127\.0\.0\.1:\d+ failed: .*(wrong version number|packet length too long)/,
      ),
    });
  } finally {
    for (const s of open) s.destroy();
    await new Promise<void>((r) => plain.close(() => r()));
  }
});
