/**
 * The report sorts findings by grouping them by severity and rule first; the order must be the
 * one `compareFindings` gives over the whole list, ties and unknown severities included.
 */
import type { Finding } from '../../src/model/types.js';
import type { Severity } from '../../src/model/severity.js';
import { compareFindings, sortFindings } from '../../src/report/json.js';

function finding(n: number, severity: string, ruleId: string, uid: string, id: string): Finding {
  return {
    id,
    ruleId,
    severity: severity as Severity,
    category: 'expiry',
    title: `finding ${n}`,
    message: `message ${n}`,
    resource: { uid, kind: 'certificate', provider: 'aws-acm', account: '1', location: 'us-east-1', name: uid },
    related: [],
    evidence: {},
    remediation: '',
  };
}

/** A deterministic shuffle, so a failure reproduces. */
function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

describe('sortFindings', () => {
  const severities = ['critical', 'high', 'medium', 'low', 'info', 'unknown-a', 'unknown-b'];
  const rules = ['cert-expired', 'weak-rsa-key', 'b', 'a-b', 'a'];
  const uids = ['aws-acm:arn:x', 'aws-acm:arn:x\u0000y', 'Z', 'z', 'é'];
  const all: Finding[] = [];
  let n = 0;
  for (const severity of severities)
    for (const rule of rules)
      for (const uid of uids)
        // Equal ids on the same resource keep their input order, as a stable sort of the whole list does.
        for (const id of ['1', '0', '1']) all.push(finding(n++, severity, rule, uid, id));

  test.each([1, 2, 3, 42])('gives the order of compareFindings over the whole list (shuffle %i)', (seed) => {
    const input = shuffled(all, seed);
    const want = [...input].sort(compareFindings).map((f) => f.title);
    expect(sortFindings(input).map((f) => f.title)).toEqual(want);
  });

  test('an empty list stays empty', () => {
    expect(sortFindings([])).toEqual([]);
  });
});
