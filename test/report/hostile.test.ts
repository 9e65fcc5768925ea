/** Hostile strings from a cloud (names, subjects, tags, error messages) through every format. */
import type { Report } from '../../src/report/json.js';
import { renderCsv } from '../../src/report/csv.js';
import { renderHtml } from '../../src/report/html.js';
import { renderJunit } from '../../src/report/junit.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderPrometheus } from '../../src/report/prometheus.js';
import { renderSarif } from '../../src/report/sarif.js';
import { csvCell, escapeHtml, promLabel } from '../../src/report/escape.js';
import { reportSchemaErrors } from '../fixtures/schema.js';
import { sarifSchemaErrors } from './sarif-schema.js';
import { FORMULA, IMG, LABEL, MARKUP, SCRIPT, hostileReport } from './fixture.js';

let report: Report;
beforeAll(async () => {
  ({ report } = await hostileReport());
}, 60_000);

/** RFC 4180 reader, to check what a spreadsheet would see in each cell. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(cell), (cell = '');
    else if (c === '\r' && text[i + 1] === '\n') row.push(cell), rows.push(row), (row = []), (cell = ''), i++;
    else cell += c;
  }
  return rows;
}

test('the hostile strings really are in the report, from a real audit', () => {
  expect(reportSchemaErrors(report)).toEqual([]);
  const text = JSON.stringify(report);
  for (const s of [SCRIPT, IMG, FORMULA, MARKUP, LABEL]) expect(text).toContain(JSON.stringify(s).slice(1, -1));
  expect(report.certificates.some((c) => c.subject?.includes('alert(1)'))).toBe(true);
  expect(report.findings.filter((f) => f.ruleId === 'cert-expired').length).toBeGreaterThanOrEqual(5);
});

test('HTML: no markup from data survives; the only script is ours', () => {
  const html = renderHtml(report);
  expect(html.match(/<script/gi)).toHaveLength(1);
  expect(html).not.toMatch(/<img/i);
  expect(html).toContain(escapeHtml(SCRIPT));
  expect(escapeHtml(IMG)).toBe('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
});

test('CSV: every cell a spreadsheet could run as a formula is neutralised, and the rows stay intact', () => {
  const rows = parseCsv(renderCsv(report));
  expect(rows).toHaveLength(report.findings.length + 1);
  for (const row of rows) {
    expect(row).toHaveLength(13);
    for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  }
  expect(rows.slice(1).filter((r) => r[7] === `'${FORMULA}`).length).toBeGreaterThan(0);
  expect(rows.slice(1).some((r) => r[7].includes(MARKUP))).toBe(true); // newlines and pipes kept inside one quoted cell
  expect(csvCell(FORMULA)).toBe(`"'=HYPERLINK(""http://evil.example/x"",""click"")"`);
  expect(csvCell('-1+2')).toBe("'-1+2");
  expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
  expect(csvCell('\tx')).toBe(`"'\tx"`.replace(/"/g, '')); // a tab needs no quotes
});

test('Markdown: no raw HTML, no broken table rows, no mentions or links from data', () => {
  const md = renderMarkdown(report);
  expect(md).not.toMatch(/<script|<img/i);
  const rows = md.split('\n').filter((l) => /^\| (critical|high|medium|low|info) \| `/.test(l));
  expect(rows.length).toBe(report.findings.length);
  for (const row of rows) {
    expect(row.endsWith(' |')).toBe(true);
    expect(row.match(/(?<!\\)\|/g)).toHaveLength(5); // four cells: data pipes are escaped
  }
  expect(md).toContain('a\\|b \\`tick\\` \\*bold\\* \\[link\\]\\(javascript\\:alert\\(1\\)\\)');
  expect(md).toContain('\\@team \\#1 second line');
});

test('JUnit: XML-escaped, characters XML 1.0 forbids removed, no markup from data', () => {
  const xml = renderJunit(report, { failOn: 'high' });
  expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\uFFFE\uFFFF]/);
  expect(xml).not.toMatch(/<(?!\/?(testsuites|testsuite|testcase|failure|error|skipped|system-out)\b|\?xml )/);
  expect(xml).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  expect(xml).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
});

test('Prometheus: label values escaped so every sample stays one well-formed line', () => {
  const text = renderPrometheus(report);
  const sample = /^[a-z_]+(\{([a-z_]+="([^"\\\n]|\\["\\n])*")(,[a-z_]+="([^"\\\n]|\\["\\n])*")*\})? -?\d+(\.\d+)?$/;
  for (const line of text.trimEnd().split('\n')) if (!line.startsWith('#')) expect(line).toMatch(sample);
  expect(promLabel(LABEL)).toBe('q\\"uote\\\\back\\\\slash\\nnew');
  expect(text).toContain(promLabel(LABEL));
});

test('SARIF: still valid against the official schema', () => {
  const log = JSON.parse(renderSarif(report, {}));
  expect(sarifSchemaErrors(log)).toEqual([]);
  for (const r of log.runs[0].results) expect(r.locations[0].physicalLocation.artifactLocation.uri).not.toMatch(/[<>"`| \n\\]/);
});
