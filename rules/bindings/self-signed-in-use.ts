import { z } from 'zod';
import { defineRule } from '../../src/engine/api/rule.js';
import { describeBinding } from '../../src/engine/api/facts.js';

export default defineRule({
  id: 'self-signed-in-use',
  title: 'Public listener serves a self-signed certificate',
  category: 'bindings',
  severity: 'high',
  description:
    'An internet-facing binding serves a self-signed certificate. Browsers and API clients refuse it, or users are trained to click through warnings.',
  remediation: 'Serve a certificate from a publicly trusted CA (ACM can issue one at no cost) on public listeners.',
  references: ['https://www.rfc-editor.org/rfc/rfc5280#section-6.1'],
  compliance: {
    'PCI-DSS-4.0': ['4.2.1'],
    'NIST-SP-800-52r2': ['3.2.1'],
    MCSB: ['DP-3'],
    'AWS-Config': ['elbv2-acm-certificate-required'],
  },
  params: z.object({}).strict(),
  *check(inv) {
    for (const b of inv.bindings) {
      if (!b.public || b.live === false) continue;
      const cert = inv.certificateOf(b);
      if (!cert?.selfSigned) continue;
      yield {
        resource: b,
        message: `${describeBinding(b)} is public and serves the self-signed ${cert.name}`,
        related: [cert.uid],
        evidence: { certificate: cert.uid, subject: cert.subject ?? null },
      };
    }
  },
});
