import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { RULES } from '../../rules/index.js';
import { rulesMarkdown } from '../../src/cli/rules.js';

const root = fileURLToPath(new URL('../../rules', import.meta.url));

describe('the rule catalogue', () => {
  test('the index lists exactly the rule files, each under its own id and category', () => {
    const files = readdirSync(root, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
      .map((f) => f.replace(/\\/g, '/').replace(/\.ts$/, ''))
      .sort();
    expect(RULES.map((r) => `${r.category}/${r.id}`).sort()).toEqual(files);
  });
  test('ids are kebab-case and unique; every rule is documented and its defaults validate', () => {
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
    for (const r of RULES) {
      expect(r.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(r.description.length).toBeGreaterThan(40);
      expect(r.remediation.length).toBeGreaterThan(20);
      expect(r.references.length).toBeGreaterThan(0);
      expect(() => r.params.parse({})).not.toThrow();
    }
  });
  test('every rule is imported by a test table', () => {
    const here = fileURLToPath(new URL('.', import.meta.url));
    const tests = readdirSync(here)
      .filter((f) => f.endsWith('.test.ts'))
      .map((f) => readFileSync(join(here, f), 'utf8'))
      .join('\n');
    for (const r of RULES) expect(`${r.id}: ${tests.includes(`rules/${r.category}/${r.id}.js`)}`).toBe(`${r.id}: true`);
  });
  test('docs/rules.md is generated from the rules and is current (npm run docs:rules)', () => {
    const docs = readFileSync(fileURLToPath(new URL('../../docs/rules.md', import.meta.url)), 'utf8');
    expect(docs).toBe(rulesMarkdown(RULES));
  });
  test('every rule maps to PCI DSS 4.0 or NIST controls and to the Microsoft cloud security benchmark', () => {
    for (const r of RULES) {
      const frameworks = Object.keys(r.compliance ?? {});
      expect(
        `${r.id}: ${frameworks.some((f) => f.startsWith('PCI') || f.startsWith('NIST'))} ${frameworks.includes('MCSB')}`,
      ).toBe(`${r.id}: true true`);
    }
  });
});
