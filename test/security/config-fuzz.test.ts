/**
 * Config fuzz: a valid config, broken in structured ways (wrong types, unknown keys, bad enum
 * values, nulls, deleted keys, very deep nesting), and raw text that is barely YAML. Loading it
 * either gives a config or a ConfigError whose first problem names the key path that is wrong;
 * never another exception.
 */
import fc from 'fast-check';
import { stringify } from 'yaml';
import { activeRules, ConfigError, parseConfig } from '../../src/config/load.js';
import { RULES } from '../../rules/index.js';

const VALID = {
  providers: {
    files: { paths: ['./certs'], extensions: ['.pem'], followSymlinks: false, maxFileBytes: 1024 },
    aws: {
      endpoint: 'https://vpce.example.com',
      regions: ['us-east-1', 'eu-west-1'],
      accounts: [
        {
          id: '222222222222',
          roleArn: 'arn:aws:iam::222222222222:role/certwarden-audit',
          externalId: 'x',
          regions: ['us-east-1'],
        },
        { profile: 'dev' },
      ],
      organization: { roleName: 'certwarden-audit', exclude: ['111111111111'] },
      services: { acm: true, elbv2: true, iam: false },
      concurrency: 8,
      maxAttempts: 4,
      timeoutMs: 5000,
    },
    azure: {
      cloud: { resourceManager: 'https://management.azure.com', keyVaultSuffix: 'vault.azure.net' },
      credential: { type: 'token', env: 'ARM_TOKEN', keyVaultEnv: 'KV_TOKEN' },
      subscriptions: ['all'],
      maxPages: 50,
    },
    tls: { endpoints: ['example.com:443', { host: 'internal.example', port: 8443 }], maxEndpoints: 10 },
  },
  rules: {
    'cert-expiring': { warnDays: 30, criticalDays: 7 },
    'weak-rsa-key': { minBits: 3072, severity: 'critical' },
    'weak-signature': { enabled: false },
  },
  concurrency: 16,
  failOn: 'high',
  store: { path: 'history.db', retentionRuns: 30 },
  suppressions: 'suppressions.yaml',
  notify: [{ type: 'slack', urlEnv: 'SLACK_URL', minSeverity: 'critical' }],
};

type Path = Array<string | number>;

/** Every path in the document that leads to a value, the root's children included. */
function paths(v: unknown, at: Path = []): Path[] {
  if (Array.isArray(v)) return v.flatMap((x, i) => [[...at, i], ...paths(x, [...at, i])]);
  if (v && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => [[...at, k], ...paths(x, [...at, k])]);
  return [];
}
const ALL = paths(VALID);
const OBJECTS = [
  [],
  ...ALL.filter((p) => {
    const v = get(VALID, p);
    return v !== null && typeof v === 'object' && !Array.isArray(v);
  }),
];

function get(v: any, p: Path): any {
  return p.reduce((o, k) => o?.[k], v);
}

function set(root: any, p: Path, value: unknown, remove = false): any {
  const copy = structuredClone(root);
  const parent = get(copy, p.slice(0, -1));
  const key = p[p.length - 1];
  if (remove) {
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else delete parent[key];
  } else parent[key] = value;
  return copy;
}

/** `providers.aws.accounts[0].roleArn`, as ConfigError messages write paths. */
const pathText = (p: Path) =>
  p
    .map((k) => (typeof k === 'number' ? `[${k}]` : `.${k}`))
    .join('')
    .replace(/^\./, '') || '(top level)';

function deep(depth: number, leaf: unknown): unknown {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { nest: v };
  return v;
}

/** A value of another JSON type than `v`. */
function otherType(v: unknown, pick: number): unknown {
  const options = [42, 'text', true, [1], { k: 1 }].filter(
    (o) => typeof o !== typeof v || Array.isArray(o) !== Array.isArray(v),
  );
  return options[pick % options.length];
}

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('wrong-type' as const), at: fc.constantFrom(...ALL), pick: fc.nat() }),
  fc.record({
    kind: fc.constant('unknown-key' as const),
    at: fc.constantFrom(...OBJECTS),
    key: fc.constantFrom('zz', 'paths2', '__proto__x', 'constructor', 'toString', 'a.b', ''),
  }),
  fc.record({
    kind: fc.constant('bad-enum' as const),
    at: fc.constantFrom(...ALL.filter((p) => typeof get(VALID, p) === 'string')),
    value: fc.constantFrom('bogus', '', 'CRITICAL', ' high', '\u0000', '<script>'),
  }),
  fc.record({ kind: fc.constant('null' as const), at: fc.constantFrom(...ALL) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.constantFrom(...ALL) }),
  fc.record({
    kind: fc.constant('deep' as const),
    at: fc.constantFrom(...ALL),
    depth: fc.integer({ min: 2, max: 2000 }),
  }),
  fc.record({
    kind: fc.constant('number' as const),
    at: fc.constantFrom(...ALL.filter((p) => typeof get(VALID, p) === 'number')),
    value: fc.constantFrom(-1, 0, 0.5, 1e308, -0, Number.MAX_SAFE_INTEGER + 2),
  }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function apply(m: Mutation): { doc: unknown; at: Path; mustFail: boolean } {
  switch (m.kind) {
    case 'wrong-type':
      return {
        doc: set(VALID, m.at, otherType(get(VALID, m.at), m.pick)),
        at: m.at,
        mustFail: !/^rules\./.test(pathText(m.at)) || m.at.length > 2,
      };
    case 'unknown-key':
      return { doc: set(VALID, [...m.at, m.key], 1), at: [...m.at, m.key], mustFail: true };
    case 'bad-enum':
      return { doc: set(VALID, m.at, m.value), at: m.at, mustFail: false };
    case 'null':
      return { doc: set(VALID, m.at, null), at: m.at, mustFail: false };
    case 'delete':
      return { doc: set(VALID, m.at, undefined, true), at: m.at, mustFail: false };
    case 'deep':
      return { doc: set(VALID, m.at, deep(m.depth, 1)), at: m.at, mustFail: false };
    case 'number':
      return { doc: set(VALID, m.at, m.value), at: m.at, mustFail: false };
  }
}

function load(text: string) {
  return activeRules(parseConfig(text, 'fuzz.yaml'), RULES);
}

/** Loads; returns undefined when valid, else the ConfigError (anything else fails the test). */
function outcome(text: string): ConfigError | undefined {
  try {
    load(text);
    return undefined;
  } catch (err) {
    if (!(err instanceof ConfigError))
      throw new Error(`not a ConfigError: ${(err as Error)?.stack ?? String(err)}`, { cause: err });
    return err;
  }
}

let runs = 0;
afterAll(() => process.stdout.write(`config fuzz: ${runs} configs loaded\n`));

test('the unbroken config is valid', () => {
  expect(outcome(JSON.stringify(VALID))).toBeUndefined();
});

test('structured mutations: a config or a ConfigError naming the key path', () => {
  fc.assert(
    fc.property(mutation, fc.boolean(), (m, asYaml) => {
      runs++;
      const { doc, at, mustFail } = apply(m);
      // YAML's own writer cannot write the deepest documents; JSON (which is YAML) carries them.
      const err = outcome(
        asYaml && m.kind !== 'deep' ? stringify(doc, { aliasDuplicateObjects: false }) : JSON.stringify(doc),
      );
      if (mustFail) expect(err).toBeDefined();
      if (!err) return;
      // Nesting past what the YAML parser's stack holds is refused before any key is looked at.
      if (m.kind === 'deep' && /^fuzz\.yaml: not valid YAML( at line \d+)?: /.test(err.message)) return;
      const named = /^(?:[^:]*?: )?((?:[A-Za-z0-9_$-]+|\[\d+\]|\.|\(top level\))+?): /.exec(err.problems[0])?.[1];
      expect(named).toBeDefined();
      // The key named is the one broken, one of its parents (a union), or one inside it.
      const broken = pathText(at);
      expect([named, broken.startsWith(named!) || named!.startsWith(broken) || named === '(top level)']).toEqual([
        named,
        true,
      ]);
    }),
    { numRuns: 1000, seed: 5 },
  );
});

test('several mutations at once still end in a ConfigError or a config', () => {
  fc.assert(
    fc.property(fc.array(mutation, { minLength: 2, maxLength: 6 }), (ms) => {
      runs++;
      let doc: any = VALID;
      for (const m of ms) {
        try {
          doc = set(
            doc,
            m.at,
            'value' in m ? m.value : m.kind === 'deep' ? deep(m.depth, 'x') : m.kind === 'null' ? null : 7,
            m.kind === 'delete',
          );
        } catch {
          /* the path no longer exists after an earlier mutation */
        }
      }
      const err = outcome(JSON.stringify(doc));
      if (err) expect(err.problems[0]).toMatch(/^(?:fuzz\.yaml: )?[^\s:]+: /);
    }),
    { numRuns: 300, seed: 6 },
  );
});

test('raw text: random strings, YAML oddities, alias bombs and very deep nesting', () => {
  const texts = fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.constantFrom(
      '[',
      '{',
      '- - -',
      '!!binary AAAA',
      '? a : b',
      '&a [*a]',
      'a: &x 1\nb: *y',
      '\t\t',
      '---\n---\n',
      'providers: !!python/object:os.system ls',
      '%YAML 9.9\n---\na: 1',
    ),
    fc.integer({ min: 1, max: 2500 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`),
    fc.integer({ min: 1, max: 2500 }).map((n) => `providers:\n  files: ${'{a: '.repeat(n)}1${'}'.repeat(n)}`),
    // The "billion laughs": each alias doubles the size of the one before.
    fc
      .integer({ min: 2, max: 40 })
      .map((n) =>
        ['a: &a0 [x, x]', ...Array.from({ length: n }, (_, i) => `a${i + 1}: &a${i + 1} [*a${i}, *a${i}]`)]
          .join('\n')
          .replace(/^a: /, 'a0: '),
      ),
  );
  fc.assert(
    fc.property(texts, (text) => {
      runs++;
      const started = performance.now();
      const err = outcome(text);
      expect(performance.now() - started).toBeLessThan(2000);
      if (err) expect(err.message).toMatch(/^fuzz\.yaml: |^[^\s:]+: /);
    }),
    { numRuns: 400, seed: 7 },
  );
});
