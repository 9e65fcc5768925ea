import { z } from 'zod';
import { defineRule } from '../../src/engine/api/rule.js';
import { parsedCertificates } from '../../src/engine/api/facts.js';

export default defineRule({
  id: 'wildcard-certificate',
  title: 'Wildcard certificate',
  category: 'hygiene',
  severity: 'info',
  description:
    'The certificate covers `*.` names. One stolen key then impersonates every host of the domain; inventory them knowingly.',
  remediation:
    'Prefer one certificate per service; where a wildcard is needed, keep its key in as few places as possible.',
  references: [
    'https://www.rfc-editor.org/rfc/rfc6125#section-7.2',
    'https://www.cisa.gov/news-events/alerts/2021/05/11/nsa-releases-guidance-avoiding-dangers-wildcard-tls-certificates',
  ],
  compliance: { 'NIST-SP-800-52r2': ['3.2.1'], 'NIST-SP-800-57': ['6.1'], MCSB: ['DP-7'] },
  params: z.object({}).strict(),
  *check(inv) {
    for (const cert of parsedCertificates(inv)) {
      const wild = [...(cert.sans?.dns ?? []), ...(cert.commonName ? [cert.commonName] : [])].filter((n) =>
        n.startsWith('*.'),
      );
      if (wild.length === 0) continue;
      const names = [...new Set(wild)];
      yield {
        resource: cert,
        message: `${cert.name} is a wildcard certificate for ${names.slice(0, 5).join(', ')}`,
        evidence: { wildcards: names },
      };
    }
  },
});
