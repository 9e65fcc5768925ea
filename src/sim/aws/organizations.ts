/**
 * AWS Organizations ListAccounts (JSON 1.1, `AWSOrganizationsV20161128.ListAccounts`, MaxResults
 * 1-20) served to the management account, and the Account service's ListRegions (REST JSON,
 * `POST /listRegions`) with each region's opt-in status.
 */
import type { SimResponse, SimService } from '../types.js';
import { authenticate, caller, scopeOf } from './auth.js';
import { epoch, header, jsonError, jsonOk, paginate, parseJson, readPageToken } from './protocol.js';
import type { AwsWorld } from './world.js';

const JOINED = new Date('2020-01-01T00:00:00Z');

export function organizationsService(world: AwsWorld): SimService {
  return {
    name: 'organizations',
    identify(req) {
      const target = header(req, 'x-amz-target');
      if (req.method !== 'POST' || !target?.startsWith('AWSOrganizationsV20161128.')) return undefined;
      const action = target.split('.')[1];
      return { service: 'organizations', action, scope: scopeOf(world, req), permission: `organizations:${action}` };
    },
    authenticate: (req) => authenticate(world, req, 'json'),
    handle(req, call, ctx) {
      const me = caller(world, req)!.principal!;
      const input = parseJson<{ MaxResults?: number; NextToken?: string }>(req);
      if (!input) return jsonError('SerializationException', 'Malformed JSON body');
      if (call.action !== 'ListAccounts')
        return jsonError('UnknownOperationException', `The simulator does not serve ${call.action}`);
      const org = world.organization;
      if (!org)
        return jsonError('AWSOrganizationsNotInUseException', 'Your account is not a member of an organization.');
      if (org.managementAccount !== me.account)
        return jsonError('AccessDeniedException', "You don't have permissions to access this resource.");
      const max = input.MaxResults ?? 20;
      if (!Number.isInteger(max) || max < 1 || max > 20)
        return jsonError('InvalidInputException', 'MaxResults must be between 1 and 20');
      const salt = `org:${me.account}`;
      const offset = readPageToken(input.NextToken, salt);
      if (offset === 'invalid')
        return jsonError('InvalidInputException', 'You provided an invalid value for NextToken.');
      const all = [...world.accounts.values()];
      const p = paginate(
        all,
        offset ?? 0,
        Math.min(max, world.pageLimits.organizations),
        salt,
        input.NextToken,
        ctx.fault,
      );
      return jsonOk({
        Accounts: p.items.map((a) => ({
          Id: a.id,
          Arn: `arn:${world.partition}:organizations::${org.managementAccount}:account/o-sim0000001/${a.id}`,
          Email: `${a.id}@example.com`,
          Name: a.name,
          Status: a.status,
          State: a.status,
          JoinedMethod: a.id === org.managementAccount ? 'CREATED' : 'INVITED',
          JoinedTimestamp: epoch(JOINED),
        })),
        NextToken: p.next,
      });
    },
    error(kind) {
      switch (kind) {
        case 'throttle':
          return jsonError(
            'TooManyRequestsException',
            'AWS Organizations can’t complete your request because another request is already in progress. Try again later.',
          );
        case 'server-error':
          return jsonError(
            'ServiceException',
            'AWS Organizations can’t complete your request because of an internal service error. Try again later.',
            500,
          );
        case 'denied':
          return jsonError('AccessDeniedException', "You don't have permissions to access this resource.");
        case 'expired-token':
          return jsonError('ExpiredTokenException', 'The security token included in the request is expired');
      }
    },
  };
}

/**
 * Regions launched before 20 March 2019 are enabled by default and cannot be disabled; every later
 * one is an opt-in region, ENABLED once the account opts in
 * (https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-regions.html).
 */
const DEFAULT_REGIONS = new Set([
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ca-central-1',
  'sa-east-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-central-1',
  'eu-north-1',
  'ap-south-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-southeast-1',
  'ap-southeast-2',
]);

/**
 * "Lists all the Regions for a given account and their respective opt-in statuses. Optionally,
 * this list can be filtered by the region-opt-status-contains parameter" (API_ListRegions): with
 * no filter, disabled regions are listed too.
 */
function regionsOf(account: { regions: Map<string, unknown>; disabledRegions?: string[] } | undefined) {
  const enabled = [...(account?.regions.keys() ?? [])].map((RegionName) => ({
    RegionName,
    RegionOptStatus: DEFAULT_REGIONS.has(RegionName) ? 'ENABLED_BY_DEFAULT' : 'ENABLED',
  }));
  const disabled = (account?.disabledRegions ?? []).map((RegionName) => ({ RegionName, RegionOptStatus: 'DISABLED' }));
  return [...enabled, ...disabled];
}

function restError(code: string, message: string, status: number): SimResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': code },
    body: JSON.stringify({ message }),
  };
}

export function accountService(world: AwsWorld): SimService {
  return {
    name: 'account',
    identify(req) {
      if (req.method !== 'POST' || req.url.pathname !== '/listRegions') return undefined;
      return {
        service: 'account',
        action: 'ListRegions',
        scope: scopeOf(world, req),
        permission: 'account:ListRegions',
      };
    },
    authenticate: (req) => authenticate(world, req, 'rest-json'),
    handle(req, _call, ctx) {
      const me = caller(world, req)!.principal!;
      const input: { AccountId?: string; RegionOptStatusContains?: string[]; NextToken?: string; MaxResults?: number } =
        parseJson(req) ?? {};
      const target = input.AccountId ?? me.account;
      if (target !== me.account && world.organization?.managementAccount !== me.account)
        return restError('AccessDeniedException', 'You do not have sufficient access to perform this action.', 403);
      const wanted = input.RegionOptStatusContains;
      const all = regionsOf(world.accounts.get(target)).filter(
        (r) => !wanted?.length || wanted.includes(r.RegionOptStatus),
      );
      const salt = `regions:${target}`;
      const offset = readPageToken(input.NextToken, salt);
      if (offset === 'invalid') return restError('ValidationException', 'Invalid NextToken', 400);
      const p = paginate(all, offset ?? 0, input.MaxResults ?? 50, salt, input.NextToken, ctx.fault);
      return {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ Regions: p.items, NextToken: p.next }),
      };
    },
    error(kind) {
      switch (kind) {
        case 'throttle':
          return restError('TooManyRequestsException', 'Rate exceeded', 429);
        case 'server-error':
          return restError('InternalServerException', 'Internal server error', 500);
        case 'denied':
          return restError('AccessDeniedException', 'You do not have sufficient access to perform this action.', 403);
        case 'expired-token':
          return restError('ExpiredTokenException', 'The security token included in the request is expired', 403);
      }
    },
  };
}
