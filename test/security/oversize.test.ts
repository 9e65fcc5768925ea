/**
 * Oversize inputs: a 50 MB PEM bundle on disk and a certificate with 100,000 SANs, through the
 * files provider, the rules and every report format, within bounded time and memory.
 */
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAudit } from '../../src/cli/audit.js';
import { parseConfig } from '../../src/config/load.js';
import { FORMATS, render } from '../../src/report/formats.js';
import { issueCertificate } from '../../src/sim/certs.js';
import { certificateFacts } from '../../src/x509/index.js';
import { NOW, fixture, issue } from '../fixtures/certs.js';

const MB = 1 << 20;
const quiet = { info() {}, warn() {}, debug() {} };

/**
 * How long `run` took and how far it raised the process's peak resident memory (maxRSS, which
 * also sees synchronous work no timer could sample), with the heap and Buffer growth left after.
 */
async function measure<T>(
  run: () => Promise<T> | T,
): Promise<{ value: T; ms: number; peakRss: number; rssGrowth: number; heap: number }> {
  const rss0 = process.resourceUsage().maxRSS * 1024;
  const heap0 = process.memoryUsage().heapUsed;
  const started = performance.now();
  const value = await run();
  const ms = performance.now() - started;
  const peakRss = process.resourceUsage().maxRSS * 1024;
  return { value, ms, peakRss, rssGrowth: peakRss - rss0, heap: process.memoryUsage().heapUsed - heap0 };
}

const report = (label: string, r: { ms: number; peakRss: number; rssGrowth: number; heap: number }) =>
  process.stdout.write(
    `${label}: ${r.ms.toFixed(0)} ms, peak RSS ${(r.peakRss / MB).toFixed(0)} MB (+${(r.rssGrowth / MB).toFixed(0)} MB), heap after +${(r.heap / MB).toFixed(0)} MB\n`,
  );

async function auditFile(path: string) {
  const config = parseConfig(JSON.stringify({ providers: { files: { paths: [path] } } }), 'oversize');
  const { report } = await runAudit({ config, now: NOW, log: quiet });
  // Every format, as the audit command would write them.
  const sizes = Object.fromEntries(
    FORMATS.map((f) => [f, [...render(f, report, { failOn: 'high' })].reduce((n, c) => n + c.length, 0)]),
  );
  return { report, sizes };
}

test('a 50 MB PEM bundle: read once, the first 33 certificates parsed, the rest counted, in bounded time and memory', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cw-oversize-'));
  const pem = issue(fixture('rsa-2048')).pem;
  const path = join(dir, 'bundle.pem');
  const copies = Math.ceil((50 * MB) / pem.length);
  writeFileSync(path, pem.repeat(copies));
  expect(statSync(path).size).toBeGreaterThanOrEqual(50 * MB);

  const r = await measure(() => auditFile(path));
  report('50 MB PEM bundle', r);
  const [cert] = r.value.report.certificates;
  expect(cert.fingerprintSha256).toBeDefined();
  expect(cert.chain).toHaveLength(32);
  expect(cert.parseError).toBe(`bundle holds ${copies} certificates; only the first 33 were read`);
  expect(r.value.sizes.json).toBeLessThan(1 * MB); // the report does not grow with the file
  expect(r.ms).toBeLessThan(30_000);
  // The file is held once as bytes and once as text while it is split; nothing per block is kept.
  // (Growth, not the absolute peak: a jest worker carries the memory of the test files before this one.)
  expect(r.rssGrowth).toBeLessThan(400 * MB);
  expect(r.heap).toBeLessThan(100 * MB);
}, 120_000);

test('a bundle over maxFileBytes is not loaded at all, and says so', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cw-oversize-'));
  const path = join(dir, 'big.pem');
  writeFileSync(path, Buffer.alloc(3 * MB, 'A'));
  const config = parseConfig(
    JSON.stringify({ providers: { files: { paths: [path], maxFileBytes: 2 * MB } } }),
    'oversize',
  );
  const { report } = await runAudit({ config, now: NOW, log: quiet });
  expect(report.certificates[0].parseError).toMatch(/over the 2097152-byte limit/);
});

test("a certificate with 100,000 SANs: its SAN refused by the DER reader's node limit, quickly, with the reason; the rest read", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cw-oversize-'));
  const many = issueCertificate({
    key: { type: 'rsa', bits: 2048 },
    commonName: 'many.example.com',
    sans: { dns: Array.from({ length: 100_000 }, (_, i) => `host-${i}.example.com`) },
    notBefore: new Date(NOW.getTime() - 864e5),
    notAfter: new Date(NOW.getTime() + 90 * 864e5),
  });
  expect(many.der.length).toBeGreaterThan(1.5 * MB);
  writeFileSync(join(dir, 'many.der'), many.der);
  writeFileSync(join(dir, 'many.pem'), many.pem);

  const parse = await measure(() => certificateFacts(many.der));
  report('100,000 SANs, parse', parse);
  expect(parse.ms).toBeLessThan(5_000);
  expect(parse.value.parseError).toBeUndefined();
  expect(parse.value.facts).toMatchObject({
    commonName: 'many.example.com',
    key: { algorithm: 'RSA', bits: 2048 },
    sans: { dns: [] },
  });
  expect(parse.value.facts!.extensionErrors).toEqual([
    { extension: 'subjectAltName', error: 'cannot be decoded: more than 10000 ASN.1 values' },
  ]);

  const r = await measure(() => auditFile(dir));
  report('100,000 SANs, audit and every format', r);
  expect(r.value.report.certificates).toHaveLength(2);
  for (const c of r.value.report.certificates) expect(c.extensionErrors).toEqual(parse.value.facts!.extensionErrors);
  expect(r.ms).toBeLessThan(20_000);
  expect(r.rssGrowth).toBeLessThan(300 * MB);
  expect(r.heap).toBeLessThan(100 * MB);
}, 120_000);
