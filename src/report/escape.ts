/**
 * Encoders for every output format. Certificate subjects, tags and load balancer names are
 * chosen by whoever controls a cloud account, so every renderer passes them through one of these.
 */

const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

/**
 * Unicode bidirectional overrides and isolates, and C1 controls: a subject holding U+202E shows
 * "invoice\u202Egpj.exe" as "invoiceexe.jpg" (CVE-2021-42574, "Trojan Source"). The JSON report
 * keeps the bytes as they are; the formats people read show a replacement character instead.
 */
const DISPLAY_SPOOF = /[\u0080-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Safe in element content and in quoted attribute values alike, so one function serves both. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"'`]/g, (c) => HTML[c]).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '\uFFFD').replace(DISPLAY_SPOOF, '\uFFFD');
}

/** Characters XML 1.0 forbids outright (§2.2 Char): stripped, since no escape can carry them. */
const XML_ILLEGAL = /[^\u0009\u000a\u000d\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function escapeXml(value: unknown): string {
  return String(value ?? '')
    .replace(XML_ILLEGAL, '')
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
  return String(value ?? '')
    .replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ')
    .replace(DISPLAY_SPOOF, '\uFFFD')
    .replace(/[\\`*_{}[\]()#+\-.!|~@:]/g, (c) => `\\${c}`)
    .replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!);
}

/**
 * One CSV cell per RFC 4180, made inert for spreadsheets: a cell that starts with = + - @ tab or
 * CR is prefixed with a quote so Excel, LibreOffice and Sheets read it as text, not a formula
 * (OWASP "CSV Injection").
 */
export function csvCell(value: unknown): string {
  // Control characters (an ANSI escape in a subject) would act on a terminal that shows the file.
  let s = String(value ?? '').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '\uFFFD').replace(DISPLAY_SPOOF, '\uFFFD');
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A label value in the Prometheus text exposition format: backslash, double quote and line feed are escaped. */
export function promLabel(value: unknown): string {
  return String(value ?? '').replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
