import { z } from 'zod';
import { defineRule } from '../../src/engine/api/rule.js';
import { DAY_MS, liveBindings, servedByText } from '../../src/engine/api/facts.js';

export default defineRule({
  id: 'cert-expired',
  title: 'Certificate has expired',
  category: 'expiry',
  severity: 'high',
  description:
    'The certificate is past its notAfter date. Clients refuse it; anything that serves it is down for them. ' +
    'Severity is critical when a live binding serves it, and low when every binding source ran and nothing uses it.',
  remediation: 'Renew or replace the certificate and redeploy it everywhere it is bound; delete it if nothing uses it.',
  references: ['https://www.rfc-editor.org/rfc/rfc5280#section-4.1.2.5'],
  compliance: {
    'PCI-DSS-4.0': ['4.2.1'],
    'NIST-SP-800-52r2': ['3.2.1'],
    'NIST-SP-800-57': ['5.3'],
    'CIS-AWS-3.0': ['1.19'],
    MCSB: ['DP-7'],
    'AWS-Config': ['acm-certificate-expiration-check'],
    'Azure-Policy': ['Certificates should not expire within the specified number of days'],
  },
  params: z.object({}).strict(),
  *check(inv, { now }) {
    for (const cert of inv.certificates) {
      if (!cert.notAfter || Date.parse(cert.notAfter) > now.getTime()) continue;
      const bindings = liveBindings(inv, cert);
      const usage = inv.usage(cert);
      const days = Math.floor((now.getTime() - Date.parse(cert.notAfter)) / DAY_MS);
      yield {
        resource: cert,
        severity: usage === 'bound' ? 'critical' : usage === 'unbound' ? 'low' : 'high',
        message: `${cert.name} expired ${days} day(s) ago (${cert.notAfter})${servedByText(bindings)}`,
        related: bindings.map((b) => b.uid),
        evidence: { notAfter: cert.notAfter, daysSinceExpiry: days, usage, bindings: bindings.length },
      };
    }
  },
});
