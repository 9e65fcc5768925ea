/**
 * The one collection runtime: collects a scope from its provider's declared kinds of resource
 * (src/engine/api/resource-kind.ts). For each kind it lists pages, starts each page's reads as
 * soon as the page arrives (at most `slots` of each call at once), yields each record as its item
 * completes, states the scope's remaining calls to the thread's scheduler, keeps last night's
 * record of an unchanged item (stamping what it reads in the record's own `incremental` field)
 * and applies the failure semantics of scope-result.ts: required calls through `readItem`,
 * enrichments through `enrich`. Nested items (a load balancer's listeners) are read the same way
 * once their parent's read has found them.
 */
import pLimit, { type LimitFunction } from 'p-limit';
import type { Binding, Certificate } from '../../model/types.js';
import { callPriority, type Work } from '../../net/priority.js';
import { CollectError } from '../api/collect-error.js';
import { allPages, followPages } from '../api/paging.js';
import { enrich, LOST, readItem, withUnread, type CollectContext, type Scope } from '../api/provider.js';
import type {
  CallContext,
  ItemCall,
  Kind,
  NestedKind,
  PageEnrichment,
  Parent,
  ResourceKind,
  ScopeEnrichment,
} from '../api/resource-kind.js';
import { asCompletedBatches } from './as-completed.js';
import { listDigest, reusable, stamp } from './incremental.js';

type Rec = Certificate | Binding;
type AnyKind = ResourceKind<unknown, unknown, unknown, unknown, Rec>;
type AnyParent = Parent<unknown, unknown, Record<string, unknown>>;
type AnyNested = NestedKind<unknown, AnyParent, unknown, unknown, Rec, Record<string, unknown>>;
type AnyCall = ItemCall<unknown, unknown, unknown>;

/** Deleted between the listing and the read: no record, no loss. */
const GONE: unique symbol = Symbol('gone');
/** Pages of one listing when the kind does not say (the AWS config's default). */
const MAX_PAGES = 1000;

/** One per-item call of a scope, with its slots and its stated work. */
interface Slotted {
  name?: string;
  call: AnyCall;
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

const entriesOf = <T>(o: object | undefined) => Object.entries(o ?? {}) as Array<[string, T]>;

async function* collectKind(kind: AnyKind, scope: Scope<unknown>, outer: CollectContext): AsyncGenerator<Rec> {
  // Ends with the kind, however it ends (done, failed, given up, cancelled): the reads still queued
  // are not made, and those in flight are cancelled, as no record of theirs would be kept.
  const stop = new AbortController();
  const cancel = () => stop.abort(outer.signal?.reason);
  if (outer.signal?.aborted) cancel();
  outer.signal?.addEventListener('abort', cancel, { once: true });
  const ctx: CollectContext = { ...outer, signal: stop.signal };
  const session = kind.open(scope, ctx);
  const maxPages = kind.maxPages?.(session) ?? MAX_PAGES;
  const cc = (work?: Work): CallContext => ({
    signal: ctx.signal,
    work,
    pages: (operation, fetch) => followPages(operation, maxPages, fetch),
    all: (operation, fetch) => allPages(operation, maxPages, fetch),
  });
  // Calls that name one bucket share one work: together they set how long the scope needs.
  const buckets = new Map<string, Work>();
  const workOf = (call: AnyCall): Work | undefined => {
    if (!call.perSecond) return undefined;
    const shared = call.bucket !== undefined ? buckets.get(call.bucket) : undefined;
    if (shared) return shared;
    const w = callPriority.work(call.perSecond(session), true);
    if (call.bucket !== undefined) buckets.set(call.bucket, w);
    return w;
  };
  const slotted = (name: string | undefined, call: AnyCall): Slotted => ({
    name,
    call,
    limit: pLimit(call.slots(session)),
    work: workOf(call),
  });
  const read = kind.read && slotted(undefined, kind.read);
  const enrichments = entriesOf<AnyCall>(kind.enrichments).map(([name, e]) => slotted(name, e));
  const nested = kind.nested?.declared;
  const childRead = nested?.read && slotted(undefined, nested.read);
  const childEnrichments = entriesOf<AnyCall>(nested?.enrichments).map(([name, e]) => slotted(name, e));
  const works = new Set(
    [read, ...enrichments, childRead, ...childEnrichments].flatMap((s) => (s?.work ? [s.work] : [])),
  );
  const perPage = entriesOf<PageEnrichment<unknown, unknown, unknown>>(kind.pageEnrichments);
  // Started at once, under way while the items are listed and read; awaited with each record.
  const scoped = entriesOf<ScopeEnrichment<unknown, unknown, Rec>>(kind.scopeEnrichments).map(([name, e]) => {
    const value = enrich(ctx, name, () => e.fetch(session, cc()));
    // This only keeps a cancellation that comes first from going unhandled.
    value.catch(() => {});
    return { name, e, value };
  });
  const scopeWide = new Set(scoped.map((s) => s.name));
  const needed = (s: Slotted, item: unknown) => s.call.needed?.(item) ?? true;
  const call = (s: Slotted, item: unknown) => {
    const made = s.limit(() => {
      stop.signal.throwIfAborted();
      return s.call.call(session, item, cc(s.work));
    });
    return made.catch((err: unknown) => {
      if (kind.gone?.(err)) return GONE;
      throw err;
    });
  };
  /** The item's enrichments, started: undefined where not needed, LOST where lost, GONE where deleted. */
  const enriching = (calls: Slotted[], item: unknown) =>
    calls.map((s) => (needed(s, item) ? enrich(ctx, s.name!, () => call(s, item)) : undefined));
  /** What was read of the enrichments, and the names of those lost. */
  const sorted = (calls: Slotted[], values: unknown[], into: Record<string, unknown>, lost: string[]) =>
    calls.forEach((s, i) => {
      if (values[i] === LOST) lost.push(s.name!);
      else if (values[i] !== undefined) into[s.name!] = values[i];
    });
  let kept = 0;

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

  /** One nested item's records; its read, when it fails, is named in the scope's result. */
  const child = async (n: AnyNested, parent: AnyParent, item: unknown): Promise<Rec[]> => {
    const [body, ...extra] = await Promise.all([
      childRead && needed(childRead, item) ? readItem(ctx, n.describe(item), () => call(childRead, item)) : undefined,
      ...enriching(childEnrichments, item),
    ]);
    if (body === GONE || extra.includes(GONE)) return [];
    const enriched: Record<string, unknown> = {};
    const lost: string[] = [];
    sorted(childEnrichments, extra, enriched, lost);
    return ([] as Rec[])
      .concat(n.map(session, parent, item, body, enriched) ?? [])
      .map((r) => lost.reduce(withUnread, r));
  };

  /** Per listed item: one call of each stated work, and a guess of one nested read until its parent says. */
  const stated = (item: unknown, sign: 1 | -1) => {
    for (const s of [read, ...enrichments]) if (s && needed(s, item)) s.work?.add(sign);
    childRead?.work?.add(sign);
  };

  type PageValues = Promise<{ enriched: Record<string, unknown>; lost: string[] }>;
  const one = async (item: unknown, page: PageValues): Promise<Rec[]> => {
    let guessed = !!childRead?.work;
    try {
      const { enriched: fromPage, lost: pageLost } = await page;
      if (kind.unchanged && !pageLost.length) {
        const previous = await kind.unchanged(session, item, fromPage);
        if (previous) {
          stated(item, -1);
          guessed = false;
          kept += previous.length;
          return Promise.all(previous.map((r) => spread(r, false)));
        }
      }
      const [body, ...extra] = await Promise.all([
        read && needed(read, item) ? call(read, item) : undefined,
        ...enriching(enrichments, item),
      ]);
      if (body === GONE || extra.includes(GONE)) return [];
      const enriched = { ...fromPage };
      const lost = [...pageLost];
      sorted(enrichments, extra, enriched, lost);
      const recs = ([] as Rec[]).concat(kind.map?.(session, item, body, enriched) ?? []);
      if (nested) {
        const parent = { item, read: body, enriched };
        const children = nested.children(parent);
        if (guessed) childRead!.work!.add(children.filter((c) => needed(childRead!, c)).length - 1);
        guessed = false;
        for (const rs of await Promise.all(children.map((c) => child(nested, parent, c)))) recs.push(...rs);
      }
      return Promise.all(recs.map((rec) => spread(lost.reduce(withUnread, rec), true)));
    } finally {
      if (guessed) childRead!.work!.add(-1);
    }
  };

  /** Each page enrichment asked once for the page's items to read; each item's share of the answers. */
  const pageValues = (items: unknown[]): ((i: number) => PageValues) => {
    const asked = items.length
      ? perPage.map(([name, e]) => {
          const value = enrich(ctx, name, () => e.fetch(session, items, cc()));
          value.catch(() => {});
          return { name, value };
        })
      : [];
    return async (i) => {
      const enriched: Record<string, unknown> = {};
      const lost: string[] = [];
      for (const a of asked) {
        const values = await a.value;
        if (values === LOST) lost.push(a.name);
        else if (values[i] !== undefined) enriched[a.name] = values[i];
      }
      return { enriched, lost };
    };
  };

  /** Last night's record of an unchanged item, or undefined when it must be read. */
  const unchanged = (item: unknown, digest: string): Certificate | undefined => {
    const prev = reusable(ctx.incremental, kind.uid(item), digest, ctx.now);
    // A record that lacked an enrichment read per item is read again; scope-wide ones come afresh anyway.
    if (!prev || prev.unread?.some((e) => !scopeWide.has(e))) return undefined;
    return kind.rereadReused?.(item, prev, ctx.now) ? undefined : prev;
  };

  async function* reads(): AsyncGenerator<Array<Promise<Rec[] | undefined>>> {
    for await (const page of kind.list(session, cc())) {
      const listed = page
        .filter((item) => kind.keep?.(item) ?? true)
        .map((item) => {
          const digest = ctx.incremental && kind.digest ? listDigest(kind.digest(item)) : undefined;
          return { item, digest, kept: digest !== undefined ? unchanged(item, digest) : undefined };
        });
      const toRead = listed.filter((x) => !x.kept).map((x) => x.item);
      for (const item of toRead) stated(item, 1);
      const share = pageValues(toRead);
      let i = 0;
      yield listed.map(({ item, digest, kept }) => {
        if (kept) return spread(kind.reuse ? kind.reuse(kept, ctx.now) : kept, false).then((r) => [r]);
        const values = share(i++);
        // One item that cannot be read is missing, named in the scope's result; the rest are not.
        const rec = readItem(ctx, kind.describe(item), () => one(item, values));
        return digest === undefined
          ? rec
          : rec.then((rs) => rs?.map((r) => (r.kind === 'certificate' ? stamp(r, digest, ctx.now) : r)));
      });
    }
    for (const w of works) w.listed();
  }

  try {
    // Each page's reads start as soon as it is listed, while the next page is being fetched.
    for await (const rs of asCompletedBatches(reads())) if (rs) yield* rs;
    await kind.collected?.(session, { kept });
  } finally {
    stop.abort(new CollectError('Cancelled', `${scope.provider} ${scope.account}/${scope.location}: collection ended`));
    outer.signal?.removeEventListener('abort', cancel);
    for (const w of works) w.end();
    await kind.close(session);
  }
}
