import { z } from 'zod';
import { defineRule } from '../../src/engine/api/rule.js';

export default defineRule({
  id: 'exportable-key',
  title: 'Key Vault certificate key is exportable',
  category: 'keys',
  severity: 'info',
  requires: ['keyVault'],
  description:
    'The certificate policy allows its private key to be exported (downloaded with the secret). That is needed to deploy it outside Azure, and it means copies of the key can exist anywhere.',
  remediation:
    'Set key_props.exportable to false where the certificate is only used by Azure services that read it from the vault; otherwise know where the exported copies live.',
  references: [
    'https://learn.microsoft.com/azure/key-vault/certificates/about-certificates#exportable-or-non-exportable-key',
  ],
  compliance: { 'PCI-DSS-4.0': ['3.6.1'], 'NIST-SP-800-57': ['6.1'], MCSB: ['DP-8'] },
  params: z.object({}).strict(),
  *check(inv) {
    for (const cert of inv.certificates) {
      const p = cert.keyVault?.policy;
      if (p?.exportable !== true) continue;
      yield {
        resource: cert,
        message: `${cert.name}: the policy allows the private key to be exported`,
        evidence: { exportable: true, keyType: p.keyType ?? null },
      };
    }
  },
});
