/**
 * Child process for the lock test: opens the store for a run, as an audit does before collecting,
 * says so on stdout, and holds it until it is killed.
 */
import { writeSync } from 'node:fs';
import { openForRun } from '../../src/store/open.js';

const [path] = process.argv.slice(2);
const silent = { info: () => {}, warn: () => {}, debug: () => {} };
await openForRun(path, { log: silent, lockTimeoutMs: 10_000 });
writeSync(1, 'holding\n');
setInterval(() => {}, 60_000);
