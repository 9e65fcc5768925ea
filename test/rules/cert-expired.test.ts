import rule from '../../rules/expiry/cert-expired.js';
import { bindingRecord, certRecord } from '../fixtures/certs.js';
import { run, summary } from './harness.js';

const ok = {
  provider: 'aws-elbv2',
  account: '111111111111',
  location: 'us-east-1',
  status: 'ok' as const,
  stats: { certificates: 0, bindings: 0 },
};

describe('cert-expired', () => {
  test.each([
    ['a valid certificate does not fire', { certificates: [certRecord('rsa-2048')] }, []],
    ['expiring soon is not expired', { certificates: [certRecord('expiring-3d')] }, []],
    ['expired, usage unknown: high', { certificates: [certRecord('expired')] }, ['expired:high']],
    [
      'expired behind a live listener: critical',
      { certificates: [certRecord('expired')], bindings: [bindingRecord('web', 'ref:expired')] },
      ['expired:critical'],
    ],
    [
      'expired behind a listener of a deleted load balancer: not escalated',
      { certificates: [certRecord('expired')], bindings: [bindingRecord('web', 'ref:expired', { live: false })] },
      ['expired:high'],
    ],
    [
      'expired, every binding source ran and none serves it: low',
      { certificates: [certRecord('expired', {}, 'aws-acm')], scopes: [ok], binders: { 'aws-acm': ['aws-elbv2'] } },
      ['expired:low'],
    ],
    [
      'expired, the binding source failed in that account: stays high',
      {
        certificates: [certRecord('expired', {}, 'aws-acm')],
        scopes: [{ ...ok, status: 'failed' as const }],
        binders: { 'aws-acm': ['aws-elbv2'] },
      },
      ['expired:high'],
    ],
    [
      'a certificate without dates (unreadable) does not fire',
      { certificates: [{ ...certRecord('expired'), notAfter: undefined }] },
      [],
    ],
  ])('%s', (_name, c, expected) => {
    expect(summary(run(rule, { name: _name, ...c }))).toEqual(expected);
  });

  test('names every binding that serves it', () => {
    const [f] = run(rule, {
      name: 'two listeners',
      certificates: [certRecord('expired')],
      bindings: [bindingRecord('a', 'ref:expired'), bindingRecord('b', 'ref:expired', { port: 8443 })],
    });
    expect(f.related).toEqual(['aws-elbv2:a', 'aws-elbv2:b']);
    expect(f.message).toMatch(/served by elbv2-listener a-lb:443 \(a-lb\.elb\.example\), elbv2-listener b-lb:8443/);
    expect(f.evidence).toMatchObject({ daysSinceExpiry: 3, usage: 'bound', bindings: 2 });
  });
});
