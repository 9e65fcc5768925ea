import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { openStore } from '../../src/store/sqlite.js';

const dir = mkdtempSync(join(tmpdir(), 'cw-migrations-'));

test('a store from before named migrations gains the reminders table and keeps its runs', async () => {
  const path = join(dir, 'v1.db');
  const raw = new Database(path);
  raw.exec('CREATE TABLE schema_version (version INTEGER NOT NULL)');
  raw.exec(MIGRATIONS[0].sql);
  raw.prepare('INSERT INTO schema_version VALUES (1)').run();
  raw
    .prepare(
      'INSERT INTO runs (report_id, started_at, finished_at, now, config_digest, counts) VALUES (?, ?, ?, ?, ?, ?)',
    )
    .run('r1', 'a', 'b', '2026-01-01T00:00:00.000Z', 'd', '{}');
  raw.close();
  const store = openStore(path);
  await store.recordReminders(1, '2026-01-02T00:00:00.000Z', [
    { target: 'webhook:X', uid: 'u', notAfter: 'n', threshold: 7 },
  ]);
  await store.recordReminders(2, '2026-01-03T00:00:00.000Z', [
    { target: 'webhook:X', uid: 'u', notAfter: 'n', threshold: 7 },
  ]);
  expect(await store.sentReminders(['webhook:X', 'webhook:Y'])).toEqual([
    { target: 'webhook:X', uid: 'u', notAfter: 'n', threshold: 7 },
  ]);
  expect((await store.runs()).map((r) => r.reportId)).toEqual(['r1']);
  await store.close();
  const check = new Database(path, { readonly: true });
  expect(check.prepare('SELECT name FROM migrations ORDER BY name').all()).toEqual(
    MIGRATIONS.map((m) => ({ name: m.name })).sort((a, b) => (a.name < b.name ? -1 : 1)),
  );
  expect(check.prepare('SELECT version FROM schema_version').get()).toEqual({ version: MIGRATIONS.length });
  check.close();
});

test('a migration this build does not know, recorded by a newer one, is refused', async () => {
  const path = join(dir, 'newer.db');
  await openStore(path).close();
  const raw = new Database(path);
  raw.prepare("INSERT INTO migrations (name) VALUES ('from-the-future')").run();
  raw.close();
  expect(() => openStore(path)).toThrow(/newer than this certwarden knows/);
});
