/** The providers certwarden ships, handed to the engine, which imports none of them itself. */
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Registry } from '../engine/api/provider.js';
import { PROVIDERS } from '../../providers/index.js';

/**
 * The build also bundles the thread's code into one file (`build:thread` in package.json; the
 * banner gives the bundled CommonJS packages a `require` for Node's own modules). A thread
 * starts faster on one file than on the 1,300 modules it is made of (docs/benchmarks.md), and
 * every scope's first call waits for that start. A bundle older than the module it was made from
 * is stale. Run from source (the tests), the thread starts on the TypeScript module.
 */
function threadEntry(): URL {
  if (import.meta.url.endsWith('.ts')) return new URL('./thread-entry.ts', import.meta.url);
  const modules = new URL('./thread-entry.js', import.meta.url);
  const bundle = new URL('./thread-entry.bundle.js', import.meta.url);
  const mtime = (u: URL) => statSync(fileURLToPath(u), { throwIfNoEntry: false })?.mtimeMs ?? -1;
  return mtime(bundle) >= mtime(modules) ? bundle : modules;
}

export const REGISTRY: Registry = { providers: PROVIDERS, threadEntry };
