/**
 * The exit code, proven once through the real command: a config file points the spawned CLI at a
 * simulator running in this process, one vault is denied, and the run exits 3 with the report
 * complete for everything else and the vault named on stderr.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { estateConfigJson, KEY, NOW, TOKEN, TOKEN_ENV, startEstate, type Estate } from './estate.js';
import { certwardenAsync } from './spawn.js';

let estate: Estate;
beforeAll(async () => {
  estate = await startEstate();
}, 60_000);
afterAll(() => estate.close());

test('a denied vault: exit 3, the report holds every other scope, stderr names the vault and the reason', async () => {
  estate.sim.server.configure({ faults: [{ kind: 'denied', service: 'azure-keyvault', scope: 'kv-b' }] });
  const config = join(estate.certDir, '..', `cw-exit-${process.pid}.json`);
  writeFileSync(config, JSON.stringify(estateConfigJson(estate.sim.server.url, estate.certDir)));
  const out = join(estate.certDir, '..', `cw-exit-${process.pid}-report.json`);
  const env = {
    AWS_ACCESS_KEY_ID: KEY.id,
    AWS_SECRET_ACCESS_KEY: KEY.secret,
    AWS_REGION: 'us-east-1',
    [TOKEN_ENV]: TOKEN,
  };
  const run = await certwardenAsync(
    ['audit', '-c', config, '-o', out, '--now', NOW.toISOString(), '--fail-on', 'none'],
    { env },
  );
  expect(run.stderr).toMatch(
    /failed azure-keyvault [0-9a-f-]+\/kv-b: ForbiddenByRbac: vault kv-b: .*\(in GetCertificates\)/,
  );
  expect(run.code).toBe(3);
  const report = JSON.parse(readFileSync(out, 'utf8'));
  const notOk = report.scopes
    .filter((s: { status: string }) => s.status !== 'ok')
    .map((s: { location: string }) => s.location);
  expect(notOk).toEqual(['kv-b']);
  expect(report.summary.certificates).toBe(48); // 50 in the estate, less kv-b's two
  expect(run.ms).toBeLessThan(90_000);
}, 120_000);
