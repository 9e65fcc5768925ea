/**
 * A DNS suffix as a cloud names its vault hosts (`vault.azure.net`): lower-case, without leading or
 * trailing dots, two labels or more. A single label (`net`) would make every host under a
 * top-level domain "the cloud's own", so it is no suffix at all.
 */
export function normalDnsSuffix(raw: string | undefined): string | undefined {
  const suffix = raw
    ?.trim()
    .replace(/^\.+|\.+$/g, '')
    .toLowerCase();
  return suffix && /^(?=.{3,253}$)[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/.test(suffix)
    ? suffix
    : undefined;
}
