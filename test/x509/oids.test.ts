/**
 * The tables of src/x509/oids.ts against the OpenSSL on this machine: each signature algorithm's
 * name is what OpenSSL prints for its OID, each named curve's OID and size are OpenSSL's.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CURVES, SIGNATURE_ALGORITHMS } from '../../src/x509/oids.js';
import { oidBytes, tlv } from '../fixtures/craft.js';

const dir = mkdtempSync(join(tmpdir(), 'cw-oids-'));

test('every signature algorithm has the name OpenSSL prints for its OID', () => {
  const oids = Object.keys(SIGNATURE_ALGORITHMS);
  // One asn1parse over a SEQUENCE of all the OIDs; it prints each one's long name.
  const conf = join(dir, 'oids.cnf');
  writeFileSync(conf, `asn1 = SEQUENCE:all\n[all]\n${oids.map((o, i) => `o${i} = OID:${o}`).join('\n')}\n`);
  const out = execFileSync('openssl', ['asn1parse', '-genconf', conf], { encoding: 'utf8' });
  const names = [...out.matchAll(/OBJECT\s+:(.*)$/gm)].map((m) => m[1].trim());
  expect(Object.fromEntries(oids.map((o, i) => [o, names[i]]))).toEqual(SIGNATURE_ALGORITHMS);
});

test('every named curve has OpenSSL\'s OID and group order size', () => {
  const openssl: Record<string, string> = { 'P-192': 'prime192v1', 'P-224': 'secp224r1', 'P-256': 'prime256v1', 'P-384': 'secp384r1', 'P-521': 'secp521r1' };
  // SM2 is a named curve OpenSSL 3.0 keeps for its own signature scheme; ecparam does not list it.
  const curves = Object.entries(CURVES).filter(([, [name]]) => name !== 'SM2');
  const script = curves.map(([, [name]]) => `n=${openssl[name] ?? name}; openssl ecparam -name $n -text -noout | head -1; openssl ecparam -name $n -outform DER | od -An -tx1 | tr -d ' \\n'; echo`).join('; ');
  const out = execFileSync('bash', ['-c', script], { encoding: 'utf8' }).trim().split('\n');
  expect(curves.map((_, i) => [Number(/\((\d+) bit\)/.exec(out[2 * i])?.[1]), out[2 * i + 1]])).toEqual(curves.map(([oid, [, bits]]) => [bits, tlv(0x06, oidBytes(oid)).toString('hex')]));
});
