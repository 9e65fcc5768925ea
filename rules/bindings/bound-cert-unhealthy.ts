import { z } from 'zod';
import { defineRule } from '../../src/engine/api/rule.js';
import { describeBinding } from '../../src/engine/api/facts.js';

export default defineRule({
  id: 'bound-cert-unhealthy',
  title: 'A live binding serves an unusable certificate',
  category: 'bindings',
  severity: 'critical',
  description:
    'A live listener (or gateway, or endpoint) serves a certificate that is expired, revoked, failed, disabled, not yet valid, or unreadable. ' +
    'Clients are failing their handshakes with it now.',
  remediation: 'Deploy a valid certificate to the binding at once, then find out why the unhealthy one stayed bound.',
  references: ['https://www.rfc-editor.org/rfc/rfc5280#section-6'],
  compliance: {
    'PCI-DSS-4.0': ['4.2.1'],
    'NIST-SP-800-52r2': ['3.2.1'],
    MCSB: ['DP-3', 'DP-7'],
    'AWS-Config': ['acm-certificate-expiration-check'],
  },
  params: z.object({}).strict(),
  *check(inv, { now }) {
    for (const b of inv.bindings) {
      if (b.live === false) continue;
      const cert = inv.certificateOf(b);
      if (!cert) continue;
      const reasons: string[] = [];
      if (cert.notAfter && Date.parse(cert.notAfter) <= now.getTime()) reasons.push(`expired on ${cert.notAfter}`);
      if (cert.notBefore && Date.parse(cert.notBefore) > now.getTime())
        reasons.push(`not valid until ${cert.notBefore}`);
      if (cert.state && ['revoked', 'failed', 'disabled', 'inactive'].includes(cert.state))
        reasons.push(`is ${cert.state}`);
      if (!cert.key && cert.parseError) reasons.push('cannot be read');
      if (reasons.length === 0) continue;
      yield {
        resource: b,
        message: `${describeBinding(b)} serves ${cert.name}, which ${reasons.join(' and ')}`,
        related: [cert.uid],
        evidence: { certificate: cert.uid, reasons, state: cert.state ?? null, notAfter: cert.notAfter ?? null },
      };
    }
  },
});
