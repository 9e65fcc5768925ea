import type { Binding, Certificate, Inventory } from '../../model/types.js';
import type { Reach } from './provider.js';
import { bindingPlace, completeness, refPlace } from './completeness.js';

/** The inventory with bindings resolved to certificates, and the lookups rules need. */
export interface LinkedInventory extends Inventory {
  certificate(uid: string): Certificate | undefined;
  /** Bindings that serve the certificate, across every provider. */
  bindingsOf(certificateUid: string): Binding[];
  certificateOf(binding: Binding): Certificate | undefined;
  /**
   * True when `provider` was read completely where a record of `account` (and `location`, when
   * given) would be: such a scope ran, and every scope covering that place holds all its records
   * (it completed, or lost only enrichments). Absence there then means "does not exist".
   */
  complete(provider: string, account?: string, location?: string): boolean;
  /**
   * The certificate provider a binding's reference points into (by `refKind`), and whether it was
   * read completely where the reference says the certificate lives (an ARN's account and region,
   * a Key Vault URL's vault); undefined when no provider of this run holds such references.
   */
  target(b: Binding): { provider: string; complete: boolean } | undefined;
  /** Providers that ran at all in this audit. */
  providers: Set<string>;
  /**
   * Whether anything uses the certificate: `bound` (a live binding serves it, or the provider says
   * it is in use), `unbound` (every binding source that could use it ran completely where such a
   * binding can be, and none does), or `unknown` (a source did not run or failed there).
   */
  usage(cert: Certificate): 'bound' | 'unbound' | 'unknown';
}

/** Certificate provider -> the binding providers whose records can point at its certificates. */
export type Binders = Record<string, string[]>;

/** Certificate provider -> how bindings name its certificates, and where those bindings can be. */
export type Stores = Record<string, { refKind: string; reach: Reach }>;

/** ARNs and Key Vault ids compare case-insensitively in their host part; keep it simple and exact otherwise. */
function refKey(ref: string): string {
  // Most refs are ARNs, with no scheme to lower-case and no trailing slash: no expression to run.
  if (ref[0] !== 'h' && ref[0] !== 'H' && !ref.endsWith('/')) return ref;
  return ref.replace(/^(https?:\/\/[^/]+)/i, (h) => h.toLowerCase()).replace(/\/+$/, '');
}

function addRef(byRef: Map<string, Certificate>, ref: string | undefined, c: Certificate): void {
  const key = ref && refKey(ref);
  if (key && !byRef.has(key)) byRef.set(key, c);
}

/** Resolves each binding's certificate, setting `certificateUid` on the inventory's own binding records. */
export function link(inv: Inventory, binders: Binders = {}, stores: Stores = {}): LinkedInventory {
  const byUid = new Map<string, Certificate>();
  const byRef = new Map<string, Certificate>();
  for (const c of inv.certificates) {
    byUid.set(c.uid, c);
    addRef(byRef, c.ref, c);
    if (c.aliases) for (const r of c.aliases) addRef(byRef, r, c);
  }
  const served = new Map<string, Binding[]>();
  // Bindings are completed in place: a copy of each would double the bindings' memory at a
  // million records, and the inventory is the run's own, read from the clouds for this link.
  for (const b of inv.bindings) {
    const cert = byRef.get(refKey(b.certificateRef)) ?? byUid.get(b.certificateRef);
    if (!cert) continue;
    b.certificateUid = cert.uid;
    const list = served.get(cert.uid);
    if (list) list.push(b);
    else served.set(cert.uid, [b]);
  }
  const providers = new Set(inv.scopes.map((s) => s.provider));
  const complete = completeness(inv.scopes);
  const byRefKind = new Map(Object.entries(stores).map(([provider, s]) => [s.refKind, provider]));
  return {
    ...inv,
    providers,
    certificate: (uid) => byUid.get(uid),
    bindingsOf: (uid) => served.get(uid) ?? [],
    certificateOf: (b) => (b.certificateUid ? byUid.get(b.certificateUid) : undefined),
    complete,
    target(b) {
      const provider = byRefKind.get(b.refKind ?? '');
      if (!provider) return undefined;
      const { account, location } = refPlace(b.certificateRef);
      return { provider, complete: complete(provider, account, location) };
    },
    usage(cert) {
      if (cert.inUse || (served.get(cert.uid) ?? []).some((b) => b.live !== false)) return 'bound';
      const sources = binders[cert.provider] ?? [];
      if (cert.inUse === false && sources.length === 0) return 'unbound';
      const [account, location] = bindingPlace(cert, stores[cert.provider]?.reach);
      if (sources.length > 0 && sources.every((p) => complete(p, account, location))) return 'unbound';
      return 'unknown';
    },
  };
}
