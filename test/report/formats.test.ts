import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Report } from '../../src/report/json.js';
import { renderCsv } from '../../src/report/csv.js';
import { renderHtml } from '../../src/report/html.js';
import { renderJunit } from '../../src/report/junit.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderPrometheus } from '../../src/report/prometheus.js';
import { renderSarif } from '../../src/report/sarif.js';
import { parseReport } from '../../src/report/read.js';
import { upgradeFromV1 } from '../../src/report/upgrade.js';
import { parseFormats } from '../../src/report/formats.js';
import { renderAsff } from '../../src/report/asff.js';
import { ocsfChunks } from '../../src/report/ocsf.js';
import { expiryTimeline } from '../../src/report/view.js';
import { ruleDoc } from '../../src/cli/rules.js';
import { RULES } from '../../rules/index.js';
import { reportSchemaErrors } from '../fixtures/schema.js';
import { certwarden } from '../fixtures/cli.js';
import { sarifSchemaErrors } from './sarif-schema.js';
import { demoReport } from './fixture.js';
import { reportAsVersion1 } from '../fixtures/version1.js';

let dir: string;
let report: Report;
beforeAll(async () => {
  ({ dir, report } = await demoReport());
}, 120_000);

const rules = () => RULES.map(ruleDoc);

test('the demo writes every format beside report.json, each equal to rendering the JSON', () => {
  expect(reportSchemaErrors(report)).toEqual([]);
  expect(readFileSync(join(dir, 'report.html'), 'utf8')).toBe(renderHtml(report));
  expect(readFileSync(join(dir, 'report.md'), 'utf8')).toBe(renderMarkdown(report));
  expect(readFileSync(join(dir, 'report.csv'), 'utf8')).toBe(renderCsv(report));
  expect(readFileSync(join(dir, 'report.prom'), 'utf8')).toBe(renderPrometheus(report));
  expect(readFileSync(join(dir, 'report.junit.xml'), 'utf8')).toBe(renderJunit(report, { failOn: 'high' }));
  expect(readFileSync(join(dir, 'report.ocsf.jsonl'), 'utf8')).toBe(
    [...ocsfChunks(report, { rules: rules() })].join(''),
  );
  expect(readFileSync(join(dir, 'report.asff.json'), 'utf8')).toBe(renderAsff(report, { rules: rules() }));
  expect(JSON.parse(readFileSync(join(dir, 'report.sarif'), 'utf8')).runs[0].results).toHaveLength(
    report.findings.length,
  );
});

describe('SARIF', () => {
  const log = () => JSON.parse(renderSarif(report, { rules: rules(), baseDir: dir }));
  test('validates against the official SARIF 2.1.0 schema', () => {
    expect(sarifSchemaErrors(log())).toEqual([]);
  });
  test('every rule is a descriptor; results point at theirs, with level, fingerprint and location', () => {
    const run = log().runs[0];
    expect(run.tool.driver.rules.map((r: any) => r.id)).toEqual(RULES.map((r) => r.id));
    const expired = run.tool.driver.rules.find((r: any) => r.id === 'cert-expired');
    expect(expired.properties.tags).toEqual(expect.arrayContaining(['security', 'expiry', 'PCI-DSS-4.0/4.2.1']));
    expect(expired.help.markdown).toMatch(/\*\*Remediation\.\*\*/);
    expect(expired.defaultConfiguration.level).toBe('error');
    for (const [i, r] of run.results.entries()) {
      const f = report.findings[i];
      expect(run.tool.driver.rules[r.ruleIndex].id).toBe(f.ruleId);
      expect(r.level).toBe(
        { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' }[f.severity],
      );
      expect(r.partialFingerprints['certwardenFindingId/v1']).toBe(f.id);
      expect(r.locations[0].logicalLocations[0].fullyQualifiedName).toBe(f.resource.uid);
      expect(r.locations[0].physicalLocation.artifactLocation.uri).not.toMatch(/^[a-z][a-z0-9+.-]*:(?!\/\/\/)/i); // relative, or file:///
    }
    const file = run.results.find((r: any) => r.properties.provider === 'files');
    expect(file.locations[0].physicalLocation.artifactLocation).toEqual({
      uri: expect.stringMatching(/^certs\//),
      uriBaseId: '%SRCROOT%',
    });
    const acm = run.results.find((r: any) => r.properties.provider === 'aws-acm');
    expect(acm.locations[0].physicalLocation.artifactLocation.uri).toMatch(
      /^certwarden\/aws-acm\/\d{12}\/[a-z0-9-]+\/[^/]+$/,
    );
    expect(run.invocations[0].executionSuccessful).toBe(false); // the demo's locked vault
  });
});

test('CSV: a header and one RFC 4180 row per finding', () => {
  const csv = renderCsv(report);
  const lines = csv.split('\r\n');
  expect(lines[0]).toBe(
    'id,severity,rule,title,provider,account,location,resource name,uid,message,status,firstSeen,remediation,owner,owner source',
  );
  expect(lines.at(-1)).toBe('');
  expect(lines).toHaveLength(report.findings.length + 2);
  expect(
    lines[1].startsWith(`${report.findings[0].id},${report.findings[0].severity},${report.findings[0].ruleId},`),
  ).toBe(true);
});

test('Markdown: counts, the most severe findings first, capped with a count of the rest', () => {
  const md = renderMarkdown(report);
  expect(md).toContain(`| critical | ${report.summary.bySeverity.critical} |`);
  const first = md.split('\n').find((l) => l.startsWith('| critical | `'));
  expect(first).toContain(`\`${report.findings[0].ruleId}\``);
  expect(md).toMatch(/### Scopes that did not complete/);
  const capped = renderMarkdown(report, { maxFindings: 5 });
  expect(capped.split('\n').filter((l) => /^\| (critical|high|medium|low|info) \| `/.test(l))).toHaveLength(5);
  expect(capped).toContain(`… and ${report.findings.length - 5} more finding(s)`);
  const small = renderMarkdown(report, { maxBytes: 2500 });
  expect(Buffer.byteLength(small)).toBeLessThanOrEqual(2500);
  expect(small).toMatch(/and \d+ more finding/);
});

test('JUnit: a suite per owner, a case per rule and resource, failures at --fail-on, scopes as errors', () => {
  const xml = renderJunit(report, { failOn: 'high' });
  const pairs = new Set(report.findings.map((f) => `${f.ruleId} ${f.resource.uid}`));
  const failing = new Set(
    report.findings
      .filter((f) => ['critical', 'high'].includes(f.severity))
      .map((f) => `${f.ruleId} ${f.resource.uid}`),
  );
  expect(xml.match(/<testcase /g)).toHaveLength(pairs.size + report.scopes.length);
  expect(xml.match(/<failure /g)).toHaveLength(failing.size);
  expect(xml.match(/<error /g)).toHaveLength(report.scopes.filter((s) => s.status !== 'ok').length);
  const owners = new Set(report.findings.map((f) => f.owner?.name ?? ''));
  expect(xml.match(/<testsuite /g)).toHaveLength(owners.size + 1);
  expect(xml).toContain('<testsuite name="owner: storefront"');
  expect(xml).toContain('<testsuite name="owner: platform"');
  expect(renderJunit(report, { failOn: 'none' })).not.toContain('<failure');
});

test('Prometheus: an expiry gauge per dated certificate, findings by severity and rule, scope health, last run', () => {
  const text = renderPrometheus(report);
  const samples = (name: string) =>
    text.split('\n').filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
  expect(samples('certwarden_certificate_expiry_timestamp_seconds')).toHaveLength(
    report.certificates.filter((c) => c.notAfter).length,
  );
  expect(samples('certwarden_findings').reduce((n, l) => n + Number(l.split(' ').at(-1)), 0)).toBe(
    report.summary.findings,
  );
  expect(samples('certwarden_scope_up').filter((l) => l.endsWith(' 0'))).toHaveLength(
    report.summary.scopes.failed + report.summary.scopes.partial,
  );
  expect(samples('certwarden_last_run_timestamp_seconds')).toEqual([
    `certwarden_last_run_timestamp_seconds ${Date.parse(report.run.finishedAt) / 1000}`,
  ]);
  for (const m of ['certwarden_certificate_expiry_timestamp_seconds', 'certwarden_findings', 'certwarden_scope_up'])
    expect(text).toContain(`# TYPE ${m} gauge`);
});

test('the expiry timeline counts every dated certificate once, bound or not', () => {
  const t = expiryTimeline(report);
  const dated = report.certificates.filter((c) => c.notAfter).length;
  expect(t.buckets.reduce((n, b) => n + b.bound + b.unbound, 0) + t.later).toBe(dated);
  expect(t.buckets[0].bound).toBeGreaterThan(0); // the demo's expired certificate behind a live listener
});

test('rendering is deterministic', () => {
  for (const render of [
    renderHtml,
    renderMarkdown,
    renderCsv,
    renderPrometheus,
    (r: Report) => renderJunit(r),
    (r: Report) => renderSarif(r, { rules: rules() }),
  ]) {
    expect(render(report)).toBe(render(JSON.parse(JSON.stringify(report))));
  }
});

describe('reading a report back', () => {
  test.each([
    ['not JSON', 'hello', /not a certwarden report: not valid JSON/],
    [
      'another tool',
      '{"version":"2.1.0","runs":[]}',
      /not a certwarden report: expected a JSON object with "schemaVersion"/,
    ],
    [
      'a newer schema',
      '{"schemaVersion":3,"tool":{"name":"certwarden"}}',
      /schema version 3; this certwarden reads versions 1 and 2/,
    ],
    ['an incomplete one', '{"schemaVersion":1,"tool":{"name":"certwarden"},"scopes":[]}', /"certificates" is missing/],
  ])('refuses %s with a clear message', (_n, text, message) => {
    expect(() => parseReport(text, 'x.json')).toThrow(message);
  });
  test('a report of schema version 1 reads as version 2, every record whole: `meta` becomes the facet, the incremental stamp is dropped', () => {
    const v1 = reportAsVersion1(report);
    const stamp = { listDigest: 'abc', readAt: report.run.now };
    (v1.certificates as Array<{ meta?: object }>).forEach((c) => c.meta && (c.meta = { ...c.meta, ...stamp }));
    expect(JSON.stringify(v1)).toMatch(/"meta":\{"type":"IMPORTED"/);
    const text = JSON.stringify(v1, null, 2);
    expect(JSON.stringify(parseReport(text, 'old.json'), null, 2)).toBe(JSON.stringify(report, null, 2));
  });
  test.each([
    [
      'a provider with no facet: meta dropped',
      { kind: 'certificate', provider: 'someone-else', uid: 'x', meta: { a: 1 } },
      { kind: 'certificate', provider: 'someone-else', uid: 'x' },
    ],
    [
      'meta that is not an object: dropped',
      { kind: 'binding', provider: 'aws-elbv2', uid: 'x', meta: 'odd' },
      { kind: 'binding', provider: 'aws-elbv2', uid: 'x' },
    ],
    [
      'a binding provider on a certificate: dropped',
      { kind: 'certificate', provider: 'aws-elbv2', uid: 'x', meta: { loadBalancerState: 'failed' } },
      { kind: 'certificate', provider: 'aws-elbv2', uid: 'x' },
    ],
    [
      'only the stamp: an empty facet',
      { kind: 'certificate', provider: 'aws-acm', uid: 'x', meta: { listDigest: 'd', readAt: 't' }, tags: {} },
      { kind: 'certificate', provider: 'aws-acm', uid: 'x', acm: {}, tags: {} },
    ],
  ])('version 1, %s', (_n, record, expected) => {
    expect(upgradeFromV1({ schemaVersion: 1, certificates: [record], bindings: [] })).toEqual({
      schemaVersion: 2,
      certificates: [expected],
      bindings: [],
    });
  });
  test('unknown formats are named with the known ones', () => {
    expect(parseFormats('json, HTML,md,html')).toEqual(['json', 'html', 'markdown']);
    expect(() => parseFormats('json,pdf')).toThrow(
      /unknown report format "pdf"; known formats: json, html, markdown, csv, sarif, junit, prometheus/,
    );
  });
});

describe('the commands', () => {
  test('certwarden report renders a saved report to a file or stdout, and refuses what is not one', () => {
    const json = join(dir, 'report.json');
    const out = join(dir, 'again.sarif');
    expect(certwarden(['report', json, '--format', 'sarif', '--output', out]).code).toBe(0);
    expect(sarifSchemaErrors(JSON.parse(readFileSync(out, 'utf8')))).toEqual([]);
    const md = certwarden(['report', json, '--format', 'markdown', '--max-findings', '3']);
    expect(md.code).toBe(0);
    expect(md.stdout).toBe(renderMarkdown(report, { maxFindings: 3 }));
    writeFileSync(join(dir, 'other.json'), '{"version":"2.1.0","runs":[]}');
    const bad = certwarden(['report', join(dir, 'other.json'), '--format', 'html']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/other\.json is not a certwarden report/);
    expect(certwarden(['report', json, '--format', 'pdf']).code).toBe(2);
  });

  test('certwarden audit --format writes each format to --out-dir, named after --output', () => {
    const config = join(dir, 'files.yaml');
    writeFileSync(config, `providers:\n  files: { paths: [${JSON.stringify(join(dir, 'certs'))}] }\n`);
    const out = join(dir, 'nightly.json');
    const r = certwarden([
      'audit',
      '-c',
      config,
      '-o',
      out,
      '--now',
      '2026-03-01T00:00:00Z',
      '--fail-on',
      'none',
      '-q',
      '--format',
      'json,html,csv,junit,prometheus',
      '--out-dir',
      join(dir, 'formats'),
    ]);
    expect(r.code).toBe(0);
    const audited = parseReport(readFileSync(out, 'utf8'), out);
    expect(readFileSync(join(dir, 'formats', 'nightly.html'), 'utf8')).toBe(renderHtml(audited));
    expect(readFileSync(join(dir, 'formats', 'nightly.csv'), 'utf8')).toBe(renderCsv(audited));
    expect(readFileSync(join(dir, 'formats', 'nightly.junit.xml'), 'utf8')).toBe(
      renderJunit(audited, { failOn: 'none' }),
    );
    expect(readFileSync(join(dir, 'formats', 'nightly.prom'), 'utf8')).toBe(renderPrometheus(audited));
    expect(certwarden(['audit', '-c', config, '-o', out, '--format', 'json,pdf']).code).toBe(2);
  });
});

describe('owner', () => {
  test('the demo attributes owners by tag and by mapping; JSON findings, certificates and bindings carry them', () => {
    const sources = new Set(report.findings.map((f) => f.owner && `${f.owner.source}:${f.owner.name}`));
    expect([...sources]).toEqual(
      expect.arrayContaining(['tag:storefront', 'tag:payments-team', 'mapping:platform', 'mapping:on-prem-ops']),
    );
    expect(report.certificates.some((c) => c.owner?.source === 'tag')).toBe(true);
    expect(report.bindings.some((b) => b.owner?.source === 'tag')).toBe(true);
  });
  test('CSV has an owner column, SARIF an owner property, Markdown a table by owner and an owner column', () => {
    const rows = renderCsv(report).split('\r\n');
    const head = rows[0].split(',');
    const at = head.indexOf('owner');
    expect(at).toBeGreaterThan(0);
    const owned = report.findings.findIndex((f) => f.owner);
    expect(rows[owned + 1]).toContain(report.findings[owned].owner!.name);
    const sarif = JSON.parse(renderSarif(report, { rules: rules() }));
    expect(sarif.runs[0].results[owned].properties.owner).toBe(report.findings[owned].owner!.name);
    const md = renderMarkdown(report);
    expect(md).toContain('### Findings by owner');
    expect(md).toMatch(/\| storefront \| \d+ \|/);
    expect(md).toContain('| severity | rule | resource | message | owner |');
  });
  test('Prometheus: an owner label on findings and expiry, at most 20 owners named, the rest "other"', () => {
    const text = renderPrometheus(report);
    expect(text).toMatch(/certwarden_findings\{[^}]*owner="storefront"\}/);
    const many: Report = {
      ...report,
      findings: report.findings.map((f, i) => ({ ...f, owner: { name: `team-${i}`, source: 'tag', detail: 'owner' } })),
    };
    const owners = new Set(
      renderPrometheus(many)
        .split('\n')
        .filter((l) => l.startsWith('certwarden_findings{'))
        .map((l) => /owner="([^"]*)"/.exec(l)![1]),
    );
    expect(report.findings.length).toBeGreaterThan(21);
    expect(owners.size).toBe(21);
    expect(owners).toContain('other');
  });
});

test('`certwarden owners` lists each owner with its findings and expiring certificates, and what has no owner', () => {
  const json = certwarden(['owners', join(dir, 'report.json'), '--format', 'json']);
  expect(json.code).toBe(0);
  const summary = JSON.parse(json.stdout);
  const storefront = summary.owners.find((o: any) => o.owner === 'storefront');
  expect(storefront.findings).toBe(
    report.findings.filter((f) => f.owner?.name === 'storefront' && f.status !== 'suppressed').length,
  );
  expect(storefront.sources).toContain('tag:team');
  const platform = summary.owners.find((o: any) => o.owner === 'platform');
  expect(platform.sources).toEqual(['mapping:account=333333333333']);
  const unowned = [...report.certificates, ...report.bindings].filter((r) => !r.owner);
  expect(unowned.length).toBeGreaterThan(0);
  expect(summary.unowned.map((u: any) => u.uid)).toEqual(unowned.map((r) => r.uid));
  const table = certwarden(['owners', join(dir, 'report.json')]);
  expect(table.stdout).toMatch(/^owner +findings +critical +high +certificates +≤7d +≤30d +from$/m);
  expect(table.stdout).toMatch(/^storefront +\d+/m);
  expect(table.stdout).toContain(`${unowned.length} certificate(s) and binding(s) with no owner`);
});
