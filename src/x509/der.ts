/**
 * A minimal reader of DER tag-length-value headers, for the fast path in fast.ts. It decodes
 * nothing but headers and positions; anything outside plain DER (indefinite lengths, long-form
 * tags, lengths past the buffer) throws, and the caller then falls back to the full parser.
 */

export interface Tlv {
  tag: number;
  /** Offset of the value's first byte. */
  start: number;
  /** Offset just past the value. */
  end: number;
}

export class DerReader {
  /** TLVs read so far; the full parser refuses more than 10,000 nodes, and so does this one. */
  nodes = 0;

  constructor(
    readonly buf: Buffer,
    readonly maxNodes = 10_000,
  ) {}

  at(pos: number, limit = this.buf.length): Tlv {
    if (++this.nodes > this.maxNodes) throw new Error(`more than ${this.maxNodes} ASN.1 values`);
    const b = this.buf;
    if (pos + 2 > limit) throw new Error('truncated header');
    const tag = b[pos];
    if ((tag & 0x1f) === 0x1f) throw new Error('long-form tag');
    let len = b[pos + 1];
    let start = pos + 2;
    if (len & 0x80) {
      const n = len & 0x7f;
      if (n === 0 || n > 4) throw new Error('unsupported length');
      if (start + n > limit) throw new Error('truncated length');
      len = 0;
      for (let i = 0; i < n; i++) len = len * 256 + b[start + i];
      start += n;
    }
    const end = start + len;
    if (end > limit) throw new Error('value past its parent');
    return { tag, start, end };
  }

  /** The TLVs directly inside a constructed value. */
  children(t: Tlv): Tlv[] {
    if (!(t.tag & 0x20)) throw new Error('not a constructed value');
    const out: Tlv[] = [];
    for (let pos = t.start; pos < t.end;) {
      const c = this.at(pos, t.end);
      out.push(c);
      pos = c.end;
    }
    return out;
  }

  /**
   * Checks every TLV under `t` the way asn1js would read it, so the fast path declines whatever
   * the full parser would refuse: constructed forms only for SEQUENCE, SET and tagged values;
   * BOOLEAN of one byte, NULL of none, INTEGER and OBJECT IDENTIFIER of at least one.
   */
  walk(t: Tlv): void {
    const universal = (t.tag & 0xc0) === 0;
    const n = t.tag & 0x1f;
    const len = t.end - t.start;
    if (t.tag & 0x20) {
      if (universal && n !== 0x10 && n !== 0x11) throw new Error('constructed primitive');
      for (const c of this.children(t)) this.walk(c);
    } else if (universal) {
      if (
        n === 0 ||
        n === 15 ||
        (n === 1 && len !== 1) ||
        (n === 5 && len !== 0) ||
        ((n === 2 || n === 6) && len === 0)
      )
        throw new Error('bad primitive');
      if (n === 3 && (len === 0 || this.buf[t.start] > 7)) throw new Error('bad BIT STRING');
      if (n === 6 && this.buf[t.end - 1] & 0x80) throw new Error('OBJECT IDENTIFIER ends mid-arc');
    }
  }

  /** Exactly `n` children with the given tags (undefined = any tag). */
  expect(t: Tlv, tags: (number | undefined)[]): Tlv[] {
    const c = this.children(t);
    if (c.length !== tags.length || tags.some((tag, i) => tag !== undefined && c[i].tag !== tag))
      throw new Error('unexpected structure');
    return c;
  }

  bytes(t: Tlv): Buffer {
    return this.buf.subarray(t.start, t.end);
  }

  /** The whole TLV, header included, given its header's offset. */
  raw(from: number, t: Tlv): Buffer {
    return this.buf.subarray(from, t.end);
  }

  oid(t: Tlv): string {
    if (t.tag !== 0x06 || t.end === t.start) throw new Error('not an OBJECT IDENTIFIER');
    const body = this.bytes(t);
    const parts: number[] = [];
    let v = 0;
    for (let i = 0; i < body.length; i++) {
      v = v * 128 + (body[i] & 0x7f);
      if (v > Number.MAX_SAFE_INTEGER / 128) throw new Error('OID arc too large');
      if (!(body[i] & 0x80)) {
        if (parts.length === 0) parts.push(v < 80 ? Math.floor(v / 40) : 2, v < 80 ? v % 40 : v - 80);
        else parts.push(v);
        v = 0;
      } else if (i === body.length - 1) throw new Error('OID ends mid-arc');
    }
    return parts.join('.');
  }
}

/** Tags this reader names. */
export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;
