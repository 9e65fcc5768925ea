import { z } from 'zod';
import { defineRule } from '../../src/engine/api/rule.js';

export default defineRule({
  id: 'ct-logging-disabled',
  title: 'Certificate Transparency logging is disabled',
  category: 'hygiene',
  severity: 'low',
  requires: ['acm'],
  description:
    'The ACM certificate opts out of Certificate Transparency logging. Browsers such as Chrome and Safari require CT proof for publicly trusted certificates, ' +
    'so an Amazon-issued certificate renewed without it will be refused (medium); for imported or private certificates the setting is informational (low).',
  remediation:
    'Set the certificate option CertificateTransparencyLoggingPreference to ENABLED (UpdateCertificateOptions) unless the name must stay unpublished.',
  references: [
    'https://docs.aws.amazon.com/acm/latest/userguide/acm-concepts.html#concept-transparency',
    'https://www.rfc-editor.org/rfc/rfc9162',
  ],
  compliance: {
    'NIST-SP-800-52r2': ['3.4'],
    MCSB: ['DP-7'],
    'AWS-Config': ['acm-certificate-transparent-logging-enabled'],
  },
  needs: ['acm-detail'],
  params: z.object({}).strict(),
  *check(inv) {
    for (const cert of inv.certificates) {
      const meta = cert.acm;
      if (meta?.ctLogging !== 'DISABLED') continue;
      yield {
        resource: cert,
        severity: meta.type === 'AMAZON_ISSUED' ? 'medium' : 'low',
        message: `${cert.name} has Certificate Transparency logging disabled`,
        evidence: { ctLogging: 'DISABLED', type: meta.type ?? null },
      };
    }
  },
});
