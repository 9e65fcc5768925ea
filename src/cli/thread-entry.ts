/** What a collection thread runs: the engine's thread loop with the providers certwarden ships. */
import { runCollectionThread } from '../engine/runtime/thread-worker.js';
import { PROVIDERS } from '../../providers/index.js';

await runCollectionThread(PROVIDERS);
