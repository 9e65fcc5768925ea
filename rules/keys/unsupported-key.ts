import { z } from 'zod';
import { defineRule } from '../../src/engine/api/rule.js';
import { parsedCertificates } from '../../src/engine/api/facts.js';

export default defineRule({
  id: 'unsupported-key',
  title: 'Key type is not usable for TLS server certificates',
  category: 'keys',
  severity: 'medium',
  description: 'The key is DSA (removed from TLS 1.3 and from every browser) or of a type certwarden cannot identify.',
  remediation: 'Reissue the certificate with an RSA (2048+ bits) or EC P-256/P-384 key.',
  references: ['https://www.rfc-editor.org/rfc/rfc8446#section-4.2.3', 'https://csrc.nist.gov/pubs/fips/186-5/final'],
  compliance: {
    'PCI-DSS-4.0': ['4.2.1'],
    'NIST-SP-800-52r2': ['3.2'],
    'NIST-SP-800-57': ['5.6.1'],
    MCSB: ['DP-7'],
    'Azure-Policy': ['Certificates should use allowed key types'],
  },
  params: z.object({}).strict(),
  *check(inv) {
    for (const cert of parsedCertificates(inv)) {
      if (cert.key.algorithm !== 'DSA' && cert.key.algorithm !== 'unknown') continue;
      yield {
        resource: cert,
        message: `${cert.name} has a ${cert.key.algorithm === 'DSA' ? `${cert.key.bits ?? '?'}-bit DSA` : 'unrecognised'} key`,
        evidence: { key: cert.key },
      };
    }
  },
});
