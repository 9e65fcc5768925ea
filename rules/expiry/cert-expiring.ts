import { z } from 'zod';
import { defineRule } from '../../src/engine/api/rule.js';
import { daysUntil, liveBindings, servedByText } from '../../src/engine/api/facts.js';
import { raise, type Severity } from '../../src/model/severity.js';

export default defineRule({
  id: 'cert-expiring',
  title: 'Certificate expires soon',
  category: 'expiry',
  severity: 'medium',
  description:
    'The certificate expires within `warnDays` (medium) or `criticalDays` (high). ' +
    'One step more severe when a live binding serves it or the provider reports it in use; the finding names every binding.',
  remediation:
    'Renew the certificate (or fix its automatic renewal) and confirm the renewed one is deployed where it is bound.',
  references: [
    'https://www.rfc-editor.org/rfc/rfc5280#section-4.1.2.5',
    'https://csrc.nist.gov/pubs/sp/800/57/pt1/r5/final',
  ],
  compliance: {
    'PCI-DSS-4.0': ['4.2.1', '4.2.1.1'],
    'NIST-SP-800-52r2': ['3.2.1'],
    'NIST-SP-800-57': ['5.3'],
    MCSB: ['DP-7'],
    'AWS-Config': ['acm-certificate-expiration-check'],
    'Azure-Policy': ['Certificates should not expire within the specified number of days'],
  },
  params: z
    .object({
      warnDays: z.number().int().positive().default(30),
      criticalDays: z.number().int().nonnegative().default(7),
    })
    .strict()
    .refine((p) => p.criticalDays <= p.warnDays, {
      message: 'criticalDays must not exceed warnDays',
      path: ['criticalDays'],
    }),
  *check(inv, { now, params }) {
    for (const cert of inv.certificates) {
      if (!cert.notAfter || Date.parse(cert.notAfter) <= now.getTime()) continue;
      const days = daysUntil(cert.notAfter, now);
      if (days >= params.warnDays) continue;
      const bindings = liveBindings(inv, cert);
      const usage = inv.usage(cert);
      let severity: Severity = days < params.criticalDays ? 'high' : 'medium';
      if (usage === 'bound') severity = raise(severity);
      yield {
        resource: cert,
        severity,
        message: `${cert.name} expires in ${days} day(s) (${cert.notAfter})${servedByText(bindings)}`,
        related: bindings.map((b) => b.uid),
        evidence: { notAfter: cert.notAfter, daysLeft: days, usage, bindings: bindings.length },
      };
    }
  },
});
