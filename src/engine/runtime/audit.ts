import type { Finding, Inventory, Origin } from '../../model/types.js';
import type { Provider, Registry } from '../api/provider.js';
import { evaluate, type ActiveRule } from './evaluate.js';
import { link, type Binders, type LinkedInventory, type Stores } from '../api/link.js';
import { collectPhase, type CollectOptions } from './collect.js';
import { collectOnThreads } from './threads.js';

export interface AuditOptions extends CollectOptions {
  providers: Provider[];
  rules: ActiveRule[];
  /** Collect on this many threads (threads.ts); 1 = on this one. */
  threads?: number;
  /**
   * The shipped providers and the module a collection thread starts with them (src/cli/registry.ts).
   * Without it, collection stays on this thread.
   */
  registry?: Registry;
  /**
   * One shard of a sharded audit: it collects only the scopes `owns` accepts (`skipped` hears of
   * the others) and leaves the second phase, which needs the whole estate's inventory, to the merge.
   */
  shard?: { owns(scope: Origin): boolean; skipped(scope: Origin): void };
}

export interface AuditResult {
  inventory: LinkedInventory;
  findings: Finding[];
  /** Milliseconds spent in the rule engine (reported by the benchmark, not in the JSON). */
  ruleMs: number;
}

export function binders(providers: Provider[]): Binders {
  const out: Binders = {};
  for (const p of providers) for (const target of p.binds ?? []) (out[target] ??= []).push(p.id);
  return out;
}

/** How bindings name each certificate provider's certificates, and where they can be (Provider.referencedAs). */
export function stores(providers: Provider[]): Stores {
  return Object.fromEntries(providers.flatMap((p) => (p.referencedAs ? [[p.id, p.referencedAs]] : [])));
}

export async function collect(opts: AuditOptions): Promise<Inventory> {
  const inv: Inventory = { certificates: [], bindings: [], scopes: [] };
  const enabled = opts.providers.filter((p) => p.enabled(opts.config));
  const first = enabled.filter((p) => !p.needsInventory);
  const threads = Math.min(opts.threads ?? 1, 64);
  const shard = opts.shard;
  const owns = shard && ((scope: Origin) => shard.owns(scope) || (shard.skipped(scope), false));
  if (threads > 1 && opts.registry && threadable(first, opts.registry, opts))
    await collectOnThreads(
      first.map((p) => p.id),
      opts,
      inv,
      threads,
      opts.registry.threadEntry(),
      owns,
    );
  else {
    // A shard's progress counts the scopes it collects, not every scope it finds.
    const found = opts.onScopeFound;
    const counted = shard && found ? { ...opts, onScopeFound: (s: Origin) => void (shard.owns(s) && found(s)) } : opts;
    await collectPhase(first, counted, inv, undefined, owns);
  }
  return shard ? dedupe(inv) : collectLater(opts, inv);
}

/** Second phase: providers that decide what to visit from what the others found (`inv`, the first phase's). */
export async function collectLater(opts: AuditOptions, inv: Inventory): Promise<Inventory> {
  const later = opts.providers.filter((p) => p.enabled(opts.config) && p.needsInventory);
  if (later.length) {
    const found = dedupe(inv);
    await collectPhase(later, opts, inv, { ...found, scopes: [...found.scopes] });
  }
  return dedupe(inv);
}

/**
 * A thread can run only providers it can load itself (the shipped ones, not objects made by the
 * caller) and needs the previous records as data, not as a lookup function.
 */
function threadable(providers: Provider[], registry: Registry, opts: AuditOptions): boolean {
  return providers.every((p) => registry.providers.includes(p)) && (!opts.incremental || !!opts.incremental.records);
}

/** Overlapping scopes (a folder listed twice) must not double-count a certificate. */
function dedupe(inv: Inventory): Inventory {
  const once = <T extends { uid: string }>(list: T[]) => {
    const seen = new Set<string>();
    return list.filter((r) => !seen.has(r.uid) && !!seen.add(r.uid));
  };
  return { ...inv, certificates: once(inv.certificates), bindings: once(inv.bindings) };
}

export async function audit(opts: AuditOptions): Promise<AuditResult> {
  const inventory = link(await collect(opts), binders(opts.providers), stores(opts.providers));
  const started = performance.now();
  const findings = evaluate(opts.rules, inventory, opts.now);
  return { inventory, findings, ruleMs: performance.now() - started };
}
