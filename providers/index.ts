import type { Provider } from '../src/engine/api/provider.js';
import { filesProvider } from './files/index.js';
import { awsAcm } from './aws-acm/index.js';
import { awsElbv2 } from './aws-elbv2/index.js';
import { azureKeyVault } from './azure-keyvault/index.js';
import { azureAppGateway } from './azure-appgateway/index.js';
import { azureAppService } from './azure-appservice/index.js';
import { azureFrontDoor } from './azure-frontdoor/index.js';
import { awsIam } from './aws-iam/index.js';
import { tlsEndpoint } from './tls-endpoint/index.js';

/** Every provider certwarden ships. Which run is decided by the config. */
export const PROVIDERS: Provider[] = [
  filesProvider,
  awsAcm,
  awsElbv2,
  awsIam,
  azureKeyVault,
  azureAppGateway,
  azureAppService,
  azureFrontDoor,
  tlsEndpoint,
];
