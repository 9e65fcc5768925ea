/**
 * PEM text -> the DER of its certificate blocks, in one forward pass (RFC 7468).
 *
 * A scanner, not a regular expression: a lazy `BEGIN([\s\S]*?)END` pattern restarts its search
 * for END at every BEGIN, so a file of BEGIN lines and no END costs time quadratic in its size
 * (files up to 64 MB are read). Here every character is looked at a bounded number of times:
 * `indexOf` finds the next run of five dashes from where the last marker ended, and a marker's
 * label is read within MAX_LABEL characters.
 *
 * What the scanner holds a block to is what OpenSSL's PEM reader holds it to: END names the
 * same label as BEGIN, and the body is base64 (whitespace aside) of a length that is a multiple
 * of 4. A block that breaks a rule keeps its place in the bundle as an error, so the leaf is
 * never silently replaced by the certificate after it.
 */

/** Labels OpenSSL reads as a certificate (PEM_STRING_X509, _OLD and _TRUSTED). */
const CERTIFICATE_LABELS = new Set(['CERTIFICATE', 'X509 CERTIFICATE', 'TRUSTED CERTIFICATE']);

/** RFC 7468 labels are short; anything longer between dashes is not a marker. */
const MAX_LABEL = 64;

const DASHES = '-----';

export type PemBlock = { der: Buffer } | { error: string };

export interface PemScan {
  /** Certificate blocks in order, up to the cap; broken ones hold an error instead of DER. */
  blocks: PemBlock[];
  /** Certificate blocks in the whole text, including those past the cap. */
  total: number;
}

interface Marker {
  kind: 'BEGIN' | 'END';
  label: string;
  /** Offset just past the marker's closing dashes. */
  end: number;
}

/** The marker whose leading dashes are at `at`, if one is there. Reads at most MAX_LABEL + 16 characters. */
function markerAt(text: string, at: number): Marker | undefined {
  const kind = text.startsWith('BEGIN ', at + 5) ? 'BEGIN' : text.startsWith('END ', at + 5) ? 'END' : undefined;
  if (!kind) return undefined;
  const from = at + 5 + kind.length + 1;
  const limit = Math.min(text.length, from + MAX_LABEL + 1);
  let i = from;
  while (i < limit && text.charCodeAt(i) !== 0x2d /* - */ && text.charCodeAt(i) !== 0x0a) i++;
  if (i === from || !text.startsWith(DASHES, i)) return undefined;
  return { kind, label: text.slice(from, i), end: i + 5 };
}

const WHITESPACE = /[\t\n\v\f\r ]+/g;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The DER of one block's body, or why it is not base64. */
function decode(body: string): PemBlock {
  const b64 = body.replace(WHITESPACE, '');
  if (!BASE64.test(b64)) return { error: 'holds characters that are not base64' };
  if (b64.length % 4 !== 0) return { error: `holds ${b64.length} base64 characters, not a multiple of 4` };
  if (b64.length === 0) return { error: 'is empty' };
  return { der: Buffer.from(b64, 'base64') };
}

/** Splits PEM text into certificate blocks; at most `max` are decoded, all are counted. */
export function scanPem(text: string, max: number): PemScan {
  const blocks: PemBlock[] = [];
  let total = 0;
  const add = (block: () => PemBlock) => {
    total++;
    if (blocks.length < max) blocks.push(block());
  };
  let open: { label: string; from: number } | undefined;
  let pos = 0;
  for (;;) {
    const at = text.indexOf(DASHES, pos);
    if (at < 0) break;
    const m = markerAt(text, at);
    if (!m) {
      pos = at + 1;
      continue;
    }
    pos = m.end;
    if (m.kind === 'BEGIN') {
      // A BEGIN inside an open block means that block never ended; the new one starts here.
      if (open && CERTIFICATE_LABELS.has(open.label)) add(() => ({ error: 'has no END line' }));
      open = { label: m.label, from: m.end };
      continue;
    }
    if (!open) continue; // an END with no BEGIN before it
    const { label, from } = open;
    open = undefined;
    if (!CERTIFICATE_LABELS.has(label)) continue;
    if (m.label !== label) add(() => ({ error: `ends with END ${m.label}, not END ${label}` }));
    else add(() => decode(text.slice(from, at)));
  }
  if (open && CERTIFICATE_LABELS.has(open.label)) add(() => ({ error: 'has no END line' }));
  return { blocks, total };
}
