import { isIP } from 'node:net';
import { z } from 'zod';
import { defineRule } from '../../src/engine/api/rule.js';
import { describeBinding } from '../../src/engine/api/facts.js';
import type { Certificate } from '../../src/model/types.js';

/** RFC 6125 section 6.4.3: `*` is the whole left-most label and stands for exactly one label. */
function nameMatches(pattern: string, name: string): 'exact' | 'wildcard' | undefined {
  const p = pattern.toLowerCase().replace(/\.$/, '');
  const n = name.toLowerCase().replace(/\.$/, '');
  if (p === n) return 'exact';
  if (!p.startsWith('*.')) return undefined;
  const rest = p.slice(1);
  const label = n.slice(0, n.length - rest.length);
  return n.endsWith(rest) && label.length > 0 && !label.includes('.') ? 'wildcard' : undefined;
}

/**
 * Whether the certificate covers `name`, and how. As clients do: an IP address against IP SANs
 * only; a host name against DNS SANs, and against the CN only when there are no SANs at all.
 */
export function covers(c: Pick<Certificate, 'sans' | 'commonName'>, name: string): 'exact' | 'wildcard' | undefined {
  if (isIP(name)) return c.sans?.ip.some((ip) => ip.toLowerCase() === name.toLowerCase()) ? 'exact' : undefined;
  const dns = c.sans?.dns ?? [];
  const ids = dns.length || c.sans?.ip.length ? dns : c.commonName ? [c.commonName] : [];
  const hits = ids.map((p) => nameMatches(p, name));
  return hits.includes('exact') ? 'exact' : hits.includes('wildcard') ? 'wildcard' : undefined;
}

export default defineRule({
  id: 'hostname-mismatch',
  title: 'Endpoint serves a certificate that does not cover its name',
  category: 'tls',
  severity: 'high',
  requires: ['tls'],
  description:
    'A TLS endpoint, asked for a server name (SNI), serves a certificate whose subject alternative names do not cover that name ' +
    '(RFC 6125 matching: a wildcard stands for exactly one left-most label; the CN counts only when the certificate has no SANs). ' +
    'Every client that checks the name refuses the connection; clients that do not are open to impersonation.',
  remediation:
    'Serve a certificate that lists the name (add it to the SNI certificate list of the listener, or reissue with the name), or stop pointing the name at this endpoint.',
  references: [
    'https://www.rfc-editor.org/rfc/rfc6125#section-6.4',
    'https://www.rfc-editor.org/rfc/rfc6066#section-3',
  ],
  compliance: { 'PCI-DSS-4.0': ['4.2.1'], 'NIST-SP-800-52r2': ['3.2.1'], MCSB: ['DP-3'] },
  params: z.object({}).strict(),
  *check(inv) {
    for (const b of inv.bindings) {
      if (!b.tls || b.live === false) continue;
      const name = b.tls.servername ?? b.tls.host;
      const cert = inv.certificateOf(b);
      // Not applicable without the certificate's own names (unreadable bytes are another rule's finding).
      if (!name || !cert || (!cert.sans && !cert.commonName)) continue;
      if (covers(cert, name)) continue;
      const names = [...(cert.sans?.dns ?? []), ...(cert.sans?.ip ?? [])];
      yield {
        resource: b,
        message: `${describeBinding(b)} serves ${cert.name}, which does not cover ${name} (it names ${names.slice(0, 5).join(', ') || `only CN ${cert.commonName}`}${names.length > 5 ? ` and ${names.length - 5} more` : ''})`,
        related: [cert.uid],
        evidence: {
          servername: name,
          certificate: cert.uid,
          dnsNames: cert.sans?.dns ?? [],
          ipAddresses: cert.sans?.ip ?? [],
          commonName: cert.commonName ?? null,
        },
      };
    }
  },
});
