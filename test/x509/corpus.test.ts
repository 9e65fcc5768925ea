/**
 * Agreement with OpenSSL on certificates nobody here wrote: the X.509 test vectors of the Python
 * `cryptography` project as Debian ships them (package python3-cryptography-vectors, which
 * .ci/run installs): real CA and server certificates, the NIST PKITS suite, and hand-made odd
 * ones (explicit curves, legacy OIDs, unusual names and extensions), plus CRLs and cross-certificate
 * pairs that are not certificates at all.
 *
 * For every file OpenSSL loads as a certificate, certwarden's key algorithm, size, curve and
 * signature algorithm must be what `openssl x509 -text` prints; every file OpenSSL cannot load must
 * be unparseable to certwarden too. A disagreement passes only when DISAGREEMENTS below names the
 * file and says why. OpenSSL reads the files through one `openssl storeutl -r -text` over a
 * folder of links to them: the same OSSL_STORE loader `openssl x509 -in` uses, with one process
 * start instead of a thousand.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { KeyFacts } from '../../src/model/types.js';
import { CURVES } from '../../src/x509/oids.js';
import { certificateFacts } from '../../src/x509/index.js';

const ROOT = process.env.CERTWARDEN_X509_VECTORS ?? '/usr/lib/python3/dist-packages/cryptography_vectors/x509';
/** Formats certwarden reads; PKCS#12 and S/MIME files of PKITS are not certificates files. */
const FILES = /\.(pem|der|crt|cer|crl|cp)$/;

/** Files where certwarden and OpenSSL differ, with the reason that is accepted. */
const DISAGREEMENTS: Record<string, string> = {};

const present = existsSync(ROOT);
if (!present && process.env.CI === 'true') {
  test('the corpus is installed (python3-cryptography-vectors, by .ci/run)', () => {
    throw new Error(`${ROOT} is missing: CI must install python3-cryptography-vectors`);
  });
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) return /^(pkcs12|smime)$/.test(n) ? [] : files(p);
    return FILES.test(n) ? [p] : [];
  });
}

/** OpenSSL's text of the first certificate in each file, or undefined where it found none. */
function opensslTexts(list: string[]): Map<string, string | undefined> {
  const links = mkdtempSync(join(tmpdir(), 'cw-corpus-'));
  const byLink = new Map<string, string>();
  list.forEach((file, i) => {
    const link = join(links, `${i}`);
    symlinkSync(file, link);
    byLink.set(link, file);
  });
  // storeutl exits 1 when any file held nothing it could load; every file must still be listed.
  const out = spawnSync('openssl', ['storeutl', '-r', '-certs', '-text', '-passin', 'pass:', links], {
    encoding: 'latin1',
    maxBuffer: 256 * 2 ** 20,
    stdio: ['ignore', 'pipe', 'ignore'],
  }).stdout;
  const texts = new Map<string, string | undefined>();
  for (const block of out.split(/^(?=\d+: Name: )/m)) {
    const name = /^\d+: Name: (.*)$/m.exec(block)?.[1];
    if (!name || !byLink.has(name)) continue;
    const first = /^Certificate:\n[\s\S]*?(?=^ {2}\d+: |^ {2}Total found|(?![\s\S]))/m.exec(block);
    texts.set(byLink.get(name)!, first?.[0]);
  }
  if (texts.size !== list.length) throw new Error(`openssl storeutl listed ${texts.size} of ${list.length} files`);
  return texts;
}

const NIST: Record<string, string> = Object.fromEntries(
  Object.values(CURVES)
    .filter(([n]) => n.startsWith('P-'))
    .map(([n]) => [
      {
        'P-192': 'prime192v1',
        'P-224': 'secp224r1',
        'P-256': 'prime256v1',
        'P-384': 'secp384r1',
        'P-521': 'secp521r1',
      }[n],
      n,
    ]),
);
const ALGORITHMS: Record<string, KeyFacts['algorithm']> = {
  rsaEncryption: 'RSA',
  rsassaPss: 'RSA',
  'id-ecPublicKey': 'EC',
  dsaEncryption: 'DSA',
  ED25519: 'Ed25519',
  ED448: 'Ed448',
};

/** What `openssl x509 -text` says of the fields compared. */
function opensslFacts(text: string) {
  const curve = /ASN1 OID: (\S+)/.exec(text)?.[1];
  return {
    algorithm: ALGORITHMS[/Public Key Algorithm: (.+)/.exec(text)?.[1] ?? ''] ?? 'unknown',
    // EdDSA keys are printed without a size.
    bits: /Public-Key: \((\d+) bit\)/.exec(text)?.[1],
    curve: curve ? (NIST[curve] ?? curve) : /Field Type: /.test(text) ? 'explicit' : undefined,
    // The outer signatureAlgorithm (four spaces in), not the TBSCertificate's copy (eight).
    signatureAlgorithm: /^ {4}Signature Algorithm: (.+)$/m.exec(text)?.[1],
  };
}

(present ? test : test.skip)(
  'certwarden and OpenSSL agree on every file of the corpus, or the difference is explained',
  () => {
    const list = files(ROOT);
    const texts = opensslTexts(list);
    const differences: Record<string, string> = {};
    let loaded = 0;
    let agreed = 0;
    for (const file of list) {
      const rel = relative(ROOT, file);
      const text = texts.get(file);
      const parsed = certificateFacts(readFileSync(file));
      if (text === undefined) {
        if (parsed.facts) differences[rel] = 'OpenSSL cannot load it; certwarden reads it';
        continue;
      }
      loaded++;
      if (!parsed.facts) {
        differences[rel] = `OpenSSL loads it; certwarden: ${parsed.parseError}`;
        continue;
      }
      const o = opensslFacts(text);
      const k = parsed.facts.key;
      const mine = {
        algorithm: k.algorithm,
        bits: o.bits === undefined && k.algorithm.startsWith('Ed') ? undefined : k.bits?.toString(),
        curve: k.curve,
        signatureAlgorithm: parsed.facts.signatureAlgorithm,
      };
      const diff = (Object.keys(o) as Array<keyof typeof o>)
        .filter((f) => o[f] !== mine[f])
        .map((f) => `${f}: OpenSSL ${o[f]}, certwarden ${mine[f]}`);
      if (diff.length) differences[rel] = diff.join('; ');
      else agreed++;
    }
    const unexplained = Object.fromEntries(Object.entries(differences).filter(([f]) => !DISAGREEMENTS[f]));
    const stale = Object.keys(DISAGREEMENTS).filter((f) => !differences[f]);
    process.stdout.write(
      `x509 corpus: ${list.length} files, ${loaded} loaded by OpenSSL, ${agreed} agree, ${list.length - loaded - Object.keys(differences).filter((f) => differences[f].startsWith('OpenSSL cannot')).length} refused by both, ${Object.keys(differences).length} explained differences\n`,
    );
    expect(unexplained).toEqual({});
    expect(stale).toEqual([]);
    // A corpus that shrank or an OpenSSL that loads nothing would make agreement vacuous.
    expect(list.length).toBeGreaterThan(1000);
    expect(agreed).toBeGreaterThan(500);
  },
);
