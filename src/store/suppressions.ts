import { readFileSync } from 'node:fs';
import picomatch from 'picomatch';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { ConfigError, describeIssues } from '../config/load.js';

const DAY_MS = 86_400_000;

const day = z
  .string({ error: 'a date as YYYY-MM-DD' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
  .refine(
    (d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d),
    'not a calendar date',
  );

const text = (what: string) =>
  z
    .string({ error: `${what} is required (a non-empty string)` })
    .trim()
    .min(1, `${what} must not be empty`);

export const suppressionSchema = z
  .object({
    /** One finding, by its stable id. */
    id: z
      .string()
      .regex(/^[0-9a-f]{20}$/, 'a finding id is 20 hex digits')
      .optional(),
    /** Or every finding of a rule on the resources the patterns below select. */
    rule: z
      .string()
      .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'a rule id (kebab-case)')
      .optional(),
    uid: z.string().min(1).optional(),
    // Account ids are strings: an unquoted 012345678901 would be read as a number and lose its zero.
    account: z.string({ error: 'a string; quote account ids ("012345678901")' }).min(1).optional(),
    tag: z.record(z.string(), z.string({ error: 'a string' })).optional(),
    reason: text('reason'),
    owner: text('owner'),
    /** Last day the suppression applies (UTC); from the next day on it is expired and reported. */
    expires: day,
  })
  .strict()
  .superRefine((s, ctx) => {
    const pattern = s.uid !== undefined || s.account !== undefined || s.tag !== undefined;
    if (s.id !== undefined && (s.rule !== undefined || pattern))
      ctx.addIssue({
        code: 'custom',
        path: ['id'],
        message: 'an id names one finding; do not combine it with rule, uid, account or tag',
      });
    else if (s.id === undefined && s.rule === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['rule'],
        message: 'give a finding id, or a rule with uid, account or tag',
      });
    else if (s.rule !== undefined && !pattern)
      ctx.addIssue({
        code: 'custom',
        path: ['rule'],
        message:
          'a rule needs a resource pattern (uid, account or tag); to silence a rule everywhere, disable it in the config',
      });
  });

const fileSchema = z.object({ suppressions: z.array(suppressionSchema).nullish() }).strict();

export type SuppressionEntry = z.infer<typeof suppressionSchema>;
export interface Suppression extends SuppressionEntry {
  /** Position in the file, for messages and the report. */
  index: number;
}

/** What matching needs to know of a finding. */
export interface Suppressible {
  id: string;
  ruleId: string;
  resource: { uid: string; account: string };
  tags?: Record<string, string>;
}

/** Parses the suppressions file; every problem names `suppressions[i].key`. */
export function parseSuppressions(textIn: string, source = 'suppressions'): Suppression[] {
  const doc = parseDocument(textIn, { prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length)
    throw new ConfigError(
      `${source}: not valid YAML at line ${doc.errors[0].linePos?.[0].line ?? '?'}: ${doc.errors[0].message.split('\n')[0]}`,
    );
  const raw: unknown = doc.toJS() ?? {};
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = describeIssues(parsed.error.issues).map((p) => `${source}: ${p}`);
    throw new ConfigError(problems[0] + (problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''), problems);
  }
  return (parsed.data.suppressions ?? []).map((s, index) => ({ ...s, index }));
}

export function loadSuppressions(file: string): Suppression[] {
  let content: string;
  try {
    content = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      throw new ConfigError(
        `suppressions: ${file} does not exist; \`certwarden suppress <finding id> --reason ... --owner ... --until YYYY-MM-DD --file ${file}\` creates it, or remove \`suppressions:\` from the config`,
      );
    throw new ConfigError(`cannot read suppressions ${file}: ${code ?? (err as Error).message}`);
  }
  return parseSuppressions(content, file);
}

export function isExpired(s: Pick<SuppressionEntry, 'expires'>, now: Date): boolean {
  return now.getTime() >= Date.parse(`${s.expires}T00:00:00Z`) + DAY_MS;
}

// Uids are ARNs, URLs and paths; `*` should match across `/` as it does in IAM policy ARNs,
// so `/` is hidden from picomatch's path semantics on both sides.
const SLASH = '\u0001';
const globCache = new Map<string, (s: string) => boolean>();
function glob(pattern: string): (s: string) => boolean {
  let m = globCache.get(pattern);
  if (!m) {
    const compiled = picomatch(pattern.replaceAll('/', SLASH), { dot: true });
    m = (s: string) => compiled(s.replaceAll('/', SLASH));
    globCache.set(pattern, m);
  }
  return m;
}

export function matches(s: SuppressionEntry, f: Suppressible): boolean {
  if (s.id !== undefined) return s.id === f.id;
  if (s.rule !== f.ruleId) return false;
  if (s.uid !== undefined && !glob(s.uid)(f.resource.uid)) return false;
  if (s.account !== undefined && s.account !== f.resource.account) return false;
  if (s.tag !== undefined && !Object.entries(s.tag).every(([k, v]) => f.tags?.[k] === v)) return false;
  return true;
}
