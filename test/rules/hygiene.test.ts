import wildcard from '../../rules/hygiene/wildcard-certificate.js';
import duplicate from '../../rules/hygiene/duplicate-certificate.js';
import validity from '../../rules/hygiene/validity-too-long.js';
import { certificateFacts } from '../../src/x509/index.js';
import { issueCertificate } from '../../src/sim/certs.js';
import { certRecord } from '../fixtures/certs.js';
import type { Certificate } from '../../src/model/types.js';
import { run, summary } from './harness.js';

const DAY = 86_400_000;
function cert(name: string, spec: { dns?: string[]; from: string; days: number; selfSigned?: boolean }): Certificate {
  const ca = issueCertificate({
    key: { type: 'ec', curve: 'P-256' },
    commonName: 'CA',
    isCA: true,
    notBefore: new Date('2020-01-01'),
    notAfter: new Date('2035-01-01'),
  });
  const nb = new Date(spec.from);
  const c = issueCertificate({
    key: { type: 'ec', curve: 'P-256' },
    commonName: name,
    sans: { dns: spec.dns ?? [name] },
    notBefore: nb,
    notAfter: new Date(nb.getTime() + spec.days * DAY),
    issuer: spec.selfSigned ? undefined : ca,
  });
  return {
    kind: 'certificate',
    uid: `files:${name}`,
    provider: 'files',
    account: 'local',
    location: '/',
    name,
    ref: name,
    ...certificateFacts(c.der).facts,
  };
}

describe('wildcard-certificate', () => {
  test('fires on *. names only, as info', () => {
    const certs = [
      cert('a', { dns: ['*.example.com', 'example.com'], from: '2026-01-01', days: 90 }),
      cert('b', { from: '2026-01-01', days: 90 }),
    ];
    const f = run(wildcard, { name: 'w', certificates: certs });
    expect(summary(f)).toEqual(['a:info']);
    expect(f[0].evidence).toEqual({ wildcards: ['*.example.com'] });
  });
});

describe('duplicate-certificate', () => {
  test('the same bytes in two places fire once per copy, naming the other', () => {
    const one = certRecord('rsa-2048');
    const copy = { ...one, uid: 'azure-keyvault:copy', provider: 'azure-keyvault', name: 'copy' };
    const other = certRecord('ec-p256');
    const f = run(duplicate, { name: 'd', certificates: [one, copy, other] });
    expect(summary(f)).toEqual(['copy:low', 'rsa-2048:low']);
    expect(f.find((x) => x.resource.name === 'copy')!.related).toEqual(['files:rsa-2048']);
  });
});

describe('validity-too-long', () => {
  test.each([
    ['397 days: silent', [cert('short', { from: '2026-01-01', days: 397 })], {}, []],
    ['825 days: low', [cert('long', { from: '2026-01-01', days: 825 })], {}, ['long:low']],
    ['maxDays 90 flags 120 days', [cert('m', { from: '2026-01-01', days: 120 })], { maxDays: 90 }, ['m:low']],
    [
      'CA/B schedule: 300 days issued after 2026-03-15 is over 200',
      [cert('cab', { from: '2026-04-01', days: 300 })],
      { cabForumSchedule: true },
      ['cab:low'],
    ],
    [
      'CA/B schedule: 300 days issued before 2026-03-15 is fine',
      [cert('old', { from: '2026-02-01', days: 300 })],
      { cabForumSchedule: true },
      [],
    ],
    [
      'CA/B schedule does not apply to self-signed',
      [cert('self', { from: '2026-04-01', days: 300, selfSigned: true })],
      { cabForumSchedule: true },
      [],
    ],
  ])('%s', (name, certificates, params, expected) => {
    expect(summary(run(validity, { name, certificates, params }))).toEqual(expected);
  });
});
