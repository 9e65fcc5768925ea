/**
 * The simulated Azure: Resource Manager (its cloud metadata, subscriptions, Key Vault vaults, and the Application
 * Gateways, App Service certificates and sites, and Front Door profiles that bind Key Vault
 * certificates) and the Key Vault data plane for certificates, served by src/sim/server.ts.
 *
 *   const world = seedAzure(scenario.azure, new ScenarioCa(now), now);
 *   const sim = await startSimServer(azureServices(world), options, { now: () => now });
 *
 * Real clients reach it with a loopback custom cloud (`cloud: { resourceManager: sim.url }`);
 * vault URIs stay `https://<vault>.vault.azure.net/` and are routed to the same server by host.
 */
import type { SimService } from '../types.js';
import type { AzureWorld } from './types.js';
import { armService } from './arm.js';
import { keyVaultService } from './keyvault.js';
import { metadataService } from './metadata.js';

export type {
  AzureScenario,
  AzureSubscriptionSpec,
  AzureVaultSpec,
  AzureCertificateSpec,
  AzurePolicySpec,
  AzureWorld,
  AzureKvRefSpec,
  AzureAppGatewaySpec,
  AzureWebCertificateSpec,
  AzureFrontDoorSpec,
} from './types.js';
export { seedAzure, DEFAULT_TENANT } from './seed.js';
export { KV_MAX_PAGE } from './keyvault.js';

/** Key Vault first: it claims requests by vault host; ARM's metadata and ARM by path. */
export function azureServices(world: AzureWorld): SimService[] {
  return [keyVaultService(world), metadataService(world), armService(world)];
}
