import type { Logger } from '../engine/provider.js';

/** Messages go to stderr so stdout stays clean for `--output -`. Control characters from cloud data are shown escaped. */
export function stderrLogger(level: 'quiet' | 'normal' | 'verbose' = 'normal'): Logger {
  const out = (prefix: string, msg: string) => process.stderr.write(`${prefix}${msg.split('\n').map(safe).join('\n')}\n`);
  return {
    info: (m) => level !== 'quiet' && out('', m),
    warn: (m) => out('warning: ', oneLine(m)),
    debug: (m) => level === 'verbose' && out('debug: ', m),
  };
}

/** One terminal-safe line: service messages often span lines, a summary row must not. */
export function oneLine(s: string): string {
  return safe(s.replace(/\s*[\r\n]+\s*/g, ' ').trim());
}

/** Terminal-safe text: a certificate subject must not be able to move the cursor or recolour the screen. */
export function safe(s: string): string {
  return s.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
