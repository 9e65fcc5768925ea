/**
 * The Key Vault data plane for certificates (read operations only). Vaults are told apart by the
 * Host header, as the real service is by DNS name. Secrets and keys are never served: any request
 * for them is answered 403 and logged, so a test can prove the tool never asks.
 */
import type { ServiceContext, SimCall, SimRequest, SimResponse, SimService } from '../types.js';
import type { AzureWorld, KvVault } from './types.js';
import { certificateBundle, certificateItem, json, kvError, policyBody, versionItem } from './wire.js';
import { page } from './paging.js';

const CERT_READ = 'Microsoft.KeyVault/vaults/certificates/read';
/** Key Vault's page size when maxresults is absent, and the most it accepts (REST spec: maximum 25). */
export const KV_MAX_PAGE = 25;

function route(method: string, path: string): { action: string; permission: string; name?: string; version?: string } {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const [collection, name, third] = parts;
  if (collection === 'secrets' || collection === 'deletedsecrets')
    return {
      action: parts.length > 1 ? 'GetSecret' : 'GetSecrets',
      permission: 'Microsoft.KeyVault/vaults/secrets/getSecret/action',
    };
  if (collection === 'keys' || collection === 'deletedkeys')
    return { action: parts.length > 1 ? 'GetKey' : 'GetKeys', permission: 'Microsoft.KeyVault/vaults/keys/read' };
  if (method !== 'GET')
    return { action: `${method} ${collection ?? '/'}`, permission: 'Microsoft.KeyVault/vaults/certificates/write' };
  if (collection !== 'certificates') return { action: `Get ${collection ?? '/'}`, permission: CERT_READ };
  if (name === undefined) return { action: 'GetCertificates', permission: CERT_READ };
  if (name === 'issuers' || name === 'contacts')
    return { action: name === 'issuers' ? 'GetCertificateIssuers' : 'GetCertificateContacts', permission: CERT_READ };
  if (third === 'versions' && parts.length === 3)
    return { action: 'GetCertificateVersions', permission: CERT_READ, name };
  if (third === 'policy' && parts.length === 3) return { action: 'GetCertificatePolicy', permission: CERT_READ, name };
  if (parts.length <= 3) return { action: 'GetCertificate', permission: CERT_READ, name, version: third };
  return { action: 'Unknown', permission: CERT_READ };
}

export function keyVaultService(world: AzureWorld): SimService {
  const suffix = `.${world.keyVaultSuffix}`;
  const resource = `https://${world.keyVaultSuffix}`;
  // The challenge names the tenant's authority and the resource to get a token for; the SDK checks
  // that the request host ends with the resource host (keyvault-common verifyChallengeResource).
  const challenge = {
    'www-authenticate': `Bearer authorization="https://login.microsoftonline.com/${world.tenant}", resource="${resource}"`,
  };
  const regionHeaders = (vault?: KvVault) => ({
    'x-ms-keyvault-region': vault?.location ?? 'westeurope',
    'x-ms-keyvault-service-version': '1.9.2178.1',
  });
  const vaultOf = (req: SimRequest) => world.vaults.get(req.host.toLowerCase());

  function forbidden(vault: KvVault, call: SimCall): SimResponse {
    if (vault.access === 'firewall')
      return kvError(
        403,
        'Forbidden',
        `Client address is not authorized and caller is not a trusted service.\r\nClient address: 127.0.0.1\r\nCaller: appid=certwarden;oid=00000000-0000-0000-0000-000000000001\r\nVault: ${vault.name};location=${vault.location}`,
        'ForbiddenByFirewall',
        regionHeaders(vault),
      );
    if (!vault.rbac)
      return kvError(
        403,
        'Forbidden',
        `The user, group or application 'appid=certwarden;oid=00000000-0000-0000-0000-000000000001' does not have certificates ${call.action === 'GetCertificates' ? 'list' : 'get'} permission on key vault '${vault.name};location=${vault.location}'. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125287`,
        'ForbiddenByPolicy',
        regionHeaders(vault),
      );
    return kvError(
      403,
      'Forbidden',
      `Caller is not authorized to perform action on resource.\r\nIf role assignments, deny assignments or role definitions were changed recently, please observe propagation time.\r\nCaller: appid=certwarden;oid=00000000-0000-0000-0000-000000000001\r\nAction: '${call.permission}'\r\nResource: '/subscriptions/${vault.subscriptionId}/resourcegroups/${vault.resourceGroup}/providers/microsoft.keyvault/vaults/${vault.name.toLowerCase()}'\r\nAssignment: (not found)\r\nVault: ${vault.name};location=${vault.location}`,
      'ForbiddenByRbac',
      regionHeaders(vault),
    );
  }

  const notFound = (vault: KvVault, name: string) =>
    kvError(
      404,
      'CertificateNotFound',
      `A certificate with (name/id) ${name} was not found in this key vault. If you recently deleted this certificate you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182`,
      undefined,
      regionHeaders(vault),
    );

  function list(req: SimRequest, vault: KvVault, items: unknown[], path: string, ctx: ServiceContext): SimResponse {
    const raw = req.url.searchParams.get('maxresults');
    const max = raw === null ? KV_MAX_PAGE : Number(raw);
    if (!Number.isInteger(max) || max < 1 || max > KV_MAX_PAGE)
      return kvError(
        400,
        'BadParameter',
        `Invalid value for maxresults: ${raw}. It must be between 1 and ${KV_MAX_PAGE}.`,
        undefined,
        regionHeaders(vault),
      );
    // Next links name the port explicitly (`https://v.vault.azure.net:443/...`), as the service does.
    const keep = {
      'api-version': req.url.searchParams.get('api-version') ?? undefined,
      maxresults: raw ?? undefined,
      includePending: req.url.searchParams.get('includePending') ?? undefined,
    };
    const body = page(items, {
      url: req.url,
      linkBase: `https://${vault.host}:443${path}`,
      pageSize: max,
      fault: ctx.fault,
      linkHost: ctx.linkHost,
      keep,
    });
    if (!body)
      return kvError(400, 'BadParameter', 'The specified skip token is not valid.', undefined, regionHeaders(vault));
    return json(200, body, regionHeaders(vault));
  }

  return {
    name: 'azure-keyvault',
    identify(req) {
      const host = req.host.toLowerCase();
      if (!host.endsWith(suffix) && !world.vaults.has(host)) return undefined;
      const r = route(req.method, req.url.pathname);
      return {
        service: 'azure-keyvault',
        action: r.action,
        permission: r.permission,
        scope: world.vaults.get(host)?.name ?? host,
      };
    },
    authenticate(req) {
      const auth = String(req.headers.authorization ?? '');
      if (!/^Bearer \S+/i.test(auth))
        return kvError(401, 'Unauthorized', 'AKV10000: Request is missing a Bearer or PoP token.', undefined, {
          ...challenge,
          ...regionHeaders(vaultOf(req)),
        });
      if (world.token !== undefined && auth.slice(7).trim() !== world.token)
        return kvError(
          401,
          'Unauthorized',
          'AKV10022: Invalid audience or signature. The token could not be validated.',
          undefined,
          { ...challenge, ...regionHeaders(vaultOf(req)) },
        );
      return null;
    },
    handle(req, call, ctx) {
      const vault = vaultOf(req);
      if (!vault) return kvError(404, 'VaultNotFound', `No vault is reachable at ${req.host}.`);
      if (call.permission !== CERT_READ) return forbidden({ ...vault, access: 'denied', rbac: true }, call);
      if (vault.access !== 'ok') return forbidden(vault, call);
      if (!req.url.searchParams.get('api-version'))
        return kvError(
          400,
          'BadParameter',
          'The request URI contains an invalid parameter: api-version is missing.',
          undefined,
          regionHeaders(vault),
        );
      const r = route(req.method, req.url.pathname);
      if (call.action === 'GetCertificates') {
        // "includePending: Specifies whether to include certificates which are not completely
        // provisioned" (REST spec, GetCertificates); absent, they are left out (the .NET SDK's
        // GetPropertiesOfCertificates(includePending = false) states the default).
        const includePending = req.url.searchParams.get('includePending') === 'true';
        const listed = vault.certificates.filter((c) => includePending || !c.pending);
        return list(
          req,
          vault,
          listed.map((c) => certificateItem(vault, c)),
          '/certificates',
          ctx,
        );
      }
      if (!r.name)
        return kvError(
          400,
          'BadParameter',
          `The operation ${call.action} is not served by this simulator.`,
          undefined,
          regionHeaders(vault),
        );
      const cert = vault.byName.get(r.name.toLowerCase());
      if (!cert) return notFound(vault, r.name);
      if (call.action === 'GetCertificateVersions')
        return list(
          req,
          vault,
          cert.versions.map((v) => versionItem(vault, cert, v)),
          `/certificates/${cert.name}/versions`,
          ctx,
        );
      if (call.action === 'GetCertificatePolicy') return json(200, policyBody(vault, cert), regionHeaders(vault));
      const version = r.version
        ? cert.versions.find((v) => v.version === r.version)
        : cert.versions[cert.versions.length - 1];
      if (!version) return notFound(vault, `${r.name}/${r.version}`);
      return json(200, certificateBundle(vault, cert, version), regionHeaders(vault));
    },
    error(kind, call) {
      const vault = [...world.vaults.values()].find((v) => v.name === call.scope);
      switch (kind) {
        case 'throttle':
          return kvError(
            429,
            'Throttled',
            'Request was not processed because too many requests were received. Reason: A1',
            undefined,
            { 'retry-after': String(world.retryAfterSeconds), ...regionHeaders(vault) },
          );
        case 'server-error':
          return kvError(
            500,
            'InternalServerError',
            'The service encountered an internal error. Please try again later.',
            undefined,
            regionHeaders(vault),
          );
        case 'denied':
          return forbidden(
            vault ??
              ({
                name: call.scope,
                access: 'denied',
                rbac: true,
                location: 'westeurope',
                subscriptionId: '-',
                resourceGroup: '-',
              } as KvVault),
            call,
          );
        case 'expired-token':
          return kvError(401, 'Unauthorized', "[TokenExpired] Error validating token: 'S2S12086'.", undefined, {
            ...challenge,
            ...regionHeaders(vault),
          });
      }
    },
    // Key Vault service limits: "All transactions" of secrets, managed storage keys and vault
    // operations, 4,000 per 10 seconds per vault per region (learn.microsoft.com, service-limits).
    rateLimits: { 'vault-transactions': { perSecond: 400, burst: 4000 } },
    limitKey: () => 'vault-transactions',
    malformedBody: '{"value":[{"id":"https://',
  };
}
