/**
 * Structure-aware mutations of real certificates (seeds.ts): each case changes one to three
 * fields of a seed, at the level of its DER structure (the SubjectPublicKeyInfo's algorithm,
 * parameters and key value, the extensions, the names, the validity, the signature algorithm),
 * signs the result again most of the time, and sometimes also flips, cuts or splices bytes.
 * The same (seed, index) always gives the same case.
 */
import { DerReader } from '../../../src/x509/der.js';
import { CURVES, SIGNATURE_ALGORITHMS } from '../../../src/x509/oids.js';
import { asn, join, oidBytes, resign, tlv, type CertParts } from '../../fixtures/craft.js';
import { mutate } from '../../fixtures/mutate.js';
import type { Seed } from './seeds.js';
import { nameValue, oddInteger, oddPoint, Rng, time } from './values.js';

const KEY_OIDS = [
  '1.2.840.113549.1.1.1',
  '1.2.840.113549.1.1.10',
  '1.2.840.10045.2.1',
  '1.2.840.10040.4.1',
  '1.3.101.112',
  '1.3.101.113',
  '1.3.101.110',
  '1.2.840.10046.2.1',
  '1.2.840.113549.1.3.1',
  '1.2.3.4',
];
const CURVE_OIDS = [...Object.keys(CURVES), '1.3.101.110', '1.2.3.4.5', '1.2.840.10045.3.1.99'];

/** The SubjectPublicKeyInfo's fields as TLVs: algorithm OID, parameters (if any), and the key's bytes. */
function spkiFields(spki: Buffer): { oid: Buffer; params?: Buffer; key: Buffer } {
  const r = new DerReader(spki, 100_000);
  const [alg, bits] = r.children(r.at(0));
  const a = r.children(alg);
  const raw = (i: number) => spki.subarray(i === 0 ? alg.start : a[i - 1].end, a[i].end);
  return { oid: raw(0), params: a[1] ? raw(1) : undefined, key: spki.subarray(bits.start + 1, bits.end) };
}

/** The INTEGERs of a SEQUENCE (RSAPublicKey, Dss-Parms), as content bytes. */
function integers(der: Buffer): Buffer[] {
  try {
    const r = new DerReader(der, 100_000);
    return r.children(r.at(0)).map((t) => r.bytes(t));
  } catch {
    return [];
  }
}

function explicitParams(rng: Rng, like?: Buffer): Buffer {
  const fields = like
    ? (() => {
        const r = new DerReader(like, 100_000);
        const t = r.at(0);
        let from = t.start;
        return r.children(t).map((c) => like.subarray(from, (from = c.end)));
      })()
    : [];
  const [version, field, curve, base, order, cofactor] = fields;
  const pick = <T>(keep: T, odd: () => T) => (rng.chance(0.35) ? odd() : keep);
  return asn.seq(
    pick(version ?? asn.int([1]), () => oddInteger(rng, Buffer.from([1]))),
    pick(field ?? asn.seq(asn.oid('1.2.840.10045.1.1'), asn.int([23])), () =>
      asn.seq(
        asn.oid(rng.pick(['1.2.840.10045.1.1', '1.2.840.10045.1.2', '1.2.3'])),
        rng.chance(0.5)
          ? oddInteger(rng, Buffer.alloc(33, 0xff))
          : asn.seq(asn.int([1]), asn.oid('1.2.840.10045.1.2.3.2'), asn.int([3])),
      ),
    ),
    pick(curve ?? asn.seq(asn.octets(Buffer.alloc(32)), asn.octets(Buffer.alloc(32))), () =>
      asn.seq(
        asn.octets(rng.bytes(rng.int(70))),
        asn.octets(rng.bytes(rng.int(70))),
        ...(rng.chance(0.3) ? [asn.bits(rng.bytes(20))] : []),
      ),
    ),
    pick(base ?? asn.octets(Buffer.from([4])), () => asn.octets(oddPoint(rng, 32))),
    pick(order ?? asn.int([1]), () =>
      oddInteger(rng, order ? new DerReader(order).bytes(new DerReader(order).at(0)) : undefined),
    ),
    ...(rng.chance(0.8) ? [pick(cofactor ?? asn.int([1]), () => oddInteger(rng, Buffer.from([1])))] : []),
  );
}

type Family = 'rsa' | 'dsa' | 'ec' | 'ed' | 'other';
const FAMILY: Record<string, Family> = {
  '1.2.840.113549.1.1.1': 'rsa',
  '1.2.840.113549.1.1.10': 'rsa',
  '1.2.840.10040.4.1': 'dsa',
  '1.2.840.10045.2.1': 'ec',
  '1.3.101.112': 'ed',
  '1.3.101.113': 'ed',
};

function familyOf(oid: Buffer): Family {
  try {
    const r = new DerReader(oid);
    return FAMILY[r.oid(r.at(0))] ?? 'other';
  } catch {
    return 'other';
  }
}

/** Parameters for a key of `family`, most often of the kind that family takes, broken. */
function oddParams(rng: Rng, family: Family, now?: Buffer): Buffer | undefined {
  const own = rng.chance(0.6);
  if (own && family === 'dsa') {
    const [p, q, g] = now ? integers(now) : [];
    return asn.seq(
      rng.chance(0.6) ? oddInteger(rng, p) : asn.int(p ?? [1]),
      rng.chance(0.6) ? oddInteger(rng, q) : asn.int(q ?? [1]),
      rng.chance(0.6) ? oddInteger(rng, g) : asn.int(g ?? [1]),
    );
  }
  if (own && family === 'ec')
    return rng.chance(0.5) ? asn.oid(rng.pick(CURVE_OIDS)) : explicitParams(rng, now?.[0] === 0x30 ? now : undefined);
  if (own && family === 'rsa') {
    // RSASSA-PSS-params, odd
    return asn.seq(
      ...rng.pick([
        [],
        [asn.ctx(0, asn.seq(asn.oid('1.2.3')))],
        [asn.ctx(1, asn.seq(asn.oid('1.2.840.113549.1.1.8')))],
        [asn.ctx(2, oddInteger(rng, Buffer.from([32])))],
        [asn.ctx(3, asn.int([2]))],
      ]),
    );
  }
  switch (rng.int(4)) {
    case 0:
      return undefined;
    case 1:
      return asn.null();
    case 2:
      return tlv(rng.int(256), rng.bytes(rng.int(40)));
    default:
      return now;
  }
}

/** The key's bytes (the BIT STRING's content) for a key of `family`, most often broken the way that family can be. */
function oddKey(rng: Rng, family: Family, key: Buffer): Buffer {
  if (rng.chance(0.7)) {
    const ints = integers(key);
    const int = () => {
      try {
        const r = new DerReader(key);
        return r.bytes(r.at(0));
      } catch {
        return undefined;
      }
    };
    if (family === 'rsa')
      return asn.seq(
        rng.chance(0.6) ? oddInteger(rng, ints[0]) : asn.int(ints[0] ?? [1]),
        rng.chance(0.6) ? oddInteger(rng, ints[1]) : asn.int(ints[1] ?? [3]),
      );
    if (family === 'dsa') return oddInteger(rng, int());
    if (family === 'ec') return oddPoint(rng, rng.pick([24, 28, 32, 48, 66]), key);
    if (family === 'ed') return rng.bytes(rng.pick([0, 1, 31, 32, 33, 56, 57, 58, 114]));
  }
  switch (rng.int(4)) {
    case 0:
      return key.subarray(0, rng.int(key.length + 1));
    case 1:
      return rng.bytes(rng.int(80));
    case 2:
      return asn.seq(oddInteger(rng), oddInteger(rng));
    default:
      return Buffer.concat([key, rng.bytes(1 + rng.int(3))]);
  }
}

function mutateSpki(rng: Rng, spki: Buffer): Buffer {
  const f = spkiFields(spki);
  const oid = rng.chance(0.2) ? asn.oid(rng.pick(KEY_OIDS)) : f.oid;
  const family = familyOf(oid);
  const params = rng.chance(0.4) ? oddParams(rng, family, f.params) : f.params;
  const key = rng.chance(0.7) ? oddKey(rng, family, f.key) : f.key;
  const bits = rng.chance(0.05) ? tlv(0x03, Buffer.from([rng.int(9)]), key) : asn.bits(key);
  return asn.seq(asn.seq(oid, ...(params ? [params] : [])), bits);
}

function generalName(rng: Rng): Buffer {
  switch (rng.int(11)) {
    case 0:
      return tlv(
        0x82,
        Buffer.from(rng.pick(['a.example', '*.b.example', '', 'ü.example', 'a,b.example', 'x'.repeat(300)])),
      );
    case 1:
      return tlv(0x81, Buffer.from('ops@example.com'));
    case 2:
      return tlv(0x86, Buffer.from('https://example.com/"x"'));
    case 3:
      return tlv(0x87, rng.bytes(rng.pick([0, 1, 4, 5, 8, 16, 17, 32])));
    case 4:
      return tlv(
        0xa0,
        asn.oid(rng.pick(['1.3.6.1.4.1.311.20.2.3', '1.3.6.1.5.5.7.8.7', '1.2.3'])),
        asn.ctx(0, nameValue(rng)),
      );
    case 5:
      return tlv(0xa3, rng.chance(0.5) ? asn.seq(tlv(0x61, asn.printable('GB'))) : rng.bytes(rng.int(10)));
    case 6:
      return asn.ctx(4, asn.name(['2.5.4.3', nameValue(rng)]));
    case 7:
      return tlv(
        0xa5,
        ...rng.pick([
          [asn.ctx(1, asn.utf8('p'))],
          [tlv(0x81, Buffer.from('p'))],
          [asn.ctx(0, asn.utf8('a')), asn.ctx(1, nameValue(rng))],
          [],
        ]),
      );
    case 8:
      return tlv(0x88, rng.chance(0.5) ? oidBytes('1.2.3.4') : rng.bytes(rng.int(6)));
    case 9:
      return tlv(rng.int(256), rng.bytes(rng.int(12)));
    default:
      return rng.bytes(1 + rng.int(5));
  }
}

function extension(rng: Rng): Buffer {
  const critical = rng.chance(0.3);
  switch (rng.int(6)) {
    case 0:
      return asn.extension(
        '2.5.29.17',
        asn.seq(...Array.from({ length: rng.int(6) }, () => generalName(rng))),
        critical,
      );
    case 1:
      return asn.extension(
        '2.5.29.19',
        rng.pick([
          asn.seq(),
          asn.seq(asn.bool(true)),
          asn.seq(asn.bool(true), oddInteger(rng)),
          asn.seq(oddInteger(rng)),
          asn.seq(tlv(0x01, Buffer.from([1, 2]))),
          asn.int([1]),
        ]),
        critical,
      );
    case 2:
      return asn.extension('2.5.29.15', tlv(0x03, rng.bytes(rng.int(5))), critical);
    case 3:
      return asn.extension(
        '2.5.29.37',
        asn.seq(
          ...Array.from({ length: rng.int(4) }, () =>
            rng.chance(0.7) ? asn.oid(rng.pick(['1.3.6.1.5.5.7.3.1', '2.5.29.37.0', '1.2.3'])) : nameValue(rng),
          ),
        ),
        critical,
      );
    case 4:
      return asn.extension(
        rng.pick(['2.5.29.17', '2.5.29.19', '2.5.29.15', '2.5.29.37', '1.2.3.4', '2.5.29.14']),
        rng.bytes(rng.int(30)),
        critical,
      );
    default:
      return tlv(0x30, rng.bytes(rng.int(20)));
  }
}

function mutateField(rng: Rng, p: CertParts): CertParts {
  switch (rng.int(7)) {
    case 0:
    case 1:
    case 2:
      return { ...p, spki: mutateSpki(rng, p.spki) };
    case 3:
      return {
        ...p,
        extensions: rng.chance(0.5)
          ? [...p.extensions, extension(rng)]
          : Array.from({ length: 1 + rng.int(5) }, () => extension(rng)),
      };
    case 4: {
      const name = asn.name(
        ...Array.from(
          { length: 1 + rng.int(3) },
          () =>
            [rng.pick(['2.5.4.3', '2.5.4.10', '2.5.4.6', '1.2.840.113549.1.9.1', '1.2.3']), nameValue(rng)] as [
              string,
              Buffer,
            ],
        ),
      );
      // Issuer and subject alike, most of the time, so the self-signature check runs on the key.
      return { ...p, subject: name, issuer: rng.chance(0.7) ? name : p.issuer };
    }
    case 5:
      return { ...p, validity: asn.seq(time(rng), time(rng)) };
    default: {
      const sig = asn.seq(
        asn.oid(rng.pick([...Object.keys(SIGNATURE_ALGORITHMS), '1.2.3'])),
        ...(rng.chance(0.3) ? [tlv(rng.int(256), rng.bytes(rng.int(10)))] : []),
      );
      return {
        ...p,
        signature: sig,
        sigAlg: sig,
        sigValue: rng.chance(0.5) ? asn.bits(rng.bytes(rng.int(200))) : p.sigValue,
      };
    }
  }
}

export interface FuzzCase {
  seed: string;
  der: Buffer;
}

/** Case `index` of run `runSeed`. */
export function fuzzCase(seeds: Seed[], runSeed: number, index: number): FuzzCase {
  const rng = new Rng((runSeed * 0x9e3779b1) ^ index);
  const seed = rng.pick(seeds);
  let parts: CertParts = seed.parts;
  for (let n = 1 + rng.int(3); n > 0; n--) {
    try {
      parts = mutateField(rng, parts);
    } catch {
      /* a field an earlier mutation left unreadable to the DER reader stays as it is */
    }
  }
  let der = rng.chance(0.85) ? resign(parts, seed.key) : join(parts);
  if (rng.chance(0.1))
    der = mutate(
      der,
      rng.pick([
        { kind: 'flip' as const, at: [rng.int(der.length)], bit: rng.int(8) },
        { kind: 'truncate' as const, at: rng.int(der.length) },
        { kind: 'splice' as const, at: rng.int(der.length), other: rng.int(der.length), len: 1 + rng.int(64) },
      ]),
    );
  return { seed: seed.name, der };
}
