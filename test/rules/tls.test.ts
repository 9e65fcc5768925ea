import weakTls from '../../rules/tls/weak-tls-policy.js';
import { SSL_POLICIES } from '../../src/sim/aws/index.js';
import { bindingRecord } from '../fixtures/certs.js';
import type { TlsPolicy } from '../../src/model/types.js';
import { run, summary } from './harness.js';

/** Policies as DescribeSSLPolicies reports them (the simulator carries the service's published tables). */
function policy(name: string): TlsPolicy {
  const p = SSL_POLICIES.get(name);
  if (!p) throw new Error(`the simulator has no policy ${name}`);
  return { name, protocols: p.protocols, ciphers: p.ciphers };
}

describe('weak-tls-policy', () => {
  test.each([
    [
      'TLS 1.3/1.2 policy: silent',
      [bindingRecord('a', 'x', { tlsPolicy: policy('ELBSecurityPolicy-TLS13-1-2-2021-06') })],
      {},
      [],
    ],
    [
      'TLS 1.0 policy on a public listener: high',
      [bindingRecord('a', 'x', { tlsPolicy: policy('ELBSecurityPolicy-TLS-1-0-2015-04') })],
      {},
      ['a:high'],
    ],
    [
      'TLS 1.0 policy on an internal listener: medium',
      [bindingRecord('a', 'x', { public: false, tlsPolicy: policy('ELBSecurityPolicy-TLS-1-0-2015-04') })],
      {},
      ['a:medium'],
    ],
    [
      'the allow-list accepts a named policy',
      [bindingRecord('a', 'x', { tlsPolicy: policy('ELBSecurityPolicy-TLS-1-0-2015-04') })],
      { allowPolicies: ['ELBSecurityPolicy-TLS-1-0-2015-04'] },
      [],
    ],
    [
      'a policy known only by name: not applicable',
      [bindingRecord('a', 'x', { tlsPolicy: { name: 'ELBSecurityPolicy-TLS-1-0-2015-04' } })],
      {},
      [],
    ],
    [
      'one finding per listener, not per SNI certificate',
      [
        bindingRecord('a', 'x', { resource: 'l1', isDefault: true, tlsPolicy: policy('ELBSecurityPolicy-2016-08') }),
        bindingRecord('b', 'y', { resource: 'l1', isDefault: false, tlsPolicy: policy('ELBSecurityPolicy-2016-08') }),
      ],
      {},
      ['a:high'],
    ],
  ])('%s', (name, bindings, params, expected) =>
    expect(summary(run(weakTls, { name, bindings, params }))).toEqual(expected),
  );
});
