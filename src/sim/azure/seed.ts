/**
 * Turns an AzureScenario into a world of subscriptions, vaults and certificate versions with real
 * X.509 bytes. Version ids and timestamps are derived from names and the clock, so a scenario
 * seeded twice at the same `now` gives byte-identical answers.
 */
import { createHash } from 'node:crypto';
import { parseKey, type CertTemplate, type ScenarioCa } from '../template.js';
import type {
  AzureCertificateSpec,
  AzureKvRefSpec,
  AzurePolicySpec,
  AzureScenario,
  AzureVaultSpec,
  AzureWorld,
  KvCertificate,
  KvVault,
  KvVersion,
} from './types.js';
import { seedAppGateways } from './appgateway.js';
import { seedWebCertificates } from './appservice.js';
import { seedFrontDoors } from './frontdoor.js';

export const DEFAULT_TENANT = '72f988bf-0000-4000-8000-00000000a2e1';
const YEAR_DAYS = 365;

const epoch = (d: Date) => Math.floor(d.getTime() / 1000);

/** Key Vault version ids are 32 lower-case hex characters. */
function versionId(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32);
}

/** The policy exactly as the REST API spells it (Certificates - Get Certificate Policy). */
export function restPolicy(
  spec: AzurePolicySpec | undefined,
  t: CertTemplate,
  validityDays: number,
  created: number,
): Record<string, unknown> {
  const p = spec ?? {};
  const key = parseKey(t.key);
  const issuerName = p.issuerName ?? (t.selfSigned ? 'Self' : 'Unknown');
  const keyType = p.keyType ?? (key.type === 'ec' ? 'EC' : key.type === 'rsa' ? 'RSA' : undefined);
  const curve = p.curve ?? (key.type === 'ec' ? (key.curve === 'secp256k1' ? 'P-256K' : key.curve) : undefined);
  const keySize = p.keySize ?? (key.type === 'rsa' ? key.bits : undefined);
  // Imported certificates get Unknown as issuer and an EmailContacts action at 80% of lifetime;
  // AutoRenew is only allowed with an issuer Key Vault can order from (Self or a configured CA).
  const actions = p.lifetimeActions ?? [
    { action: issuerName === 'Unknown' ? 'EmailContacts' : 'AutoRenew', lifetimePercentage: 80 },
  ];
  const sans = t.sans?.filter((s) => !/^(ip|email|uri):/.test(s));
  return {
    key_props: {
      exportable: p.exportable ?? true,
      kty: keyType,
      key_size: keySize,
      crv: curve,
      reuse_key: p.reuseKey ?? false,
    },
    secret_props: { contentType: p.contentType ?? 'application/x-pkcs12' },
    x509_props: {
      subject: `CN=${t.cn}`,
      ...(sans && sans.length > 0 ? { sans: { dns_names: sans } } : {}),
      ekus: ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2'],
      key_usage: keyType?.startsWith('EC') ? ['digitalSignature'] : ['digitalSignature', 'keyEncipherment'],
      validity_months: p.validityMonths ?? Math.max(1, Math.round(validityDays / 30.4)),
      basic_constraints: { ca: false },
    },
    lifetime_actions: actions.map((a) => ({
      trigger:
        a.daysBeforeExpiry !== undefined
          ? { days_before_expiry: a.daysBeforeExpiry }
          : { lifetime_percentage: a.lifetimePercentage ?? 80 },
      action: { action_type: a.action },
    })),
    issuer: {
      name: issuerName,
      ...(p.certificateType ? { cty: p.certificateType } : {}),
      ...(p.certificateTransparency !== undefined ? { cert_transparency: p.certificateTransparency } : {}),
    },
    attributes: { enabled: true, created, updated: created },
  };
}

function versionTemplates(spec: AzureCertificateSpec): Array<CertTemplate & { enabled?: boolean }> {
  const { versions, pending, ...current } = spec;
  // A certificate whose creation is in progress has only the version being created.
  if (pending) return [{ ...current, enabled: false }];
  const older: Array<CertTemplate & { enabled?: boolean }> = [];
  if (typeof versions === 'number') {
    for (let k = versions; k >= 1; k--)
      older.push({
        ...current,
        expiresInDays: (current.expiresInDays ?? 200) - k * YEAR_DAYS,
        validFromDays: undefined,
        enabled: true,
      });
  } else if (Array.isArray(versions)) {
    for (const v of versions) older.push({ ...current, ...v });
  }
  return [...older, current];
}

function seedCertificate(spec: AzureCertificateSpec, vault: string, ca: ScenarioCa, now: Date): KvCertificate {
  const versions: KvVersion[] = versionTemplates(spec).map((t, i) => {
    const m = ca.materialize(t, now);
    const nbf = epoch(m.notBefore);
    // Key Vault stamps `created` when it issues or imports, a few minutes after notBefore.
    const created = Math.min(nbf + 600, epoch(now));
    return {
      version: versionId(vault, spec.name, String(i)),
      der: m.der,
      x5t: createHash('sha1').update(m.der).digest('base64url'),
      enabled: t.enabled ?? true,
      nbf,
      exp: epoch(m.notAfter),
      created,
      updated: created,
    };
  });
  const current = versions[versions.length - 1];
  const validityDays = (current.exp - current.nbf) / 86400;
  return {
    name: spec.name,
    tags: spec.tags,
    versions,
    policy: restPolicy(spec.policy, spec, validityDays, current.created),
    ...(spec.pending ? { pending: true } : {}),
  };
}

function vaultSpecs(v: AzureVaultSpec): AzureCertificateSpec[] {
  const list = [...(v.certificates ?? [])];
  if (v.generate) {
    const prefix = v.generate.prefix ?? 'cert';
    for (let i = 0; i < v.generate.count; i++)
      list.push({
        ...v.generate.template,
        name: `${prefix}-${String(i).padStart(5, '0')}`,
        cn: v.generate.template.cn.replace('{i}', String(i)),
      });
  }
  return list;
}

export function seedAzure(scenario: AzureScenario, ca: ScenarioCa, now: Date): AzureWorld {
  const suffix = (scenario.keyVaultSuffix ?? 'vault.azure.net').toLowerCase();
  const vaults = new Map<string, KvVault>();
  const subscriptions = scenario.subscriptions.map((s) => ({
    id: s.id,
    displayName: s.displayName ?? `Subscription ${s.id.slice(0, 8)}`,
    state: s.state ?? 'Enabled',
    access: s.access ?? 'ok',
    appGateways: [] as unknown[],
    webCertificates: [] as unknown[],
    sites: [] as unknown[],
    frontDoors: [] as AzureWorld['subscriptions'][number]['frontDoors'],
    vaults: (s.vaults ?? []).map((v) => {
      const host = `${v.name}.${suffix}`.toLowerCase();
      if (vaults.has(host)) throw new Error(`vault name "${v.name}" is used twice: vault names are globally unique`);
      const certificates = vaultSpecs(v)
        .map((c) => seedCertificate(c, v.name, ca, now))
        .sort((a, b) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : 1));
      const vault: KvVault = {
        name: v.name,
        subscriptionId: s.id,
        resourceGroup: v.resourceGroup ?? 'rg-certificates',
        location: v.location ?? 'westeurope',
        host,
        ...(v.vaultUri ? { uri: v.vaultUri } : {}),
        access: v.access ?? 'ok',
        rbac: v.rbac ?? true,
        sku: v.sku ?? 'standard',
        softDelete: v.softDelete ?? true,
        softDeleteRetentionInDays: v.softDeleteRetentionInDays ?? 90,
        purgeProtection: v.purgeProtection ?? false,
        tags: v.tags,
        certificates,
        byName: new Map(certificates.map((c) => [c.name.toLowerCase(), c])),
      };
      vaults.set(host, vault);
      return vault;
    }),
  }));
  const world: AzureWorld = {
    tenant: scenario.tenant ?? DEFAULT_TENANT,
    keyVaultSuffix: suffix,
    token: scenario.token,
    pageSize: {
      subscriptions: scenario.pageSize?.subscriptions ?? 100,
      vaults: scenario.pageSize?.vaults ?? 25,
      resources: scenario.pageSize?.resources ?? 100,
    },
    retryAfterSeconds: scenario.retryAfterSeconds ?? 1,
    subscriptions,
    vaults,
  };
  // Binding resources last: they name certificates in any subscription's vaults.
  scenario.subscriptions.forEach((spec, i) => {
    const sub = subscriptions[i];
    sub.appGateways = seedAppGateways(world, sub.id, spec.appGateways ?? []);
    ({ certificates: sub.webCertificates, sites: sub.sites } = seedWebCertificates(
      world,
      sub.id,
      spec.webCertificates ?? [],
    ));
    sub.frontDoors = seedFrontDoors(world, sub.id, spec.frontDoors ?? []);
  });
  return world;
}

export interface KvRefResolved {
  /** Data-plane secret id, versioned when pinned. */
  url: string;
  /** ARM id of the secret (`.../vaults/{vault}/secrets/{name}`), as Front Door names it. */
  armId: string;
  vaultArmId: string;
  name: string;
  pinned?: string;
  /** The version the resource serves (the pinned one, or the current); absent when the certificate is gone. */
  served?: KvVersion;
  current?: KvVersion;
}

/** A `vault/name` reference resolved against the seeded vaults; a missing one still yields ids (a deleted secret). */
export function resolveKvRef(world: AzureWorld, subscriptionId: string, spec: AzureKvRefSpec): KvRefResolved {
  const [vaultName, name] = spec.certificate.split('/');
  if (!vaultName || !name) throw new Error(`certificate "${spec.certificate}": expected "vault/name"`);
  const vault = world.vaults.get(`${vaultName}.${world.keyVaultSuffix}`.toLowerCase());
  const versions = vault?.byName.get(name.toLowerCase())?.versions ?? [];
  const current = versions[versions.length - 1];
  let pinned = spec.version;
  if (pinned === 'current' || pinned === 'previous') {
    const v = versions[versions.length - (pinned === 'current' ? 1 : 2)];
    if (!v) throw new Error(`certificate "${spec.certificate}" has no ${pinned} version`);
    pinned = v.version;
  }
  const host = vault?.host ?? `${vaultName}.${world.keyVaultSuffix}`.toLowerCase();
  const vaultArmId = `/subscriptions/${vault?.subscriptionId ?? subscriptionId}/resourceGroups/${vault?.resourceGroup ?? 'rg-certificates'}/providers/Microsoft.KeyVault/vaults/${vault?.name ?? vaultName}`;
  return {
    url: `https://${host}/secrets/${name}${pinned ? `/${pinned}` : ''}`,
    armId: `${vaultArmId}/secrets/${name}`,
    vaultArmId,
    name,
    ...(pinned ? { pinned } : {}),
    served: pinned ? versions.find((v) => v.version === pinned) : current,
    current,
  };
}
