import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../src/config/load.js';
import { runAudit } from '../../src/cli/audit.js';
import { issue, fixture } from '../fixtures/certs.js';

test('a history store that cannot be opened does not cost the report: it is built, and the failure is named', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cw-storefail-'));
  writeFileSync(join(dir, 'a.pem'), issue(fixture('expired')).pem);
  const blocked = join(dir, 'history.db');
  mkdirSync(blocked); // a directory where the SQLite file should be
  const warnings: string[] = [];
  const config = parseConfig(`providers:\n  files: { paths: [${JSON.stringify(join(dir, 'a.pem'))}] }\nstore: { path: ${JSON.stringify(blocked)} }\n`);
  const out = await runAudit({ config, now: new Date('2026-06-01T00:00:00Z'), log: { info: () => {}, debug: () => {}, warn: (m) => warnings.push(m) } });
  expect(out.storeError).toMatch(/history store .*history\.db was not updated/);
  expect(out.report.findings.map((f) => f.ruleId)).toEqual(['cert-expired']);
  expect(out.report.findings[0].status).toBeUndefined();
  expect(warnings.join('\n')).toMatch(/written without new\/resolved statuses/);
});
