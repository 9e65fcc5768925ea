import { z } from 'zod';
import { defineRule } from '../../src/engine/api/rule.js';
import { describeBinding } from '../../src/engine/api/facts.js';
import type { ChainFacts } from '../../src/model/types.js';

type Link = Pick<ChainFacts, 'subject' | 'issuer' | 'selfSigned' | 'isCA'>;

export default defineRule({
  id: 'chain-incomplete',
  title: 'Endpoint does not send the intermediate certificates',
  category: 'tls',
  severity: 'high',
  requires: ['tls'],
  description:
    'A TLS endpoint presents a chain that does not link from its certificate, by issuer and subject, up to a root: typically the leaf alone, ' +
    'without the intermediate CA certificate that issued it. Browsers often paper over this by fetching the intermediate; most other clients ' +
    "(Java, Go, Python, curl, mobile apps, partners' integrations) fail the handshake. The chain counts as complete when it reaches a self-signed " +
    "certificate, or an intermediate whose issuer the client is expected to hold (the root need not be sent), or when the leaf's issuer is a root " +
    'the verifier trusts, a self-signed CA found in the inventory, or one named in `trustedRoots`.',
  remediation:
    'Configure the server (or import into the load balancer) the certificate together with its full intermediate chain, in order, leaf first.',
  references: [
    'https://www.rfc-editor.org/rfc/rfc8446#section-4.4.2',
    'https://www.rfc-editor.org/rfc/rfc5246#section-7.4.2',
  ],
  compliance: { 'PCI-DSS-4.0': ['4.2.1'], 'NIST-SP-800-52r2': ['3.2.1'], MCSB: ['DP-3'] },
  params: z.object({ trustedRoots: z.array(z.string()).default([]) }).strict(),
  *check(inv, { params }) {
    const anchors = new Set(params.trustedRoots);
    for (const c of inv.certificates) {
      for (const m of [c, ...(c.chain ?? [])]) if (m.selfSigned && m.isCA && m.subject) anchors.add(m.subject);
    }
    for (const b of inv.bindings) {
      if (!b.tls || b.live === false) continue;
      const leaf = inv.certificateOf(b);
      if (!leaf?.subject || !leaf.issuer) continue;
      const presented = b.tls.chain;
      const used = new Set<number>();
      let top: Link = leaf as Link;
      while (!top.selfSigned) {
        const i = presented.findIndex((c, k) => !used.has(k) && c.subject === top.issuer);
        if (i < 0) break;
        used.add(i);
        top = presented[i];
      }
      if (top.selfSigned || anchors.has(top.issuer)) continue;
      // An intermediate whose issuer was not sent: that issuer is the root, which clients hold.
      if (top !== leaf && top.isCA) continue;
      // The verifier found the leaf's issuer among its trusted roots: issued directly by a root.
      if (top === leaf && !b.tls.verifyError) continue;
      const stray = presented.filter((_, k) => !used.has(k)).map((c) => c.subject);
      yield {
        resource: b,
        message:
          `${describeBinding(b)} sends ${leaf.name} without the certificate of its issuer (${top.issuer})` +
          (stray.length ? `; the other certificates it sends (${stray.join('; ')}) do not link to it` : '') +
          '; clients that do not fetch missing intermediates fail the handshake',
        related: [leaf.uid],
        evidence: {
          missingIssuer: top.issuer,
          presented: presented.map((c) => c.subject),
          verifyError: b.tls.verifyError ?? null,
        },
      };
    }
  },
});
