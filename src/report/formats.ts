/** Every report format by name: its file extension and its renderer. All render from the JSON report object. */
import type { Severity } from '../model/severity.js';
import { renderAsff } from './asff.js';
import { csvChunks } from './csv.js';
import { renderHtml } from './html.js';
import { jsonChunks, type Report } from './json.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import { ocsfChunks } from './ocsf.js';
import { renderPrometheus } from './prometheus.js';
import { renderSarif, type RuleMeta } from './sarif.js';

export const FORMATS = ['json', 'html', 'markdown', 'csv', 'sarif', 'junit', 'prometheus', 'ocsf', 'asff'] as const;
export type Format = (typeof FORMATS)[number];

export const EXTENSION: Record<Format, string> = {
  json: 'json',
  html: 'html',
  markdown: 'md',
  csv: 'csv',
  sarif: 'sarif',
  junit: 'junit.xml',
  prometheus: 'prom',
  ocsf: 'ocsf.jsonl',
  asff: 'asff.json',
};

export interface RenderOptions {
  /** The rule catalog, for SARIF rule descriptors (description, help, references). */
  rules?: RuleMeta[];
  /** JUnit: findings at or above this fail. */
  failOn?: Severity | 'none';
  /** SARIF: file paths are made relative to it. */
  baseDir?: string;
  /** Markdown caps. */
  maxFindings?: number;
  maxBytes?: number;
}

/** The report in one format, as chunks for `writeAtomic` (large formats stream a record at a time). */
export function render(format: Format, report: Report, opts: RenderOptions = {}): Iterable<string> {
  switch (format) {
    case 'json':
      return jsonChunks(report);
    case 'csv':
      return csvChunks(report);
    case 'html':
      return [renderHtml(report)];
    case 'markdown':
      return [renderMarkdown(report, opts)];
    case 'sarif':
      return [renderSarif(report, opts)];
    case 'junit':
      return [renderJunit(report, opts)];
    case 'prometheus':
      return [renderPrometheus(report)];
    case 'ocsf':
      return ocsfChunks(report, opts);
    case 'asff':
      return [renderAsff(report, opts)];
  }
}

/** "json,html, sarif" -> the formats, in the order given, without repeats; unknown names are an error that lists the known ones. */
export function parseFormats(list: string): Format[] {
  const out: Format[] = [];
  for (const raw of list
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean)) {
    const name = raw === 'md' ? 'markdown' : raw;
    if (!(FORMATS as readonly string[]).includes(name))
      throw new Error(`unknown report format "${raw}"; known formats: ${FORMATS.join(', ')}`);
    if (!out.includes(name as Format)) out.push(name as Format);
  }
  if (!out.length) throw new Error(`no report format given; known formats: ${FORMATS.join(', ')}`);
  return out;
}
