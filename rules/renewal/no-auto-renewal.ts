import { z } from 'zod';
import { defineRule } from '../../src/engine/api/rule.js';
import { daysUntil, liveBindings, servedByText } from '../../src/engine/api/facts.js';
import { raise } from '../../src/model/severity.js';

export default defineRule({
  id: 'no-auto-renewal',
  title: 'Nothing will renew this certificate',
  category: 'renewal',
  severity: 'medium',
  requires: ['acm', 'keyVault'],
  description:
    'The certificate expires within `windowDays` and no automation renews it: an ACM certificate that was imported (ACM never renews those), ' +
    'or a Key Vault certificate whose policy has no AutoRenew lifetime action or whose issuer is `Unknown` (Key Vault cannot renew from an outside CA). ' +
    'A person must act before it expires; one step more severe when a live binding serves it.',
  remediation:
    'Renew it by hand now and plan its replacement by a managed certificate (ACM-issued, or a Key Vault integrated CA with an AutoRenew action).',
  references: [
    'https://docs.aws.amazon.com/acm/latest/userguide/import-reimport.html',
    'https://learn.microsoft.com/azure/key-vault/certificates/overview-renew-certificate',
  ],
  compliance: {
    'PCI-DSS-4.0': ['4.2.1.1'],
    'NIST-SP-800-57': ['5.3'],
    MCSB: ['DP-7'],
    'Azure-Policy': [
      'Certificates should have the specified lifetime action triggers',
      'Certificates should be issued by the specified integrated certificate authority',
    ],
  },
  params: z.object({ windowDays: z.number().int().positive().default(60) }).strict(),
  *check(inv, { now, params }) {
    for (const cert of inv.certificates) {
      if (!cert.notAfter || cert.state === 'disabled') continue;
      const days = daysUntil(cert.notAfter, now);
      if (days >= params.windowDays || Date.parse(cert.notAfter) <= now.getTime()) continue;
      const acm = cert.acm;
      const policy = cert.keyVault?.policy;
      let why: string | undefined;
      if (acm?.type === 'IMPORTED') why = 'it was imported into ACM, which never renews imported certificates';
      else if (policy?.issuerName?.toLowerCase() === 'unknown')
        why = 'its Key Vault issuer is Unknown, so Key Vault cannot renew it';
      else if (policy && !(policy.lifetimeActions ?? []).some((a) => a.action === 'AutoRenew'))
        why = 'its Key Vault policy has no AutoRenew lifetime action';
      if (!why) continue;
      const bindings = liveBindings(inv, cert);
      yield {
        resource: cert,
        severity: inv.usage(cert) === 'bound' ? raise('medium') : 'medium',
        message: `${cert.name} expires in ${days} day(s) and nothing will renew it: ${why}${servedByText(bindings)}`,
        related: bindings.map((b) => b.uid),
        evidence: {
          daysLeft: days,
          type: acm?.type ?? null,
          issuerName: policy?.issuerName ?? null,
          lifetimeActions: policy?.lifetimeActions ?? null,
        },
      };
    }
  },
});
