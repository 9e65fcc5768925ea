import { z } from 'zod';
import { defineRule } from '../../src/engine/api/rule.js';
import { DAY_MS, parsedCertificates } from '../../src/engine/api/facts.js';

/**
 * CA/Browser Forum ballot SC-081: maximum validity of publicly trusted TLS certificates issued
 * on or after each date (the 398-day limit has applied since 2020-09-01).
 */
const CABF_SCHEDULE: Array<[string, number]> = [
  ['2029-03-15', 47],
  ['2027-03-15', 100],
  ['2026-03-15', 200],
  ['2020-09-01', 398],
];

export default defineRule({
  id: 'validity-too-long',
  title: 'Validity period is too long',
  category: 'hygiene',
  severity: 'low',
  description:
    'The certificate is valid for longer than `maxDays` (398 by default). With `cabForumSchedule`, publicly trusted (not self-signed) certificates ' +
    'are held to the CA/Browser Forum limit in force on their notBefore date: 200 days from 2026-03-15, 100 from 2027-03-15, 47 from 2029-03-15.',
  remediation: 'Issue shorter-lived certificates and automate their renewal.',
  references: [
    'https://cabforum.org/2025/04/11/ballot-sc081v3-introduce-schedule-of-reducing-validity-and-data-reuse-periods/',
  ],
  compliance: {
    'PCI-DSS-4.0': ['4.2.1'],
    'NIST-SP-800-57': ['5.3'],
    MCSB: ['DP-7'],
    'Azure-Policy': ['Certificates should have the specified maximum validity period'],
  },
  params: z
    .object({ maxDays: z.number().int().positive().default(398), cabForumSchedule: z.boolean().default(false) })
    .strict(),
  *check(inv, { params }) {
    for (const cert of parsedCertificates(inv)) {
      if (!cert.notBefore || !cert.notAfter || cert.isCA) continue;
      const days = Math.round((Date.parse(cert.notAfter) - Date.parse(cert.notBefore)) / DAY_MS);
      let limit = params.maxDays;
      if (params.cabForumSchedule && !cert.selfSigned) {
        const rule = CABF_SCHEDULE.find(([from]) => cert.notBefore! >= from);
        if (rule) limit = Math.min(limit, rule[1]);
      }
      if (days <= limit) continue;
      yield {
        resource: cert,
        message: `${cert.name} is valid for ${days} days, more than ${limit}`,
        evidence: { validityDays: days, maxDays: limit },
      };
    }
  },
});
