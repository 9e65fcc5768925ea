/**
 * Azure Resource Manager, as much as vault discovery needs: `GET /subscriptions` and
 * `GET /subscriptions/{id}/providers/Microsoft.KeyVault/vaults`, with ARM's error shapes,
 * bearer-token checks and absolute nextLink paging; and the list operations of the services that
 * bind Key Vault certificates (Application Gateway, App Service, Front Door), served the same way.
 */
import type { SimCall, SimResponse, SimService } from '../types.js';
import type { AzureWorld } from './types.js';
import { armError, json, requestOrigin as origin, vaultResource } from './wire.js';
import { page } from './paging.js';
import { appGatewayRoutes } from './appgateway.js';
import { appServiceRoutes } from './appservice.js';
import { frontDoorRoutes } from './frontdoor.js';

const VAULTS = /^\/subscriptions\/([^/]+)\/providers\/microsoft\.keyvault\/vaults\/?$/i;
const ROUTES = [...appGatewayRoutes, ...appServiceRoutes, ...frontDoorRoutes];
const CALLER = "'certwarden' with object id '00000000-0000-0000-0000-000000000001'";

export function armService(world: AzureWorld): SimService {
  const unauthorized = {
    'www-authenticate':
      'Bearer authorization_uri="https://login.windows.net/", error="invalid_token", error_description="The authentication failed because of missing \'Authorization\' header."',
  };

  function forbidden(call: SimCall): SimResponse {
    const scope = call.action === 'Subscriptions_List' ? '/' : `/subscriptions/${call.scope}`;
    return armError(
      403,
      'AuthorizationFailed',
      `The client ${CALLER} does not have authorization to perform action '${call.permission}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
    );
  }

  return {
    name: 'azure-arm',
    identify(req) {
      if (world.vaults.has(req.host.toLowerCase()) || req.host.toLowerCase().endsWith(`.${world.keyVaultSuffix}`))
        return undefined;
      const path = req.url.pathname;
      if (/^\/subscriptions\/?$/i.test(path))
        return {
          service: 'azure-arm',
          action: 'Subscriptions_List',
          permission: 'Microsoft.Resources/subscriptions/read',
          scope: world.tenant,
        };
      const m = VAULTS.exec(path);
      if (m)
        return {
          service: 'azure-arm',
          action: 'Vaults_ListBySubscription',
          permission: 'Microsoft.KeyVault/vaults/read',
          scope: decodeURIComponent(m[1]),
        };
      for (const r of ROUTES) {
        const hit = r.pattern.exec(path);
        if (hit)
          return {
            service: 'azure-arm',
            action: r.action,
            permission: r.permission,
            scope: decodeURIComponent(hit[1]),
          };
      }
      if (/^\/(subscriptions|providers|tenants)\b/i.test(path))
        return {
          service: 'azure-arm',
          action: `${req.method} ${path}`,
          permission: 'unsupported',
          scope: world.tenant,
        };
      return undefined;
    },
    authenticate(req) {
      const auth = String(req.headers.authorization ?? '');
      if (!/^Bearer \S+/i.test(auth))
        return armError(
          401,
          'AuthenticationFailed',
          "Authentication failed. The 'Authorization' header is missing.",
          unauthorized,
        );
      if (world.token !== undefined && auth.slice(7).trim() !== world.token)
        return armError(401, 'InvalidAuthenticationToken', 'The access token is invalid.');
      return null;
    },
    handle(req, call, ctx) {
      if (call.permission === 'unsupported')
        return armError(404, 'NotFound', `The simulator serves no ${req.method} ${req.url.pathname}.`);
      const apiVersion = req.url.searchParams.get('api-version');
      if (!apiVersion)
        return armError(
          400,
          'MissingApiVersionParameter',
          'The api-version query parameter (?api-version=) is required for all requests.',
        );
      if (call.action === 'Subscriptions_List') {
        const items = world.subscriptions.map((s) => ({
          id: `/subscriptions/${s.id}`,
          authorizationSource: 'RoleBased',
          managedByTenants: [],
          subscriptionId: s.id,
          tenantId: world.tenant,
          displayName: s.displayName,
          state: s.state,
          subscriptionPolicies: {
            locationPlacementId: 'Public_2014-09-01',
            quotaId: 'PayAsYouGo_2014-09-01',
            spendingLimit: 'Off',
          },
        }));
        const body = page(items, {
          url: req.url,
          linkBase: `${origin(req)}/subscriptions`,
          pageSize: world.pageSize.subscriptions,
          fault: ctx.fault,
          linkHost: ctx.linkHost,
          keep: { 'api-version': apiVersion },
        });
        return body
          ? json(200, { ...body, count: { type: 'Total', value: items.length } })
          : armError(400, 'InvalidSkipToken', 'The skip token is not valid.');
      }
      const sub = world.subscriptions.find((s) => s.id.toLowerCase() === call.scope.toLowerCase());
      if (!sub) return armError(404, 'SubscriptionNotFound', `The subscription '${call.scope}' could not be found.`);
      if (sub.access === 'denied') return forbidden(call);
      const route = ROUTES.find((r) => r.action === call.action);
      if (route) {
        const type = req.url.pathname.replace(/\/+$/, '').split('/').pop();
        if (!route.apiVersions.includes(apiVersion))
          return armError(
            400,
            'NoRegisteredProviderFound',
            `No registered resource provider found for location 'global' and API version '${apiVersion}' for type '${type}'. The supported api-versions are '${route.apiVersions.join(', ')}'.`,
          );
        const items = route.items(sub, route.pattern.exec(req.url.pathname)!, req.url.searchParams);
        if (typeof items === 'string') return armError(404, 'ResourceNotFound', items);
        const keep = Object.fromEntries((route.keep ?? []).map((k) => [k, req.url.searchParams.get(k) ?? undefined]));
        const body = page(items, {
          url: req.url,
          linkBase: `${origin(req)}${req.url.pathname.replace(/\/+$/, '')}`,
          pageSize: world.pageSize.resources,
          fault: ctx.fault,
          linkHost: ctx.linkHost,
          keep: { 'api-version': apiVersion, ...keep },
        });
        return body ? json(200, body) : armError(400, 'InvalidSkipToken', 'The skip token is not valid.');
      }
      const top = req.url.searchParams.get('$top');
      const size = top !== null && Number(top) > 0 ? Math.min(Number(top), 1000) : world.pageSize.vaults;
      const body = page(
        sub.vaults.map((v) => vaultResource(v, world.tenant)),
        {
          url: req.url,
          linkBase: `${origin(req)}/subscriptions/${sub.id}/providers/Microsoft.KeyVault/vaults`,
          pageSize: size,
          fault: ctx.fault,
          linkHost: ctx.linkHost,
          keep: { 'api-version': apiVersion, $top: top ?? undefined },
        },
      );
      return body ? json(200, body) : armError(400, 'InvalidSkipToken', 'The skip token is not valid.');
    },
    error(kind, call) {
      switch (kind) {
        case 'throttle': {
          const tenant = call.action === 'Subscriptions_List';
          return armError(
            429,
            tenant ? 'TenantRequestsThrottled' : 'SubscriptionRequestsThrottled',
            `Number of 'read' requests for ${tenant ? 'tenant' : 'subscription'} '${call.scope}' actor 'certwarden' exceeded. Please try again after '${world.retryAfterSeconds}' seconds after the last request.`,
            {
              'retry-after': String(world.retryAfterSeconds),
              'x-ms-ratelimit-remaining-subscription-reads': '0',
            },
          );
        }
        case 'server-error':
          return armError(500, 'InternalServerError', 'Encountered internal server error. Please try again later.');
        case 'denied':
          return forbidden(call);
        case 'expired-token':
          return armError(
            401,
            'ExpiredAuthenticationToken',
            'The access token expiry UTC time is earlier than current UTC time.',
            {
              'www-authenticate':
                'Bearer authorization_uri="https://login.windows.net/", error="invalid_token", error_description="The access token has expired."',
            },
          );
      }
    },
    // ARM throttling (2024 regional token buckets): reads per subscription and per tenant,
    // bucket of 250, refilled at 25 per second (learn.microsoft.com, request-limits-and-throttling).
    rateLimits: { reads: { perSecond: 25, burst: 250 } },
    limitKey: () => 'reads',
    malformedBody: '{"value":[{"id":"/subscriptions/',
  };
}
