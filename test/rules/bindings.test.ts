import dangling from '../../rules/bindings/dangling-binding.js';
import unhealthy from '../../rules/bindings/bound-cert-unhealthy.js';
import unused from '../../rules/bindings/unused-certificate.js';
import selfSigned from '../../rules/bindings/self-signed-in-use.js';
import { bindingRecord, certRecord } from '../fixtures/certs.js';
import type { ScopeResult } from '../../src/model/types.js';
import { run, summary } from './harness.js';

const ARN = 'arn:aws:acm:us-east-1:111111111111:certificate/';
const scope = (provider: string, status: ScopeResult['status'] = 'ok'): ScopeResult => ({
  provider,
  account: '111111111111',
  location: 'us-east-1',
  status,
  stats: { certificates: 0, bindings: 0 },
});
const acm = (name: string, over = {}) =>
  certRecord(name, { ref: ARN + name, createdAt: '2026-01-01T00:00:00Z', ...over }, 'aws-acm');
const binders = { 'aws-acm': ['aws-elbv2'] };

describe('dangling-binding', () => {
  test.each([
    [
      'a ref that resolves: silent',
      {
        certificates: [acm('rsa-2048')],
        bindings: [bindingRecord('l', ARN + 'rsa-2048', { refKind: 'acm' })],
        scopes: [scope('aws-acm')],
      },
      [],
    ],
    [
      'a ref to a deleted ACM certificate: high',
      {
        certificates: [acm('rsa-2048')],
        bindings: [bindingRecord('l', ARN + 'gone', { refKind: 'acm' })],
        scopes: [scope('aws-acm')],
      },
      ['l:high'],
    ],
    [
      'ACM failed in that account: no verdict',
      { bindings: [bindingRecord('l', ARN + 'gone', { refKind: 'acm' })], scopes: [scope('aws-acm', 'failed')] },
      [],
    ],
    [
      'ACM did not run: no verdict',
      { bindings: [bindingRecord('l', ARN + 'gone', { refKind: 'acm' })], scopes: [] },
      [],
    ],
    [
      'an IAM ref while IAM was not audited: no verdict',
      {
        bindings: [bindingRecord('l', 'arn:aws:iam::111111111111:server-certificate/x', { refKind: 'iam' })],
        scopes: [scope('aws-acm')],
      },
      [],
    ],
    [
      'a dangling ref on a deleted load balancer: medium',
      { bindings: [bindingRecord('l', ARN + 'gone', { refKind: 'acm', live: false })], scopes: [scope('aws-acm')] },
      ['l:medium'],
    ],
    // A listener uses only certificates of its own region: another region's ACM scope proves nothing either way.
    [
      'ACM failed in another region only: judged',
      {
        bindings: [bindingRecord('l', ARN + 'gone', { refKind: 'acm' })],
        scopes: [scope('aws-acm'), { ...scope('aws-acm', 'failed'), location: 'eu-west-1' }],
      },
      ['l:high'],
    ],
    [
      "ACM failed in the ARN's region: no verdict",
      {
        bindings: [bindingRecord('l', ARN + 'gone', { refKind: 'acm' })],
        scopes: [{ ...scope('aws-acm'), location: 'eu-west-1' }, scope('aws-acm', 'failed')],
      },
      [],
    ],
    [
      "the ARN's account was not audited: no verdict",
      {
        bindings: [bindingRecord('l', ARN.replace('111111111111', '999999999999') + 'gone', { refKind: 'acm' })],
        scopes: [scope('aws-acm')],
      },
      [],
    ],
    [
      'ACM lost only an enrichment (tags) there: judged',
      {
        bindings: [bindingRecord('l', ARN + 'gone', { refKind: 'acm' })],
        scopes: [
          {
            ...scope('aws-acm', 'partial'),
            error: {
              code: 'AccessDeniedException',
              message: 'denied',
              operation: 'GetResources',
              permission: 'tag:GetResources',
              enrichment: 'tags',
            },
          },
        ],
      },
      ['l:high'],
    ],
    [
      'IAM is global: an IAM scope that failed in the account withholds the verdict',
      {
        bindings: [bindingRecord('l', 'arn:aws:iam::111111111111:server-certificate/gone', { refKind: 'iam' })],
        scopes: [{ ...scope('aws-iam', 'failed'), location: 'global' }],
      },
      [],
    ],
    [
      'IAM completed in the account: judged',
      {
        bindings: [bindingRecord('l', 'arn:aws:iam::111111111111:server-certificate/gone', { refKind: 'iam' })],
        scopes: [{ ...scope('aws-iam'), location: 'global' }],
      },
      ['l:high'],
    ],
  ])('%s', (name, c, expected) => expect(summary(run(dangling, { name, ...c }))).toEqual(expected));
});

describe('bound-cert-unhealthy', () => {
  test.each([
    [
      'a healthy bound certificate: silent',
      { certificates: [acm('rsa-2048')], bindings: [bindingRecord('l', ARN + 'rsa-2048')] },
      [],
    ],
    [
      'an expired bound certificate: critical',
      { certificates: [acm('expired')], bindings: [bindingRecord('l', ARN + 'expired')] },
      ['l:critical'],
    ],
    [
      'a revoked bound certificate',
      { certificates: [acm('rsa-2048', { state: 'revoked' })], bindings: [bindingRecord('l', ARN + 'rsa-2048')] },
      ['l:critical'],
    ],
    [
      'a disabled Key Vault certificate',
      { certificates: [acm('rsa-2048', { state: 'disabled' })], bindings: [bindingRecord('l', ARN + 'rsa-2048')] },
      ['l:critical'],
    ],
    [
      'not yet valid',
      { certificates: [acm('not-yet-valid')], bindings: [bindingRecord('l', ARN + 'not-yet-valid')] },
      ['l:critical'],
    ],
    [
      'an expired certificate on a dead listener: silent',
      { certificates: [acm('expired')], bindings: [bindingRecord('l', ARN + 'expired', { live: false })] },
      [],
    ],
  ])('%s', (name, c, expected) => expect(summary(run(unhealthy, { name, ...c }))).toEqual(expected));

  test('names the reason and the certificate', () => {
    const [f] = run(unhealthy, {
      name: 'x',
      certificates: [acm('expired', { state: 'expired' })],
      bindings: [bindingRecord('l', ARN + 'expired')],
    });
    expect(f.message).toMatch(
      /elbv2-listener l-lb:443 \(l-lb\.elb\.example\) serves expired, which expired on 2026-05-29T00:00:00.000Z$/,
    );
    expect(f.related).toEqual(['aws-acm:expired']);
  });
});

describe('unused-certificate', () => {
  test.each([
    [
      'bound: silent',
      {
        certificates: [acm('rsa-2048')],
        bindings: [bindingRecord('l', ARN + 'rsa-2048')],
        scopes: [scope('aws-elbv2')],
        binders,
      },
      [],
    ],
    [
      'unbound and the binding source ran: low',
      { certificates: [acm('rsa-2048')], scopes: [scope('aws-elbv2')], binders },
      ['rsa-2048:low'],
    ],
    ['the binding source did not run: no verdict', { certificates: [acm('rsa-2048')], scopes: [], binders }, []],
    [
      'the binding source failed in that account: no verdict',
      { certificates: [acm('rsa-2048')], scopes: [scope('aws-elbv2', 'partial')], binders },
      [],
    ],
    [
      "in use by the provider's own account: silent",
      { certificates: [acm('rsa-2048', { inUse: true })], scopes: [scope('aws-elbv2')], binders },
      [],
    ],
    [
      'younger than the grace period: silent',
      { certificates: [acm('rsa-2048', { createdAt: '2026-05-25T00:00:00Z' })], scopes: [scope('aws-elbv2')], binders },
      [],
    ],
    [
      'grace period 0 judges it',
      {
        certificates: [acm('rsa-2048', { createdAt: '2026-05-25T00:00:00Z' })],
        scopes: [scope('aws-elbv2')],
        binders,
        params: { graceDays: 0 },
      },
      ['rsa-2048:low'],
    ],
    [
      'a request that never issued: left to renewal-failing',
      { certificates: [acm('rsa-2048', { state: 'failed' })], scopes: [scope('aws-elbv2')], binders },
      [],
    ],
    [
      'expired and unbound: left to cert-expired',
      { certificates: [acm('expired')], scopes: [scope('aws-elbv2')], binders },
      [],
    ],
    // ELBv2 in eu-west-1 cannot use a us-east-1 ACM certificate: its failure proves nothing about this one.
    [
      'the binding source failed in another region only: judged',
      {
        certificates: [acm('rsa-2048')],
        scopes: [scope('aws-elbv2'), { ...scope('aws-elbv2', 'failed'), location: 'eu-west-1' }],
        binders,
      },
      ['rsa-2048:low'],
    ],
    [
      'the binding source lost only tags there: judged',
      {
        certificates: [acm('rsa-2048')],
        scopes: [
          {
            ...scope('aws-elbv2', 'partial'),
            error: { code: 'AccessDenied', message: 'denied', operation: 'DescribeTags', enrichment: 'tags' },
          },
        ],
        binders,
      },
      ['rsa-2048:low'],
    ],
    [
      "the binding source lost a listener's SNI list there: no verdict",
      {
        certificates: [acm('rsa-2048')],
        scopes: [
          {
            ...scope('aws-elbv2', 'partial'),
            error: { code: 'AccessDenied', message: 'denied', operation: 'DescribeListenerCertificates' },
          },
        ],
        binders,
      },
      [],
    ],
    [
      'an IAM certificate is usable from every region: a failed region withholds it',
      {
        certificates: [
          certRecord(
            'rsa-2048',
            {
              ref: 'arn:aws:iam::111111111111:server-certificate/x',
              location: 'global',
              createdAt: '2026-01-01T00:00:00Z',
            },
            'aws-iam',
          ),
        ],
        scopes: [scope('aws-elbv2'), { ...scope('aws-elbv2', 'failed'), location: 'eu-west-1' }],
        binders: { 'aws-iam': ['aws-elbv2'] },
      },
      [],
    ],
  ])('%s', (name, c, expected) => expect(summary(run(unused, { name, ...c }))).toEqual(expected));
});

describe('self-signed-in-use', () => {
  test.each([
    [
      'self-signed on a public listener: high',
      { certificates: [acm('rsa-2048')], bindings: [bindingRecord('l', ARN + 'rsa-2048')] },
      ['l:high'],
    ],
    [
      'self-signed on an internal listener: silent',
      { certificates: [acm('rsa-2048')], bindings: [bindingRecord('l', ARN + 'rsa-2048', { public: false })] },
      [],
    ],
    [
      'CA-issued on a public listener: silent',
      { certificates: [acm('rsa-2048', { selfSigned: false })], bindings: [bindingRecord('l', ARN + 'rsa-2048')] },
      [],
    ],
  ])('%s', (name, c, expected) => expect(summary(run(selfSigned, { name, ...c }))).toEqual(expected));
});
