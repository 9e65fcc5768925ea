/**
 * Resource Manager's cloud metadata, `GET /metadata/endpoints?api-version=...`: where this cloud's
 * endpoints are and the DNS suffixes of its services, answered without credentials. Api-version
 * 2022-09-01 answers this cloud as one object (hashicorp/go-azure-sdk,
 * sdk/internal/metadata/client.go); 2019-05-01 answers a list of clouds (Azure/azure-cli,
 * azure/cli/core/cloud.py). Field names as both read them; the values are this simulator's own.
 */
import type { SimService } from '../types.js';
import type { AzureWorld } from './types.js';
import { armError, json, requestOrigin } from './wire.js';

const PATH = /^\/metadata\/endpoints\/?$/i;
const VERSIONS = ['2022-09-01', '2019-05-01'];

function cloudMetadata(world: AzureWorld, origin: string) {
  return {
    name: 'CertwardenSimulator',
    portal: origin,
    resourceManager: `${origin}/`,
    authentication: {
      loginEndpoint: 'https://login.microsoftonline.com',
      audiences: [`${origin}/`],
      tenant: 'common',
      identityProvider: 'AAD',
    },
    suffixes: {
      keyVaultDns: world.keyVaultSuffix,
      storage: 'core.windows.net',
      acrLoginServer: 'azurecr.io',
      azureFrontDoorEndpointSuffix: 'azurefd.net',
    },
  };
}

export function metadataService(world: AzureWorld): SimService {
  return {
    name: 'azure-metadata',
    identify(req) {
      const host = req.host.toLowerCase();
      if (world.vaults.has(host) || host.endsWith(`.${world.keyVaultSuffix}`) || !PATH.test(req.url.pathname))
        return undefined;
      return {
        service: 'azure-metadata',
        action: 'GetMetadataEndpoints',
        permission: 'none (anonymous)',
        scope: world.tenant,
        anonymous: true,
      };
    },
    authenticate: () => null,
    handle(req) {
      const version = req.url.searchParams.get('api-version');
      if (!version)
        return armError(
          400,
          'MissingApiVersionParameter',
          'The api-version query parameter (?api-version=) is required for all requests.',
        );
      if (!VERSIONS.includes(version))
        return armError(
          400,
          'InvalidApiVersionParameter',
          `The api-version '${version}' is invalid. The supported versions are '${VERSIONS.join(',')}'.`,
        );
      const cloud = cloudMetadata(world, requestOrigin(req));
      return json(200, version === '2019-05-01' ? [cloud] : cloud);
    },
    error(kind) {
      switch (kind) {
        case 'throttle':
          return armError(429, 'TenantRequestsThrottled', 'Number of requests exceeded. Please try again later.', {
            'retry-after': String(world.retryAfterSeconds),
          });
        case 'server-error':
          return armError(500, 'InternalServerError', 'Encountered internal server error. Please try again later.');
        case 'denied':
          return armError(
            403,
            'AuthorizationFailed',
            'The client does not have authorization to read the cloud metadata.',
          );
        case 'expired-token':
          return armError(
            401,
            'ExpiredAuthenticationToken',
            'The access token expiry UTC time is earlier than current UTC time.',
          );
      }
    },
    malformedBody: '{"name":"Certwarden',
  };
}
