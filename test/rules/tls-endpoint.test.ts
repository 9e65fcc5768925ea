/**
 * The rules that judge what TLS endpoints actually serve, as tables of real certificates: the
 * endpoint records are built by the tls-endpoint provider's own mapper from real DER bytes.
 */
import servedCertMismatch from '../../rules/tls/served-cert-mismatch.js';
import chainIncomplete from '../../rules/tls/chain-incomplete.js';
import hostnameMismatch from '../../rules/tls/hostname-mismatch.js';
import { issueCertificate, type IssuedCertificate } from '../../src/sim/certs.js';
import { ScenarioCa } from '../../src/sim/template.js';
import { certificateFacts } from '../../src/x509/index.js';
import { toRecords } from '../../providers/tls-endpoint/map.js';
import { target } from '../../providers/tls-endpoint/targets.js';
import type { Binding, Certificate } from '../../src/model/types.js';
import { bindingRecord, NOW } from '../fixtures/certs.js';
import { run, summary } from './harness.js';

const DAY = 86_400_000;
const ca = new ScenarioCa(NOW);
const other = new ScenarioCa(NOW, 'other');

function leaf(
  names: string[],
  opts: { days?: number; issuer?: IssuedCertificate | null; ip?: string[]; cn?: string } = {},
): IssuedCertificate {
  const days = opts.days ?? 200;
  return issueCertificate({
    key: { type: 'ec', curve: 'P-256' },
    commonName: opts.cn ?? names[0],
    sans: names.length || opts.ip ? { dns: names, ip: opts.ip } : undefined,
    notBefore: new Date(NOW.getTime() + (days - 365) * DAY),
    notAfter: new Date(NOW.getTime() + days * DAY),
    issuer: opts.issuer === null ? undefined : (opts.issuer ?? ca.intermediate),
  });
}

/** An ACM certificate record, with the chain ACM keeps beside it. */
function acm(name: string, c: IssuedCertificate): Certificate {
  const parsed = certificateFacts(c.pem + ca.intermediate.pem + ca.root.pem);
  return {
    kind: 'certificate',
    provider: 'aws-acm',
    account: '111111111111',
    location: 'us-east-1',
    uid: `aws-acm:${name}`,
    name,
    ref: `arn:acm:${name}`,
    ...parsed.facts!,
    chain: parsed.chain,
  };
}

/** What the tls-endpoint provider records for a handshake that presented `c` and `chain`. */
function endpoint(
  name: string | undefined,
  c: IssuedCertificate,
  chain: IssuedCertificate[],
  opts: { host?: string; known?: Certificate[]; verifyError?: string } = {},
) {
  const t = target(opts.host ?? '198.51.100.10', 443, name, 'config');
  const known = (fp: string) => opts.known?.find((k) => k.fingerprintSha256 === fp);
  const recs = toRecords(t, { leaf: c.der, chain: chain.map((x) => x.der), verifyError: opts.verifyError }, known);
  return {
    certificates: recs.filter((r): r is Certificate => r.kind === 'certificate'),
    bindings: recs.filter((r): r is Binding => r.kind === 'binding'),
  };
}

const shopNew = leaf(['shop.example.com', 'www.shop.example.com'], { days: 300 });
const shopOld = leaf(['shop.example.com', 'www.shop.example.com'], { days: 20 });
const shopNewer = leaf(['shop.example.com'], { days: 390 });
const wildcard = leaf(['*.example.com']);
const api = leaf(['api.example.com']);
const SHOP = acm('shop', shopNew);
const WILD = acm('wild', wildcard);
const API = acm('api', api);
const LB = { name: 'shop-lb', dnsName: 'shop-lb-1.us-east-1.elb.amazonaws.com' };
const listener = (name: string, ref: string, over: Partial<Binding> = {}) =>
  bindingRecord(name, ref, { loadBalancer: LB, ...over });

/** The same records with the handshake's facet taken away: what the rules that require it must not judge. */
function withoutTls(inv: { certificates: Certificate[]; bindings: Binding[] }) {
  return { ...inv, bindings: inv.bindings.map(({ tls: _tls, ...b }) => b) };
}

function merge(...parts: Array<{ certificates?: Certificate[]; bindings?: Binding[] }>) {
  return { certificates: parts.flatMap((p) => p.certificates ?? []), bindings: parts.flatMap((p) => p.bindings ?? []) };
}

describe('served-cert-mismatch', () => {
  test.each([
    [
      'serves exactly what the listener binds: silent, and linked to the inventory certificate',
      merge(
        { certificates: [SHOP], bindings: [listener('l', SHOP.ref)] },
        endpoint('shop.example.com', shopNew, [ca.intermediate], { known: [SHOP] }),
      ),
      [],
    ],
    [
      'serves an older certificate than the bound one: a renewal never deployed',
      merge(
        { certificates: [SHOP], bindings: [listener('l', SHOP.ref)] },
        endpoint('shop.example.com', shopOld, [ca.intermediate]),
      ),
      ['shop.example.com via 198.51.100.10:high'],
    ],
    [
      'serves a newer one than the inventory binds: high, said so',
      merge(
        { certificates: [SHOP], bindings: [listener('l', SHOP.ref)] },
        endpoint('shop.example.com', shopNewer, [ca.intermediate]),
      ),
      ['shop.example.com via 198.51.100.10:high'],
    ],
    [
      'only a bound wildcard covers the name: medium',
      merge(
        { certificates: [WILD], bindings: [listener('l', WILD.ref)] },
        endpoint('status.example.com', leaf(['status.example.com']), [ca.intermediate]),
      ),
      ['status.example.com via 198.51.100.10:medium'],
    ],
    [
      'the covering certificate is bound only by a listener that is not live: silent',
      merge(
        { certificates: [SHOP], bindings: [listener('l', SHOP.ref, { live: false })] },
        endpoint('shop.example.com', shopOld, [ca.intermediate]),
      ),
      [],
    ],
    [
      'the covering certificate is bound nowhere: silent',
      merge({ certificates: [SHOP] }, endpoint('shop.example.com', shopOld, [ca.intermediate])),
      [],
    ],
    [
      'nothing in the inventory covers the name: silent',
      merge(
        { certificates: [API], bindings: [listener('l', API.ref)] },
        endpoint('shop.example.com', shopOld, [ca.intermediate]),
      ),
      [],
    ],
    [
      'the endpoint is the load balancer and serves its SNI certificate for the name: silent',
      merge(
        {
          certificates: [SHOP, API],
          bindings: [listener('d', SHOP.ref), listener('s', API.ref, { isDefault: false })],
        },
        endpoint('api.example.com', api, [ca.intermediate], { host: LB.dnsName, known: [SHOP, API] }),
      ),
      [],
    ],
    [
      'the endpoint is the load balancer and serves none of its certificates: high',
      merge(
        { certificates: [SHOP], bindings: [listener('d', SHOP.ref)] },
        endpoint('other.example.org', leaf(['other.example.org']), [ca.intermediate], { host: LB.dnsName }),
      ),
      [`other.example.org via ${LB.dnsName}:high`],
    ],
    [
      'an older certificate, but no handshake facet: not applicable',
      withoutTls(
        merge(
          { certificates: [SHOP], bindings: [listener('l', SHOP.ref)] },
          endpoint('shop.example.com', shopOld, [ca.intermediate]),
        ),
      ),
      [],
    ],
  ])('%s', (_n, inv, expected) => expect(summary(run(servedCertMismatch, { name: _n, ...inv }))).toEqual(expected));

  test('the finding names the inventory certificate and the listener, and calls an older one an undeployed renewal', () => {
    const [f] = run(servedCertMismatch, {
      name: 'x',
      ...merge(
        { certificates: [SHOP], bindings: [listener('l', SHOP.ref)] },
        endpoint('shop.example.com', shopOld, [ca.intermediate]),
      ),
    });
    expect(f.message).toMatch(
      /^endpoint shop\.example\.com via 198\.51\.100\.10:443 serves CN=shop\.example\.com \(SHA-256 [0-9A-Fa-f:]+…\), not shop \(aws-acm 111111111111\/us-east-1\) that elbv2-listener shop-lb:443 \(shop-lb-1\.us-east-1\.elb\.amazonaws\.com\) binds for shop\.example\.com: a renewal that was never deployed/,
    );
    expect(f.related).toEqual(
      expect.arrayContaining(['aws-acm:shop', 'aws-elbv2:l', 'tls-endpoint:198.51.100.10:443/shop.example.com']),
    );
    expect(f.evidence.renewalNotDeployed).toBe(true);
    expect(f.compliance).toMatchObject({ 'PCI-DSS-4.0': ['4.2.1', '4.2.1.1'], MCSB: ['DP-3', 'DP-7'] });
  });

  test('a bound wildcard beside the exact certificate: the exact one is named and judged', () => {
    const inv = merge(
      {
        certificates: [SHOP, acm('wild-long', leaf(['*.example.com'], { days: 900 }))],
        bindings: [listener('l', SHOP.ref), listener('w', 'arn:acm:wild-long', { isDefault: false })],
      },
      endpoint('shop.example.com', shopOld, [ca.intermediate]),
    );
    const [f] = run(servedCertMismatch, { name: 'x', ...inv });
    expect(f.severity).toBe('high');
    expect(f.message).toMatch(/not shop \(aws-acm .*: a renewal that was never deployed/);
  });

  test('a served certificate the inventory holds is not recorded twice: the endpoint links to it', () => {
    const rec = endpoint('shop.example.com', shopNew, [ca.intermediate], { known: [SHOP] });
    expect(rec.certificates).toEqual([]);
    expect(rec.bindings[0]).toMatchObject({
      type: 'endpoint',
      certificateRef: SHOP.ref,
      live: true,
      resource: '198.51.100.10:443',
    });
    const own = endpoint('shop.example.com', shopOld, [ca.intermediate]);
    expect(own.certificates[0].uid).toBe('tls-endpoint:198.51.100.10:443/shop.example.com');
    expect(own.bindings[0].certificateRef).toBe(own.certificates[0].uid);
  });
});

describe('chain-incomplete', () => {
  const rootSigned = leaf(['direct.example.com'], { issuer: ca.root });
  test.each([
    [
      'leaf, intermediate and root: complete',
      endpoint('a.example.com', leaf(['a.example.com']), [ca.intermediate, ca.root], {
        verifyError: 'SELF_SIGNED_CERT_IN_CHAIN',
      }),
      {},
      [],
    ],
    [
      'leaf and intermediate, the root left to the client: complete',
      endpoint('a.example.com', leaf(['a.example.com']), [ca.intermediate], {
        verifyError: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
      }),
      {},
      [],
    ],
    [
      'the leaf alone: incomplete',
      endpoint('a.example.com', leaf(['a.example.com']), [], { verifyError: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }),
      {},
      ['a.example.com via 198.51.100.10:high'],
    ],
    [
      'the leaf and an intermediate of another CA: incomplete',
      endpoint('a.example.com', leaf(['a.example.com']), [other.intermediate], {
        verifyError: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      }),
      {},
      ['a.example.com via 198.51.100.10:high'],
    ],
    [
      'the leaf alone, issued by a root the verifier trusts: complete',
      endpoint('a.example.com', leaf(['a.example.com']), []),
      {},
      [],
    ],
    [
      'the leaf alone, issued by a self-signed CA the inventory holds: complete',
      merge(endpoint('direct.example.com', rootSigned, [], { verifyError: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }), {
        certificates: [acm('api', api)],
      }),
      {},
      [],
    ],
    [
      'the leaf alone, its issuer named in trustedRoots: complete',
      endpoint('a.example.com', leaf(['a.example.com']), [], { verifyError: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }),
      { trustedRoots: ['CN=certwarden simulated Issuing CA'] },
      [],
    ],
    [
      'a self-signed leaf: not this rule',
      endpoint('s.example.com', leaf(['s.example.com'], { issuer: null }), [], {
        verifyError: 'DEPTH_ZERO_SELF_SIGNED_CERT',
      }),
      {},
      [],
    ],
    [
      'the leaf alone, but no handshake facet: not applicable',
      withoutTls(
        endpoint('a.example.com', leaf(['a.example.com']), [], { verifyError: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }),
      ),
      {},
      [],
    ],
  ])('%s', (_n, inv, params, expected) =>
    expect(summary(run(chainIncomplete, { name: _n, ...inv, params }))).toEqual(expected),
  );

  test('the finding names the missing issuer and what was sent instead', () => {
    const [f] = run(chainIncomplete, {
      name: 'x',
      ...endpoint('a.example.com', leaf(['a.example.com']), [other.intermediate], {
        verifyError: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      }),
    });
    expect(f.message).toBe(
      'endpoint a.example.com via 198.51.100.10:443 sends a.example.com without the certificate of its issuer (CN=certwarden simulated Issuing CA); the other certificates it sends (CN=other Issuing CA) do not link to it; clients that do not fetch missing intermediates fail the handshake',
    );
    expect(f.evidence).toMatchObject({
      missingIssuer: 'CN=certwarden simulated Issuing CA',
      verifyError: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    });
  });
});

describe('hostname-mismatch', () => {
  test.each([
    ['the name is a SAN: silent', endpoint('shop.example.com', shopNew, [ca.intermediate]), []],
    ['a wildcard covers one label: silent', endpoint('status.example.com', wildcard, [ca.intermediate]), []],
    [
      'a wildcard does not cover two labels',
      endpoint('a.b.example.com', wildcard, [ca.intermediate]),
      ['a.b.example.com via 198.51.100.10:high'],
    ],
    [
      'a wildcard does not cover the apex',
      endpoint('example.com', wildcard, [ca.intermediate]),
      ['example.com via 198.51.100.10:high'],
    ],
    [
      'the name is in no SAN',
      endpoint('billing.example.org', shopNew, [ca.intermediate]),
      ['billing.example.org via 198.51.100.10:high'],
    ],
    ['names compare without case: silent', endpoint('SHOP.Example.COM', shopNew, [ca.intermediate]), []],
    [
      'an IP address against an IP SAN: silent',
      endpoint(undefined, leaf(['ip.example.com'], { ip: ['198.51.100.10'] }), [ca.intermediate]),
      [],
    ],
    ['an IP address against DNS SANs only', endpoint(undefined, shopNew, [ca.intermediate]), ['198.51.100.10:high']],
    [
      'a certificate without SANs is matched on its CN: silent',
      endpoint('legacy.example.com', leaf([], { cn: 'legacy.example.com' }), [ca.intermediate]),
      [],
    ],
    [
      'listeners are not endpoints: not applicable',
      { certificates: [SHOP], bindings: [bindingRecord('l', SHOP.ref)] },
      [],
    ],
    [
      'the name is in no SAN, but no handshake facet: not applicable',
      withoutTls(endpoint('billing.example.org', shopNew, [ca.intermediate])),
      [],
    ],
  ])('%s', (_n, inv, expected) => expect(summary(run(hostnameMismatch, { name: _n, ...inv }))).toEqual(expected));
});
