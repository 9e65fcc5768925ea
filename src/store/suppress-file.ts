import { existsSync, readFileSync } from 'node:fs';
import { Document, isSeq, parseDocument } from 'yaml';
import { ConfigError, describeIssues } from '../config/load.js';
import { writeAtomic } from '../report/write.js';
import { isExpired, parseSuppressions, suppressionSchema, type SuppressionEntry } from './suppressions.js';

const HEADER = [
  ' certwarden suppressions: findings accepted on purpose, reviewed like code.',
  ' Each entry names a finding `id`, or a `rule` with `uid` (glob), `account` or `tag`,',
  ' and needs a `reason`, an `owner` and an `expires` date (YYYY-MM-DD, the last day it applies).',
].join('\n');

/**
 * Appends one entry to the suppressions file, keeping its comments and layout, and replaces the
 * file atomically so a reviewer or a concurrent reader never sees half of it.
 * Returns the new entry's index.
 */
export function appendSuppression(file: string, entry: SuppressionEntry, now: Date): number {
  const checked = suppressionSchema.safeParse(entry);
  if (!checked.success) throw new ConfigError(describeIssues(checked.error.issues)[0]);
  const exists = existsSync(file);
  const text = exists ? readFileSync(file, 'utf8') : '';
  // Refuse to append to a file that does not validate: the problem would only surface at night.
  const current = exists ? parseSuppressions(text, file) : [];
  const live = current.find((s) => entry.id !== undefined && s.id === entry.id && !isExpired(s, now));
  if (live)
    throw new ConfigError(
      `${file}: finding ${entry.id} is already suppressed by suppressions[${live.index}] (owner ${live.owner}, until ${live.expires}); edit that entry instead`,
    );

  const out = spliced(text, checked.data) ?? restringified(exists ? text : undefined, checked.data);
  const after = parseSuppressions(out, file); // what is written must read back, with one more entry
  if (after.length !== current.length + 1)
    throw new Error(`${file}: appending did not add exactly one entry; the file was left as it was`);
  writeAtomic(file, [out]);
  return current.length;
}

/**
 * The usual case, a block list with entries: the new entry's text is inserted after the last one,
 * so every other byte (comments, spacing, quoting) stays as the reviewers wrote it and the change
 * is a pure addition in the diff. Undefined when the layout is not that simple.
 */
function spliced(text: string, entry: SuppressionEntry): string | undefined {
  if (!text) return undefined;
  const doc = parseDocument(text);
  const list = doc.get('suppressions', true);
  if (!isSeq(list) || list.flow || list.items.length === 0) return undefined;
  const first = list.items[0] as { range?: [number, number, number] };
  const last = list.items.at(-1) as { range?: [number, number, number] };
  if (!first.range || !last.range) return undefined;
  const lineStart = text.lastIndexOf('\n', first.range[0] - 1) + 1;
  const prefix = text.slice(lineStart, first.range[0]);
  const dash = /^( *)- +$/.exec(prefix);
  if (!dash) return undefined;
  // The item's range runs on over comment lines that follow it; the entry goes before those.
  let end = last.range[1];
  for (;;) {
    const from = text.lastIndexOf('\n', end - 1);
    const line = text.slice(from + 1, end);
    if (from < last.range[0] || !/^\s*(#.*)?$/.test(line)) break;
    end = from;
  }
  const eol = text.indexOf('\n', end);
  const at = eol === -1 ? text.length : eol + 1;
  const rendered = new Document([entry]).toString().replace(/^(?=.)/gm, dash[1]);
  return `${text.slice(0, at)}${eol === -1 ? '\n' : ''}${rendered}${text.slice(at)}`;
}

/** A new file, an empty list or a flow list: the Document API keeps the comments and re-lays the rest. */
function restringified(text: string | undefined, entry: SuppressionEntry): string {
  const doc = text !== undefined ? parseDocument(text) : new Document({});
  if (text === undefined) doc.commentBefore = HEADER;
  const list = doc.get('suppressions', true);
  if (isSeq(list) && list.items.length === 0) list.flow = false; // `suppressions: []` becomes a block list
  if (isSeq(list)) list.add(doc.createNode(entry));
  else doc.set('suppressions', doc.createNode([entry]));
  return doc.toString();
}
