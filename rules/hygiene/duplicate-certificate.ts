import { z } from 'zod';
import { defineRule } from '../../src/engine/api/rule.js';
import { parsedCertificates } from '../../src/engine/api/facts.js';
import type { Certificate } from '../../src/model/types.js';

export default defineRule({
  id: 'duplicate-certificate',
  title: 'Same certificate held in several places',
  category: 'hygiene',
  severity: 'low',
  description:
    'The same certificate (same SHA-256 fingerprint), and so the same private key, is stored in several accounts, regions, vaults or files. ' +
    'Each copy must be renewed separately, and the key is exposed wherever a copy lives.',
  remediation:
    'Keep one copy per place that needs it, renewed by one process; prefer a separate certificate and key per service.',
  references: ['https://csrc.nist.gov/pubs/sp/800/57/pt1/r5/final'],
  compliance: { 'PCI-DSS-4.0': ['3.6.1', '4.2.1.1'], 'NIST-SP-800-57': ['6.1'], MCSB: ['DP-8'] },
  estateWide: true,
  params: z.object({}).strict(),
  *check(inv) {
    // Most fingerprints are held once: a list is made only for the second copy, not for every certificate.
    const first = new Map<string, Certificate>();
    const groups = new Map<string, Certificate[]>();
    for (const c of parsedCertificates(inv)) {
      if (!c.fingerprintSha256) continue;
      const seen = first.get(c.fingerprintSha256);
      if (!seen) first.set(c.fingerprintSha256, c);
      else if (groups.has(c.fingerprintSha256)) groups.get(c.fingerprintSha256)!.push(c);
      else groups.set(c.fingerprintSha256, [seen, c]);
    }
    // In the order fingerprints were first seen, as the findings have always come.
    for (const fingerprint of first.keys()) {
      const copies = groups.get(fingerprint);
      if (!copies) continue;
      for (const cert of copies) {
        const others = copies.filter((o) => o !== cert);
        yield {
          resource: cert,
          message: `${cert.name} is also held as ${others
            .slice(0, 3)
            .map((o) => `${o.provider} ${o.account}/${o.location} ${o.name}`)
            .join(', ')}${others.length > 3 ? ` and ${others.length - 3} more` : ''}`,
          related: others.map((o) => o.uid),
          evidence: { fingerprintSha256: fingerprint, copies: copies.length },
        };
      }
    }
  },
});
