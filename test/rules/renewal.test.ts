import renewalFailing from '../../rules/renewal/renewal-failing.js';
import noAutoRenewal from '../../rules/renewal/no-auto-renewal.js';
import ctLogging from '../../rules/hygiene/ct-logging-disabled.js';
import type { AcmFacet, KeyVaultPolicy } from '../../src/model/facets.js';
import { bindingRecord, certRecord } from '../fixtures/certs.js';
import { run, summary } from './harness.js';

const ARN = 'arn:aws:acm:us-east-1:111111111111:certificate/';
const acm = (name: string, facet: AcmFacet) => certRecord(name, { ref: ARN + name, acm: facet }, 'aws-acm');
const kv = (name: string, policy: Partial<KeyVaultPolicy>, over = {}) =>
  certRecord(
    name,
    {
      ref: `https://v.vault.azure.net/certificates/${name}`,
      keyVault: { vaultUri: 'https://v.vault.azure.net/', policy: { lifetimeActions: [], ...policy } },
      ...over,
    },
    'azure-keyvault',
  );

describe('renewal-failing', () => {
  test.each([
    [
      'renewal succeeded: silent',
      [acm('rsa-2048', { type: 'AMAZON_ISSUED', status: 'ISSUED', renewalSummary: { status: 'SUCCESS' } })],
      [],
      [],
    ],
    [
      'renewal pending auto-renewal: silent',
      [
        acm('rsa-2048', {
          type: 'AMAZON_ISSUED',
          status: 'ISSUED',
          renewalSummary: { status: 'PENDING_AUTO_RENEWAL' },
        }),
      ],
      [],
      [],
    ],
    [
      'renewal FAILED: high',
      [
        acm('rsa-2048', {
          type: 'AMAZON_ISSUED',
          status: 'ISSUED',
          renewalSummary: { status: 'FAILED', reason: 'CAA_ERROR' },
        }),
      ],
      [],
      ['rsa-2048:high'],
    ],
    [
      'renewal PENDING_VALIDATION: high',
      [acm('expiring-20d', { type: 'AMAZON_ISSUED', renewalSummary: { status: 'PENDING_VALIDATION' } })],
      [],
      ['expiring-20d:high'],
    ],
    [
      'pending validation, bound, 20 days left: critical',
      [acm('expiring-20d', { type: 'AMAZON_ISSUED', renewalSummary: { status: 'PENDING_VALIDATION' } })],
      [bindingRecord('l', ARN + 'expiring-20d')],
      ['expiring-20d:critical'],
    ],
    [
      'request VALIDATION_TIMED_OUT: medium',
      [acm('rsa-2048', { type: 'AMAZON_ISSUED', status: 'VALIDATION_TIMED_OUT' })],
      [],
      ['rsa-2048:medium'],
    ],
    ['a Key Vault certificate: not applicable', [kv('rsa-2048', { issuerName: 'Self' })], [], []],
    [
      'an ACM certificate without its acm facet: not applicable',
      [certRecord('rsa-2048', { ref: ARN + 'rsa-2048' }, 'aws-acm')],
      [],
      [],
    ],
  ])('%s', (name, certificates, bindings, expected) =>
    expect(summary(run(renewalFailing, { name, certificates, bindings }))).toEqual(expected),
  );

  test('says why, from the renewal status reason', () => {
    const [f] = run(renewalFailing, {
      name: 'x',
      certificates: [acm('rsa-2048', { renewalSummary: { status: 'FAILED', reason: 'CAA_ERROR' } })],
    });
    expect(f.message).toMatch(/renewal is FAILED \(CAA_ERROR\); it expires in 200 day\(s\)/);
  });
});

describe('no-auto-renewal', () => {
  test.each([
    ['imported ACM, 20 days: medium', [acm('expiring-20d', { type: 'IMPORTED' })], [], ['expiring-20d:medium']],
    [
      'imported ACM, bound, 20 days: high',
      [acm('expiring-20d', { type: 'IMPORTED' })],
      [bindingRecord('l', ARN + 'expiring-20d')],
      ['expiring-20d:high'],
    ],
    ['imported ACM, 200 days: outside the window', [acm('rsa-2048', { type: 'IMPORTED' })], [], []],
    ['Amazon-issued ACM renews itself: silent', [acm('expiring-20d', { type: 'AMAZON_ISSUED' })], [], []],
    [
      'Key Vault with AutoRenew: silent',
      [
        kv('expiring-20d', {
          issuerName: 'DigiCert',
          lifetimeActions: [{ action: 'AutoRenew', daysBeforeExpiry: 30 }],
        }),
      ],
      [],
      [],
    ],
    [
      'Key Vault with only EmailContacts: medium',
      [
        kv('expiring-20d', {
          issuerName: 'Self',
          lifetimeActions: [{ action: 'EmailContacts', lifetimePercentage: 80 }],
        }),
      ],
      [],
      ['expiring-20d:medium'],
    ],
    [
      'Key Vault Unknown issuer, even with AutoRenew: medium',
      [kv('expiring-20d', { issuerName: 'Unknown', lifetimeActions: [{ action: 'AutoRenew' }] })],
      [],
      ['expiring-20d:medium'],
    ],
    [
      'a disabled Key Vault certificate: silent',
      [kv('expiring-20d', { issuerName: 'Unknown' }, { state: 'disabled' })],
      [],
      [],
    ],
    ['already expired: left to cert-expired', [acm('expired', { type: 'IMPORTED' })], [], []],
    [
      'Key Vault, policy not read: no verdict',
      [certRecord('expiring-20d', { keyVault: { vaultUri: 'https://v.vault.azure.net/' } }, 'azure-keyvault')],
      [],
      [],
    ],
    ['a file, 20 days (neither facet): not applicable', [certRecord('expiring-20d')], [], []],
  ])('%s', (name, certificates, bindings, expected) =>
    expect(summary(run(noAutoRenewal, { name, certificates, bindings }))).toEqual(expected),
  );
});

describe('ct-logging-disabled', () => {
  test.each([
    ['enabled: silent', [acm('rsa-2048', { type: 'AMAZON_ISSUED', ctLogging: 'ENABLED' })], []],
    [
      'disabled on an Amazon-issued certificate: medium',
      [acm('rsa-2048', { type: 'AMAZON_ISSUED', ctLogging: 'DISABLED' })],
      ['rsa-2048:medium'],
    ],
    [
      'disabled on an imported certificate: low',
      [acm('rsa-2048', { type: 'IMPORTED', ctLogging: 'DISABLED' })],
      ['rsa-2048:low'],
    ],
    ['no acm facet: not applicable', [certRecord('rsa-2048', {}, 'aws-acm')], []],
  ])('%s', (name, certificates, expected) => expect(summary(run(ctLogging, { name, certificates }))).toEqual(expected));
});
