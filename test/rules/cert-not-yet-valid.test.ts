import rule from '../../rules/expiry/cert-not-yet-valid.js';
import { bindingRecord, certRecord } from '../fixtures/certs.js';
import { run, summary } from './harness.js';

describe('cert-not-yet-valid', () => {
  test.each([
    ['valid now: silent', { certificates: [certRecord('rsa-2048'), certRecord('expired')] }, []],
    ['starts in 5 days: medium', { certificates: [certRecord('not-yet-valid')] }, ['not-yet-valid:medium']],
    [
      'starts in 5 days and already bound: high',
      { certificates: [certRecord('not-yet-valid')], bindings: [bindingRecord('x', 'ref:not-yet-valid')] },
      ['not-yet-valid:high'],
    ],
  ])('%s', (name, c, expected) => {
    expect(summary(run(rule, { name, ...c }))).toEqual(expected);
  });
});
