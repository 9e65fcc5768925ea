/**
 * One child of the crash fuzzer: reads cases (one hex DER per line) from the file named by its
 * argument and puts each through everything certwarden does with certificate bytes: certificateFacts
 * on the DER and on its PEM (which runs the self-signature check in native code when the key
 * passes src/x509/spki.ts), and what the TLS provider asks of a peer's X509Certificate (its raw
 * bytes and fingerprint). Before each case it writes "> i", after it "< i", with blocking writes,
 * so when the process dies the parent knows which case killed it.
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync, writeSync } from 'node:fs';
import { toPem } from '../../../src/sim/certs.js';
import { certificateFacts } from '../../../src/x509/index.js';

/** A blocking write that waits out EAGAIN: stdout is a pipe the parent may drain late under load. */
function line(text: string): void {
  const b = Buffer.from(`${text}\n`);
  for (let off = 0; off < b.length;) {
    try {
      off += writeSync(1, b, off);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
    }
  }
}

const lines = readFileSync(process.argv[2], 'utf8').split('\n').filter(Boolean);
const from = Number(process.argv[3] ?? 0);
for (let i = from; i < lines.length; i++) {
  line(`> ${i}`);
  const der = Buffer.from(lines[i], 'hex');
  const facts = certificateFacts(der);
  certificateFacts(toPem(der));
  try {
    const peer = new X509Certificate(der);
    void peer.raw;
    void peer.fingerprint256;
  } catch {
    /* OpenSSL refused it: a TLS handshake would have too */
  }
  line(`< ${i} ${facts.facts ? 'read' : 'unparseable'}`);
}
