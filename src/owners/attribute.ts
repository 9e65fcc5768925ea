/**
 * Owner attribution: who must act on each certificate, binding and finding. Sources are tried in
 * order and the first answer wins: a tag on the record (then on the certificate a binding serves,
 * or on the bindings that serve a certificate), an entry of `owners.map`, then `owners.default`.
 */
import picomatch from 'picomatch';
import type { OwnerMapping, OwnersConfig } from '../config/schema.js';
import type { Binding, Certificate, Finding, Origin, Owner } from '../model/types.js';

export const DEFAULT_OWNER_TAGS = ['owner', 'team'];

export interface Owned {
  certificates: Certificate[];
  bindings: Binding[];
  findings: Finding[];
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The first tag key of `keys` the record carries with a non-blank value; keys compare without case. */
function fromTags(tags: Record<string, string> | undefined, keys: string[]): Owner | undefined {
  if (!tags) return undefined;
  const entries = Object.entries(tags);
  for (const key of keys) {
    const hit = entries.find(([k, v]) => k.toLowerCase() === key.toLowerCase() && v.trim() !== '');
    if (hit) return { name: hit[1].trim(), source: 'tag', detail: hit[0] };
  }
  return undefined;
}

/** What a mapping entry can be matched against, for one record. */
interface Facts extends Origin {
  paths: string[];
  dns: string[];
}

function compile(m: OwnerMapping): (f: Facts) => boolean {
  // A path glob keeps path semantics (`*` stays within a directory); DNS names ignore case (RFC 4343).
  const path = m.path ? picomatch(m.path, { dot: true }) : undefined;
  const dns = m.dns ? picomatch(m.dns, { nocase: true, dot: true }) : undefined;
  return (f) =>
    (m.account === undefined || m.account === f.account) &&
    (m.vault === undefined ||
      (f.provider === 'azure-keyvault' && m.vault.toLowerCase() === f.location.toLowerCase())) &&
    (path === undefined || f.paths.some((p) => path(p))) &&
    (dns === undefined || f.dns.some((d) => dns(d.replace(/\.$/, ''))));
}

/** `account=123456789012,dns=*.example.com`: the mapping key as the owner's `detail` names it. */
function mappingKey(m: OwnerMapping): string {
  return (['account', 'vault', 'path', 'dns'] as const)
    .filter((k) => m[k] !== undefined)
    .map((k) => `${k}=${m[k]}`)
    .join(',');
}

function certFacts(c: Certificate): Facts {
  return {
    provider: c.provider,
    account: c.account,
    location: c.location,
    paths: c.provider === 'files' ? [c.ref] : [],
    dns: [...(c.sans?.dns ?? []), ...(c.commonName ? [c.commonName] : [])],
  };
}

/** Attributes owners; records and findings are copied, never changed in place. */
export function attributeOwners(
  certificates: Certificate[],
  bindings: Binding[],
  findings: Finding[],
  cfg: OwnersConfig | undefined,
): Owned {
  const keys = cfg?.tags ?? DEFAULT_OWNER_TAGS;
  const rules = (cfg?.map ?? []).map((m) => ({ test: compile(m), owner: m.owner, detail: mappingKey(m) }));
  const fallback: Owner | undefined = cfg?.default
    ? { name: cfg.default, source: 'default', detail: 'default' }
    : undefined;
  const mapped = (...facts: Facts[]): Owner | undefined => {
    for (const r of rules)
      if (facts.some((f) => r.test(f))) return { name: r.owner, source: 'mapping', detail: r.detail };
    return undefined;
  };

  const certByUid = new Map(certificates.map((c) => [c.uid, c]));
  const servedBy = new Map<string, Binding[]>();
  for (const b of [...bindings].sort((x, y) => cmp(x.uid, y.uid)))
    if (b.certificateUid) servedBy.set(b.certificateUid, [...(servedBy.get(b.certificateUid) ?? []), b]);

  const bindingFacts = (b: Binding, cert?: Certificate): Facts => ({
    provider: b.provider,
    account: b.account,
    location: b.location,
    paths: cert ? certFacts(cert).paths : [],
    dns: [...(b.loadBalancer?.dnsName ? [b.loadBalancer.dnsName] : []), ...(cert ? certFacts(cert).dns : [])],
  });

  const certOwner = new Map<string, Owner | undefined>();
  const ownedCerts = certificates.map((c) => {
    const serving = servedBy.get(c.uid) ?? [];
    const owner =
      fromTags(c.tags, keys) ??
      serving.map((b) => fromTags(b.tags, keys)).find((o) => o !== undefined) ??
      mapped(certFacts(c)) ??
      fallback;
    certOwner.set(c.uid, owner);
    return owner ? { ...c, owner } : c;
  });
  const bindingOwner = new Map<string, Owner | undefined>();
  const ownedBindings = bindings.map((b) => {
    const cert = b.certificateUid ? certByUid.get(b.certificateUid) : undefined;
    const owner = fromTags(b.tags, keys) ?? fromTags(cert?.tags, keys) ?? mapped(bindingFacts(b, cert)) ?? fallback;
    bindingOwner.set(b.uid, owner);
    return owner ? { ...b, owner } : b;
  });
  const ownedFindings = findings.map((f) => {
    const r = f.resource;
    const owner =
      r.kind === 'certificate' && certOwner.has(r.uid)
        ? certOwner.get(r.uid)
        : r.kind === 'binding' && bindingOwner.has(r.uid)
          ? bindingOwner.get(r.uid)
          : (mapped({ provider: r.provider, account: r.account, location: r.location, paths: [], dns: [] }) ??
            fallback);
    return owner ? { ...f, owner } : f;
  });
  return { certificates: ownedCerts, bindings: ownedBindings, findings: ownedFindings };
}
