/**
 * Paging, owned by the runtime: a provider fetches one page at a time and this follows the tokens,
 * stopping a listing that repeats a token or runs past `maxPages` with the one paging error of
 * collect-error.ts instead of hanging the run.
 */
import { pagingLimit, pagingLoop } from './collect-error.js';

/** One page of a listing and the token of the next; absent or empty on the last. */
export interface Page<T> {
  items: T[];
  next?: string;
}

/** Fetches the page that `token` names (undefined: the first). */
export type PageFetch<T> = (token: string | undefined) => Promise<Page<T>>;

/** Every page of a listing, in order, as each arrives. */
export async function* followPages<T>(operation: string, maxPages: number, fetch: PageFetch<T>): AsyncGenerator<T[]> {
  const seen = new Set<string>();
  let token: string | undefined;
  for (let n = 1; ; n++) {
    if (n > maxPages) throw pagingLimit(operation, maxPages);
    const page = await fetch(token);
    yield page.items;
    token = page.next || undefined;
    if (token === undefined) return;
    if (seen.has(token)) throw pagingLoop(operation, `page ${n}`);
    seen.add(token);
  }
}

/** Every item of a listing, once its last page has arrived. */
export async function allPages<T>(operation: string, maxPages: number, fetch: PageFetch<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const page of followPages(operation, maxPages, fetch)) all.push(...page);
  return all;
}
