/**
 * A file where the history store is expected but that is not a sound certwarden store is never
 * taken for a first run nor appended to: the report is still written, nothing is remembered or
 * announced, and the run exits 3 naming the file and what is wrong with it. `--new-store` is the
 * operator's explicit way out; it moves the bad file aside and refuses to replace a good store.
 */
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
  closeSync,
  openSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { parseConfig } from '../../src/config/load.js';
import { runAudit } from '../../src/cli/audit.js';
import { openStore } from '../../src/store/sqlite.js';
import { NOW } from '../fixtures/certs.js';
import { receiver } from '../notify/receiver.js';
import { certwardenAsync } from '../reliability/spawn.js';
import { onlyRules, writeCert } from './scenario.js';
import { syntheticRun } from './synthetic.js';

const SLOW = 120_000;
const dir = mkdtempSync(join(tmpdir(), 'cw-unusable-'));
const certs = join(dir, 'certs');
writeCert(join(certs, 'weak.pem'), 'rsa-1024');
writeCert(join(certs, 'soon.pem'), 'expiring-20d');
const configText = (db: string, notify = '') =>
  `providers:\n  files: { paths: [${JSON.stringify(certs)}] }\nstore: { path: ${JSON.stringify(db)} }\nrules:\n${onlyRules(['cert-expiring', 'weak-rsa-key'])}\n${notify}`;
const digest = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const warnings: string[] = [];
const log = { info: () => {}, debug: () => {}, warn: (m: string) => warnings.push(m) };

test(
  'a 0-byte store: exit 3, the report is written, no webhook is called, the file is left as it was',
  async () => {
    const db = join(dir, 'empty.db');
    writeFileSync(db, '');
    const cfg = join(dir, 'empty.yaml');
    writeFileSync(
      cfg,
      configText(
        db,
        'notify:\n  - { type: webhook, urlEnv: HOOK_URL, minSeverity: low, attempts: 1, timeoutMs: 2000 }\n',
      ),
    );
    const hook = await receiver([200]);
    try {
      const out = join(dir, 'empty-report.json');
      const run = await certwardenAsync(
        ['audit', '-c', cfg, '-o', out, '--now', NOW.toISOString(), '--fail-on', 'none'],
        { env: { HOOK_URL: hook.url } },
      );
      expect(run.stderr).toContain(`the history store ${db} cannot be used: empty file`);
      expect(run.stderr).toMatch(/--new-store/);
      expect(run.stderr).not.toMatch(/first run/);
      expect(run.code).toBe(3);
      const report = JSON.parse(readFileSync(out, 'utf8'));
      expect(report.findings.map((f: { ruleId: string }) => f.ruleId).sort()).toEqual([
        'cert-expiring',
        'weak-rsa-key',
      ]);
      expect(report.history).toBeUndefined();
      expect(hook.requests).toEqual([]);
      expect(readFileSync(db).length).toBe(0);
    } finally {
      await hook.close();
    }
  },
  SLOW,
);

/** A store of two runs, the first large enough that its records fill pages no later write touches. */
async function storeWithTwoRuns(path: string): Promise<void> {
  const s = openStore(path);
  await s.saveRun(syntheticRun(400, '2026-05-30T00:00:00.000Z', 'a'));
  await s.saveRun(syntheticRun(2, '2026-05-31T00:00:00.000Z', 'b'));
  await s.close();
}

/** Overwrites one page in the middle of the `records` table, where run 1's records are. */
function garbleMiddlePage(path: string): void {
  const raw = new Database(path, { readonly: true });
  const pages = (
    raw.prepare("SELECT pageno FROM dbstat WHERE name = 'records' ORDER BY pageno").all() as { pageno: number }[]
  ).map((p) => p.pageno);
  const pageSize = raw.pragma('page_size', { simple: true }) as number;
  raw.close();
  const fd = openSync(path, 'r+');
  writeSync(fd, Buffer.alloc(pageSize, 'garbage!'), 0, pageSize, (pages[Math.floor(pages.length / 2)] - 1) * pageSize);
  closeSync(fd);
}

test(
  'garbage in the middle of the store: found on open (quick_check), named, and the file is never appended to',
  async () => {
    const db = join(dir, 'garbled.db');
    await storeWithTwoRuns(db);
    garbleMiddlePage(db);
    const before = digest(db);
    warnings.length = 0;
    const out = await runAudit({ config: parseConfig(configText(db)), now: NOW, log });
    expect(out.storeError).toMatch(
      new RegExp(`the history store ${db} cannot be used: database disk image is malformed`),
    );
    expect(out.report.history).toBeUndefined();
    expect(out.report.findings).toHaveLength(2);
    expect(digest(db)).toBe(before);
    expect(existsSync(`${db}-wal`) ? readFileSync(`${db}-wal`).length : 0).toBe(0);
    expect(warnings.join('\n')).toContain('database disk image is malformed');
  },
  SLOW,
);

test(
  'a file that is not an SQLite database, and an SQLite database that is not a certwarden store',
  async () => {
    const text = join(dir, 'notes.db');
    writeFileSync(text, 'these are my notes, not a database\n'.repeat(200));
    const a = await runAudit({ config: parseConfig(configText(text)), now: NOW, log });
    expect(a.storeError).toMatch(/cannot be used: not a certwarden store \(not an SQLite database\)/);
    expect(readFileSync(text, 'utf8')).toBe('these are my notes, not a database\n'.repeat(200));

    const other = join(dir, 'other.db');
    const raw = new Database(other);
    raw.exec('CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)');
    raw.close();
    const before = digest(other);
    const b = await runAudit({ config: parseConfig(configText(other)), now: NOW, log });
    expect(b.storeError).toMatch(
      /cannot be used: not a certwarden store \(an SQLite database without certwarden's tables\)/,
    );
    expect(digest(other)).toBe(before);
  },
  SLOW,
);

describe('--new-store', () => {
  test(
    'moves an unusable file aside (kept, not deleted) and starts a new store',
    async () => {
      const db = join(dir, 'restart.db');
      writeFileSync(db, '');
      const cfg = join(dir, 'restart.yaml');
      writeFileSync(cfg, configText(db));
      const run = await certwardenAsync([
        'audit',
        '-c',
        cfg,
        '-o',
        join(dir, 'restart.json'),
        '--now',
        NOW.toISOString(),
        '--fail-on',
        'none',
        '--new-store',
      ]);
      expect(run.stderr).toMatch(/history: run 1 \(first run\)/);
      expect(run.code).toBe(0);
      const aside = readdirSync(dir).filter((f) => f.startsWith('restart.db.unusable-'));
      expect(aside).toHaveLength(1);
      expect(readFileSync(join(dir, aside[0])).length).toBe(0);
      expect(run.stderr).toContain(`moved aside to ${join(dir, aside[0])}`);
      const s = openStore(db, { mustExist: true });
      expect((await s.runs()).map((r) => r.seq)).toEqual([1]);
      await s.close();
    },
    SLOW,
  );

  test(
    'refuses to replace a store that holds runs, before collecting anything',
    async () => {
      const db = join(dir, 'good.db');
      await storeWithTwoRuns(db);
      const before = digest(db);
      const cfg = join(dir, 'good.yaml');
      writeFileSync(cfg, configText(db));
      const out = join(dir, 'good.json');
      const run = await certwardenAsync(['audit', '-c', cfg, '-o', out, '--now', NOW.toISOString(), '--new-store']);
      expect(run.stderr).toMatch(/--new-store refused: .*good\.db is a sound certwarden store holding 2 runs/);
      expect(run.code).toBe(2);
      expect(existsSync(out)).toBe(false);
      expect(digest(db)).toBe(before);
    },
    SLOW,
  );
});
