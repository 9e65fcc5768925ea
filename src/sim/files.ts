import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ScenarioCa, type CertTemplate } from './template.js';

/** Certificate files for the `files` provider in the demo: one of each problem certwarden knows. */
export const SAMPLE_FILES: Record<string, CertTemplate & { der?: boolean; chain?: boolean }> = {
  'web/www.pem': { cn: 'www.example.com', sans: ['www.example.com', 'example.com'], expiresInDays: 120, chain: true },
  'web/api.crt': { cn: 'api.example.com', key: 'ec-p256', expiresInDays: 20, chain: true },
  'legacy/old-vpn.pem': { cn: 'vpn.example.com', key: 'rsa-1024', signature: 'md5', selfSigned: true, expiresInDays: 400 },
  'legacy/intranet.der': { cn: 'intranet.example.internal', signature: 'sha1', expiresInDays: -12, der: true },
  'legacy/dsa.pem': { cn: 'dsa.example.internal', key: 'dsa-2048', selfSigned: true, expiresInDays: 90 },
  'lab/bitcoin-curve.pem': { cn: 'lab.example.com', key: 'ec-secp256k1', selfSigned: true, expiresInDays: 60 },
  'lab/future.pem': { cn: 'future.example.com', validFromDays: 10, expiresInDays: 100 },
  'lab/ed25519.pem': { cn: 'ed.example.com', key: 'ed25519', selfSigned: true, expiresInDays: 300 },
  'broken/truncated.pem': { cn: 'truncated', malformed: true },
};

export function writeSampleFiles(dir: string, now: Date, ca = new ScenarioCa(now)): string[] {
  const written: string[] = [];
  for (const [name, t] of Object.entries(SAMPLE_FILES)) {
    const m = ca.materialize(t, now);
    const path = join(dir, name);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, t.der ? m.der : t.chain ? m.pem + m.chainPem : m.pem);
    written.push(path);
  }
  return written;
}
