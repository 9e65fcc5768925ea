/**
 * The pure half of the provider: Key Vault ids, policies and certificates as the SDK returns them
 * -> normalised records. Certificate bytes are issued here by the simulator's CA.
 */
import { ScenarioCa } from '../../src/sim/template.js';
import { mapCertificate, normalisePolicy, type KvCertificateInput } from '../../providers/azure-keyvault/map.js';
import { parseKvId } from '../../providers/azure-shared/keyvault-ref.js';

const NOW = new Date('2025-06-01T00:00:00Z');
const ca = new ScenarioCa(NOW);
const vault = { subscriptionId: 'sub-1', name: 'kv-map', vaultUri: 'https://kv-map.vault.azure.net/' };

test.each([
  [
    'https://kv.vault.azure.net/certificates/web',
    { base: 'https://kv.vault.azure.net', collection: 'certificates', name: 'web' },
  ],
  [
    'https://KV.Vault.Azure.Net:443/certificates/Web/ABC123',
    { base: 'https://kv.vault.azure.net', collection: 'certificates', name: 'Web', version: 'ABC123' },
  ],
  [
    'https://kv.vault.azure.net/secrets/web/',
    { base: 'https://kv.vault.azure.net', collection: 'secrets', name: 'web' },
  ],
  ['https://kv.vault.azure.net/certificates/web/v1/extra', undefined],
  ['https://kv.vault.azure.net/certificates', undefined],
  ['not a url', undefined],
])('parseKvId(%s)', (id, expected) => {
  expect(parseKvId(id)).toEqual(expected);
});

test('policies: SDK names -> normalised names; unknown actions and empty parts dropped', () => {
  expect(
    normalisePolicy({
      keyType: 'EC-HSM',
      keyCurveName: 'P-384',
      exportable: false,
      reuseKey: true,
      validityInMonths: 6,
      issuerName: 'GlobalSign',
      certificateTransparency: false,
      contentType: 'application/x-pem-file',
      subject: 'CN=a',
      subjectAlternativeNames: { dnsNames: ['a', 'b'], userPrincipalNames: ['u@x'] },
      lifetimeActions: [
        { action: 'AutoRenew', daysBeforeExpiry: 14 },
        { action: 'Purge' },
        { action: 'EmailContacts', lifetimePercentage: 90 },
      ],
    }),
  ).toEqual({
    keyType: 'EC-HSM',
    curve: 'P-384',
    exportable: false,
    reuseKey: true,
    validityMonths: 6,
    issuerName: 'GlobalSign',
    certificateTransparency: false,
    contentType: 'application/x-pem-file',
    subject: 'CN=a',
    sans: { dns: ['a', 'b'], upn: ['u@x'] },
    lifetimeActions: [
      { action: 'AutoRenew', daysBeforeExpiry: 14 },
      { action: 'EmailContacts', lifetimePercentage: 90 },
    ],
  });
  expect(normalisePolicy({})).toEqual({ lifetimeActions: [] });
});

function input(
  over: Partial<KvCertificateInput> & { properties?: Partial<KvCertificateInput['properties']> } = {},
): KvCertificateInput {
  const m = ca.materialize({ cn: 'map.example.com', key: 'rsa-3072' }, NOW);
  return {
    name: 'web',
    cer: new Uint8Array(m.der),
    secretId: 'https://kv-map.vault.azure.net/secrets/web/0123abcd',
    ...over,
    properties: {
      id: 'https://KV-MAP.vault.azure.net/certificates/web/0123abcd',
      version: '0123abcd',
      enabled: true,
      expiresOn: m.notAfter,
      createdOn: new Date('2025-01-02T03:04:05Z'),
      tags: {},
      ...over.properties,
    },
  };
}

test('ids: uid and ref are versionless with a lower-case host; aliases name the version and the secret', () => {
  const c = mapCertificate(input(), vault, NOW);
  expect(c).toMatchObject({
    uid: 'azure-keyvault:https://kv-map.vault.azure.net/certificates/web',
    ref: 'https://kv-map.vault.azure.net/certificates/web',
    aliases: [
      'https://kv-map.vault.azure.net/certificates/web/0123abcd',
      'https://kv-map.vault.azure.net/secrets/web',
      'https://kv-map.vault.azure.net/secrets/web/0123abcd',
    ],
    account: 'sub-1',
    location: 'kv-map',
    name: 'web',
    key: { algorithm: 'RSA', bits: 3072 },
    commonName: 'map.example.com',
    createdAt: '2025-01-02T03:04:05.000Z',
    state: 'active',
  });
  expect(c.tags).toBeUndefined();
});

test.each([
  [
    'disabled wins over expired',
    { properties: { enabled: false, expiresOn: new Date('2025-01-01T00:00:00Z') } },
    'disabled',
  ],
  ['past attributes.exp', { properties: { expiresOn: new Date('2025-05-31T23:59:59Z') } }, 'expired'],
  ['no bytes yet (never issued)', { cer: undefined }, 'pending'],
  [
    'no bytes yet, and disabled as Key Vault shows a certificate being created',
    { cer: undefined, properties: { enabled: false, expiresOn: new Date('2026-06-01T00:00:00Z') } },
    'pending',
  ],
  ['enabled and in date', {}, 'active'],
])('state: %s', (_label, over, state) => {
  expect(mapCertificate(input(over as Partial<KvCertificateInput>), vault, NOW).state).toBe(state);
});

test('bytes that are not a certificate: parseError, no facts, the Key Vault metadata kept', () => {
  const c = mapCertificate(input({ cer: new Uint8Array(Buffer.from('garbage')) }), vault, NOW);
  expect(c.parseError).toMatch(/not a valid X.509 certificate/);
  expect(c.key).toBeUndefined();
  expect(c.keyVault).toMatchObject({ version: '0123abcd', enabled: true });
});
