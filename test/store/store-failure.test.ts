import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ConfigError, parseConfig } from '../../src/config/load.js';
import { runAudit } from '../../src/cli/audit.js';
import { openStore } from '../../src/store/sqlite.js';
import { issue, fixture } from '../fixtures/certs.js';

const dir = mkdtempSync(join(tmpdir(), 'cw-storefail-'));
writeFileSync(join(dir, 'a.pem'), issue(fixture('expired')).pem);
const configFor = (db: string) =>
  parseConfig(
    `providers:\n  files: { paths: [${JSON.stringify(join(dir, 'a.pem'))}] }\nstore: { path: ${JSON.stringify(db)} }\n`,
  );

test('a directory where the store file should be is a config error, found before anything is collected', async () => {
  const blocked = join(dir, 'history.db');
  mkdirSync(blocked);
  let scopes = 0;
  const run = runAudit({
    config: configFor(blocked),
    now: new Date('2026-06-01T00:00:00Z'),
    log: { info: () => {}, debug: () => {}, warn: () => {} },
    onScope: () => scopes++,
  });
  await expect(run).rejects.toThrow(ConfigError);
  await expect(run).rejects.toThrow(/store\.path .*history\.db: not a regular file \(a directory\)/);
  expect(scopes).toBe(0);
});

test('a store that fails while the run is written does not cost the report, and keeps nothing of that run', async () => {
  const db = join(dir, 'failing.db');
  const warnings: string[] = [];
  const log = { info: () => {}, debug: () => {}, warn: (m: string) => warnings.push(m) };
  const first = await runAudit({ config: configFor(db), now: new Date('2026-06-01T00:00:00Z'), log });
  expect(first.report.history?.run).toBe(1);
  // SQLite's own error path, as a full disk or a failing device would take it, on the second insert of the run.
  const raw = new Database(db);
  raw.exec(
    "CREATE TRIGGER refuse BEFORE INSERT ON findings BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END",
  );
  raw.close();
  const out = await runAudit({ config: configFor(db), now: new Date('2026-06-02T00:00:00Z'), log });
  expect(out.storeError).toMatch(/history store .*failing\.db was not updated: database or disk is full/);
  expect(out.report.findings.map((f) => f.ruleId)).toEqual(['cert-expired']);
  expect(out.report.findings[0].status).toBeUndefined();
  expect(warnings.join('\n')).toMatch(/written without new\/resolved statuses/);
  const s = openStore(db, { mustExist: true });
  expect((await s.runs()).map((r) => r.seq)).toEqual([1]);
  expect(await s.scopes(2)).toEqual([]);
  expect(await s.records(2)).toEqual([]);
  await s.close();
  // The failed run let go of the store: the next one takes it at once and numbers on from run 1.
  const fix = new Database(db);
  fix.exec('DROP TRIGGER refuse');
  fix.close();
  const next = await runAudit({ config: configFor(db), now: new Date('2026-06-03T00:00:00Z'), log });
  expect([next.report.history?.run, next.report.history?.previousRun?.run]).toEqual([2, 1]);
});
