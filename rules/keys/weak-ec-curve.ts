import { z } from 'zod';
import { defineRule } from '../../src/engine/api/rule.js';
import { parsedCertificates } from '../../src/engine/api/facts.js';

export default defineRule({
  id: 'weak-ec-curve',
  title: 'Elliptic curve is not an approved one',
  category: 'keys',
  severity: 'medium',
  description:
    "The certificate's EC key uses a curve outside `allowedCurves` (P-256, P-384, P-521 by default: the NIST curves that " +
    'browsers and TLS libraries support for certificates). secp256k1 and brainpool keys are refused by most TLS clients.',
  remediation: 'Reissue the certificate with a key on P-256 or P-384.',
  references: ['https://csrc.nist.gov/pubs/sp/800/186/final', 'https://www.rfc-editor.org/rfc/rfc8446#section-4.2.7'],
  compliance: {
    'PCI-DSS-4.0': ['4.2.1'],
    'NIST-SP-800-52r2': ['3.2', '3.3.1'],
    'NIST-SP-800-57': ['5.6.1'],
    MCSB: ['DP-7'],
    'Azure-Policy': ['Certificates using elliptic curve cryptography should have allowed curve names'],
  },
  params: z.object({ allowedCurves: z.array(z.string()).min(1).default(['P-256', 'P-384', 'P-521']) }).strict(),
  *check(inv, { params }) {
    for (const cert of parsedCertificates(inv)) {
      if (cert.key.algorithm !== 'EC' || (cert.key.curve && params.allowedCurves.includes(cert.key.curve))) continue;
      yield {
        resource: cert,
        message: `${cert.name} has an EC key on curve ${cert.key.curve ?? 'unknown'}, which is not one of ${params.allowedCurves.join(', ')}`,
        evidence: { curve: cert.key.curve ?? null, allowedCurves: params.allowedCurves },
      };
    }
  },
});
