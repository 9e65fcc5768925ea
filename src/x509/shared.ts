import type { KeyFacts, SubjectAltNames } from '../model/types.js';

/**
 * Values that most certificates repeat (key usages, empty name lists, key descriptions), shared
 * between records so that a million certificates hold one copy of each instead of a million.
 * A shared value is frozen, since a change to it would change every record holding it. The tables
 * are capped, so certificates that each bring a new value cannot grow them without bound: past
 * the cap a value is kept as it came.
 */
const CAP = 4096;
const lists = new Map<string, readonly string[]>();
const keys = new Map<string, Readonly<KeyFacts>>();

/** The one empty list every record shares. */
export const NONE = Object.freeze([]) as readonly string[] as string[];

/** The shared copy of a short list of names, such as key usages. */
export function sharedList(list: string[]): string[] {
  if (list.length === 0) return NONE;
  const id = JSON.stringify(list);
  const hit = lists.get(id);
  if (hit) return hit as string[];
  if (lists.size < CAP) lists.set(id, Object.freeze(list));
  return list;
}

/** The shared copy of a key's description. */
export function sharedKey(key: KeyFacts): KeyFacts {
  // The text keeps the fields' order, so a shared copy writes the same JSON as the original.
  const id = JSON.stringify(key);
  const hit = keys.get(id);
  if (hit) return hit;
  if (keys.size < CAP) keys.set(id, Object.freeze(key));
  return key;
}

/** Subject alternative names with each empty list shared; the object itself is the record's own. */
export function sharedSans(sans: SubjectAltNames): SubjectAltNames {
  return {
    dns: sans.dns.length ? sans.dns : NONE,
    ip: sans.ip.length ? sans.ip : NONE,
    email: sans.email.length ? sans.email : NONE,
    uri: sans.uri.length ? sans.uri : NONE,
  };
}
