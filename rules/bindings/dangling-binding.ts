import { z } from 'zod';
import { defineRule } from '../../src/engine/api/rule.js';
import type { LinkedInventory } from '../../src/engine/api/link.js';
import { recordsComplete } from '../../src/engine/api/completeness.js';
import type { Binding, Certificate } from '../../src/model/types.js';

type Verdict = { message: string; severity?: 'medium'; related?: string[]; evidence?: Record<string, unknown> };

/** `https://{vault}.{suffix}/secrets/{name}[/{version}]`, as the Azure binding providers normalise it. */
const KV_SECRET = /^https:\/\/([^./]+)\.[^/]+\/secrets\/([^/]+)(?:\/([^/]+))?$/i;

/**
 * A Key Vault reference is judged only when its vault was read completely (its azure-keyvault scope
 * is ok), or when the vault's subscription was listed and holds no such vault. A reference pinned
 * to a version that is not the certificate's current one is not "missing" (certwarden reads only
 * current versions): it is reported as stale, since renewals never reach that binding.
 */
/** Key Vault scopes and certificates by vault and name, built once per run rather than scanned per binding. */
interface KeyVaultIndex {
  scopes: LinkedInventory['scopes'];
  certificates: Map<string, Certificate>;
}

function keyVaultIndex(inv: LinkedInventory): KeyVaultIndex {
  const certificates = new Map<string, Certificate>();
  for (const c of inv.certificates) {
    const key = `${c.location.toLowerCase()}\u0000${c.name.toLowerCase()}`;
    if (c.provider === 'azure-keyvault' && !certificates.has(key)) certificates.set(key, c);
  }
  return { scopes: inv.scopes.filter((s) => s.provider === 'azure-keyvault'), certificates };
}

function keyVaultVerdict(index: KeyVaultIndex, b: Binding): Verdict | undefined {
  const m = KV_SECRET.exec(b.certificateRef);
  if (!m) return undefined;
  const [vault, name, version] = [m[1].toLowerCase(), m[2].toLowerCase(), m[3]];
  const kvScopes = index.scopes;
  const scope = kvScopes.find((s) => s.location.toLowerCase() === vault);
  if (!scope) {
    const sub = (b.appService?.vaultSubscription ?? b.frontDoor?.vaultSubscription ?? '').toLowerCase();
    const listed =
      sub !== '' &&
      kvScopes.some((s) => s.account.toLowerCase() === sub) &&
      !kvScopes.some((s) => s.location === '*' && (s.account === '*' || s.account.toLowerCase() === sub));
    return listed ? { message: `vault ${vault} does not exist in subscription ${sub}` } : undefined;
  }
  if (!recordsComplete(scope)) return undefined;
  const cert = index.certificates.get(`${vault}\u0000${name}`);
  if (!cert) return { message: 'which does not exist' };
  const current = cert.keyVault?.version;
  if (!version || version === current) return undefined;
  return {
    message: `which is version ${version} of ${cert.name}, not its current version ${current ?? '(unknown)'}: a renewed certificate never reaches it`,
    severity: 'medium',
    related: [cert.uid],
    evidence: { pinnedVersion: version, currentVersion: current ?? null },
  };
}

export default defineRule({
  id: 'dangling-binding',
  title: 'A listener points at a certificate that does not exist',
  category: 'bindings',
  severity: 'high',
  description:
    'A binding names a certificate that is not in the inventory although the store it points at was audited completely ' +
    '(a deleted ACM certificate, a removed Key Vault certificate or vault). The resource fails its next TLS handshake or configuration change. ' +
    "It is judged only where the reference says the certificate lives (an ACM ARN's account and region, an IAM ARN's account, a Key Vault URL's vault), " +
    'and only when that place was read completely: references into stores certwarden did not audit (IAM when not collected, another account, a vault or region that could not be read) are left alone. ' +
    'A Key Vault reference pinned to a version that is no longer current is reported at medium: the binding never receives renewals.',
  remediation:
    'Point the listener at an existing, valid certificate, or restore the certificate it names; for a pinned Key Vault version, use the versionless secret id.',
  references: [
    'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/https-listener-certificates.html',
    'https://learn.microsoft.com/azure/application-gateway/key-vault-certs',
  ],
  compliance: { 'PCI-DSS-4.0': ['4.2.1'], MCSB: ['DP-3'], 'AWS-Config': ['elbv2-acm-certificate-required'] },
  params: z.object({}).strict(),
  *check(inv) {
    let index: KeyVaultIndex | undefined;
    for (const b of inv.bindings) {
      if (b.certificateUid) continue;
      let verdict: Verdict | undefined;
      if (b.refKind === 'keyvault') verdict = keyVaultVerdict((index ??= keyVaultIndex(inv)), b);
      // "Not found" means "does not exist" only where the ARN says the certificate lives (its account, and region for ACM) was read completely.
      else if (inv.target(b)?.complete) verdict = { message: 'which does not exist' };
      if (!verdict) continue;
      yield {
        resource: b,
        severity: b.live === false ? (verdict.severity ? 'low' : 'medium') : (verdict.severity ?? 'high'),
        message: `${b.type} ${b.loadBalancer?.name ?? b.name}${b.port ? `:${b.port}` : ''} points at ${b.certificateRef}, ${verdict.message}`,
        ...(verdict.related ? { related: verdict.related } : {}),
        evidence: {
          certificateRef: b.certificateRef,
          refKind: b.refKind,
          isDefault: b.isDefault ?? null,
          ...verdict.evidence,
        },
      };
    }
  },
});
