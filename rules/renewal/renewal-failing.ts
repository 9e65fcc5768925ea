import { z } from 'zod';
import { defineRule } from '../../src/engine/api/rule.js';
import { daysUntil, liveBindings, servedByText } from '../../src/engine/api/facts.js';

export default defineRule({
  id: 'renewal-failing',
  title: 'Managed renewal is failing',
  category: 'renewal',
  severity: 'high',
  requires: ['acm'],
  description:
    'ACM reports that renewing the certificate failed or is waiting for domain validation that is not happening (renewal status FAILED or ' +
    'PENDING_VALIDATION), or a certificate request ended FAILED or VALIDATION_TIMED_OUT. Managed renewal is what was supposed to prevent an expiry; ' +
    'it will not. Critical when a live binding serves the certificate and it expires within `urgentDays`.',
  remediation:
    'Fix domain validation (the DNS CNAME record or the validation email), or request a new certificate; see the renewal status reason.',
  references: [
    'https://docs.aws.amazon.com/acm/latest/userguide/troubleshooting-renewal.html',
    'https://docs.aws.amazon.com/acm/latest/userguide/managed-renewal.html',
  ],
  compliance: {
    'PCI-DSS-4.0': ['4.2.1'],
    'NIST-SP-800-57': ['5.3'],
    MCSB: ['DP-7'],
    'AWS-Config': ['acm-certificate-expiration-check'],
  },
  needs: ['acm-detail'],
  params: z.object({ urgentDays: z.number().int().positive().default(30) }).strict(),
  *check(inv, { now, params }) {
    for (const cert of inv.certificates) {
      const meta = cert.acm;
      if (!meta) continue;
      const renewal = meta.renewalSummary?.status;
      const requestFailed = meta.status === 'FAILED' || meta.status === 'VALIDATION_TIMED_OUT';
      if (renewal !== 'FAILED' && renewal !== 'PENDING_VALIDATION' && !requestFailed) continue;
      const bindings = liveBindings(inv, cert);
      const days = cert.notAfter ? daysUntil(cert.notAfter, now) : undefined;
      const urgent = bindings.length > 0 && days !== undefined && days < params.urgentDays;
      const what = requestFailed
        ? `the certificate request ended ${meta.status}${meta.failureReason ? ` (${meta.failureReason})` : ''}`
        : `renewal is ${renewal}${meta.renewalSummary?.reason ? ` (${meta.renewalSummary.reason})` : ''}`;
      yield {
        resource: cert,
        severity: urgent ? 'critical' : requestFailed ? 'medium' : 'high',
        message: `${cert.name}: ${what}${days !== undefined ? `; it expires in ${days} day(s)` : ''}${servedByText(bindings)}`,
        related: bindings.map((b) => b.uid),
        evidence: {
          status: meta.status ?? null,
          renewalStatus: renewal ?? null,
          reason: meta.renewalSummary?.reason ?? meta.failureReason ?? null,
          daysLeft: days ?? null,
        },
      };
    }
  },
});
