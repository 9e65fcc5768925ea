/**
 * The PostgreSQL store's URL. Its password, when it carries one, is a secret: every message,
 * log line, report field and config digest shows the URL through `redactUrl`, and an error from
 * the server or the client is scrubbed of it before it is shown (`scrub`).
 */

/** Why a `store.url` cannot be used, without repeating the URL (it may hold a password); undefined when it can. */
export function urlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'not a URL; expected postgres://[user@]host[:port]/database';
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:')
    return `the scheme must be postgres: or postgresql:, not ${JSON.stringify(parsed.protocol.slice(0, 40))}`;
  if (!parsed.hostname && !parsed.searchParams.get('host'))
    return 'no host; expected postgres://[user@]host[:port]/database';
  return undefined;
}

export const isStoreUrl = (s: string): boolean => /^postgres(ql)?:\/\//i.test(s);

/** The URL as it may be shown: any password replaced by `***`. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    for (const key of [...u.searchParams.keys()])
      if (/^(password|sslpassword|sslkey)$/i.test(key)) u.searchParams.set(key, '***');
    return u.toString();
  } catch {
    return 'postgres://(unparsable URL)';
  }
}

/** The secrets a URL carries, as they may appear in a message (raw and percent-decoded). */
function secrets(url: string): string[] {
  try {
    const u = new URL(url);
    const raw = [u.password, ...['password', 'sslpassword'].map((k) => u.searchParams.get(k) ?? '')];
    return [...new Set(raw.flatMap((s) => (s ? [s, safeDecode(s)] : [])))].filter((s) => s.length > 0);
  } catch {
    return [];
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** A message with the URL's secrets (and the URL itself) taken out. */
export function scrub(message: string, url: string): string {
  let out = message.split(url).join(redactUrl(url));
  for (const s of secrets(url)) out = out.split(s).join('***');
  return out;
}
