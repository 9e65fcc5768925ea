import { z } from 'zod';
import { defineRule } from '../../src/engine/api/rule.js';
import { parsedCertificates } from '../../src/engine/api/facts.js';

/** Signature algorithms whose hash has practical collisions (MD2/MD4/MD5, SHA-1: SHAttered, 2017). */
const WEAK = /^(md2|md4|md5|sha1)|with-?SHA1$|WithSHA1$|dsaWithSHA1/i;

export default defineRule({
  id: 'weak-signature',
  title: 'Certificate is signed with a broken hash',
  category: 'keys',
  severity: 'high',
  description:
    'The certificate, or a certificate of its chain below the root, is signed with MD5 or SHA-1, whose collisions let an attacker forge a certificate.',
  remediation:
    'Reissue the certificate (and the intermediate, if that is the weak one) with a SHA-256 or stronger signature.',
  references: [
    'https://shattered.io/',
    'https://cabforum.org/baseline-requirements/',
    'https://csrc.nist.gov/pubs/sp/800/131/a/r2/final',
  ],
  compliance: {
    'PCI-DSS-4.0': ['4.2.1', '12.3.3'],
    'NIST-SP-800-52r2': ['3.2.1'],
    'NIST-SP-800-57': ['5.6.2'],
    MCSB: ['DP-7'],
  },
  params: z.object({}).strict(),
  *check(inv) {
    for (const cert of parsedCertificates(inv)) {
      // A root's own signature is never checked by clients, so a SHA-1 self-signed root is no weakness.
      const weak = [cert, ...(cert.chain ?? []).filter((c) => !c.selfSigned)].find(
        (c) => c.signatureAlgorithm && WEAK.test(c.signatureAlgorithm),
      );
      if (!weak) continue;
      const own = weak === cert;
      yield {
        resource: cert,
        severity: /^(md2|md4|md5)/i.test(weak.signatureAlgorithm ?? '') ? 'critical' : 'high',
        message: own
          ? `${cert.name} is signed with ${weak.signatureAlgorithm}`
          : `${cert.name} chains through ${weak.subject}, which is signed with ${weak.signatureAlgorithm}`,
        evidence: { signatureAlgorithm: weak.signatureAlgorithm, certificate: own ? 'leaf' : weak.subject },
      };
    }
  },
});
