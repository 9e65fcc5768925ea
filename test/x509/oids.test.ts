/**
 * The tables of src/x509/oids.ts against the OpenSSL on this machine: each signature algorithm's
 * name is what OpenSSL prints for its OID, each named curve's OID and size are OpenSSL's.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CURVES, SIGNATURE_ALGORITHMS } from '../../src/x509/oids.js';

const dir = mkdtempSync(join(tmpdir(), 'cw-oids-'));

/** OpenSSL's long name of each OID, from one asn1parse over a SEQUENCE of all of them. */
function opensslNames(oids: string[]): string[] {
  const conf = join(dir, `oids-${oids.length}.cnf`);
  writeFileSync(conf, `asn1 = SEQUENCE:all\n[all]\n${oids.map((o, i) => `o${i} = OID:${o}`).join('\n')}\n`);
  const out = execFileSync('openssl', ['asn1parse', '-genconf', conf], { encoding: 'utf8' });
  return [...out.matchAll(/OBJECT\s+:(.*)$/gm)].map((m) => m[1].trim());
}

test('every signature algorithm has the name OpenSSL prints for its OID', () => {
  const oids = Object.keys(SIGNATURE_ALGORITHMS);
  const names = opensslNames(oids);
  expect(Object.fromEntries(oids.map((o, i) => [o, names[i]]))).toEqual(SIGNATURE_ALGORITHMS);
});

test("every named curve has OpenSSL's OID and group order size", () => {
  // certwarden names the NIST curves by their FIPS names and SM2 by its short name; OpenSSL prints long names.
  const openssl: Record<string, string> = {
    'P-192': 'prime192v1',
    'P-224': 'secp224r1',
    'P-256': 'prime256v1',
    'P-384': 'secp384r1',
    'P-521': 'secp521r1',
    SM2: 'sm2',
  };
  const curves = Object.entries(CURVES).map(([oid, [name, bits]]) => ({ oid, name: openssl[name] ?? name, bits }));
  expect(opensslNames(curves.map((c) => c.oid))).toEqual(curves.map((c) => c.name));
  // SM2 is a curve OpenSSL 3.0 keeps for its own signature scheme; ecparam does not print its size.
  const sized = curves.filter((c) => c.name !== 'sm2');
  const out = execFileSync(
    'bash',
    ['-c', sized.map((c) => `openssl ecparam -name ${c.name} -text -noout | head -1`).join('; ')],
    { encoding: 'utf8' },
  );
  expect([...out.matchAll(/\((\d+) bit\)/g)].map((m) => Number(m[1]))).toEqual(sized.map((c) => c.bits));
});
