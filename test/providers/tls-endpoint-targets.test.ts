/** Which endpoints are contacted: listed ones, then the inventory's load balancers and names when asked, capped. */
import { tlsEndpoint } from '../../providers/tls-endpoint/index.js';
import { targets } from '../../providers/tls-endpoint/targets.js';
import { collect } from '../../src/engine/runtime/audit.js';
import { configSchema } from '../../src/config/schema.js';
import type { Binding, Certificate, Inventory } from '../../src/model/types.js';
import type { Provider } from '../../src/engine/api/provider.js';
import { ScenarioCa } from '../../src/sim/template.js';
import { siteFromTemplate, startTlsServer } from '../../src/sim/tls.js';
import { bindingRecord, certRecord, NOW } from '../fixtures/certs.js';

const tlsConfig = (tls: Record<string, unknown>) => configSchema.parse({ providers: { tls } }).providers.tls!;

const inventory = (): Inventory => ({
  certificates: [
    certRecord('rsa-2048', {
      ref: 'arn:a',
      sans: { dns: ['a.example.com', '*.example.com'], ip: [], email: [], uri: [] },
    }),
    certRecord('ec-p256', { ref: 'arn:b', sans: { dns: ['b.example.com'], ip: [], email: [], uri: [] } }),
  ],
  bindings: [
    bindingRecord('lb1', 'arn:a', { loadBalancer: { name: 'lb1', dnsName: 'lb1.elb.example' } }),
    bindingRecord('lb1-sni', 'arn:b', { isDefault: false, loadBalancer: { name: 'lb1', dnsName: 'lb1.elb.example' } }),
    bindingRecord('dead', 'arn:b', { live: false, loadBalancer: { name: 'dead', dnsName: 'dead.elb.example' } }),
    bindingRecord('plain', 'arn:b', {
      protocol: 'HTTP',
      loadBalancer: { name: 'plain', dnsName: 'plain.elb.example' },
    }),
  ],
  scopes: [],
});

test('listed endpoints only, unless the inventory is asked for; "host:port" strings and IPv6 literals', () => {
  const cfg = tlsConfig({
    endpoints: [
      'www.example.com:443',
      '[2001:db8::1]:8443',
      { host: 'API.example.com', servername: 'api.example.com' },
    ],
  });
  expect(targets(cfg, inventory()).targets.map((t) => `${t.key} ${t.servername ?? '-'} ${t.source}`)).toEqual([
    'www.example.com:443/www.example.com www.example.com config',
    '[2001:db8::1]:8443/2001:db8::1 - config',
    'api.example.com:443/api.example.com api.example.com config',
  ]);
});

test('from the inventory: each live TLS listener by its DNS name (named after its default certificate), and every DNS SAN but wildcards', () => {
  const cfg = tlsConfig({ endpoints: ['a.example.com:443'], fromInventory: { loadBalancers: true, sans: true } });
  expect(targets(cfg, inventory()).targets.map((t) => `${t.key} ${t.source}`)).toEqual([
    'a.example.com:443/a.example.com config',
    'lb1.elb.example:443/a.example.com load-balancer',
    'b.example.com:443/b.example.com certificate',
  ]);
});

test('the cap keeps listed endpoints first and counts what it left out', () => {
  const cfg = tlsConfig({ endpoints: ['x.example.com:443'], fromInventory: { sans: true }, maxEndpoints: 2 });
  expect(targets(cfg, inventory())).toMatchObject({
    targets: [{ host: 'x.example.com' }, { host: 'a.example.com' }],
    skipped: 1,
  });
});

test('a bad endpoint string is a config error that names its path', () => {
  expect(() => tlsConfig({ endpoints: ['no-port'] })).toThrow(/endpoints/);
});

test('the engine runs the provider after the others, with their inventory: a listener found in phase one is contacted', async () => {
  const ca = new ScenarioCa(NOW);
  const server = await startTlsServer([siteFromTemplate(ca, { cn: 'a.example.com' }, NOW, ['a.example.com'])]);
  try {
    const lb: Binding = bindingRecord('lb', 'arn:a', {
      port: server.port,
      loadBalancer: { name: 'lb', dnsName: '127.0.0.1' },
    });
    const cert: Certificate = certRecord('rsa-2048', {
      ref: 'arn:a',
      sans: { dns: ['a.example.com'], ip: [], email: [], uri: [] },
    });
    // Slow on purpose: the second phase must wait for it.
    const first: Provider = {
      id: 'inventory',
      title: 'inventory',
      enabled: () => true,
      // eslint-disable-next-line @typescript-eslint/require-await -- a stand-in for an async iterable that needs no I/O
      scopes: async function* () {
        yield { provider: 'inventory', account: 'x', location: 'y' };
      },
      collect: async function* () {
        await new Promise((r) => setTimeout(r, 200));
        yield cert;
        yield lb;
      },
    };
    const config = configSchema.parse({ providers: { tls: { fromInventory: { loadBalancers: true } } } });
    const inv = await collect({
      config,
      providers: [tlsEndpoint, first],
      rules: [],
      now: NOW,
      log: { info() {}, warn() {}, debug() {} },
    });
    expect(inv.scopes.map((s) => `${s.provider} ${s.location} ${s.status}`)).toEqual([
      'inventory y ok',
      `tls-endpoint 127.0.0.1:${server.port}/a.example.com ok`,
    ]);
    expect(inv.bindings.find((b) => b.provider === 'tls-endpoint')).toMatchObject({
      name: 'a.example.com via 127.0.0.1',
      tls: { source: 'load-balancer', servername: 'a.example.com' },
    });
  } finally {
    await server.close();
  }
});
