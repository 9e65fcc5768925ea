/**
 * A small estate that changes from night to night: certificate folders on disk read by the real
 * `files` provider, and load balancer listeners that point at those files. The listeners come from
 * a stand-in binding provider until the cloud simulator serves this scenario; the store is what is
 * under test here, and it sees the same records either way.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Provider } from '../../src/engine/api/provider.js';
import type { Binding } from '../../src/model/types.js';
import { RULES } from '../../rules/index.js';
import { bindingRecord, fixture, issue } from '../fixtures/certs.js';

/** Listeners in account `local`, so the certificates' usage is judged against them. */
export function listenerProvider(state: { listeners: Binding[] }): Provider {
  return {
    id: 'test-lb',
    title: 'load balancer listeners (test stand-in)',
    binds: ['files'],
    enabled: () => true,
    // eslint-disable-next-line @typescript-eslint/require-await -- a stand-in for an async iterable that needs no I/O
    async *scopes() {
      yield { provider: 'test-lb', account: 'local', location: 'lb' };
    },
    // eslint-disable-next-line @typescript-eslint/require-await -- a stand-in for an async iterable that needs no I/O
    async *collect() {
      yield* state.listeners;
    },
  };
}

export function listener(name: string, certPath: string, tags?: Record<string, string>): Binding {
  return bindingRecord(name, certPath, {
    uid: `test-lb:${name}`,
    provider: 'test-lb',
    account: 'local',
    location: 'lb',
    refKind: 'file',
    ...(tags ? { tags } : {}),
  });
}

/** Writes a generated certificate of the named fixture kind to `path`. */
export function writeCert(path: string, kind: string): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, issue(fixture(kind), { commonName: `${kind}.example.com` }).pem);
}

/** Rules settings that keep only `keep` enabled, so counts do not move when rules are added. */
export function onlyRules(keep: string[]): string {
  return RULES.filter((r) => !keep.includes(r.id))
    .map((r) => `  ${r.id}: { enabled: false }`)
    .join('\n');
}
