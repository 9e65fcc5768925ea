/**
 * Which endpoints to contact: the ones the config lists, then (when asked) the DNS names of the
 * audited load balancers' TLS listeners and the DNS names in audited certificates. Nothing else
 * is ever contacted, and no more than `maxEndpoints`. Pure: config and inventory in, targets out.
 */
import { isIP } from 'node:net';
import type { TlsConfig } from '../../src/config/schema.js';
import type { Certificate, Inventory } from '../../src/model/types.js';

export interface Target {
  host: string;
  port: number;
  /** Sent as SNI and checked against the certificate; undefined for a bare IP address. */
  servername?: string;
  /** `host:port/name`: the scope's location and the suffix of the records' uids. */
  key: string;
  /** Why it is contacted: listed in the config, a load balancer, or a certificate's name. */
  source: 'config' | 'load-balancer' | 'certificate';
}

const hostPort = (host: string, port: number) => `${host.includes(':') ? `[${host}]` : host}:${port}`;

export function target(host: string, port: number, servername: string | undefined, source: Target['source']): Target {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  // SNI carries host names only (RFC 6066 section 3): an IP address is checked, never sent.
  const sn = servername?.toLowerCase() ?? (isIP(h) ? undefined : h);
  return { host: h, port, servername: sn, key: `${hostPort(h, port)}/${sn ?? h}`, source };
}

export function listed(cfg: TlsConfig): Target[] {
  return cfg.endpoints.map((e) => {
    if (typeof e !== 'string') return target(e.host, e.port, e.servername, 'config');
    const i = e.lastIndexOf(':');
    return target(e.slice(0, i), Number(e.slice(i + 1)), undefined, 'config');
  });
}

/** A name a client could ask for: DNS SANs first, the CN otherwise; never a wildcard. */
function askableName(c: Certificate | undefined): string | undefined {
  return [...(c?.sans?.dns ?? []), ...(c?.commonName ? [c.commonName] : [])].find(
    (n) => !n.includes('*') && n.includes('.'),
  );
}

function fromLoadBalancers(inv: Inventory, port: number): Target[] {
  const byRef = new Map<string, Certificate>();
  for (const c of inv.certificates) for (const r of [c.ref, ...(c.aliases ?? [])]) byRef.set(r, c);
  const out: Target[] = [];
  for (const b of inv.bindings) {
    const dns = b.loadBalancer?.dnsName;
    // One connection per listener, named after its default certificate (what a client without SNI gets).
    if (!dns || b.live === false || b.isDefault === false || !['HTTPS', 'TLS'].includes(b.protocol ?? '')) continue;
    const name = askableName(byRef.get(b.certificateRef));
    if (name) out.push(target(dns, b.port ?? port, name, 'load-balancer'));
  }
  return out;
}

function fromCertificates(inv: Inventory, port: number): Target[] {
  const names = new Set<string>();
  for (const c of inv.certificates)
    for (const n of c.sans?.dns ?? []) if (!n.includes('*') && n.includes('.')) names.add(n.toLowerCase());
  return [...names].sort().map((n) => target(n, port, n, 'certificate'));
}

/** Every target once, listed ones first, capped; `skipped` counts what the cap left out. */
export function targets(cfg: TlsConfig, inv: Inventory | undefined): { targets: Target[]; skipped: number } {
  const all = [...listed(cfg)];
  if (inv && cfg.fromInventory.loadBalancers) all.push(...fromLoadBalancers(inv, cfg.fromInventory.port));
  if (inv && cfg.fromInventory.sans) all.push(...fromCertificates(inv, cfg.fromInventory.port));
  const seen = new Set<string>();
  const unique = all.filter((t) => !seen.has(t.key) && !!seen.add(t.key));
  return { targets: unique.slice(0, cfg.maxEndpoints), skipped: Math.max(0, unique.length - cfg.maxEndpoints) };
}
