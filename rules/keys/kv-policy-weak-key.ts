import { z } from 'zod';
import { defineRule } from '../../src/engine/api/rule.js';

export default defineRule({
  id: 'kv-policy-weak-key',
  title: 'Key Vault policy would renew with a weak key',
  category: 'keys',
  severity: 'medium',
  requires: ['keyVault'],
  description:
    'The Key Vault certificate policy, which every renewal follows, asks for a key type, RSA size or curve that is not allowed — ' +
    "even if today's certificate is fine, the next one will not be. Mirrors the Azure Policy built-ins for allowed key types, RSA minimum size and curve names.",
  remediation:
    'Update the certificate policy (key_props: kty, key_size, crv) to an allowed key before the next renewal.',
  references: [
    'https://learn.microsoft.com/azure/key-vault/certificates/about-certificates#key-properties',
    'https://learn.microsoft.com/azure/key-vault/policy-reference',
  ],
  compliance: {
    'PCI-DSS-4.0': ['4.2.1'],
    'NIST-SP-800-57': ['5.6.1'],
    MCSB: ['DP-7'],
    'Azure-Policy': [
      'Certificates should use allowed key types',
      'Certificates using RSA cryptography should have the specified minimum key size',
      'Certificates using elliptic curve cryptography should have allowed curve names',
    ],
  },
  params: z
    .object({
      allowedKeyTypes: z.array(z.string()).min(1).default(['RSA', 'RSA-HSM', 'EC', 'EC-HSM']),
      minRsaBits: z.number().int().min(1024).default(2048),
      allowedCurves: z.array(z.string()).min(1).default(['P-256', 'P-384', 'P-521']),
    })
    .strict(),
  *check(inv, { params }) {
    for (const cert of inv.certificates) {
      const p = cert.keyVault?.policy;
      if (!p?.keyType) continue;
      const problems: string[] = [];
      if (!params.allowedKeyTypes.includes(p.keyType)) problems.push(`key type ${p.keyType} is not allowed`);
      if (p.keyType.startsWith('RSA') && p.keySize !== undefined && p.keySize < params.minRsaBits)
        problems.push(`RSA size ${p.keySize} is under ${params.minRsaBits}`);
      if (p.keyType.startsWith('EC') && p.curve && !params.allowedCurves.includes(p.curve))
        problems.push(`curve ${p.curve} is not allowed`);
      if (problems.length === 0) continue;
      const current = cert.key
        ? `${cert.key.algorithm}${cert.key.curve ? ` ${cert.key.curve}` : cert.key.bits ? ` ${cert.key.bits}` : ''}`
        : 'unknown';
      yield {
        resource: cert,
        message: `${cert.name}: the policy's next renewal would use a weak key (${problems.join('; ')}); the current key is ${current}`,
        evidence: {
          keyType: p.keyType,
          keySize: p.keySize ?? null,
          curve: p.curve ?? null,
          currentKey: cert.key ?? null,
        },
      };
    }
  },
});
