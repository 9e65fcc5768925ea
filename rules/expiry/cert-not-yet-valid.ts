import { z } from 'zod';
import { defineRule } from '../../src/engine/api/rule.js';
import { daysUntil, liveBindings, servedByText } from '../../src/engine/api/facts.js';

export default defineRule({
  id: 'cert-not-yet-valid',
  title: 'Certificate is not valid yet',
  category: 'expiry',
  severity: 'medium',
  description:
    "The certificate's notBefore date is in the future; clients refuse it until then. High when a live binding serves it.",
  remediation:
    "Check the issuing system's clock and the certificate's validity window; do not deploy it before notBefore.",
  references: ['https://www.rfc-editor.org/rfc/rfc5280#section-4.1.2.5'],
  compliance: { 'PCI-DSS-4.0': ['4.2.1'], 'NIST-SP-800-52r2': ['3.2.1'], MCSB: ['DP-7'] },
  params: z.object({}).strict(),
  *check(inv, { now }) {
    for (const cert of inv.certificates) {
      if (!cert.notBefore || Date.parse(cert.notBefore) <= now.getTime()) continue;
      const bindings = liveBindings(inv, cert);
      yield {
        resource: cert,
        severity: inv.usage(cert) === 'bound' ? 'high' : 'medium',
        message: `${cert.name} becomes valid only on ${cert.notBefore}, in ${daysUntil(cert.notBefore, now) + 1} day(s)${servedByText(bindings)}`,
        related: bindings.map((b) => b.uid),
        evidence: { notBefore: cert.notBefore },
      };
    }
  },
});
