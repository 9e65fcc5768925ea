import type { Binding, Certificate } from '../../model/types.js';
import type { LinkedInventory } from './link.js';

export const DAY_MS = 86_400_000;

/** Whole days from `now` until `iso` (negative once past). */
export function daysUntil(iso: string, now: Date): number {
  return Math.floor((Date.parse(iso) - now.getTime()) / DAY_MS);
}

/** Live bindings that serve the certificate, for naming them in a finding. */
export function liveBindings(inv: LinkedInventory, cert: Certificate): Binding[] {
  return inv.bindingsOf(cert.uid).filter((b) => b.live !== false);
}

/** "listener app-lb:443 (app-lb-123.elb.amazonaws.com)": how a finding names what a certificate would take down. */
export function describeBinding(b: Binding): string {
  const where = b.loadBalancer?.dnsName ? ` (${b.loadBalancer.dnsName})` : '';
  const port = b.port !== undefined ? `:${b.port}` : '';
  return `${b.type} ${b.loadBalancer?.name ?? b.name}${port}${where}`;
}

export function servedByText(bindings: Binding[]): string {
  if (bindings.length === 0) return '';
  const names = bindings.slice(0, 5).map(describeBinding).join(', ');
  return `; served by ${names}${bindings.length > 5 ? ` and ${bindings.length - 5} more` : ''}`;
}

/** Certificates whose own bytes were read: the X.509 rules judge these. */
export function* parsedCertificates(
  inv: LinkedInventory,
): Iterable<Certificate & { key: NonNullable<Certificate['key']> }> {
  for (const c of inv.certificates) if (c.key) yield c as Certificate & { key: NonNullable<Certificate['key']> };
}
