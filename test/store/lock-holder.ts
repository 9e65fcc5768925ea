/**
 * Child process for the lock tests: opens the store (a SQLite path or a PostgreSQL URL) for a run,
 * as an audit does before collecting, optionally writes a whole run into the run's transaction
 * (`--write`), says so on stdout, and holds it until it is killed.
 */
import { writeSync } from 'node:fs';
import { openTargetForRun } from '../../src/store/backend.js';
import { syntheticRun } from './synthetic.js';

const [where, mode] = process.argv.slice(2);
const silent = { info: () => {}, warn: () => {}, debug: () => {} };
const target = /^postgres(ql)?:/.test(where) ? { url: where } : { path: where };
const store = await openTargetForRun({ ...target, lockTimeoutMs: 10_000 }, { log: silent });
if (mode === '--write') await store.saveRun(syntheticRun(50, new Date().toISOString(), 'killed'));
writeSync(1, 'holding\n');
setInterval(() => {}, 60_000);
