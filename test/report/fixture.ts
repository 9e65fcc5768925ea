/**
 * Reports for the format tests, built by real audits: the bundled demo estate (AWS and Azure
 * through the real SDK clients against the simulator, plus files), and a folder of real
 * certificates whose names and subjects carry hostile strings.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDemo } from '../../src/cli/demo.js';
import { runAudit } from '../../src/cli/audit.js';
import { parseConfig } from '../../src/config/load.js';
import type { Report } from '../../src/report/json.js';
import { NOW, fixture, issue } from '../fixtures/certs.js';

export const quiet = { info: () => {}, warn: () => {}, debug: () => {} };
export const DEMO_NOW = new Date('2026-03-01T00:00:00Z');

/** Runs `certwarden demo` in-process into a temporary folder; returns the folder and its report.json. */
export async function demoReport(): Promise<{ dir: string; report: Report }> {
  const dir = mkdtempSync(join(tmpdir(), 'cw-report-demo-'));
  // eslint-disable-next-line @typescript-eslint/unbound-method -- saved to be put back on the same object
  const write = process.stderr.write;
  process.stderr.write = () => true;
  try {
    await runDemo({ outDir: dir, log: quiet, now: DEMO_NOW });
  } finally {
    process.stderr.write = write;
  }
  return { dir, report: JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) };
}

export const SCRIPT = '<script>alert(1)</script>';
export const IMG = '"><img src=x onerror=alert(1)>';
export const FORMULA = '=HYPERLINK("http://evil.example/x","click")';
export const MARKUP = 'a|b `tick` *bold* [link](javascript:alert(1)) @team #1\nsecond line';
export const LABEL = 'q"uote\\back\\slash\nnew';
/** What acts on a terminal or a viewer: an OSC 8 hyperlink, 8-bit C1 CSI and NEL, a carriage return that rewrites the line, a bidi override. */
export const CONTROLS =
  '\u001b]8;;http://evil.example/\u001b\\click\u001b]8;;\u001b\\ \u009b31mred\u0085 ok\rforged \u202egpj.exe';
/** Formulas behind leading white space or control characters, which some spreadsheets skip before deciding a cell is a formula. */
export const LEADING_FORMULAS = [' =1+1', "\n=cmd|' /C calc'!A0", '\t@SUM(A1)', ' \r+1', '\u00a0-2+3', '\u200b=1'];

/**
 * An audit of certificate files named and issued with hostile strings (each file is a real,
 * expired certificate, so findings name it); then the hostile strings a cloud could also put in
 * names, tags and error messages, which the files provider has no way to carry, are set on the report.
 */
export async function hostileReport(): Promise<{ dir: string; report: Report }> {
  const dir = mkdtempSync(join(tmpdir(), 'cw-report-hostile-'));
  const certs = join(dir, 'certs');
  mkdirSync(join(certs, IMG), { recursive: true });
  const expired = fixture('expired');
  const files: [string, Parameters<typeof issue>[1]][] = [
    [join(certs, 'script.pem'), { commonName: SCRIPT, subject: { O: IMG } }],
    [join(certs, IMG, 'img.pem'), { commonName: IMG }],
    [join(certs, 'formula.pem'), { commonName: FORMULA }],
    [join(certs, `${MARKUP}.pem`), { commonName: MARKUP }],
    [join(certs, `${LABEL}.pem`), { commonName: LABEL }],
    [join(certs, 'controls.pem'), { commonName: CONTROLS }],
    ...LEADING_FORMULAS.map((cn, i): [string, Parameters<typeof issue>[1]] => [
      join(certs, `leading-${i}.pem`),
      { commonName: cn },
    ]),
  ];
  for (const [path, extra] of files) writeFileSync(path, issue(expired, extra).pem);
  const config = parseConfig(
    JSON.stringify({ providers: { files: { paths: [certs, join(dir, 'missing')] } } }),
    'hostile config',
  );
  const { report } = await runAudit({ config, now: NOW, log: quiet });
  // Cloud providers name a certificate by its domain or vault name, which a file path cannot hold: do as they do.
  const named = [SCRIPT, FORMULA, CONTROLS, ...LEADING_FORMULAS];
  for (const cert of report.certificates) {
    const cn = cert.commonName;
    if (!cn || !named.includes(cn)) continue;
    const path = cert.name;
    cert.name = cn;
    for (const f of report.findings) {
      if (f.resource.uid !== cert.uid) continue;
      f.resource.name = cn;
      if (f.message.startsWith(path)) f.message = `${cn}${f.message.slice(path.length)}`;
    }
  }
  report.certificates[0].tags = { [SCRIPT]: IMG, owner: FORMULA, note: MARKUP };
  // An owner is a tag value, as hostile as any other: every format shows it.
  const owners = [SCRIPT, IMG, FORMULA, MARKUP, LABEL, CONTROLS, ...LEADING_FORMULAS];
  report.findings.forEach((f, i) => (f.owner = { name: owners[i % owners.length], source: 'tag', detail: SCRIPT }));
  report.certificates[0].owner = { name: FORMULA, source: 'tag', detail: 'owner' };
  const failed = report.scopes.find((s) => s.status !== 'ok');
  if (failed?.error) failed.error.message = `${SCRIPT} ${IMG} ${LABEL} ${CONTROLS} \u0000\u0007\uFFFE`;
  return { dir, report: JSON.parse(JSON.stringify(report)) };
}
