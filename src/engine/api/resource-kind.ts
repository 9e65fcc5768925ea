/**
 * What a provider declares about one kind of resource; the runtime (src/engine/runtime/kinds.ts)
 * does the collecting: bounded concurrency, streaming records as items complete, the scheduler's
 * bookkeeping, incremental reuse, cancellation and the failure semantics every provider shares.
 *
 * - `list` and `read` are required: a listing that fails ends the scope (`failed`, or `partial`
 *   with what it had); an item whose read fails after retries is missing, its siblings are not.
 * - `enrichments` (one call per item), `pageEnrichments` (one call per listed page, for APIs that
 *   take many items at once) and `scopeEnrichments` (one call per scope, applied to every record)
 *   are optional: one that fails leaves its field absent, the record marked as lacking it
 *   (`unread`), and the scope `partial` naming it.
 * - `nested` declares items that only an item's read finds (a load balancer's listeners), each
 *   with its own required read and enrichments, collected under the same rules.
 * - Paging is the runtime's: a provider fetches one page (`c.pages`, `c.all`) and the runtime
 *   follows the tokens and stops endless paging with one error (src/engine/api/paging.ts).
 */
import type { Binding, Certificate } from '../../model/types.js';
import type { Work } from '../../net/priority.js';
import type { PageFetch } from './paging.js';
import type { CollectContext, Scope } from './provider.js';

/** What the runtime gives each call it makes. */
export interface CallContext {
  signal?: AbortSignal;
  /** The scope's stated work this call belongs to (src/net/priority.ts), when the call declares `perSecond`. */
  work?: Work;
  /** Every page of a listing, as each arrives, guarded against endless paging (the kind's `maxPages`). */
  pages<T>(operation: string, fetch: PageFetch<T>): AsyncGenerator<T[]>;
  /** Every item of a paged listing, once its last page has arrived, under the same guard. */
  all<T>(operation: string, fetch: PageFetch<T>): Promise<T[]>;
}

/** A call made once per listed item. */
export interface ItemCall<Session, Item, T> {
  /** Whether this item needs the call at all (a certificate still pending has no bytes to get). */
  needed?(item: Item): boolean;
  /** Calls of this kind in flight at once in one scope. */
  slots(session: Session): number;
  /**
   * The pace of the rate-limit bucket the call draws from. Given, the runtime states the scope's
   * remaining calls to the thread's scheduler as items are listed, so a long scope goes first.
   */
  perSecond?(session: Session): number | undefined;
  /**
   * The rate-limit bucket, when calls of several declarations draw from one (ELBv2's Describe*):
   * the runtime states them to the scheduler as one work, since together they set the scope's length.
   */
  bucket?: string;
  call(session: Session, item: Item, c: CallContext): Promise<T>;
}

/** An optional per-item call: the record is kept without what it gives. */
export interface ItemEnrichment<Session, Item, T> extends ItemCall<Session, Item, T> {
  /** The IAM permission (or Azure action) the call needs, for the documentation and the reader. */
  permission: string;
  /** What a record lacks without it, in words: `InUseBy, the renewal's status, the CT-logging option`. */
  loses: string;
}

/** An optional call made once per scope whose answer is spread over every record (one tag listing). */
export interface ScopeEnrichment<Session, T, R> {
  permission: string;
  loses: string;
  fetch(session: Session, c: CallContext): Promise<T>;
  /** The record with the field this gives, or without the field when `value` is undefined (not read). */
  apply(record: R, value: T | undefined): R;
}

/**
 * An optional call made once per listed page, for an API that takes many items at once (ELBv2's
 * DescribeTags, 20 ARNs a call): its answer for each item goes into the item's enrichments.
 */
export interface PageEnrichment<Session, Item, T> {
  permission: string;
  loses: string;
  /** The value for each item, in the order given; undefined where the answer says nothing of one. */
  fetch(session: Session, items: Item[], c: CallContext): Promise<ReadonlyArray<T | undefined>>;
}

/** What the runtime knows of an item once it is read, as its nested items see it. */
export interface Parent<Item, Read, E> {
  item: Item;
  read: Read | undefined;
  enriched: Partial<E>;
}

/**
 * Items that only an item's read finds (a load balancer's listeners), each with a required read
 * and enrichments of its own. A child whose read fails after retries is named in the scope's
 * result and mapped without it, from what its parent's read says of it; its siblings are not
 * touched. A record of a child lacks what its parent lacks.
 */
export interface NestedKind<Session, P, Child, Read, R, E extends Record<string, unknown>> {
  children(parent: P): Child[];
  describe(child: Child): string;
  read?: ItemCall<Session, Child, Read>;
  enrichments?: { [K in keyof E]: ItemEnrichment<Session, Child, E[K]> };
  map(
    session: Session,
    parent: P,
    child: Child,
    read: Read | undefined,
    enriched: Partial<E>,
  ): R | readonly R[] | undefined;
}

/** A declared nested kind, its child's types erased (see `nest`). */
export interface Nested<Session, P, R> {
  readonly declared: NestedKind<Session, P, unknown, unknown, R, Record<string, unknown>>;
}

/** Declares a nested kind for a kind's `nested`. */
export function nest<Session, P, Child, Read, R, E extends Record<string, unknown> = Record<never, unknown>>(
  n: NestedKind<Session, P, Child, Read, R, E>,
): Nested<Session, P, R> {
  return { declared: n };
}

export interface ResourceKind<
  Handle,
  Session,
  Item,
  Read,
  R extends Certificate | Binding,
  E extends Record<string, unknown> = Record<never, unknown>,
  T extends Record<string, unknown> = Record<never, unknown>,
  P extends Record<string, unknown> = Record<never, unknown>,
> {
  /** Opens what the calls of one scope share (SDK clients); `close` runs when the scope ends, however it ends. */
  open(scope: Scope<Handle>, ctx: CollectContext): Session;
  close(session: Session): void | Promise<void>;
  /** Pages of one listing after which `c.pages` and `c.all` stop it as endless (the config's `maxPages`). */
  maxPages?(session: Session): number;
  /** The listing, page by page: `c.pages` follows the tokens. */
  list(session: Session, c: CallContext): AsyncIterable<Item[]>;
  /** Items the listing gives that are not worth a record (no ARN), left out before anything is read. */
  keep?(item: Item): boolean;
  /** The item as a scope's result names it when it cannot be read: `certificate arn:...`. */
  describe(item: Item): string;
  /** The record's uid, to find last night's record. */
  uid(item: Item): string;
  /**
   * What the listing says of the item. Given, an incremental audit keeps last night's record while
   * this is unchanged (src/engine/runtime/incremental.ts) instead of reading the item again.
   */
  digest?(item: Item): unknown;
  /** A reusable record that must be read all the same (a renewal the listing does not show). */
  rereadReused?(item: Item, previous: Certificate, now: Date): boolean;
  /** Last night's record as it stands tonight (a state that follows from the clock, such as `expired`). */
  reuse?(previous: Certificate, now: Date): Certificate;
  /**
   * Last night's records of an item that the provider's own change signal says did not change
   * (ELBv2's CloudTrail lookups), given tonight's page enrichments; undefined when it must be read.
   * Not asked when a page enrichment could not be read: the item is read afresh.
   */
  unchanged?(session: Session, item: Item, enriched: Partial<P>): Promise<readonly R[] | undefined>;
  /** Runs once every item is done, when the listing completed: `kept` records came from `unchanged`. */
  collected?(session: Session, done: { kept: number }): void | Promise<void>;
  /** Deleted between the listing and the read: no record, and no loss. */
  gone?(err: unknown): boolean;
  /** The item's required read; absent when the listing already says all there is (an ARM resource list). */
  read?: ItemCall<Session, Item, Read>;
  enrichments?: { [K in keyof E]: ItemEnrichment<Session, Item, E[K]> };
  pageEnrichments?: { [K in keyof P]: PageEnrichment<Session, Item, P[K]> };
  scopeEnrichments?: { [K in keyof T]: ScopeEnrichment<Session, T[K], R> };
  /**
   * The item's records, from the listed item, its read (undefined when not needed) and the
   * enrichments that were read: one, none, or several (a gateway's listeners). Absent when the
   * records are all its nested items'.
   */
  map?(session: Session, item: Item, read: Read | undefined, enriched: Partial<E & P>): R | readonly R[] | undefined;
  nested?: Nested<Session, Parent<Item, Read, E & P>, R>;
}

/** A declared kind, its own types erased, as a provider lists it in `kinds`. */
export interface Kind<Handle> {
  readonly declared: ResourceKind<Handle, unknown, unknown, unknown, Certificate | Binding>;
}

/** Declares a kind of resource for a provider's `kinds`. */
export function defineKind<
  Handle,
  Session,
  Item,
  Read,
  R extends Certificate | Binding,
  E extends Record<string, unknown> = Record<never, unknown>,
  T extends Record<string, unknown> = Record<never, unknown>,
  P extends Record<string, unknown> = Record<never, unknown>,
>(kind: ResourceKind<Handle, Session, Item, Read, R, E, T, P>): Kind<Handle> {
  return { declared: kind };
}
