import { resolve } from 'node:path';
import type { Provider } from '../../src/engine/api/provider.js';
import { CollectError } from '../../src/engine/api/collect-error.js';
import { fileCertificate } from './map.js';
import { walk } from './walk.js';

/** Certificate files on disk: repositories, hosts, mounted secrets. One scope per configured path. */
export const filesProvider: Provider = {
  id: 'files',
  title: 'Certificate files (PEM, DER, bundles)',
  enabled: (config) => !!config.providers.files,
  // eslint-disable-next-line @typescript-eslint/require-await -- the Provider contract is an async iterable; these scopes need no I/O to list
  async *scopes({ config }) {
    for (const p of config.providers.files?.paths ?? [])
      yield { provider: 'files', account: 'local', location: resolve(p) };
  },
  async *collect(scope, { config, signal }) {
    const opts = config.providers.files!;
    try {
      for await (const entry of walk(scope.location, { ...opts, signal })) {
        yield fileCertificate(entry.path, scope.location, 'error' in entry ? { error: entry.error } : entry.content);
      }
    } catch (err) {
      // Stopped from outside (the scope's deadline): the engine reports it with its reason.
      if (signal?.aborted) throw signal.reason;
      const e = err as NodeJS.ErrnoException;
      throw new CollectError(
        e.code ?? 'Error',
        `cannot read ${scope.location}: ${e.code === 'ENOENT' ? 'no such file or directory' : e.message}`,
        'read',
      );
    }
  },
};

export default filesProvider;
