/**
 * The one collection runtime: collects a scope from its provider's declared kinds of resource
 * (src/engine/api/resource-kind.ts). For each kind it lists pages, starts each page's reads as
 * soon as the page arrives (at most `slots` of each call at once), yields each record as its item
 * completes, states the scope's remaining calls to the thread's scheduler, keeps last night's
 * record of an unchanged item (stamping what it reads in the record's own `incremental` field)
 * and applies the failure semantics of scope-result.ts: required calls through `readItem`,
 * enrichments through `enrich`.
 */
import pLimit, { type LimitFunction } from 'p-limit';
import type { Binding, Certificate } from '../../model/types.js';
import { callPriority, type Work } from '../../net/priority.js';
import { CollectError } from '../api/collect-error.js';
import { enrich, LOST, readItem, withUnread, type CollectContext, type Scope } from '../api/provider.js';
import type { ItemCall, Kind, ResourceKind, ScopeEnrichment } from '../api/resource-kind.js';
import { asCompletedBatches } from './as-completed.js';
import { listDigest, reusable, stamp } from './incremental.js';

type Rec = Certificate | Binding;
type AnyKind = ResourceKind<unknown, unknown, unknown, unknown, Rec>;

/** Deleted between the listing and the read: no record, no loss. */
const GONE: unique symbol = Symbol('gone');

/** One per-item call of a scope, with its slots and its stated work. */
interface Slotted {
  name?: string;
  call: ItemCall<unknown, unknown, unknown>;
  limit: LimitFunction;
  work?: Work;
}

/** Every record of every kind the provider declares, as each completes. */
export async function* collectKinds<Handle>(
  kinds: ReadonlyArray<Kind<Handle>>,
  scope: Scope<Handle>,
  ctx: CollectContext,
): AsyncGenerator<Rec> {
  for (const k of kinds) yield* collectKind(k.declared, scope, ctx);
}

async function* collectKind(kind: AnyKind, scope: Scope<unknown>, outer: CollectContext): AsyncGenerator<Rec> {
  // Ends with the kind, however it ends (done, failed, given up, cancelled): the reads still queued
  // are not made, and those in flight are cancelled, as no record of theirs would be kept.
  const stop = new AbortController();
  const cancel = () => stop.abort(outer.signal?.reason);
  if (outer.signal?.aborted) cancel();
  outer.signal?.addEventListener('abort', cancel, { once: true });
  const ctx: CollectContext = { ...outer, signal: stop.signal };
  const session = kind.open(scope, ctx);
  const slotted = (name: string | undefined, call: ItemCall<unknown, unknown, unknown>): Slotted => ({
    name,
    call,
    limit: pLimit(call.slots(session)),
    work: call.perSecond ? callPriority.work(call.perSecond(session), true) : undefined,
  });
  const read = kind.read && slotted(undefined, kind.read);
  const perItem = (kind.enrichments ?? {}) as Record<string, ItemCall<unknown, unknown, unknown>>;
  const enrichments = Object.entries(perItem).map(([name, e]) => slotted(name, e));
  const all = read ? [read, ...enrichments] : enrichments;
  // Started at once, under way while the items are listed and read; awaited with each record.
  const perScope = (kind.scopeEnrichments ?? {}) as Record<string, ScopeEnrichment<unknown, unknown, Rec>>;
  const scoped = Object.entries(perScope).map(([name, e]) => {
    const value = enrich(ctx, name, () => e.fetch(session, { signal: ctx.signal }));
    // This only keeps a cancellation that comes first from going unhandled.
    value.catch(() => {});
    return { name, e, value };
  });
  const scopeWide = new Set(scoped.map((s) => s.name));
  const needed = (s: Slotted, item: unknown) => s.call.needed?.(item) ?? true;
  const call = (s: Slotted, item: unknown) => {
    const made = s.limit(() => {
      stop.signal.throwIfAborted();
      return s.call.call(session, item, { signal: ctx.signal, work: s.work });
    });
    return made.catch((err: unknown) => {
      if (kind.gone?.(err)) return GONE;
      throw err;
    });
  };

  /** The scope enrichments' values applied to a record, and its `unread` said accordingly. */
  const spread = async (rec: Rec, fresh: boolean): Promise<Rec> => {
    for (const s of scoped) {
      const value = await s.value;
      if (value === LOST) rec = withUnread(s.e.apply(rec, undefined), s.name);
      else {
        rec = s.e.apply(rec, value);
        if (!fresh && rec.unread?.includes(s.name)) {
          const unread = rec.unread.filter((e) => e !== s.name);
          rec = { ...rec, unread };
          if (!unread.length) delete rec.unread;
        }
      }
    }
    return rec;
  };

  const one = async (item: unknown): Promise<Rec[]> => {
    const [body, ...extra] = await Promise.all([
      read && needed(read, item) ? call(read, item) : undefined,
      ...enrichments.map((s) => (needed(s, item) ? enrich(ctx, s.name!, () => call(s, item)) : undefined)),
    ]);
    if (body === GONE || extra.includes(GONE)) return [];
    const enriched: Record<string, unknown> = {};
    const lost: string[] = [];
    enrichments.forEach((s, i) => {
      if (extra[i] === LOST) lost.push(s.name!);
      else if (extra[i] !== undefined) enriched[s.name!] = extra[i];
    });
    const mapped = kind.map(session, item, body, enriched);
    const recs = ([] as Rec[]).concat(mapped ?? []);
    return Promise.all(recs.map((rec) => spread(lost.reduce(withUnread, rec), true)));
  };

  /** Last night's record of an unchanged item, or undefined when it must be read. */
  const unchanged = (item: unknown, digest: string): Certificate | undefined => {
    const prev = reusable(ctx.incremental, kind.uid(item), digest, ctx.now);
    // A record that lacked an enrichment read per item is read again; scope-wide ones come afresh anyway.
    if (!prev || prev.unread?.some((e) => !scopeWide.has(e))) return undefined;
    return kind.rereadReused?.(item, prev, ctx.now) ? undefined : prev;
  };

  async function* reads(): AsyncGenerator<Array<Promise<Rec[] | undefined>>> {
    for await (const page of kind.list(session, { signal: ctx.signal })) {
      const listed = page
        .filter((item) => kind.keep?.(item) ?? true)
        .map((item) => {
          const digest = ctx.incremental && kind.digest ? listDigest(kind.digest(item)) : undefined;
          return { item, digest, kept: digest !== undefined ? unchanged(item, digest) : undefined };
        });
      const toRead = listed.filter((x) => !x.kept).map((x) => x.item);
      for (const s of all) s.work?.add(toRead.filter((item) => needed(s, item)).length);
      yield listed.map(({ item, digest, kept }) => {
        if (kept) return spread(kind.reuse ? kind.reuse(kept, ctx.now) : kept, false).then((r) => [r]);
        // One item that cannot be read is missing, named in the scope's result; the rest are not.
        const rec = readItem(ctx, kind.describe(item), () => one(item));
        return digest === undefined
          ? rec
          : rec.then((rs) => rs?.map((r) => (r.kind === 'certificate' ? stamp(r, digest, ctx.now) : r)));
      });
    }
    for (const s of all) s.work?.listed();
  }

  try {
    // Each page's reads start as soon as it is listed, while the next page is being fetched.
    for await (const rs of asCompletedBatches(reads())) if (rs) yield* rs;
  } finally {
    stop.abort(new CollectError('Cancelled', `${scope.provider} ${scope.account}/${scope.location}: collection ended`));
    outer.signal?.removeEventListener('abort', cancel);
    for (const s of all) s.work?.end();
    kind.close(session);
  }
}
