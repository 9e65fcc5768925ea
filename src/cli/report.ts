/** `certwarden report`, and the `--format` / `--out-dir` options of `audit`: every format rendered from the JSON report. */
import { basename, dirname, extname, join } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { Logger } from '../engine/api/provider.js';
import { SEVERITIES, type Severity } from '../model/severity.js';
import { EXTENSION, FORMATS, parseFormats, render, type Format, type RenderOptions } from '../report/formats.js';
import type { Report } from '../report/json.js';
import { readReport } from '../report/read.js';
import { writeAtomic } from '../report/write.js';
import { RULES } from '../../rules/index.js';
import { ruleDoc } from './rules.js';
import { EXIT } from './audit.js';

function formatList(v: string): Format[] {
  try {
    return parseFormats(v);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

export const formatsOption = () =>
  new Option('--format <formats>', `comma-separated report formats: ${FORMATS.join(', ')}`)
    .argParser(formatList)
    .default(['json'] as Format[], 'json');
export const outDirOption = () =>
  new Option('--out-dir <dir>', 'where the non-JSON reports go (default: beside --output)');

export function renderOptions(failOn: Severity | 'none'): RenderOptions {
  return { rules: RULES.map(ruleDoc), failOn, baseDir: process.cwd() };
}

/**
 * Writes every format but JSON (which `--output` already holds) as `<name>.<ext>`, where `name` is
 * the JSON file's name without `.json`, into `outDir`. Returns the paths written.
 */
export function writeFormats(
  report: Report,
  formats: Format[],
  opts: { output: string; outDir?: string; failOn: Severity | 'none'; log: Logger },
): string[] {
  const toStdout = opts.output === '-';
  const dir = opts.outDir ?? (toStdout ? '.' : dirname(opts.output));
  const stem = toStdout ? 'certwarden-report' : basename(opts.output, extname(opts.output) === '.json' ? '.json' : '');
  const written: string[] = [];
  for (const format of formats) {
    if (format === 'json') continue;
    const path = join(dir, `${stem}.${EXTENSION[format]}`);
    writeAtomic(path, render(format, report, renderOptions(opts.failOn)));
    opts.log.info(`${format} report written to ${path}`);
    written.push(path);
  }
  return written;
}

export function reportCommand(): Command {
  return (
    new Command('report')
      .description('render a JSON report in another format')
      // Added with addCommand, so it does not inherit the program's settings: usage errors exit 2 here too.
      .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : EXIT.usage))
      .showHelpAfterError()
      .argument('<report>', 'a certwarden JSON report, or - for stdin')
      .addOption(new Option('--format <format>', 'output format').choices([...FORMATS, 'md']).makeOptionMandatory())
      .option('-o, --output <file>', 'where to write it, or - for stdout', '-')
      .addOption(
        new Option('--fail-on <severity>', 'junit: findings at or above it are failures')
          .choices([...SEVERITIES, 'none'])
          .default('high'),
      )
      .option('--max-findings <n>', 'markdown: at most this many findings listed', (v) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number');
        return n;
      })
      .action(
        (file: string, opts: { format: string; output: string; failOn: Severity | 'none'; maxFindings?: number }) => {
          const report = readReport(file);
          const [format] = parseFormats(opts.format);
          const chunks = render(format, report, { ...renderOptions(opts.failOn), maxFindings: opts.maxFindings });
          if (opts.output === '-') for (const c of chunks) process.stdout.write(c);
          else writeAtomic(opts.output, chunks);
        },
      )
  );
}
