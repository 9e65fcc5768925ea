import type { Logger } from '../engine/api/provider.js';
import { oneLine, visibleText } from '../report/escape.js';

/**
 * Messages go to stderr so stdout stays clean for `--output -`. Each message is one line: the
 * values it quotes come from clouds and disks, so their controls and line breaks show escaped;
 * a warning, which mostly carries a service's error message, folds its line breaks first.
 */
export function stderrLogger(
  level: 'quiet' | 'normal' | 'verbose' = 'normal',
  /** Called before each message: a live progress line on a terminal clears itself. */
  beforeWrite?: () => void,
): Logger {
  const out = (prefix: string, msg: string) => {
    beforeWrite?.();
    process.stderr.write(`${prefix}${msg}\n`);
  };
  return {
    info: (m) => level !== 'quiet' && out('', visibleText(m)),
    warn: (m) => out('warning: ', visibleText(oneLine(m))),
    debug: (m) => level === 'verbose' && out('debug: ', visibleText(m)),
  };
}
