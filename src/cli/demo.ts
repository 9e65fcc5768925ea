import { join, resolve } from 'node:path';
import { rmSync } from 'node:fs';
import type { Logger } from '../engine/provider.js';
import { parseConfig } from '../config/load.js';
import { writeSampleFiles } from '../sim/files.js';
import { exitCode, runAudit, writeJson } from './audit.js';
import { summaryText } from './summary.js';

export interface DemoOptions {
  outDir: string;
  log: Logger;
  now?: Date;
}

/** A full audit of a generated sample estate, so a user sees certwarden work before giving it credentials. */
export async function runDemo(opts: DemoOptions): Promise<number> {
  const now = opts.now ?? new Date();
  const outDir = resolve(opts.outDir);
  const certDir = join(outDir, 'certs');
  rmSync(certDir, { recursive: true, force: true });
  writeSampleFiles(certDir, now);
  const config = parseConfig(JSON.stringify({ providers: { files: { paths: [certDir] } } }), 'demo config');
  const { report } = await runAudit({ config, now, log: opts.log });
  const jsonPath = join(outDir, 'report.json');
  writeJson(report, jsonPath);
  process.stderr.write(summaryText(report));
  opts.log.info(`\nreports written to ${jsonPath}`);
  // The demo's findings are intended; only an incomplete run is worth a non-zero exit.
  return exitCode(report, 'none');
}
