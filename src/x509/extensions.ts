/**
 * The extensions certwarden reports (subjectAltName, basicConstraints, keyUsage,
 * extendedKeyUsage), decoded from their DER one at a time. A value that cannot be decoded costs
 * that extension and is named in `errors`; it never costs the certificate's other facts, as
 * OpenSSL too decodes an extension only when it is asked for it. GeneralName forms certwarden
 * does not report (otherName, x400Address, directoryName, ediPartyName, registeredID) are
 * passed over without being decoded.
 */
import { sharedList, sharedSans } from './shared.js';
import type { ExtensionError, SubjectAltNames } from '../model/types.js';
import { DerReader, TAG, type Tlv } from './der.js';
import { EXTENDED_KEY_USAGES } from './oids.js';

export interface RawExtension {
  id: string;
  /** The extnValue OCTET STRING's content. */
  value: Buffer;
}

export interface ExtensionFacts {
  sans: SubjectAltNames;
  isCA: boolean;
  keyUsage: string[];
  extendedKeyUsage: string[];
  errors: ExtensionError[];
}

const SAN = '2.5.29.17';
const BASIC_CONSTRAINTS = '2.5.29.19';
const KEY_USAGE = '2.5.29.15';
const EXTENDED_KEY_USAGE = '2.5.29.37';
/** OpenSSL's short names of the extensions read here. */
const NAMES: Record<string, string> = {
  [SAN]: 'subjectAltName',
  [BASIC_CONSTRAINTS]: 'basicConstraints',
  [KEY_USAGE]: 'keyUsage',
  [EXTENDED_KEY_USAGE]: 'extendedKeyUsage',
};

/** The extension's one value, which must fill the OCTET STRING. */
function single(value: Buffer, tag: number): { r: DerReader; t: Tlv } {
  const r = new DerReader(value);
  const t = r.at(0);
  if (t.end !== value.length) throw new Error('bytes after the value');
  if (t.tag !== tag) throw new Error(`tag 0x${t.tag.toString(16)} where 0x${tag.toString(16)} belongs`);
  return { r, t };
}

export function formatIPv6(b: Buffer): string {
  const parts: string[] = [];
  for (let i = 0; i < 16; i += 2) parts.push(((b[i] << 8) | b[i + 1]).toString(16));
  // The longest run of two or more zero groups becomes "::" (the first such run on a tie).
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && parts[j] === '0') j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  return best < 0 ? parts.join(':') : `${parts.slice(0, best).join(':')}::${parts.slice(best + bestLen).join(':')}`;
}

/** GeneralName tags ([n] IMPLICIT) that are read, and those passed over. */
const UNREPORTED = new Set([0xa0, 0xa3, 0xa4, 0xa5, 0x88]);

function sans(value: Buffer, problems: string[]): SubjectAltNames {
  const out: SubjectAltNames = { dns: [], ip: [], email: [], uri: [] };
  const { r, t } = single(value, TAG.SEQUENCE);
  for (const n of r.children(t)) {
    const b = r.bytes(n);
    if (n.tag === 0x82) out.dns.push(b.toString('latin1'));
    else if (n.tag === 0x81) out.email.push(b.toString('latin1'));
    else if (n.tag === 0x86) out.uri.push(b.toString('latin1'));
    else if (n.tag === 0x87 && b.length === 4) out.ip.push([...b].join('.'));
    else if (n.tag === 0x87 && b.length === 16) out.ip.push(formatIPv6(b));
    else if (n.tag === 0x87) problems.push(`an iPAddress of ${b.length} bytes`);
    else if (!UNREPORTED.has(n.tag)) problems.push(`a GeneralName with tag 0x${n.tag.toString(16)}`);
  }
  return out;
}

function isCA(value: Buffer): boolean {
  const { r, t } = single(value, TAG.SEQUENCE);
  const c = r.children(t);
  const [first, second] = c;
  if (
    c.length > 2 ||
    (first && first.tag !== TAG.BOOLEAN && first.tag !== TAG.INTEGER) ||
    (second && (first.tag !== TAG.BOOLEAN || second.tag !== TAG.INTEGER))
  )
    throw new Error('not a BasicConstraints');
  if (first?.tag !== TAG.BOOLEAN) return false;
  if (first.end - first.start !== 1) throw new Error('a BOOLEAN of more than one byte');
  return r.buf[first.start] !== 0;
}

const KEY_USAGE_NAMES = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'crlSign',
  'encipherOnly',
  'decipherOnly',
];

function keyUsage(value: Buffer): string[] {
  const { r, t } = single(value, TAG.BIT_STRING);
  const b = r.bytes(t);
  if (b.length < 1 || b[0] > 7 || (b.length === 1 && b[0] !== 0)) throw new Error('not a BIT STRING');
  const used = (b.length - 1) * 8 - b[0];
  // Listed alphabetically, so the order does not depend on the bit positions.
  return KEY_USAGE_NAMES.filter((_, i) => i < used && (b[1 + (i >> 3)] >> (7 - (i & 7))) & 1).sort();
}

function extendedKeyUsage(value: Buffer): string[] {
  const { r, t } = single(value, TAG.SEQUENCE);
  return r.children(t).map((o) => {
    const id = r.oid(o);
    return EXTENDED_KEY_USAGES[id] ?? id;
  });
}

/** Facts of the extensions read here; the first of a repeated extension counts. Never throws. */
export function readExtensions(list: RawExtension[]): ExtensionFacts {
  const out: ExtensionFacts = {
    sans: { dns: [], ip: [], email: [], uri: [] },
    isCA: false,
    keyUsage: [],
    extendedKeyUsage: [],
    errors: [],
  };
  const seen = new Set<string>();
  for (const { id, value } of list) {
    const extension = NAMES[id];
    if (!extension) continue;
    if (seen.has(id)) {
      out.errors.push({ extension, error: 'appears more than once; the first is read' });
      continue;
    }
    seen.add(id);
    const problems: string[] = [];
    try {
      if (id === SAN) out.sans = sans(value, problems);
      else if (id === BASIC_CONSTRAINTS) out.isCA = isCA(value);
      else if (id === KEY_USAGE) out.keyUsage = keyUsage(value);
      else out.extendedKeyUsage = extendedKeyUsage(value);
    } catch (err) {
      problems.push(`cannot be decoded: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (problems.length) out.errors.push({ extension, error: problems.join('; ') });
  }
  return {
    ...out,
    sans: sharedSans(out.sans),
    keyUsage: sharedList(out.keyUsage),
    extendedKeyUsage: sharedList(out.extendedKeyUsage),
  };
}
