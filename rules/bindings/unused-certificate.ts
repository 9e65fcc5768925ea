import { z } from 'zod';
import { defineRule } from '../../src/engine/api/rule.js';
import { DAY_MS } from '../../src/engine/api/facts.js';

export default defineRule({
  id: 'unused-certificate',
  title: 'Certificate is not used anywhere',
  category: 'bindings',
  severity: 'low',
  description:
    'Nothing in the inventory binds the certificate and its provider does not report it in use. ' +
    "It is judged only when every binding source that could use it ran completely where such a binding can be (an ACM certificate's own region, an IAM certificate's account, " +
    'any subscription for Key Vault), and only once it is older than `graceDays`, ' +
    'so a certificate is not called unused merely because a binding provider did not run or a deployment is under way.',
  remediation:
    'Delete the certificate if it is truly unused (fewer certificates, fewer surprises), or record why it is kept.',
  references: ['https://docs.aws.amazon.com/acm/latest/userguide/gs-acm-delete.html'],
  compliance: { 'PCI-DSS-4.0': ['4.2.1.1', '12.5.1'], 'NIST-SP-800-57': ['8.3'], MCSB: ['AM-1', 'DP-7'] },
  params: z.object({ graceDays: z.number().int().nonnegative().default(14) }).strict(),
  *check(inv, { now, params }) {
    for (const cert of inv.certificates) {
      // A request that never issued cannot be bound; renewal-failing speaks for it.
      if (cert.state === 'pending' || cert.state === 'failed' || inv.usage(cert) !== 'unbound') continue;
      const born = Date.parse(cert.createdAt ?? cert.notBefore ?? '');
      if (Number.isNaN(born) || now.getTime() - born < params.graceDays * DAY_MS) continue;
      if (cert.notAfter && Date.parse(cert.notAfter) <= now.getTime()) continue; // cert-expired already says "delete it"
      yield {
        resource: cert,
        message: `${cert.name} is not bound to any listener, gateway or endpoint and is not in use`,
        evidence: { createdAt: cert.createdAt ?? null, inUse: cert.inUse ?? null },
      };
    }
  },
});
