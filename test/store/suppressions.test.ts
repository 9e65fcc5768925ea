import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../src/config/load.js';
import type { Finding } from '../../src/model/types.js';
import { applySuppressions, suppressionSection } from '../../src/store/apply.js';
import { isExpired, matches, parseSuppressions, type SuppressionEntry } from '../../src/store/suppressions.js';
import { appendSuppression } from '../../src/store/suppress-file.js';
import { certwarden } from '../fixtures/cli.js';

const NOW = new Date('2026-06-01T12:00:00Z');
const base = { reason: 'accepted', owner: 'team-a', expires: '2026-12-31' };

function finding(ruleId: string, uid: string, account = '111111111111', id = 'aaaaaaaaaaaaaaaaaaaa'): Finding {
  return {
    id,
    ruleId,
    severity: 'high',
    category: 'keys',
    title: ruleId,
    message: `${ruleId} on ${uid}`,
    resource: { uid, kind: 'certificate', provider: uid.split(':')[0], account, location: 'us-east-1', name: uid },
    related: [],
    evidence: {},
    remediation: '',
  };
}

const acmUid = 'aws-acm:arn:aws:acm:us-east-1:111111111111:certificate/1f2e-77';
const fileUid = 'files:/etc/ssl/legacy/device.pem';

describe('matching', () => {
  test.each<[string, SuppressionEntry, Finding, Record<string, string> | undefined, boolean]>([
    [
      'by id',
      { ...base, id: 'bbbbbbbbbbbbbbbbbbbb' },
      finding('weak-rsa-key', acmUid, undefined, 'bbbbbbbbbbbbbbbbbbbb'),
      undefined,
      true,
    ],
    [
      'by id, another finding',
      { ...base, id: 'bbbbbbbbbbbbbbbbbbbb' },
      finding('weak-rsa-key', acmUid),
      undefined,
      false,
    ],
    [
      'rule + uid glob across : and /',
      { ...base, rule: 'weak-rsa-key', uid: 'aws-acm:*:111111111111:certificate/*' },
      finding('weak-rsa-key', acmUid),
      undefined,
      true,
    ],
    [
      'rule + uid glob, other account in the ARN',
      { ...base, rule: 'weak-rsa-key', uid: 'aws-acm:*:222222222222:*' },
      finding('weak-rsa-key', acmUid),
      undefined,
      false,
    ],
    [
      'rule + uid glob on a path',
      { ...base, rule: 'weak-rsa-key', uid: 'files:/etc/ssl/*/device.pem' },
      finding('weak-rsa-key', fileUid),
      undefined,
      true,
    ],
    [
      'uid glob, other rule',
      { ...base, rule: 'cert-expired', uid: 'files:*' },
      finding('weak-rsa-key', fileUid),
      undefined,
      false,
    ],
    [
      'rule + account',
      { ...base, rule: 'weak-rsa-key', account: '111111111111' },
      finding('weak-rsa-key', acmUid),
      undefined,
      true,
    ],
    [
      'rule + account, other account',
      { ...base, rule: 'weak-rsa-key', account: '999999999999' },
      finding('weak-rsa-key', acmUid),
      undefined,
      false,
    ],
    [
      'rule + tag',
      { ...base, rule: 'weak-rsa-key', tag: { env: 'lab' } },
      finding('weak-rsa-key', acmUid),
      { env: 'lab', team: 'x' },
      true,
    ],
    [
      'rule + tag, other value',
      { ...base, rule: 'weak-rsa-key', tag: { env: 'lab' } },
      finding('weak-rsa-key', acmUid),
      { env: 'prod' },
      false,
    ],
    [
      'rule + tag, untagged resource',
      { ...base, rule: 'weak-rsa-key', tag: { env: 'lab' } },
      finding('weak-rsa-key', acmUid),
      undefined,
      false,
    ],
    [
      'every pattern must hold',
      { ...base, rule: 'weak-rsa-key', account: '111111111111', tag: { env: 'lab' } },
      finding('weak-rsa-key', acmUid),
      { env: 'prod' },
      false,
    ],
  ])('%s', (_name, entry, f, tags, expected) => {
    expect(matches(entry, { ...f, tags })).toBe(expected);
  });
});

describe('applying, expiry and clean-up', () => {
  const list = parseSuppressions(`
suppressions:
  - { rule: weak-rsa-key, tag: { env: lab }, reason: lab only, owner: team-lab, expires: 2026-12-31 }
  - { rule: weak-rsa-key, uid: "aws-acm:*", reason: older, owner: team-b, expires: 2026-12-31 }
  - { id: cccccccccccccccccccc, reason: renewed next week, owner: team-c, expires: 2026-05-31 }
  - { rule: cert-expired, account: "012345678901", reason: sandbox, owner: team-d, expires: 2026-12-31 }
`);
  const tagged = finding('weak-rsa-key', acmUid, '111111111111', 'dddddddddddddddddddd');
  const expiredTarget = finding('cert-expired', fileUid, 'local', 'cccccccccccccccccccc');
  const tagsOf = (uid: string) => (uid === acmUid ? { env: 'lab' } : undefined);
  const out = applySuppressions([tagged, expiredTarget], tagsOf, list, NOW);

  test('the first matching entry wins and its reason, owner and expiry go on the finding', () => {
    expect(out[0]).toMatchObject({
      status: 'suppressed',
      suppression: { entry: 0, reason: 'lab only', owner: 'team-lab', expires: '2026-12-31' },
    });
  });
  test('an expired entry no longer applies', () => {
    expect(out[1].status).toBeUndefined();
    expect(isExpired({ expires: '2026-06-01' }, NOW)).toBe(false); // the expiry day itself still applies
    expect(isExpired({ expires: '2026-05-31' }, NOW)).toBe(true);
  });
  test('expired entries are reported with what they would cover; unmatched ones for clean-up', () => {
    const s = suppressionSection(
      's.yaml',
      list,
      out.map((f) => ({ ...f, tags: tagsOf(f.resource.uid) })),
      1,
      NOW,
    );
    expect(s.expired).toEqual([
      {
        entry: 2,
        id: 'cccccccccccccccccccc',
        reason: 'renewed next week',
        owner: 'team-c',
        expires: '2026-05-31',
        matches: 1,
      },
    ]);
    expect(s.unmatched.map((u) => u.entry)).toEqual([3]);
    expect(s).toMatchObject({ file: 's.yaml', entries: 4, applied: 1 });
  });
});

describe('validation names the entry and the key', () => {
  test.each([
    [
      'missing owner',
      '- { id: aaaaaaaaaaaaaaaaaaaa, reason: r, expires: 2026-12-31 }',
      /suppressions\[1\]\.owner: owner is required/,
    ],
    [
      'empty reason',
      '- { id: aaaaaaaaaaaaaaaaaaaa, reason: "  ", owner: o, expires: 2026-12-31 }',
      /suppressions\[1\]\.reason: reason must not be empty/,
    ],
    [
      'bad date',
      '- { id: aaaaaaaaaaaaaaaaaaaa, reason: r, owner: o, expires: 2026-02-30 }',
      /suppressions\[1\]\.expires: not a calendar date/,
    ],
    [
      'date with time',
      '- { id: aaaaaaaaaaaaaaaaaaaa, reason: r, owner: o, expires: "next week" }',
      /suppressions\[1\]\.expires: a date as YYYY-MM-DD/,
    ],
    [
      'unknown key',
      '- { id: aaaaaaaaaaaaaaaaaaaa, reason: r, owner: o, expires: 2026-12-31, note: x }',
      /suppressions\[1\]\.note: unknown key/,
    ],
    [
      'id with a pattern',
      '- { id: aaaaaaaaaaaaaaaaaaaa, uid: "x*", reason: r, owner: o, expires: 2026-12-31 }',
      /suppressions\[1\]\.id: an id names one finding/,
    ],
    [
      'rule without a pattern',
      '- { rule: weak-rsa-key, reason: r, owner: o, expires: 2026-12-31 }',
      /suppressions\[1\]\.rule: a rule needs a resource pattern/,
    ],
    [
      'neither id nor rule',
      '- { uid: "x*", reason: r, owner: o, expires: 2026-12-31 }',
      /suppressions\[1\]\.rule: give a finding id/,
    ],
    [
      'unquoted account',
      '- { rule: weak-rsa-key, account: 111111111111, reason: r, owner: o, expires: 2026-12-31 }',
      /suppressions\[1\]\.account: a string; quote account ids/,
    ],
  ])('%s', (_n, entry, message) => {
    const text = `suppressions:\n  - { id: bbbbbbbbbbbbbbbbbbbb, reason: fine, owner: o, expires: 2026-12-31 }\n  ${entry}\n`;
    expect(() => parseSuppressions(text, 'sup.yaml')).toThrow(ConfigError);
    expect(() => parseSuppressions(text, 'sup.yaml')).toThrow(message);
  });
  test('an empty file is no suppressions', () => {
    expect(parseSuppressions('# nothing yet\n')).toEqual([]);
    expect(parseSuppressions('suppressions:\n')).toEqual([]);
  });
});

describe('certwarden suppress', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cw-suppress-'));
  const file = join(dir, 'certwarden-suppressions.yaml');
  const original = `# Accepted risks. Reviewed every quarter by the platform team.
suppressions:
  # the HSM-backed legacy certificate
  - id: aaaaaaaaaaaaaaaaaaaa
    reason: replaced in Q3   # tracked in the platform backlog
    owner: team-platform
    expires: 2099-09-30
`;
  writeFileSync(file, original);

  test('appends an entry and keeps every comment and the existing entries as written', () => {
    const r = certwarden([
      'suppress',
      '0123456789abcdef0123',
      '--reason',
      'vendor: fix due <soon> & tested',
      '--owner',
      'team-edge',
      '--until',
      '2099-01-31',
      '--file',
      file,
    ]);
    expect(r.stderr).toMatch(/suppressed 0123456789abcdef0123 until 2099-01-31/);
    expect(r.code).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith(original)).toBe(true);
    expect(text.slice(original.length)).toBe(
      '  - id: 0123456789abcdef0123\n    reason: "vendor: fix due <soon> & tested"\n    owner: team-edge\n    expires: 2099-01-31\n',
    );
    expect(parseSuppressions(text).map((s) => s.owner)).toEqual(['team-platform', 'team-edge']);
  }, 120_000);

  test('refuses a second live entry for the same finding, and bad input, without touching the file', () => {
    const before = readFileSync(file, 'utf8');
    const dup = certwarden([
      'suppress',
      '0123456789abcdef0123',
      '--reason',
      'again',
      '--owner',
      'x',
      '--until',
      '2099-02-01',
      '--file',
      file,
    ]);
    expect(dup.code).toBe(2);
    expect(dup.stderr).toMatch(/already suppressed by suppressions\[1\]/);
    expect(() =>
      appendSuppression(file, { id: 'not-an-id', reason: 'r', owner: 'o', expires: '2099-01-01' }, NOW),
    ).toThrow(/id: a finding id is 20 hex digits/);
    expect(() =>
      appendSuppression(file, { id: '0123456789abcdef0124', reason: ' ', owner: 'o', expires: '2099-01-01' }, NOW),
    ).toThrow(/reason must not be empty/);
    expect(
      certwarden([
        'suppress',
        '0123456789abcdef0124',
        '--reason',
        'r',
        '--owner',
        'o',
        '--until',
        '31/01/2099',
        '--file',
        file,
      ]).code,
    ).toBe(2);
    expect(
      certwarden([
        'suppress',
        '0123456789abcdef0124',
        '--reason',
        'r',
        '--owner',
        'o',
        '--until',
        '2020-01-01',
        '--file',
        file,
      ]).stderr,
    ).toMatch(/in the past/);
    expect(readFileSync(file, 'utf8')).toBe(before);
  }, 120_000);

  test('creates the file with an explanatory header when there is none', () => {
    const fresh = join(dir, 'new', 'sup.yaml');
    expect(
      certwarden([
        'suppress',
        '0123456789abcdef0125',
        '--reason',
        'r',
        '--owner',
        'o',
        '--until',
        '2099-01-01',
        '--file',
        fresh,
      ]).code,
    ).toBe(0);
    expect(existsSync(fresh)).toBe(true);
    const text = readFileSync(fresh, 'utf8');
    expect(text).toMatch(/^# certwarden suppressions/);
    expect(parseSuppressions(text)).toEqual([
      { index: 0, id: '0123456789abcdef0125', reason: 'r', owner: 'o', expires: '2099-01-01' },
    ]);
  }, 120_000);
});
