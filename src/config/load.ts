import { redactUrl } from '../store/pg-url.js';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import type { Rule } from '../engine/api/rule.js';
import type { ActiveRule } from '../engine/runtime/evaluate.js';
import { configSchema, type Config } from './schema.js';

/** A config problem, naming the offending key path so a person can fix it at once. */
export class ConfigError extends Error {
  constructor(
    message: string,
    readonly problems: string[] = [message],
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

function pathText(path: PropertyKey[]): string {
  return (
    path
      .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
      .join('')
      .replace(/^\./, '') || '(top level)'
  );
}

export function describeIssues(issues: z.core.$ZodIssue[], prefix: PropertyKey[] = []): string[] {
  return issues.map((i) => {
    const path = [...prefix, ...i.path];
    if (i.code === 'unrecognized_keys')
      return `${pathText([...path, i.keys[0]])}: unknown key${i.keys.length > 1 ? ` (also: ${i.keys.slice(1).join(', ')})` : ''}`;
    return `${pathText(path)}: ${i.message}`;
  });
}

/** Parses YAML or JSON text (JSON is YAML) and validates it; every problem names its key path. */
export function parseConfig(text: string, source = 'config'): Config {
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length) {
    const e = doc.errors[0];
    // Without prettyErrors there is no linePos: count lines up to the error's offset. Nesting deep
    // enough to exhaust the parser's stack comes back with no position at all.
    const line = e.linePos?.[0].line ?? (e.pos ? text.slice(0, e.pos[0]).split('\n').length : undefined);
    throw new ConfigError(`${source}: not valid YAML${line ? ` at line ${line}` : ''}: ${e.message.split('\n')[0]}`);
  }
  let raw: unknown;
  try {
    raw = doc.toJS() ?? {};
  } catch (err) {
    // The yaml library refuses alias bombs ("billion laughs") here, with a ReferenceError.
    throw new ConfigError(`${source}: not valid YAML: ${(err as Error).message}`);
  }
  if (typeof raw !== 'object' || Array.isArray(raw))
    throw new ConfigError(`${source}: the top level must be a mapping of keys`);
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = describeIssues(parsed.error.issues);
    throw new ConfigError(
      `${source}: ${problems[0]}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}`,
      problems,
    );
  }
  return parsed.data;
}

export function loadConfig(file: string): Config {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(
      `cannot read config ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  return parseConfig(text, file);
}

/** The configured rule set: unknown rule ids and bad params are errors that name `rules.<id>.<param>`. */
export function activeRules(config: Config, catalogue: Rule[]): ActiveRule[] {
  const known = new Map(catalogue.map((r) => [r.id, r]));
  const problems: string[] = [];
  for (const id of Object.keys(config.rules))
    if (!known.has(id)) problems.push(`rules.${id}: unknown rule (see \`certwarden rules\`)`);
  const active: ActiveRule[] = [];
  for (const rule of catalogue) {
    const { enabled, severity, ...params } = config.rules[rule.id] ?? {};
    const parsed = rule.params.safeParse(params);
    if (!parsed.success) {
      problems.push(...describeIssues(parsed.error.issues, ['rules', rule.id]));
      continue;
    }
    if (enabled !== false) active.push({ rule, params: parsed.data, severity });
  }
  if (problems.length)
    throw new ConfigError(problems[0] + (problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''), problems);
  return active;
}

/** A digest of the effective config, so two reports say whether they were made with the same settings. */
export function configDigest(config: Config): string {
  // The digest is published in every report: a store URL's password is not part of what it hashes.
  const shown = config.store?.url
    ? { ...config, store: { ...config.store, url: redactUrl(config.store.url) } }
    : config;
  const canonical = JSON.stringify(shown, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
  return `sha256:${createHash('sha256').update(canonical).digest('hex')}`;
}
