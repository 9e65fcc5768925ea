import { z } from 'zod';
import { defineRule } from '../../src/engine/api/rule.js';
import { describeBinding } from '../../src/engine/api/facts.js';

export default defineRule({
  id: 'weak-tls-policy',
  title: 'Listener allows old TLS versions or weak ciphers',
  category: 'tls',
  severity: 'medium',
  description:
    "The listener's TLS policy, as the service itself describes it (ELBv2 DescribeSSLPolicies), allows TLS 1.0/1.1 or ciphers without forward secrecy " +
    'or with broken primitives (RC4, 3DES, CBC with SHA-1, NULL, EXPORT). High on internet-facing listeners. Policies in `allowPolicies` are accepted as they are.',
  remediation: 'Move the listener to a TLS 1.2+ policy with forward secrecy, e.g. ELBSecurityPolicy-TLS13-1-2-2021-06.',
  references: [
    'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html',
    'https://csrc.nist.gov/pubs/sp/800/52/r2/final',
  ],
  compliance: {
    'PCI-DSS-4.0': ['4.2.1', '12.3.3'],
    'NIST-SP-800-52r2': ['3.1', '3.3.1'],
    MCSB: ['DP-3'],
    'AWS-Config': ['elbv2-predefined-security-policy-ssl-check'],
  },
  needs: ['tls-policy'],
  params: z
    .object({
      allowPolicies: z.array(z.string()).default([]),
      weakProtocols: z.array(z.string()).default(['SSLv3', 'TLSv1', 'TLSv1.1']),
      weakCipherPatterns: z
        .array(z.string())
        .default([
          'RC4',
          'DES-CBC3',
          '3DES',
          'NULL',
          'EXP',
          'MD5',
          '^AES(128|256)-SHA$',
          '^ECDHE-(RSA|ECDSA)-AES(128|256)-SHA$',
        ]),
    })
    .strict(),
  *check(inv, { params }) {
    const weakCipher = params.weakCipherPatterns.map((p) => new RegExp(p));
    // Listeners that have a default binding, found once: scanning every binding per binding is quadratic.
    const withDefault = new Set(inv.bindings.flatMap((o) => (o.isDefault ? [o.resource] : [])));
    for (const b of inv.bindings) {
      const policy = b.tlsPolicy;
      // Not applicable without the policy's own facts: judging by name alone would guess.
      if (!policy?.protocols || params.allowPolicies.includes(policy.name) || b.live === false) continue;
      if (b.isDefault === false && withDefault.has(b.resource)) continue; // one finding per listener
      const protocols = policy.protocols.filter((p) => params.weakProtocols.includes(p));
      const ciphers = (policy.ciphers ?? []).filter((c) => weakCipher.some((r) => r.test(c)));
      if (protocols.length === 0 && ciphers.length === 0) continue;
      yield {
        resource: b,
        key: b.resource,
        severity: b.public ? 'high' : 'medium',
        message: `${describeBinding(b)} uses ${policy.name}, which allows ${[protocols.length ? protocols.join(', ') : '', ciphers.length ? `${ciphers.length} weak cipher(s) such as ${ciphers.slice(0, 3).join(', ')}` : ''].filter(Boolean).join(' and ')}`,
        evidence: { policy: policy.name, weakProtocols: protocols, weakCiphers: ciphers },
      };
    }
  },
});
