/**
 * What `audit` checks before its first cloud call: a config that audits nothing, rule settings
 * (named with the file they are in), and every path the run will write.
 */
import type { Config } from '../config/schema.js';
import { activeRules, ConfigError } from '../config/load.js';
import type { Format } from '../report/formats.js';
import { RULES } from '../../rules/index.js';
import { PROVIDERS } from '../../providers/index.js';
import { ensureFolder, ensureWritableFile } from './paths.js';
import { formatPaths } from './report.js';

export interface PreflightOptions {
  configFile: string;
  output: string;
  formats: Format[];
  outDir?: string;
}

export function preflight(config: Config, opts: PreflightOptions): void {
  const file = opts.configFile;
  try {
    activeRules(config, RULES);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    throw new ConfigError(
      `${file}: ${err.message}`,
      err.problems.map((p) => `${file}: ${p}`),
    );
  }
  if (!PROVIDERS.some((p) => p.enabled(config)))
    throw new ConfigError(
      `${file}: providers: no provider is configured, so there is nothing to audit (add providers.files, providers.aws, providers.azure or providers.tls; see README.md)`,
    );
  if (opts.output !== '-') ensureWritableFile(opts.output, 'report');
  if (opts.outDir) ensureFolder(opts.outDir, 'reports');
  for (const [format, path] of formatPaths(opts.formats, opts)) ensureWritableFile(path, `${format} report`);
  // store.path has checks of its own (src/store/open.ts), also run before any cloud call.
}
