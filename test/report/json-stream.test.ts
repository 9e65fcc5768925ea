/**
 * The streamed JSON writer: what it writes to disk through the atomic writer parses to exactly the
 * report it was given, one record per line, on an inventory of real certificates with strings
 * that need escaping and records larger than the writer's buffer.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { activeRules } from '../../src/config/load.js';
import { configSchema } from '../../src/config/schema.js';
import { evaluate } from '../../src/engine/runtime/evaluate.js';
import { link } from '../../src/engine/api/link.js';
import { buildReport, jsonChunks, type Report } from '../../src/report/json.js';
import { writeAtomic } from '../../src/report/write.js';
import { RULES } from '../../rules/index.js';
import { NOW, bindingRecord, certRecord } from '../fixtures/certs.js';

function smallReport(): Report {
  const certificates = [
    certRecord('expired', { ref: 'arn:aws:acm:us-east-1:111111111111:certificate/a' }, 'aws-acm'),
    certRecord('rsa-1024', { name: 'caf\u00e9 \u202egpj.exe \u{1f512}', tags: { owner: 'a\u2028b' } }, 'aws-acm'),
    certRecord('expiring-3d', { subject: `CN=${'\u00e9'.repeat(3_000_000)}` }, 'aws-acm'),
    certRecord('ec-p256'),
  ];
  const bindings = [
    bindingRecord('web', certificates[0].ref),
    bindingRecord('api', 'arn:aws:acm:us-east-1:111111111111:certificate/gone'),
  ];
  const scopes = ['aws-acm', 'aws-elbv2', 'files'].map((provider) => ({
    provider,
    account: '111111111111',
    location: 'us-east-1',
    status: 'ok' as const,
    stats: { certificates: 0, bindings: 0 },
  }));
  const linked = link({ certificates, bindings, scopes }, { 'aws-acm': ['aws-elbv2'] });
  const findings = evaluate(activeRules(configSchema.parse({}), RULES), linked, NOW);
  return buildReport({ inventory: linked, findings, now: NOW, startedAt: NOW, finishedAt: NOW, configDigest: 'test' });
}

test('the file written from jsonChunks parses to the same report, each record on one line', () => {
  const report = smallReport();
  expect(report.findings.length).toBeGreaterThan(3);
  const path = join(mkdtempSync(join(tmpdir(), 'cw-json-')), 'report.json');
  writeAtomic(path, jsonChunks(report));
  const text = readFileSync(path, 'utf8');
  expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(report)));
  expect(text).toBe([...jsonChunks(report)].join(''));
  const lines = text.split('\n');
  for (const c of report.certificates)
    expect(lines).toContain(
      `    ${JSON.stringify(c)
        .replace(/\u202e/g, '\\u202e')
        .replace(/\u2028/g, '\\u2028')}${c === report.certificates.at(-1) ? '' : ','}`,
    );
  expect(lines.filter((l) => l.startsWith('    {"id":')).length).toBe(report.findings.length);
  expect(text).not.toMatch(/[\u202e\u2028]/);
});

test('multi-byte text across the writer buffer boundary comes back whole', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'cw-json-')), 'chunks.txt');
  const parts = Array.from({ length: 5000 }, (_, i) => `${i}:${'\u00e9\u{1f512}x'.repeat(i % 700)}\n`);
  writeAtomic(path, [...parts, Buffer.from('tail\n'), 'end']);
  expect(readFileSync(path, 'utf8')).toBe(`${parts.join('')}tail\nend`);
});
