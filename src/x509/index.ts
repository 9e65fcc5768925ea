/**
 * The only place certwarden parses certificates. Every function here returns a value and never
 * throws: bytes a cloud hands us are hostile until proven otherwise.
 */
import type { ChainFacts, X509Facts } from '../model/types.js';
import { chainFacts, parseDer } from './parse.js';

export interface ParsedCertificate {
  facts?: X509Facts;
  chain: ChainFacts[];
  parseError?: string;
}

/** A bundle beyond this many certificates is a mistake or an attack; the rest is not parsed. */
export const MAX_CHAIN = 32;

const PEM_BLOCK = /-----BEGIN (?:X509 |TRUSTED )?CERTIFICATE-----([\s\S]*?)-----END (?:X509 |TRUSTED )?CERTIFICATE-----/g;

function describe(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.replace(/\s+/g, ' ').slice(0, 300);
}

function looksLikePem(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.subarray(0, Math.min(bytes.length, 4096))).toString('latin1');
  return head.includes('-----BEGIN');
}

/** Splits PEM text into DER blocks; the count is capped so a huge bundle stays cheap. */
export function pemBlocks(text: string, max = MAX_CHAIN + 1): { blocks: Buffer[]; total: number } {
  const blocks: Buffer[] = [];
  let total = 0;
  for (const m of text.matchAll(PEM_BLOCK)) {
    total++;
    if (blocks.length < max) blocks.push(Buffer.from(m[1].replace(/[^A-Za-z0-9+/=]/g, ''), 'base64'));
  }
  return { blocks, total };
}

/** Facts of a PEM bundle (first = leaf, rest = chain) or a single DER certificate. */
export function certificateFacts(input: Uint8Array | string): ParsedCertificate {
  try {
    const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
    if (bytes.length === 0) return { chain: [], parseError: 'empty input: no certificate bytes' };
    let ders: Buffer[];
    let total: number;
    if (looksLikePem(bytes)) {
      ({ blocks: ders, total } = pemBlocks(bytes.toString('utf8')));
      if (ders.length === 0) return { chain: [], parseError: 'PEM text holds no CERTIFICATE block' };
    } else {
      ders = [bytes];
      total = 1;
    }
    let facts: X509Facts;
    try {
      facts = parseDer(ders[0]);
    } catch (err) {
      return { chain: [], parseError: `not a valid X.509 certificate: ${describe(err)}` };
    }
    const chain: ChainFacts[] = [];
    const problems: string[] = [];
    ders.slice(1, MAX_CHAIN + 1).forEach((der, i) => {
      try {
        chain.push(chainFacts(parseDer(der)));
      } catch (err) {
        problems.push(`chain certificate ${i + 1} is not valid X.509: ${describe(err)}`);
      }
    });
    if (total > MAX_CHAIN + 1) problems.push(`bundle holds ${total} certificates; only the first ${MAX_CHAIN + 1} were read`);
    return problems.length ? { facts, chain, parseError: problems.join('; ') } : { facts, chain };
  } catch (err) {
    return { chain: [], parseError: `unreadable certificate bytes: ${describe(err)}` };
  }
}

export { formatName } from './parse.js';
