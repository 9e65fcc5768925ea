/**
 * Hostile strings as a cloud would serve them: certificate subjects and SANs (real X.509 bytes
 * from the simulator's templates), ACM and Key Vault tags, load balancer names, a vault whose name
 * is not a host name (so its error message carries the string too), and file names. They travel
 * the real wire protocols and SDKs into the report, and must come out inert in every format and
 * in the terminal summary.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAudit } from '../../src/cli/audit.js';
import { summaryText } from '../../src/cli/summary.js';
import { stderrLogger } from '../../src/cli/log.js';
import { parseConfig } from '../../src/config/load.js';
import { FORMATS, render } from '../../src/report/formats.js';
import type { Report } from '../../src/report/json.js';
import { startSimulator, type Simulator } from '../../src/sim/index.js';
import { issueCertificate } from '../../src/sim/certs.js';
import { sarifSchemaErrors } from '../report/sarif-schema.js';
import { ocsfValidator } from '../fixtures/ocsf-schema.js';
import { asffSchemaErrors } from '../fixtures/asff-schema.js';
import { reportSchemaErrors } from '../fixtures/schema.js';
import { KEY, NOW, TOKEN, TOKEN_ENV, quiet, useCredentials } from '../reliability/estate.js';

const SCRIPT = '<script>alert(1)</script>';
const IMG = '"><img src=x onerror=alert(1)>';
const FORMULA = '=HYPERLINK("http://evil.example/x","click")';
const PIPE = 'a|b `tick` *b* [l](javascript:alert(1))';
const ANSI = '\u001b[31mred\u001b[0m\u001b]0;title\u0007';
const BIDI = 'invoice\u202Egpj.exe\u202C\u2066x\u2069';
const NEWLINE = 'first\nsecond\r\nthird';
/** An OSC 8 hyperlink, 8-bit C1 controls (CSI, NEL, OSC, ST) and a carriage return that rewrites the line. */
const CONTROLS =
  '\u001b]8;;http://evil.example/\u001b\\click\u001b]8;;\u001b\\ \u009b2J\u0085\u009d0;t\u009c real\rfake';
/** Formulas behind leading white space or line breaks, which some spreadsheets skip. */
const LEADING = [' =1+1', "\n=cmd|' /C calc'!A0", '\t@SUM(A1)', ' -2+3'];
const ALL = [SCRIPT, IMG, FORMULA, PIPE, ANSI, BIDI, NEWLINE, CONTROLS, ...LEADING];
/** Characters that break a line, move a terminal's cursor, recolour it, reorder text or hide themselves. */
// eslint-disable-next-line no-control-regex -- control characters are what this pattern is for
const TERMINAL_UNSAFE = /[\u0000-\u001f\u007f-\u009f\p{Cf}\u2028\u2029]/u;
/** The same, but for files whose own layout is made of line feeds. */
// eslint-disable-next-line no-control-regex -- control characters are what this pattern is for
const UNSEEN = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\p{Cf}\u2028\u2029]/u;
/** A cell a spreadsheet would take for a formula, also after white space or controls it skips. */
const FORMULA_CELL = /^[\s\p{Cc}\p{Cf}\uFFFD]*[=+\-@]/u;

const tags = { [SCRIPT]: IMG, owner: FORMULA, note: `${PIPE} ${NEWLINE}`, colour: ANSI, bidi: BIDI };

let sim: Simulator;
let report: Report;

beforeAll(async () => {
  useCredentials();
  sim = await startSimulator(
    {
      aws: {
        accounts: [
          {
            id: '111111111111',
            accessKeys: [{ id: KEY.id, secret: KEY.secret }],
            regions: {
              'us-east-1': {
                certificates: [
                  {
                    name: 'script',
                    cn: SCRIPT,
                    subject: { O: IMG, OU: BIDI },
                    sans: ['ok.example.com', `x${IMG}`, `${FORMULA}`],
                    expiresInDays: -2,
                    tags,
                  },
                  {
                    name: 'ansi',
                    cn: `${ANSI}${NEWLINE}`,
                    subject: { O: PIPE },
                    expiresInDays: 3,
                    tags: { team: SCRIPT },
                  },
                  { name: 'controls', cn: CONTROLS, expiresInDays: -3, tags: { link: CONTROLS } },
                  ...LEADING.map((cn, i) => ({ name: `leading-${i}`, cn, expiresInDays: -1 })),
                ],
                loadBalancers: [
                  {
                    name: `lb-${SCRIPT}`,
                    tags,
                    listeners: [{ protocol: 'HTTPS', port: 443, certificate: 'script', sni: ['ansi'] }],
                  },
                ],
              },
            },
          },
        ],
      },
      azure: {
        token: TOKEN,
        subscriptions: [
          {
            id: '9d0f0c1e-0000-4000-8000-0000000000cc',
            displayName: SCRIPT,
            vaults: [
              {
                name: 'kv-hostile',
                tags,
                certificates: [{ name: 'bidi', cn: BIDI, subject: { O: FORMULA }, expiresInDays: 1, tags }],
              },
              { name: `kv${IMG}`, certificates: [{ name: 'x', cn: 'x.example.com' }] },
            ],
          },
        ],
      },
    },
    { now: NOW },
  );
  const dir = mkdtempSync(join(tmpdir(), 'cw-hostile-cloud-'));
  mkdirSync(join(dir, ANSI.replace(/\//g, '')), { recursive: true });
  const expired = {
    key: { type: 'rsa' as const, bits: 2048 },
    notBefore: new Date(NOW.getTime() - 400 * 864e5),
    notAfter: new Date(NOW.getTime() - 864e5),
  };
  writeFileSync(
    join(dir, `${FORMULA.replace(/\//g, '')}.pem`),
    issueCertificate({ ...expired, commonName: FORMULA }).pem,
  );
  writeFileSync(
    join(dir, ANSI.replace(/\//g, ''), `${BIDI}.pem`),
    issueCertificate({ ...expired, commonName: NEWLINE }).pem,
  );
  const config = parseConfig(
    JSON.stringify({
      providers: {
        files: { paths: [dir] },
        aws: { endpoint: sim.server.url, regions: ['us-east-1'], maxAttempts: 2, retryDelayMs: 5 },
        azure: {
          cloud: { resourceManager: sim.server.url },
          credential: { type: 'token', env: TOKEN_ENV },
          subscriptions: ['all'],
          maxAttempts: 2,
        },
      },
    }),
    'hostile',
  );
  ({ report } = await runAudit({ config, now: NOW, log: quiet }));
  report = JSON.parse(JSON.stringify(report));
}, 90_000);
afterAll(() => sim.server.close());

test('the hostile strings reached the report through the clouds, unchanged', () => {
  expect(reportSchemaErrors(report)).toEqual([]);
  const text = JSON.stringify(report);
  for (const s of ALL) expect(text).toContain(JSON.stringify(s).slice(1, -1));
  expect(report.certificates.find((c) => c.provider === 'aws-acm' && c.commonName === SCRIPT)?.tags).toEqual(tags);
  expect(report.certificates.find((c) => c.provider === 'azure-keyvault')?.commonName).toBe(BIDI);
  expect(report.bindings.find((b) => b.provider === 'aws-elbv2')?.loadBalancer?.name).toBe(`lb-${SCRIPT}`);
  const badVault = report.scopes.find((s) => s.status !== 'ok');
  expect(badVault).toMatchObject({ provider: 'azure-keyvault', location: `kv${IMG}` });
  expect(badVault?.error?.message).toContain(IMG.toLowerCase());
  expect(report.findings.length).toBeGreaterThanOrEqual(4);
});

const out = (format: (typeof FORMATS)[number]) => [...render(format, report, { failOn: 'high' })].join('');

test('JSON: strings are JSON strings, nothing else', () => {
  const json = out('json');
  expect(JSON.parse(json)).toEqual(report);
  expect(json).not.toMatch(UNSEEN); // every control, C1, bidi or format character is \u-escaped; the layout's newlines stay
});

test("HTML: no markup from data survives; the only script is certwarden's own; no raw control characters", () => {
  const html = out('html');
  expect(html.match(/<script/gi)).toHaveLength(1);
  expect(html).not.toMatch(/<img|<[^>]*\sonerror=/i);
  // eslint-disable-next-line no-control-regex -- control characters are what this pattern is for
  expect(html).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\p{Cf}\u2028\u2029]/u);
});

test("CSV: no cell starts a formula; every row has the header's columns", () => {
  const csv = out('csv');
  const rows = parseCsv(csv);
  expect(rows.length).toBe(report.findings.length + 1);
  for (const row of rows) {
    expect(row).toHaveLength(rows[0].length);
    for (const cell of row) expect([cell, FORMULA_CELL.test(cell)]).toEqual([cell, false]);
  }
  for (const cn of LEADING) expect(rows.some((r) => r[7] === `'${cn}`)).toBe(true);
  // eslint-disable-next-line no-control-regex -- control characters are what this pattern is for
  expect(csv).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\p{Cf}\u2028\u2029]/u);
});

test('Markdown: no raw HTML, one table row per finding, no control characters', () => {
  const md = out('markdown');
  expect(md).not.toMatch(/<script|<img/i);
  expect(md).not.toMatch(UNSEEN);
  const rows = md.split('\n').filter((l) => /^\| (critical|high|medium|low|info) \| `/.test(l));
  expect(rows).toHaveLength(report.findings.length);
  for (const row of rows) expect(row.match(/(?<!\\)\|/g)).toHaveLength(6); // five cells (owner included): data pipes are escaped
});

test('SARIF: valid against the official schema; no raw C1, bidi or format character in the file or in a message a viewer shows', () => {
  const sarif = out('sarif');
  expect(sarifSchemaErrors(JSON.parse(sarif))).toEqual([]);
  expect(sarif).not.toMatch(UNSEEN);
  const shown: string[] = JSON.parse(sarif).runs[0].results.map((r: { message: { text: string } }) => r.message.text);
  for (const text of shown) expect([text, TERMINAL_UNSAFE.test(text)]).toEqual([text, false]);
  expect(shown.some((t) => t.includes('\\x9b2J\\x85\\x9d0;t\\x9c real\\rfake'))).toBe(true);
});

test('JUnit: well-formed XML text, no markup from data', () => {
  const xml = out('junit');
  // eslint-disable-next-line no-control-regex -- control characters are what this pattern is for
  expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\uFFFE\uFFFF]/);
  expect(xml).not.toMatch(UNSEEN);
  expect(xml).not.toMatch(
    /<(?!\/?(testsuites|testsuite|testcase|failure|error|skipped|system-out|properties|property)\b|\?xml )/,
  );
});

test('Prometheus: every sample one well-formed line', () => {
  const sample =
    /^[a-z_]+(\{([a-z_]+="([^"\\\n]|\\["\\n])*")(,[a-z_]+="([^"\\\n]|\\["\\n])*")*\})? -?\d+(\.\d+)?(e[+-]?\d+)?$/;
  for (const line of out('prometheus').trimEnd().split('\n')) if (!line.startsWith('#')) expect(line).toMatch(sample);
  expect(out('prometheus')).not.toMatch(UNSEEN);
  expect(out('prometheus')).toContain('\\\\x1b]8;;http://evil.example/\\\\x1b\\\\click'); // a backslash, then x1b: visible, and valid in the format
});

test('OCSF: one valid Detection Finding a line, the hostile strings intact after parsing, no raw control in the file', () => {
  const text = out('ocsf');
  expect(text).not.toMatch(UNSEEN);
  const validate = {
    cloud: ocsfValidator('1.1.0', 'detection_finding', ['cloud']),
    none: ocsfValidator('1.1.0', 'detection_finding', []),
  };
  const events = text
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l));
  expect(events).toHaveLength(report.findings.length);
  for (const e of events) expect((e.cloud ? validate.cloud : validate.none)(e)).toEqual([]);
  expect(events.map((e) => e.finding_info.uid)).toEqual(report.findings.map((f) => f.id));
  expect(JSON.stringify(events)).toContain(JSON.stringify(SCRIPT));
});

test('ASFF: every AWS finding valid against the ASFF field rules, hostile names kept as data', () => {
  const text = out('asff');
  expect(text).not.toMatch(UNSEEN);
  const findings = JSON.parse(text);
  expect(findings).toHaveLength(report.findings.filter((f) => f.resource.provider.startsWith('aws-')).length);
  expect(findings.length).toBeGreaterThan(0);
  for (const f of findings) expect(asffSchemaErrors(f)).toEqual([]);
  expect(text).toContain(JSON.stringify(SCRIPT).slice(1, -1));
});

test('terminal: the summary and the log lines carry no raw control or bidi characters', () => {
  const text = summaryText(report, 100);
  for (const line of text.split('\n')) expect([line, TERMINAL_UNSAFE.test(line)]).toEqual([line, false]);
  expect(text).toContain('\\x1b[31mred\\x1b[0m\\x1b]0;title\\x07first\\nsecond\\r\\nthird');
  const written: string[] = [];
  // eslint-disable-next-line @typescript-eslint/unbound-method -- saved to be put back on the same object
  const write = process.stderr.write;
  process.stderr.write = (chunk: string) => written.push(chunk) > 0;
  try {
    const log = stderrLogger('verbose');
    for (const s of report.scopes)
      if (s.error) log.warn(`${s.provider} ${s.account}/${s.location}: ${s.error.code}: ${s.error.message}`);
    for (const f of report.findings) log.info(f.message);
  } finally {
    process.stderr.write = write;
  }
  // One message, one line: data cannot add lines of its own.
  for (const chunk of written) expect([chunk, TERMINAL_UNSAFE.test(chunk.replace(/\n$/, ''))]).toEqual([chunk, false]);
  expect(written.length).toBe(report.scopes.filter((s) => s.error).length + report.findings.length);
});

/** RFC 4180 reader: what a spreadsheet sees in each cell. */
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
    } else if (c === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}
