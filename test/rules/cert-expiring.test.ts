import rule from '../../rules/expiry/cert-expiring.js';
import { bindingRecord, certRecord } from '../fixtures/certs.js';
import { run, summary } from './harness.js';

describe('cert-expiring', () => {
  test.each([
    ['200 days left: silent', { certificates: [certRecord('rsa-2048')] }, []],
    ['already expired: left to cert-expired', { certificates: [certRecord('expired')] }, []],
    ['20 days left: medium', { certificates: [certRecord('expiring-20d')] }, ['expiring-20d:medium']],
    ['3 days left: high', { certificates: [certRecord('expiring-3d')] }, ['expiring-3d:high']],
    [
      '20 days, bound: high',
      { certificates: [certRecord('expiring-20d')], bindings: [bindingRecord('x', 'ref:expiring-20d')] },
      ['expiring-20d:high'],
    ],
    [
      '3 days, bound: critical',
      { certificates: [certRecord('expiring-3d')], bindings: [bindingRecord('x', 'ref:expiring-3d')] },
      ['expiring-3d:critical'],
    ],
    [
      '3 days, provider says in use: critical',
      { certificates: [certRecord('expiring-3d', { inUse: true })] },
      ['expiring-3d:critical'],
    ],
    [
      'warnDays 10 leaves 20 days alone',
      { certificates: [certRecord('expiring-20d')], params: { warnDays: 10, criticalDays: 5 } },
      [],
    ],
    [
      'criticalDays 25 makes 20 days high',
      { certificates: [certRecord('expiring-20d')], params: { warnDays: 30, criticalDays: 25 } },
      ['expiring-20d:high'],
    ],
  ])('%s', (name, c, expected) => {
    expect(summary(run(rule, { name, ...c }))).toEqual(expected);
  });

  test('params are validated', () => {
    expect(rule.params.safeParse({ warnDays: 5, criticalDays: 10 }).success).toBe(false);
    expect(rule.params.safeParse({ warnDays: -1 }).success).toBe(false);
    expect(rule.params.safeParse({ warnDay: 3 }).success).toBe(false);
  });
});
