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
 * Appends one entry to the suppressions file, keeping its comments and layout (the YAML Document
 * API edits the parsed tree instead of re-serialising plain data), and replaces the file
 * atomically so a reviewer or a concurrent reader never sees half of it.
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
  if (live) throw new ConfigError(`${file}: finding ${entry.id} is already suppressed by suppressions[${live.index}] (owner ${live.owner}, until ${live.expires}); edit that entry instead`);

  const doc = exists ? parseDocument(text) : new Document({});
  if (!exists) doc.commentBefore = HEADER;
  const list = doc.get('suppressions', true);
  if (isSeq(list)) list.add(doc.createNode(checked.data));
  else doc.set('suppressions', doc.createNode([checked.data]));
  const out = doc.toString();
  parseSuppressions(out, file); // what is written must read back
  writeAtomic(file, [out]);
  return current.length;
}
