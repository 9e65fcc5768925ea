/**
 * No certificate can end the process: structure-aware mutations of real certificates of every
 * key type (test/security/crash-fuzz/), each run in a child process, so an abort is a failing
 * case with its input saved, not a lost test run. A fixed seed and budget here; docs/security.md
 * says how to run it longer (`npm run fuzz:x509`).
 */
import { runFuzz } from './crash-fuzz/run.js';

const CASES = Number(process.env.CERTWARDEN_X509_FUZZ_CASES ?? 1500);
const SEED = Number(process.env.CERTWARDEN_X509_FUZZ_SEED ?? 1);

test(`${CASES} mutated certificates (seed ${SEED}): no child dies, hangs or exits on its own`, async () => {
  const r = await runFuzz({ seed: SEED, cases: CASES, out: process.env.CERTWARDEN_X509_FUZZ_OUT });
  process.stdout.write(
    `x509 crash fuzz: seed ${SEED}, ${r.cases} cases in ${r.children} children, ${r.read} read, ${r.unparseable} unparseable, ${r.crashes.length} crashes, ${r.seconds.toFixed(1)} s\n`,
  );
  expect(r.crashes).toEqual([]);
  expect(r.cases).toBe(CASES);
  // Most mutations leave a certificate that still parses, so the key code and the signature check run.
  expect(r.read).toBeGreaterThan(CASES / 3);
}, 900_000);
