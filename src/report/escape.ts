/**
 * One escaping policy per output, each in one function here. Certificate subjects, tags, load
 * balancer names and service messages are chosen by whoever controls a cloud account, so every
 * renderer and every line printed to a terminal passes them through one of these.
 *
 * What they guard against, beyond each format's own syntax: characters that act on whatever
 * shows the text instead of being shown. C0 controls (a line feed forges a line of output, ESC
 * starts ANSI and OSC 8 hyperlink sequences, CR rewrites the line), DEL, C1 controls (U+009B is
 * an 8-bit CSI to terminals that read C1), and characters that change how the text around them
 * reads while hiding themselves: Unicode format characters (bidi embeddings, overrides, isolates
 * and marks, CVE-2021-42574 "Trojan Source"; zero-width characters; the BOM; tag characters),
 * the line and paragraph separators, and lone surrogates.
 */

/** Every character above. */
const UNSEEN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;
/** The same but the line feed, which formats with their own line-feed escape keep for it. */
// eslint-disable-next-line no-control-regex -- control characters are what this pattern is for
const UNSEEN_BUT_LF = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;
/** C0 controls but the tab, line feed and carriage return that documents use for layout. */
// eslint-disable-next-line no-control-regex -- control characters are what this pattern is for
const C0_BUT_LAYOUT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g;
/** What a document shows as a replacement character: DEL, C1, format characters, separators, lone surrogates. */
const DISPLAY_SPOOF = /[\u007f-\u009f\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;

/** Any value as text, null and undefined as nothing: the encoders take whatever a record holds and never throw. */
function text(value: unknown): string {
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- an object is shown as String() shows it, rather than refused
  return String(value ?? '');
}

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

/** One character as a visible escape: `\n`, `\r`, `\t`; `\x1b` up to U+00FF; `\u202e`; `\u{e0041}` beyond the BMP. */
function visibleEscape(c: string): string {
  const cp = c.codePointAt(0)!;
  return NAMED[c] ?? (cp <= 0xff ? `\\x${hex(cp, 2)}` : cp <= 0xffff ? `\\u${hex(cp, 4)}` : `\\u{${cp.toString(16)}}`);
}

/**
 * Every character above shown as a visible escape, line breaks included, so one value is one
 * line and cannot move the cursor, recolour the screen or reorder what follows. The policy for
 * the terminal (every CLI line) and for the SARIF messages that viewers render. A backslash
 * stays as it is, so paths read normally; the JSON output holds the exact value.
 */
export function visibleText(value: unknown): string {
  return text(value).replace(UNSEEN, visibleEscape);
}

/**
 * A service's error message on one line, before it goes through a format's encoder. Its line
 * breaks only wrap prose (Key Vault's firewall message spans four lines), so they fold into one
 * space rather than show as `\r\n`; names and finding messages keep theirs, shown escaped.
 */
export function oneLine(value: unknown): string {
  return text(value)
    .replace(/\s*[\r\n]+\s*/g, ' ')
    .trim();
}

const HTML: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** Safe in element content and in quoted attribute values alike, so one function serves both. */
export function escapeHtml(value: unknown): string {
  return text(value)
    .replace(/[&<>"'`]/g, (c) => HTML[c])
    .replace(C0_BUT_LAYOUT, '\uFFFD')
    .replace(DISPLAY_SPOOF, '\uFFFD');
}

/**
 * XML 1.0 text and attribute values (JUnit). XML forbids most C0 controls, lone surrogates and
 * U+FFFE/FFFF outright (§2.2 Char), and CI systems show the rest as they are: all of them, line
 * breaks included, become visible escapes, so a value cannot start a line of a test's output.
 */
export function escapeXml(value: unknown): string {
  return text(value)
    .replace(UNSEEN, visibleEscape)
    .replace(/[\uFFFE\uFFFF]/g, visibleEscape)
    .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/**
 * Inline Markdown text: every CommonMark punctuation that can start markup is backslash-escaped,
 * `<`, `>` and `&` become entities (so no HTML reaches the renderer), and line breaks become
 * spaces so a value cannot end a table row or open a block. Pipes are escaped for tables; `@`
 * and `#` so a tag cannot mention a person or link an issue in a pull-request comment; `:` so
 * no scheme turns into an autolink.
 */
export function escapeMarkdown(value: unknown): string {
  return (
    text(value)
      // eslint-disable-next-line no-control-regex -- control characters are what this pattern is for
      .replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ')
      .replace(DISPLAY_SPOOF, '\uFFFD')
      .replace(/[\\`*_{}[\]()#+\-.!|~@:]/g, (c) => `\\${c}`)
      .replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!)
  );
}

/**
 * A cell a spreadsheet could evaluate: one that starts with = + - @, also after white space,
 * line breaks or invisible characters that some spreadsheets skip, or one that starts with any
 * control character (OWASP "CSV Injection", https://owasp.org/www-community/attacks/CSV_Injection,
 * names tab and CR; ASVS 5.0 V1.2.10 adds NUL).
 */
const FORMULA_START = /^(?:[\s\p{Cc}\p{Cf}\p{Zl}\p{Zp}]*[=+\-@]|\p{Cc})/u;

/**
 * One CSV cell per RFC 4180, made inert for spreadsheets: a formula cell is prefixed with a
 * quote so Excel, LibreOffice and Sheets read it as text; control and format characters other
 * than line breaks and tab show as a replacement character, since an ANSI escape would act on a
 * terminal that shows the file and a bidi override would reorder the row.
 */
export function csvCell(value: unknown): string {
  const raw = text(value);
  let s = raw.replace(C0_BUT_LAYOUT, '\uFFFD').replace(DISPLAY_SPOOF, '\uFFFD');
  if (FORMULA_START.test(raw)) s = `'${s}`;
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * A label value in the Prometheus text exposition format. The format escapes exactly three
 * characters, `\\`, `\"` and `\n`, and a parser refuses any other escape
 * (https://prometheus.io/docs/instrumenting/exposition_formats/#text-format-details;
 * prometheus/common expfmt/text_parse.go). Other controls are legal there but act on the terminal
 * or dashboard that shows the label, so they become the visible text of an escape (`\x1b`, its
 * backslash escaped in turn): the value reads back as that text.
 */
export function promLabel(value: unknown): string {
  return text(value)
    .replace(UNSEEN_BUT_LF, visibleEscape)
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n');
}

/** What JSON.stringify leaves raw but shows or acts when a person opens the file: DEL, C1, format characters, separators. */
const JSON_RAW = /[\u007f-\u009f\p{Cf}\p{Zl}\p{Zp}]/gu;
// eslint-disable-next-line no-control-regex -- control characters are what this pattern is for
const NOT_ASCII = /[^\u0000-\u007e]/;
/** A code point beyond the BMP (a tag character) becomes its two surrogates, as JSON spells it. */
const jsonEscape = (c: string) =>
  c.length === 1 ? `\\u${hex(c.charCodeAt(0), 4)}` : `\\u${hex(c.charCodeAt(0), 4)}\\u${hex(c.charCodeAt(1), 4)}`;

/**
 * JSON text (the report, SARIF, `--json` output) with those characters as `\u` escapes. Every
 * non-ASCII character of JSON text lies inside a string, and no escape ends in one, so the text
 * parses to exactly the same strings; the mapping is fixed, so output stays byte-identical.
 */
export function escapeJsonText(json: string): string {
  // Most reports are ASCII throughout: one plain scan rules that out before the Unicode-aware one.
  return NOT_ASCII.test(json) ? json.replace(JSON_RAW, jsonEscape) : json;
}

/** `JSON.stringify(value, null, 2)`, through `escapeJsonText`. */
export function jsonText(value: unknown): string {
  return escapeJsonText(JSON.stringify(value, null, 2));
}
