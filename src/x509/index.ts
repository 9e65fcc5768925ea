/**
 * The only place certwarden parses certificates. Every function here returns a value and never
 * throws: bytes a cloud hands us are hostile until proven otherwise.
 */
import type { ChainFacts, X509Facts } from '../model/types.js';
import { chainFacts, parseDer } from './parse.js';
import { scanPem } from './pem.js';

export interface ParsedCertificate {
  facts?: X509Facts;
  chain: ChainFacts[];
  parseError?: string;
}

/** A bundle beyond this many certificates is a mistake or an attack; the rest is not parsed. */
export const MAX_CHAIN = 32;

function describe(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.replace(/\s+/g, ' ').slice(0, 300);
}

function looksLikePem(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.subarray(0, Math.min(bytes.length, 4096))).toString('latin1');
  return head.includes('-----BEGIN');
}

/** Facts of a PEM bundle (first = leaf, rest = chain) or a single DER certificate. */
export function certificateFacts(input: Uint8Array | string): ParsedCertificate {
  try {
    const bytes =
      typeof input === 'string'
        ? Buffer.from(input, 'utf8')
        : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
    if (bytes.length === 0) return { chain: [], parseError: 'empty input: no certificate bytes' };
    const { blocks, total } = looksLikePem(bytes)
      ? scanPem(bytes.toString('utf8'), MAX_CHAIN + 1)
      : { blocks: [{ der: bytes }], total: 1 };
    if (total === 0) return { chain: [], parseError: 'PEM text holds no CERTIFICATE block' };
    const tooMany =
      total > MAX_CHAIN + 1 ? [`bundle holds ${total} certificates; only the first ${MAX_CHAIN + 1} were read`] : [];
    const leaf = blocks[0];
    if ('error' in leaf) return { chain: [], parseError: [`PEM block 1 ${leaf.error}`, ...tooMany].join('; ') };
    let facts: X509Facts;
    try {
      facts = parseDer(leaf.der);
    } catch (err) {
      return { chain: [], parseError: `not a valid X.509 certificate: ${describe(err)}` };
    }
    const chain: ChainFacts[] = [];
    const problems: string[] = [];
    blocks.slice(1).forEach((block, i) => {
      if ('error' in block) return problems.push(`chain certificate ${i + 1} ${block.error}`);
      try {
        chain.push(chainFacts(parseDer(block.der)));
      } catch (err) {
        problems.push(`chain certificate ${i + 1} is not valid X.509: ${describe(err)}`);
      }
    });
    problems.push(...tooMany);
    return problems.length ? { facts, chain, parseError: problems.join('; ') } : { facts, chain };
  } catch (err) {
    return { chain: [], parseError: `unreadable certificate bytes: ${describe(err)}` };
  }
}

export { formatName } from './parse.js';
