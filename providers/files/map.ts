import { basename } from 'node:path';
import type { Certificate } from '../../src/model/types.js';
import { certificateFacts } from '../../src/x509/index.js';

/** A certificate file on disk -> one Certificate record (a bundle's first certificate is the leaf). */
export function fileCertificate(path: string, location: string, content: Buffer | { error: string }): Certificate {
  const base: Certificate = {
    kind: 'certificate',
    uid: `files:${path}`,
    provider: 'files',
    account: 'local',
    location,
    name: path,
    ref: path,
  };
  if ('error' in content) return { ...base, parseError: content.error };
  const parsed = certificateFacts(content);
  return {
    ...base,
    ...parsed.facts,
    ...(parsed.chain.length ? { chain: parsed.chain } : {}),
    ...(parsed.parseError ? { parseError: parsed.parseError } : {}),
    state: stateOf(parsed.facts?.notAfter),
    file: { file: basename(path), bytes: content.length },
  };
}

function stateOf(notAfter?: string): Certificate['state'] {
  return notAfter === undefined ? undefined : 'active';
}
