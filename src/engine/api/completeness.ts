/**
 * Where absence means something. A verdict that rests on something not being there ("unused",
 * "dangling", "resolved") is judged only on the scopes that could hold it, as narrowly as the
 * cloud allows: an ELBv2 listener uses only ACM certificates of its own account and region, so a
 * failure in another region proves nothing either way; IAM is global to its account; a Key Vault
 * reference names its vault.
 */
import type { Certificate, ScopeResult } from '../../model/types.js';
import type { Reach } from './provider.js';

type Completion = Pick<ScopeResult, 'status' | 'error' | 'errors'>;

/**
 * Whether a scope holds every record it should: it completed, or lost only enrichments. Its
 * records may still lack an enrichment (`unread`).
 */
export function recordsComplete(s: Completion): boolean {
  if (s.status === 'ok') return true;
  if (s.status === 'failed') return false;
  return [s.error, ...(s.errors ?? [])].every((e) => !!e?.enrichment);
}

type Placed = Pick<ScopeResult, 'provider' | 'account' | 'location'> & Completion;

const lower = (s: string) => s.toLowerCase();

/**
 * Whether `provider` ran where a record of `account` (and `location`, when given) would be, and
 * every scope covering that place holds all its records; no such scope: nothing is known there.
 * A scope of `*` account or location (a discovery that failed) covers all of them; subscription
 * ids and vault names compare without case. Scopes are indexed by provider and account, and each
 * answer is kept: rules ask once per certificate, and runs hold thousands of scopes.
 */
export function completeness(scopes: Placed[]): (provider: string, account?: string, location?: string) => boolean {
  const index = new Map<string, { any: Placed[]; byAccount: Map<string, Placed[]> }>();
  for (const s of scopes) {
    let p = index.get(s.provider);
    if (!p) index.set(s.provider, (p = { any: [], byAccount: new Map() }));
    if (s.account === '*') p.any.push(s);
    else {
      const list = p.byAccount.get(lower(s.account)) ?? [];
      list.push(s);
      p.byAccount.set(lower(s.account), list);
    }
  }
  const answers = new Map<string, boolean>();
  return (provider, account, location) => {
    const key = `${provider}\u0000${account === undefined ? '' : lower(account)}\u0000${location === undefined ? '' : lower(location)}`;
    let answer = answers.get(key);
    if (answer === undefined) {
      const p = index.get(provider);
      const inAccount = !p
        ? []
        : account === undefined
          ? [...p.byAccount.values()].flat()
          : (p.byAccount.get(lower(account)) ?? []);
      const covering = [...(p?.any ?? []), ...inAccount].filter(
        (s) => location === undefined || s.location === '*' || lower(s.location) === lower(location),
      );
      answer = covering.length > 0 && covering.every(recordsComplete);
      answers.set(key, answer);
    }
    return answer;
  };
}

const ARN = /^arn:[^:]+:[^:]+:([^:]*):(\d{12}):/;
const KEY_VAULT_URL = /^https:\/\/([^./]+)\.[^/]+\/(?:secrets|certificates)\//i;

/**
 * Where a reference says its certificate lives: an ARN's account and region (none for a global
 * service such as IAM), a Key Vault URL's vault (vault names are unique across Azure, so the
 * vault alone names the scope). Anything else names no place: the whole provider.
 */
export function refPlace(ref: string): { account?: string; location?: string } {
  const arn = ARN.exec(ref);
  if (arn) return { account: arn[2], ...(arn[1] ? { location: arn[1] } : {}) };
  const kv = KEY_VAULT_URL.exec(ref);
  return kv ? { location: kv[1].toLowerCase() } : {};
}

/** Where a binding that uses `cert` can be, as [account, location]; undefined parts are "any". */
export function bindingPlace(
  cert: Pick<Certificate, 'account' | 'location'>,
  reach: Reach = 'account',
): [string?, string?] {
  if (reach === 'location') return [cert.account, cert.location];
  if (reach === 'account') return [cert.account, undefined];
  return [undefined, undefined];
}
