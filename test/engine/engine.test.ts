import { z } from 'zod';
import { defineRule, findingId } from '../../src/engine/api/rule.js';
import { evaluate } from '../../src/engine/runtime/evaluate.js';
import { link } from '../../src/engine/api/link.js';
import { activeRules } from '../../src/config/load.js';
import { parseConfig } from '../../src/config/load.js';
import { RULES } from '../../rules/index.js';
import { NOW, bindingRecord, certRecord } from '../fixtures/certs.js';

describe('engine', () => {
  test('finding ids are stable hashes of rule id and resource uid', () => {
    expect(findingId('cert-expired', 'aws-acm:arn:1')).toBe(findingId('cert-expired', 'aws-acm:arn:1'));
    expect(findingId('cert-expired', 'aws-acm:arn:1')).not.toBe(findingId('cert-expiring', 'aws-acm:arn:1'));
    expect(findingId('cert-expired', 'aws-acm:arn:1')).toMatch(/^[0-9a-f]{20}$/);
  });

  test('a rule that throws becomes a rule-error finding and the other rules still run', () => {
    const boom = defineRule({
      id: 'boom',
      title: 'Boom',
      category: 'hygiene',
      severity: 'low',
      description: 'x',
      remediation: 'x',
      references: [],
      params: z.object({}),
      check() {
        throw new Error('kaput');
      },
    });
    const inv = link({ certificates: [certRecord('expired')], bindings: [], scopes: [] });
    const findings = evaluate(
      [
        { rule: boom, params: {} },
        { rule: RULES[0], params: {} },
      ],
      inv,
      NOW,
    );
    expect(findings.map((f) => f.ruleId)).toEqual(['rule-error', 'cert-expired']);
    expect(findings[0].message).toMatch(/rule boom failed: kaput/);
  });

  test('a rule that raises a finding on a record without the facets it requires is a rule-error; its findings on records with them stand', () => {
    const careless = defineRule({
      id: 'careless',
      title: 'Careless',
      category: 'renewal',
      severity: 'low',
      requires: ['acm'],
      description: 'x',
      remediation: 'x',
      references: [],
      params: z.object({}),
      *check(inv) {
        for (const cert of inv.certificates) yield { resource: cert, message: `${cert.name} checked` };
      },
    });
    const withFacet = certRecord('rsa-2048', { acm: { type: 'IMPORTED' } }, 'aws-acm');
    const without = certRecord('expired', {}, 'files');
    const findings = evaluate(
      [{ rule: careless, params: {} }],
      link({ certificates: [withFacet, without], bindings: [], scopes: [] }),
      NOW,
    );
    expect(findings.map((f) => `${f.ruleId} ${f.resource.uid}`)).toEqual([
      'careless aws-acm:rsa-2048',
      'rule-error rule:careless',
    ]);
    expect(findings[1].message).toBe(
      'rule careless failed: it raised a finding on files:expired, which carries none of the facets it requires (acm); its findings are missing from this report',
    );
  });

  test('bindings resolve by ref across providers; an unknown ref stays unresolved', () => {
    const inv = link({
      certificates: [certRecord('rsa-2048', { ref: 'arn:aws:acm:us-east-1:1:certificate/a' }, 'aws-acm')],
      bindings: [
        bindingRecord('good', 'arn:aws:acm:us-east-1:1:certificate/a'),
        bindingRecord('dangling', 'arn:aws:acm:us-east-1:1:certificate/gone'),
      ],
      scopes: [],
    });
    expect(inv.bindings.find((b) => b.name === 'good')!.certificateUid).toBe('aws-acm:rsa-2048');
    expect(inv.bindings.find((b) => b.name === 'dangling')!.certificateUid).toBeUndefined();
    expect(inv.bindingsOf('aws-acm:rsa-2048').map((b) => b.name)).toEqual(['good']);
  });

  test('config disables rules, overrides severity and params', () => {
    const config = parseConfig(
      'rules:\n  weak-signature: { enabled: false }\n  weak-rsa-key: { severity: critical, minBits: 3072 }\n',
    );
    const active = activeRules(config, RULES);
    expect(active.find((a) => a.rule.id === 'weak-signature')).toBeUndefined();
    const rsa = active.find((a) => a.rule.id === 'weak-rsa-key')!;
    expect(rsa.params).toEqual({ minBits: 3072 });
    const inv = link({ certificates: [certRecord('rsa-2048')], bindings: [], scopes: [] });
    expect(evaluate([rsa], inv, NOW).map((f) => f.severity)).toEqual(['critical']);
  });
});
