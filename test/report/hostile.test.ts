/** Hostile strings from a cloud (names, subjects, tags, error messages) through every format. */
import type { Report } from '../../src/report/json.js';
import { renderCsv } from '../../src/report/csv.js';
import { renderHtml } from '../../src/report/html.js';
import { renderJunit } from '../../src/report/junit.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderPrometheus } from '../../src/report/prometheus.js';
import { renderSarif } from '../../src/report/sarif.js';
import { csvCell, escapeHtml, escapeXml, promLabel } from '../../src/report/escape.js';
import { jsonChunks } from '../../src/report/json.js';
import { reportSchemaErrors } from '../fixtures/schema.js';
import { sarifSchemaErrors } from './sarif-schema.js';
import { CONTROLS, FORMULA, IMG, LABEL, LEADING_FORMULAS, MARKUP, SCRIPT, hostileReport } from './fixture.js';

/** Raw characters that act on a terminal or a viewer, or hide themselves: C0 but line feed, DEL, C1, format characters (bidi, zero-width), U+2028/2029. */
// eslint-disable-next-line no-control-regex -- control characters are what this pattern is for
const UNSEEN = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\p{Cf}\u2028\u2029]/u;
/** How CONTROLS reads when every such character is shown as a visible escape. */
const CONTROLS_VISIBLE =
  '\\x1b]8;;http://evil.example/\\x1b\\click\\x1b]8;;\\x1b\\ \\x9b31mred\\x85 ok\\rforged \\u202egpj.exe';
/** A cell a spreadsheet would take for a formula, also after white space or controls it skips. */
const FORMULA_CELL = /^[\s\p{Cc}\p{Cf}\uFFFD]*[=+\-@]/u;

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
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
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
    expect(row).toHaveLength(15);
    for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    for (const cell of row) expect([cell, FORMULA_CELL.test(cell)]).toEqual([cell, false]);
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
    expect(row.match(/(?<!\\)\|/g)).toHaveLength(6); // five cells: data pipes are escaped
  }
  expect(md).toContain('a\\|b \\`tick\\` \\*bold\\* \\[link\\]\\(javascript\\:alert\\(1\\)\\)');
  expect(md).toContain('\\@team \\#1 second line');
});

test('JUnit: XML-escaped, characters XML 1.0 forbids removed, no markup from data', () => {
  const xml = renderJunit(report, { failOn: 'high' });
  // eslint-disable-next-line no-control-regex -- control characters are what this pattern is for
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
  for (const r of log.runs[0].results)
    expect(r.locations[0].physicalLocation.artifactLocation.uri).not.toMatch(/[<>"`| \n\\]/);
});

test('CSV: a formula behind leading white space, line breaks or control characters is neutralised too', () => {
  for (const value of LEADING_FORMULAS) {
    const [[seen]] = parseCsv(`${csvCell(value)}\r\n`);
    expect([value, seen.startsWith("'"), FORMULA_CELL.test(seen)]).toEqual([value, true, false]);
  }
  expect(csvCell(' =1+1')).toBe("' =1+1");
  expect(csvCell('\n=cmd')).toBe(`"'\n=cmd"`);
  expect(csvCell(' \t -2')).toBe("' \t -2");
  expect(csvCell('\u001b@x')).toBe("'\uFFFD@x");
  expect(csvCell(' plain text')).toBe('" plain text"'); // no formula: quoted for the space, not prefixed
  // eslint-disable-next-line no-control-regex -- control characters are what this pattern is for
  expect(renderCsv(report)).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\p{Cf}\u2028\u2029]/u);
});

test('JSON: C1, bidi and other invisible characters are \\u escapes in the file, and parse back to the same strings', () => {
  const json = [...jsonChunks(report)].join('');
  expect(json).not.toMatch(UNSEEN);
  expect(JSON.parse(json)).toEqual(report);
  expect(json).toContain('\\u009b31mred\\u0085 ok\\rforged \\u202egpj.exe');
  expect([...jsonChunks(report)].join('')).toBe(json);
});

test('SARIF: no raw C1 or bidi character in the file; the messages a viewer shows carry them as visible escapes', () => {
  const text = renderSarif(report, {});
  expect(text).not.toMatch(UNSEEN);
  const run = JSON.parse(text).runs[0];
  const messages: string[] = [
    ...run.results.map((r: any) => r.message.text),
    ...run.invocations[0].toolExecutionNotifications.map((n: any) => n.message.text),
  ];
  // A service's error message folds its line breaks (a carriage return among them) into spaces; the rest shows escaped.
  expect(run.invocations[0].toolExecutionNotifications[0].message.text).toContain(CONTROLS_VISIBLE.replace('\\r', ' '));
  for (const m of messages) expect([m, /[\p{Cc}\p{Cf}\u2028\u2029]/u.test(m)]).toEqual([m, false]);
  expect(run.results.find((r: any) => r.message.text.startsWith(CONTROLS_VISIBLE)).properties.resourceUid).toBe(
    report.findings.find((f) => f.resource.name === CONTROLS)!.resource.uid,
  );
});

test("Prometheus: the spec's escapes for backslash, quote and line feed; every other control a visible escape", () => {
  const text = renderPrometheus(report);
  expect(text.replace(/\n/g, '')).not.toMatch(UNSEEN);
  expect(labelValue(promLabel(CONTROLS))).toBe(CONTROLS_VISIBLE);
  expect(labelValue(promLabel(LABEL))).toBe(LABEL);
  expect(promLabel('tab\there')).toBe('tab\\\\there');
  for (const [, wire] of text.matchAll(/="((?:[^"\\]|\\.)*)"/g)) expect(() => labelValue(wire)).not.toThrow();
  expect(text).toContain(`name="${promLabel(CONTROLS)}"`);
});

test('JUnit: characters XML 1.0 forbids, C1 and bidi controls become visible escapes; data cannot start a line', () => {
  expect(escapeXml('a\u0000b\u0007c\uFFFE')).toBe('a\\x00b\\x07c\\ufffe');
  expect(escapeXml(CONTROLS)).toBe(CONTROLS_VISIBLE);
  expect(escapeXml(LABEL)).toBe('q&quot;uote\\back\\slash\\nnew');
  const xml = renderJunit(report, { failOn: 'high' });
  expect(xml.replace(/\n/g, '')).not.toMatch(UNSEEN);
  expect(xml).toContain(CONTROLS_VISIBLE);
  for (const line of xml.split('\n'))
    expect(line).toMatch(/^(<|\s+<|\[(critical|high|medium|low|info)\] |resource: |remediation: |$)/);
});

test('HTML and Markdown: no raw C1, bidi, zero-width or other format characters', () => {
  // eslint-disable-next-line no-control-regex -- control characters are what this pattern is for
  expect(renderHtml(report)).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\p{Cf}\u2028\u2029]/u);
  expect(renderMarkdown(report)).not.toMatch(UNSEEN);
});

/** A label value as a Prometheus server reads it (text format 0.0.4): only \\\\, \\" and \\n are escapes. */
function labelValue(wire: string): string {
  return wire.replace(/\\(.)/gs, (_m, c: string) => {
    if (c === '\\' || c === '"') return c;
    if (c === 'n') return '\n';
    throw new Error(`invalid escape \\${c}`);
  });
}
