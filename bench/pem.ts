/**
 * `npm run bench -- --pem`: how long certificateFacts takes over PEM text built to be slow, at the
 * largest size the files provider reads (`maxFileBytes`, 64 MB). The budget is per input; the
 * figures go to docs/benchmarks.md.
 */
import { certificateFacts } from '../src/x509/index.js';
import { issueCertificate } from '../src/sim/certs.js';

/** Each 64 MB input must be read within this many seconds (a 2-core machine, shared). */
export const PEM_BUDGET_SECONDS = 3;

export interface PemFigure {
  input: string;
  mb: number;
  seconds: number;
  parseError?: string;
}

const BEGIN = '-----BEGIN CERTIFICATE-----\n';
const END = '-----END CERTIFICATE-----\n';

/** `unit` repeated to `bytes` (whole repetitions only). */
const fill = (unit: string, bytes: number) => unit.repeat(Math.max(1, Math.floor(bytes / unit.length)));

function inputs(bytes: number): Array<[string, () => string]> {
  const cert = issueCertificate({
    key: { type: 'ec', curve: 'P-256' },
    commonName: 'bench.example',
    notBefore: new Date('2026-01-01'),
    notAfter: new Date('2027-01-01'),
  });
  const b64 = fill('QUJD', bytes - 64);
  return [
    ['BEGIN lines, no END', () => fill(BEGIN, bytes)],
    ['one base64 block, a stray character at its end', () => `${BEGIN}${b64}*\n${END}`],
    ['one base64 block, valid', () => `${BEGIN}${b64}\n${END}`],
    ['tiny blocks (AA==)', () => fill(`${BEGIN}AA==\n${END}`, bytes)],
    [
      'nested and mismatched labels',
      () =>
        fill(
          `${BEGIN}-----BEGIN PRIVATE KEY-----\nAA==\n-----END X509 CERTIFICATE-----\n-----END PRIVATE KEY-----\n`,
          bytes,
        ),
    ],
    ['dashes, not markers', () => fill('-----BEGIN ------END ----------\n', bytes)],
    ['real certificates (a bundle)', () => fill(cert.pem, bytes)],
  ];
}

export function runPem(mb = 64, log: (line: string) => void = () => {}): PemFigure[] {
  const out: PemFigure[] = [];
  for (const [input, make] of inputs(mb * 2 ** 20)) {
    const bytes = Buffer.from(make(), 'utf8');
    const started = process.hrtime.bigint();
    const parsed = certificateFacts(bytes);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    out.push({ input, mb: bytes.length / 2 ** 20, seconds, parseError: parsed.parseError?.slice(0, 120) });
    log(`${input}: ${seconds.toFixed(2)} s`);
  }
  return out;
}
