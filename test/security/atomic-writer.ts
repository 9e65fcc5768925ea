/**
 * Child process for the torn-write test: writes a large report to the target again and again
 * with writeAtomic, each generation a different size, announcing each one on stdout. The test
 * kills it at random moments.
 */
import { writeSync } from 'node:fs';
import { link } from '../../src/engine/api/link.js';
import type { Certificate } from '../../src/model/types.js';
import { buildReport, jsonChunks, type Report } from '../../src/report/json.js';
import { writeAtomic } from '../../src/report/write.js';

/** A report of `n` certificates whose run id names its generation. */
export function largeReport(n: number, generation: number): Report {
  const certificates: Certificate[] = Array.from({ length: n }, (_, i) => ({
    kind: 'certificate',
    uid: `files:/bulk/${String(i).padStart(6, '0')}.pem`,
    provider: 'files',
    account: 'local',
    location: '/bulk',
    name: `${i}.pem`,
    ref: `/bulk/${i}.pem`,
    subject: `CN=host${i}.example.com, O=${'x'.repeat(300)}`,
  }));
  const now = new Date('2026-06-01T00:00:00Z');
  const report = buildReport({
    inventory: link({
      certificates,
      bindings: [],
      scopes: [
        {
          provider: 'files',
          account: 'local',
          location: '/bulk',
          status: 'ok',
          stats: { certificates: n, bindings: 0 },
        },
      ],
    }),
    findings: [],
    now,
    startedAt: now,
    finishedAt: now,
    configDigest: `sha256:${'0'.repeat(64)}`,
  });
  report.run.id = `generation-${generation}`;
  return report;
}

// Only when started as the writer: the test imports largeReport from here too.
const target = process.env.CW_ATOMIC_TARGET;
if (target) {
  const from = Number(process.env.CW_ATOMIC_FROM ?? 0);
  for (let g = from + 1; ; g++) {
    writeAtomic(target, jsonChunks(largeReport(20_000 + (g % 7) * 1000, g)));
    writeSync(1, `wrote ${g}\n`);
  }
}
