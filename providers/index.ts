import type { Provider } from '../src/engine/provider.js';
import { filesProvider } from './files/index.js';

/** Every provider certwarden ships. Which run is decided by the config. */
export const PROVIDERS: Provider[] = [filesProvider];
