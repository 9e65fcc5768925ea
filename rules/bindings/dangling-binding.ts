import { z } from 'zod';
import { defineRule } from '../../src/engine/rule.js';

export default defineRule({
  id: 'dangling-binding',
  title: 'A listener points at a certificate that does not exist',
  category: 'bindings',
  severity: 'high',
  description:
    'A binding names a certificate that is not in the inventory although the store it points at was audited completely ' +
    '(a deleted ACM certificate, a removed Key Vault certificate). The resource fails its next TLS handshake or configuration change. ' +
    'References into stores certwarden did not audit (IAM server certificates when IAM is not collected, another account) are left alone.',
  remediation: 'Point the listener at an existing, valid certificate, or restore the certificate it names.',
  references: ['https://docs.aws.amazon.com/elasticloadbalancing/latest/application/https-listener-certificates.html'],
  compliance: { 'PCI-DSS-4.0': ['4.2.1'], MCSB: ['DP-3'], 'AWS-Config': ['elbv2-acm-certificate-required'] },
  params: z.object({}).strict(),
  *check(inv) {
    // Which certificate provider a reference kind lives in, so "not found" means "does not exist".
    const store: Record<string, string> = { acm: 'aws-acm', iam: 'aws-iam', keyvault: 'azure-keyvault' };
    for (const b of inv.bindings) {
      if (b.certificateUid) continue;
      const provider = store[b.refKind ?? ''];
      const account = /^arn:[^:]+:[^:]+:[^:]*:(\d{12}):/.exec(b.certificateRef)?.[1] ?? b.account;
      if (!provider || !inv.complete(provider, account)) continue;
      yield {
        resource: b,
        severity: b.live === false ? 'medium' : 'high',
        message: `${b.type} ${b.loadBalancer?.name ?? b.name}${b.port ? `:${b.port}` : ''} points at ${b.certificateRef}, which does not exist`,
        evidence: { certificateRef: b.certificateRef, refKind: b.refKind, isDefault: b.isDefault ?? null },
      };
    }
  },
});
