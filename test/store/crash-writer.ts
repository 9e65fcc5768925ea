/**
 * Child process for the crash test: writes one very large run into an existing store, announcing
 * on stdout when the transaction starts and when it commits. The test kills it in between.
 */
import { writeSync } from 'node:fs';
import { openStore } from '../../src/store/sqlite.js';
import { syntheticRun } from './synthetic.js';

const [path, count] = process.argv.slice(2);
const store = openStore(path);
const run = syntheticRun(Number(count), '2026-06-10T00:00:00.000Z');
writeSync(1, 'writing\n');
const seq = await store.saveRun(run);
writeSync(1, `done ${seq}\n`);
await store.close();
