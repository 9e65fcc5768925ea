import { z } from 'zod';
import { defineRule } from '../../src/engine/api/rule.js';
import { describeBinding } from '../../src/engine/api/facts.js';
import type { LinkedInventory } from '../../src/engine/api/link.js';
import type { Binding, Certificate } from '../../src/model/types.js';
import { covers } from './hostname-mismatch.js';

interface Expected {
  cert: Certificate;
  binding: Binding;
  /** How the inventory ties it to the endpoint: the load balancer at that host, or a SAN. */
  how: 'load-balancer' | 'exact' | 'wildcard';
}

/** What the inventory says should be served for `name` at the endpoint. */
function expected(inv: LinkedInventory, b: Binding, host: string, name: string): Expected[] {
  const atHost = inv.bindings.filter(
    (o) =>
      o.type !== 'endpoint' &&
      o.live !== false &&
      o.loadBalancer?.dnsName?.toLowerCase() === host &&
      (o.port === undefined || o.port === b.port),
  );
  if (atHost.length) {
    const listed = atHost.flatMap((o) => {
      const cert = inv.certificateOf(o);
      return cert ? [{ cert, binding: o, how: 'load-balancer' as const }] : [];
    });
    const named = listed.filter((x) => covers(x.cert, name));
    return named.length ? named : listed.filter((x) => x.binding.isDefault !== false);
  }
  const out: Expected[] = [];
  for (const cert of inv.certificates) {
    if (cert.provider === 'tls-endpoint') continue;
    const how = covers(cert, name);
    const live = how ? inv.bindingsOf(cert.uid).filter((o) => o.type !== 'endpoint' && o.live !== false) : [];
    if (how && live.length) out.push({ cert, binding: live[0], how });
  }
  return out;
}

export default defineRule({
  id: 'served-cert-mismatch',
  title: 'Endpoint serves a different certificate than the inventory binds there',
  category: 'tls',
  severity: 'high',
  requires: ['tls'],
  description:
    'A TLS endpoint serves a certificate other than the one the cloud inventory binds for its name: the certificates bound by live listeners at the ' +
    "endpoint's load balancer (when the endpoint is one), otherwise the certificates bound by live listeners that cover the name. " +
    'An older served certificate is a renewal that was never deployed: the inventory looks healthy while clients get the old certificate until it expires. ' +
    'Medium when only a wildcard ties the name to the inventory, since the name may be served elsewhere on purpose.',
  remediation:
    'Deploy the certificate the inventory holds to the server behind the name (or point the name at the load balancer that serves it), then re-run the audit.',
  references: ['https://www.rfc-editor.org/rfc/rfc6066#section-3', 'https://csrc.nist.gov/pubs/sp/1800/16/final'],
  compliance: { 'PCI-DSS-4.0': ['4.2.1', '4.2.1.1'], 'NIST-SP-800-52r2': ['3.2.1'], MCSB: ['DP-3', 'DP-7'] },
  estateWide: true,
  params: z.object({}).strict(),
  *check(inv) {
    for (const b of inv.bindings) {
      if (!b.tls || b.live === false) continue;
      const served = inv.certificateOf(b);
      const host = b.tls.host.toLowerCase();
      const name = b.tls.servername ?? host;
      if (!served?.fingerprintSha256 || !name) continue;
      const want = expected(inv, b, host, name);
      if (want.length === 0 || want.some((x) => x.cert.fingerprintSha256 === served.fingerprintSha256)) continue;
      // Judge against the certificates bound for this very name (or at this load balancer) when there are any, not a wildcard.
      const strong = want.filter((x) => x.how !== 'wildcard');
      const basis = strong.length ? strong : want;
      const newest = [...basis].sort((x, y) => (y.cert.notAfter ?? '').localeCompare(x.cert.notAfter ?? ''))[0];
      const older =
        !!served.notAfter &&
        basis.every((x) => x.cert.notAfter && Date.parse(served.notAfter!) < Date.parse(x.cert.notAfter));
      const newer =
        !!served.notAfter &&
        basis.every((x) => x.cert.notAfter && Date.parse(served.notAfter!) > Date.parse(x.cert.notAfter));
      const why = older
        ? `: a renewal that was never deployed (the served certificate expires ${served.notAfter}, the inventory's ${newest.cert.notAfter})`
        : newer
          ? ': the endpoint serves a newer certificate than the inventory binds (renewed outside the cloud, or the name is served elsewhere)'
          : '';
      yield {
        resource: b,
        severity: strong.length ? 'high' : 'medium',
        message: `${describeBinding(b)} serves ${served.subject ?? served.name} (SHA-256 ${served.fingerprintSha256.slice(0, 16)}…), not ${newest.cert.name} (${newest.cert.provider} ${newest.cert.account}/${newest.cert.location}) that ${describeBinding(newest.binding)} binds for ${name}${why}`,
        related: [
          ...want.map((x) => x.cert.uid),
          ...want.map((x) => x.binding.uid),
          ...(served.provider === 'tls-endpoint' ? [served.uid] : []),
        ],
        evidence: {
          servername: name,
          served: { uid: served.uid, fingerprintSha256: served.fingerprintSha256, notAfter: served.notAfter ?? null },
          expected: want.map((x) => ({
            uid: x.cert.uid,
            fingerprintSha256: x.cert.fingerprintSha256 ?? null,
            notAfter: x.cert.notAfter ?? null,
            binding: x.binding.uid,
            match: x.how,
          })),
          renewalNotDeployed: older,
        },
      };
    }
  },
});
