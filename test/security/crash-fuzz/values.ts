/**
 * Values that break a parser's assumptions, drawn from a seeded generator: integers that are
 * zero, negative, even, tiny, huge or not minimally encoded; EC points at infinity, compressed,
 * hybrid or of the wrong length; name values of every ASN.1 type; times in every odd form.
 */
import { asn, tlv } from '../../fixtures/craft.js';

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
  int(n: number): number {
    return this.next() % n;
  }
  chance(p: number): boolean {
    return this.next() / 2 ** 32 < p;
  }
  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)];
  }
  bytes(n: number): Buffer {
    return Buffer.from(Array.from({ length: n }, () => this.int(256)));
  }
}

/** The content bytes of an INTEGER, some way off from `like`. */
export function oddIntegerContent(rng: Rng, like: Buffer = Buffer.from([1, 0, 1])): Buffer {
  const b = Buffer.from(like);
  switch (rng.int(12)) {
    case 0:
      return Buffer.from([0]);
    case 1:
      return Buffer.from([1]);
    case 2:
      return Buffer.from([0xff]); // -1
    case 3: // the same magnitude, negative
      return Buffer.concat([Buffer.from([0x80 | (b[0] === 0 ? (b[1] ?? 0) : b[0])]), b.subarray(b[0] === 0 ? 2 : 1)]);
    case 4: // not minimally encoded
      return Buffer.concat([Buffer.from([0, 0]), b]);
    case 5: // even
      b[b.length - 1] &= 0xfe;
      return b;
    case 6:
      return b.subarray(0, Math.max(1, rng.int(b.length)));
    case 7:
      return Buffer.concat([b, rng.bytes(1 + rng.int(8))]);
    case 8: // larger than any key size a library accepts
      return Buffer.concat([Buffer.from([0x7f]), rng.bytes(2100 + rng.int(200))]);
    case 9:
      return Buffer.alloc(0);
    case 10:
      return rng.bytes(1 + rng.int(600));
    default:
      b[rng.int(b.length)] ^= 1 << rng.int(8);
      return b;
  }
}

export const oddInteger = (rng: Rng, like?: Buffer) => asn.int(oddIntegerContent(rng, like));

/** The content of an EC point for a field of `size` bytes. */
export function oddPoint(rng: Rng, size: number, like?: Buffer): Buffer {
  switch (rng.int(10)) {
    case 0:
      return Buffer.from([0]); // the point at infinity
    case 1:
      return Buffer.concat([Buffer.from([4]), rng.bytes(2 * size)]);
    case 2:
      return Buffer.concat([Buffer.from([2 + rng.int(2)]), rng.bytes(size)]);
    case 3:
      return Buffer.concat([Buffer.from([6 + rng.int(2)]), rng.bytes(2 * size)]); // hybrid form
    case 4:
      return Buffer.concat([Buffer.from([rng.int(256)]), rng.bytes(rng.int(3 * size))]);
    case 5:
      return Buffer.alloc(0);
    case 6:
      return Buffer.concat([Buffer.from([4]), Buffer.alloc(2 * size)]);
    case 7:
      return like ? like.subarray(0, rng.int(like.length)) : Buffer.from([4]);
    case 8:
      return like ? Buffer.concat([like, rng.bytes(1 + rng.int(4))]) : Buffer.from([4, 0]);
    default: {
      const b = Buffer.from(like ?? rng.bytes(1 + 2 * size));
      b[rng.int(b.length)] ^= 1 << rng.int(8);
      return b;
    }
  }
}

/** An attribute value of any type, well-formed or not. */
export function nameValue(rng: Rng): Buffer {
  const text = rng.pick(['fuzz', '', 'Zürich', '😀', 'a,b+c="d"\\', '\u0000\u001b[31m', 'x'.repeat(300)]);
  switch (rng.int(8)) {
    case 0:
      return asn.utf8(text);
    case 1:
      return asn.printable(text.replace(/[^\x20-\x7e]/g, '?'));
    case 2:
      return tlv(rng.pick([0x0c, 0x12, 0x13, 0x14, 0x16, 0x1a, 0x1c, 0x1e]), rng.bytes(rng.int(12)));
    case 3:
      return tlv(rng.int(256), rng.bytes(rng.int(8))); // any tag, any class
    case 4:
      return Buffer.concat([
        Buffer.from([rng.pick([0x1f, 0x5f, 0x7f, 0x9f, 0xff]), 0x80 | rng.int(128), rng.int(128), 1]),
        rng.bytes(1),
      ]); // long-form tags
    case 5:
      return asn.seq(asn.int([1]), asn.utf8(text));
    case 6:
      return tlv(0x1e, Buffer.from(text, 'utf16le').swap16());
    default:
      return rng.bytes(1 + rng.int(6));
  }
}

/** A UTCTime or GeneralizedTime, in its strict form or one of many loose ones. */
export function time(rng: Rng): Buffer {
  const utc = rng.pick([
    '250101000000Z',
    '491231235959Z',
    '500101000000Z',
    '2501010000Z',
    '250101000000+0100',
    '250101000000',
    '251301000000Z',
    '250230000000Z',
    '250101246060Z',
    '25010100000.5Z',
    '',
    'ZZZZZZZZZZZZZ',
    '250101000000z',
  ]);
  const gen = rng.pick([
    '20250101000000Z',
    '99991231235959Z',
    '00000101000000Z',
    '20250101000000.123Z',
    '20250101000000.Z',
    '2025010100Z',
    '20250101000000',
    '20250101000000-0800',
    '19500101000000Z',
    '2025010100000060Z',
    '20250229000000Z',
    '2025-01-01T00:00:00Z',
  ]);
  switch (rng.int(4)) {
    case 0:
      return asn.utc(utc);
    case 1:
      return asn.generalized(gen);
    case 2:
      return tlv(rng.pick([0x17, 0x18]), Buffer.from(rng.pick([utc, gen]), 'latin1'));
    default:
      return tlv(rng.pick([0x17, 0x18, 0x04, 0x0c, 0x02]), rng.bytes(rng.int(20)));
  }
}
