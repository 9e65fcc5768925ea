import type { Binding, Certificate, Inventory, ScopeResult } from '../model/types.js';

/** The inventory with bindings resolved to certificates, and the lookups rules need. */
export interface LinkedInventory extends Inventory {
  certificate(uid: string): Certificate | undefined;
  /** Bindings that serve the certificate, across every provider. */
  bindingsOf(certificateUid: string): Binding[];
  certificateOf(binding: Binding): Certificate | undefined;
  /** True when every scope of `provider` in `account` completed (so absence of a binding means something). */
  complete(provider: string, account?: string): boolean;
  /** Providers that ran at all in this audit. */
  providers: Set<string>;
  /**
   * Whether anything uses the certificate: `bound` (a live binding serves it, or the provider says
   * it is in use), `unbound` (every binding source that could use it ran completely and none does),
   * or `unknown` (a source did not run or failed, so absence proves nothing).
   */
  usage(cert: Certificate): 'bound' | 'unbound' | 'unknown';
}

/** Certificate provider -> the binding providers whose records can point at its certificates. */
export type Binders = Record<string, string[]>;

/** ARNs and Key Vault ids compare case-insensitively in their host part; keep it simple and exact otherwise. */
function refKey(ref: string): string {
  // Most refs are ARNs, with no scheme to lower-case and no trailing slash: no expression to run.
  if (ref[0] !== 'h' && ref[0] !== 'H' && !ref.endsWith('/')) return ref;
  return ref.replace(/^(https?:\/\/[^/]+)/i, (h) => h.toLowerCase()).replace(/\/+$/, '');
}

export function link(inv: Inventory, binders: Binders = {}): LinkedInventory {
  const byUid = new Map<string, Certificate>();
  const byRef = new Map<string, Certificate>();
  for (const c of inv.certificates) {
    byUid.set(c.uid, c);
    for (const r of [c.ref, ...(c.aliases ?? [])]) {
      const key = r && refKey(r);
      if (key && !byRef.has(key)) byRef.set(key, c);
    }
  }
  const served = new Map<string, Binding[]>();
  const bindings = inv.bindings.map((b) => {
    const cert = byRef.get(refKey(b.certificateRef)) ?? byUid.get(b.certificateRef);
    const linked: Binding = cert ? { ...b, certificateUid: cert.uid } : b;
    if (cert) {
      const list = served.get(cert.uid) ?? [];
      list.push(linked);
      served.set(cert.uid, list);
    }
    return linked;
  });
  const failed = inv.scopes.filter((s: ScopeResult) => s.status !== 'ok');
  const providers = new Set(inv.scopes.map((s) => s.provider));
  const complete = (provider: string, account?: string) =>
    providers.has(provider) && !failed.some((s) => s.provider === provider && (account === undefined || s.account === account || s.account === '*'));
  return {
    ...inv,
    bindings,
    providers,
    certificate: (uid) => byUid.get(uid),
    bindingsOf: (uid) => served.get(uid) ?? [],
    certificateOf: (b) => (b.certificateUid ? byUid.get(b.certificateUid) : undefined),
    complete,
    usage(cert) {
      if (cert.inUse || (served.get(cert.uid) ?? []).some((b) => b.live !== false)) return 'bound';
      const sources = binders[cert.provider] ?? [];
      if (cert.inUse === false && sources.length === 0) return 'unbound';
      if (sources.length > 0 && sources.every((p) => complete(p, cert.account))) return 'unbound';
      return 'unknown';
    },
  };
}
