import policyWeakKey from '../../rules/keys/kv-policy-weak-key.js';
import exportable from '../../rules/keys/exportable-key.js';
import type { KeyVaultPolicy } from '../../src/model/facets.js';
import { certRecord } from '../fixtures/certs.js';
import { run, summary } from './harness.js';

const kv = (name: string, policy?: Partial<KeyVaultPolicy>) =>
  certRecord(
    name,
    {
      ref: `https://v.vault.azure.net/certificates/${name}`,
      keyVault: {
        vaultUri: 'https://v.vault.azure.net/',
        ...(policy ? { policy: { lifetimeActions: [], ...policy } } : {}),
      },
    },
    'azure-keyvault',
  );

describe('kv-policy-weak-key', () => {
  test.each([
    ['RSA 2048 policy: silent', [kv('rsa-2048', { keyType: 'RSA', keySize: 2048 })], {}, []],
    ['EC P-256 policy: silent', [kv('ec-p256', { keyType: 'EC', curve: 'P-256' })], {}, []],
    [
      'P-256K policy on a fine P-256 certificate: fires',
      [kv('ec-p256', { keyType: 'EC', curve: 'P-256K' })],
      {},
      ['ec-p256:medium'],
    ],
    [
      'RSA 2048 policy with minRsaBits 3072: fires',
      [kv('rsa-2048', { keyType: 'RSA', keySize: 2048 })],
      { minRsaBits: 3072 },
      ['rsa-2048:medium'],
    ],
    [
      'EC not among allowed key types: fires',
      [kv('ec-p256', { keyType: 'EC', curve: 'P-256' })],
      { allowedKeyTypes: ['RSA', 'RSA-HSM'] },
      ['ec-p256:medium'],
    ],
    [
      'an ACM certificate: not applicable',
      [certRecord('rsa-1024', { acm: { type: 'IMPORTED', keyAlgorithm: 'RSA_1024' } }, 'aws-acm')],
      {},
      [],
    ],
    ['a Key Vault certificate whose policy was not read: not applicable', [kv('rsa-1024')], {}, []],
  ])('%s', (name, certificates, params, expected) =>
    expect(summary(run(policyWeakKey, { name, certificates, params }))).toEqual(expected),
  );

  test('names the policy problem and the current key', () => {
    const [f] = run(policyWeakKey, { name: 'x', certificates: [kv('ec-p256', { keyType: 'EC', curve: 'P-256K' })] });
    expect(f.message).toBe(
      "ec-p256: the policy's next renewal would use a weak key (curve P-256K is not allowed); the current key is EC P-256",
    );
  });
});

describe('exportable-key', () => {
  test.each([
    ['exportable: info', [kv('rsa-2048', { keyType: 'RSA', exportable: true })], ['rsa-2048:info']],
    ['not exportable: silent', [kv('rsa-2048', { keyType: 'RSA', exportable: false })], []],
    ['no policy read: silent', [kv('rsa-2048')], []],
    ['no Key Vault facet: not applicable', [certRecord('rsa-2048', {}, 'azure-keyvault')], []],
  ])('%s', (name, certificates, expected) =>
    expect(summary(run(exportable, { name, certificates }))).toEqual(expected),
  );
});
