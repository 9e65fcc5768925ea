/**
 * certificateFacts reads bytes a cloud or a disk hands us. Fed random bytes and real certificates
 * broken on purpose (bit flips, truncation, rewritten DER length fields, damaged PEM), it must
 * never throw, never take long, and say why in `parseError` whenever it returns no facts.
 */
import fc from 'fast-check';
import { certificateFacts, type ParsedCertificate } from '../../src/x509/index.js';
import { fixture, issue } from '../fixtures/certs.js';
import { mutate, mutation } from '../fixtures/mutate.js';

/**
 * Per call. A bundle is read up to 33 certificates, a few milliseconds each; the bound is loose
 * because CI machines are shared, and still far below what a parser stuck in a loop would take.
 */
const CALL_MS = 3000;
const RUNS = { random: 2000, header: 500, der: 2000, pem: 500 };

const SEEDS = ['rsa-2048', 'ec-p256', 'ec-p521', 'ed25519', 'dsa-2048', 'pss-signed', 'md5-signed'].map((n) =>
  issue(fixture(n), { subject: { O: 'Example', OU: 'Ops' } }),
);
const DERS = SEEDS.map((s) => s.der);
const PEMS = SEEDS.map((s) => s.pem);

let slowest = 0;
let calls = 0;
let withFacts = 0;

function check(input: Uint8Array | string): ParsedCertificate {
  const started = performance.now();
  const out = certificateFacts(input);
  const ms = performance.now() - started;
  slowest = Math.max(slowest, ms);
  calls++;
  expect(ms).toBeLessThan(CALL_MS);
  expect(Array.isArray(out.chain)).toBe(true);
  if (out.facts) {
    withFacts++;
    expect(typeof out.facts.fingerprintSha256).toBe('string');
    expect(Number.isNaN(Date.parse(out.facts.notAfter))).toBe(false);
  } else {
    expect(typeof out.parseError).toBe('string');
    expect(out.parseError!.length).toBeGreaterThan(0);
  }
  // Whatever came back goes into a JSON report.
  expect(() => JSON.stringify(out)).not.toThrow();
  return out;
}

afterAll(() => {
  // Printed for docs/security.md: how many inputs were tried and the slowest one.
  process.stdout.write(`x509 fuzz: ${calls} inputs, ${withFacts} still parsed, slowest ${slowest.toFixed(1)} ms\n`);
});

test('the unbroken seeds parse', () => {
  for (const der of DERS) expect(check(der).parseError).toBeUndefined();
  for (const pem of PEMS) expect(check(pem).facts).toBeDefined();
});

test('random bytes', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 4096 }), (bytes) => {
      check(bytes);
    }),
    { numRuns: RUNS.random, seed: 1 },
  );
});

test('random bytes behind a DER SEQUENCE header (so the parser goes deeper)', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 2048 }), fc.integer({ min: 0, max: 0xffff }), (body, len) => {
      check(Uint8Array.from([0x30, 0x82, len >> 8, len & 0xff, ...body]));
    }),
    { numRuns: RUNS.header, seed: 2 },
  );
});

test('real certificates, broken: bit flips, truncation, length fields, insertions, splices', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: DERS.length - 1 }),
      fc.array(mutation, { minLength: 1, maxLength: 3 }),
      (i, ms) => {
        let der = DERS[i];
        for (const m of ms) der = mutate(der, m);
        check(der);
      },
    ),
    { numRuns: RUNS.der, seed: 3 },
  );
});

test('PEM text, broken: characters changed, cut short, markers repeated, bundles of broken blocks', () => {
  const pemMutation = fc.oneof(
    fc.record({
      kind: fc.constant('char' as const),
      at: fc.nat(),
      ch: fc.constantFrom('A', '=', '-', '\n', '\u0000', '\u00e9', '*', ' '),
    }),
    fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
    fc.record({
      kind: fc.constant('marker' as const),
      at: fc.nat(),
      text: fc.constantFrom(
        '-----BEGIN CERTIFICATE-----',
        '-----END CERTIFICATE-----',
        '-----BEGIN X509 CERTIFICATE-----\n',
        '-----BEGIN',
      ),
    }),
    fc.record({ kind: fc.constant('bundle' as const), n: fc.integer({ min: 2, max: 60 }) }),
  );
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: PEMS.length - 1 }),
      fc.array(pemMutation, { minLength: 1, maxLength: 4 }),
      (i, ms) => {
        let pem = PEMS[i];
        for (const m of ms) {
          if (m.kind === 'char') {
            const at = m.at % pem.length;
            pem = pem.slice(0, at) + m.ch + pem.slice(at + 1);
          } else if (m.kind === 'cut') pem = pem.slice(0, m.at % pem.length);
          else if (m.kind === 'marker') {
            const at = m.at % (pem.length + 1);
            pem = pem.slice(0, at) + m.text + pem.slice(at);
          } else if (pem.length * m.n <= 256 * 1024) pem = pem.repeat(m.n); // oversize input has its own test
        }
        check(pem);
      },
    ),
    { numRuns: RUNS.pem, seed: 4 },
  );
});

test('a certificate whose only fault is its chain keeps its facts and names the broken member', () => {
  const broken = PEMS[1].replace(/\n[A-Za-z0-9+/]{64}\n/, () => `\n${'A'.repeat(64)}\n`);
  const out = check(PEMS[0] + broken);
  expect(out.facts).toBeDefined();
  expect(out.parseError).toMatch(/chain certificate 1/);
});
