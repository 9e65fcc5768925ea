import { z } from 'zod';
import { defineRule } from '../../src/engine/api/rule.js';

export default defineRule({
  id: 'cert-unparseable',
  title: 'Certificate bytes cannot be read',
  category: 'hygiene',
  severity: 'medium',
  description:
    'The bytes stored as a certificate (a file, an ACM body, a Key Vault `cer`) are not valid X.509, or its chain holds a member that is not. ' +
    'No other rule can judge what cannot be read, so its expiry and key are unknown.',
  remediation:
    'Replace the stored object with the real certificate (PEM or DER); check for truncation or a wrong file.',
  references: ['https://www.rfc-editor.org/rfc/rfc5280', 'https://www.rfc-editor.org/rfc/rfc7468'],
  compliance: { 'PCI-DSS-4.0': ['4.2.1.1'], MCSB: ['DP-7'] },
  params: z.object({}).strict(),
  *check(inv) {
    for (const cert of inv.certificates) {
      if (!cert.parseError) continue;
      yield {
        resource: cert,
        // A readable leaf with a broken chain member is less blind than an unreadable leaf.
        severity: cert.key ? 'low' : 'medium',
        message: `${cert.name}: ${cert.parseError}`,
        evidence: { parseError: cert.parseError },
      };
    }
  },
});
