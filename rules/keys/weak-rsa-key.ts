import { z } from 'zod';
import { defineRule } from '../../src/engine/api/rule.js';
import { parsedCertificates } from '../../src/engine/api/facts.js';

export default defineRule({
  id: 'weak-rsa-key',
  title: 'RSA key is too short',
  category: 'keys',
  severity: 'high',
  description:
    "The certificate's RSA key is shorter than `minBits` (2048 by default, the minimum NIST SP 800-57 and the CA/Browser Forum allow).",
  remediation:
    'Reissue the certificate with a new RSA key of at least 2048 bits (3072 for use beyond 2030), or an EC P-256/P-384 key.',
  references: ['https://csrc.nist.gov/pubs/sp/800/57/pt1/r5/final', 'https://cabforum.org/baseline-requirements/'],
  compliance: {
    'PCI-DSS-4.0': ['4.2.1'],
    'NIST-SP-800-52r2': ['3.2'],
    'NIST-SP-800-57': ['5.6.1'],
    MCSB: ['DP-7'],
    'AWS-Config': ['acm-certificate-rsa-check'],
    'Azure-Policy': ['Certificates using RSA cryptography should have the specified minimum key size'],
  },
  params: z.object({ minBits: z.number().int().min(512).default(2048) }).strict(),
  *check(inv, { params }) {
    for (const cert of parsedCertificates(inv)) {
      if (cert.key.algorithm !== 'RSA' || cert.key.bits === undefined || cert.key.bits >= params.minBits) continue;
      yield {
        resource: cert,
        severity: cert.key.bits < 1024 ? 'critical' : 'high',
        message: `${cert.name} has a ${cert.key.bits}-bit RSA key; at least ${params.minBits} bits are required`,
        evidence: { algorithm: 'RSA', bits: cert.key.bits, minBits: params.minBits },
      };
    }
  },
});
