/**
 * The Resource Groups Tagging API's GetResources over JSON 1.1
 * (`X-Amz-Target: ResourceGroupsTaggingAPI_20170126.GetResources`, SigV4 service `tagging`), as its
 * API reference documents it: the tagged or once-tagged resources of the caller's account and
 * region (here ACM certificates and load balancers), ResourceTypeFilters (`service[:type]`),
 * TagFilters, ResourcesPerPage 1-100, TagsPerPage 100-500, ResourceARNList (up to 100, not with
 * paging) and PaginationToken, whose last page carries an empty token. Tag-policy compliance is
 * not modelled.
 */
import type { SimService } from '../types.js';
import { authenticate, caller, scopeOf } from './auth.js';
import { header, jsonError, jsonFaults, jsonOk, paginate, parseJson, readPageToken } from './protocol.js';
import type { AwsWorld } from './world.js';

/** GetResources' request as the Resource Groups Tagging API reference names it. */
interface GetResourcesInput {
  ResourceARNList?: string[];
  ResourcesPerPage?: number;
  TagsPerPage?: number;
  PaginationToken?: string;
  TagFilters?: Array<{ Key?: string; Values?: string[] }>;
  ResourceTypeFilters?: string[];
  ExcludeCompliantResources?: boolean;
  IncludeComplianceDetails?: boolean;
}

const TARGET = 'ResourceGroupsTaggingAPI_20170126.';
/** The API reference gives no default for ResourcesPerPage. */
const DEFAULT_PAGE = 50;

interface Tagged {
  arn: string;
  tags: Record<string, string>;
}

const invalid = (message: string) => jsonError('InvalidParameterException', message);

/** A resource's service and type from its ARN, worked out once: every page of a listing filters the whole region again. */
const kinds = new WeakMap<Tagged, { service: string; type: string }>();
function kindOf(r: Tagged): { service: string; type: string } {
  let kind = kinds.get(r);
  if (!kind) {
    const parts = r.arn.split(':');
    kind = { service: parts[2], type: parts.slice(5).join(':').split(/[/:]/)[0] };
    kinds.set(r, kind);
  }
  return kind;
}

/** `acm` matches every ACM resource, `acm:certificate` only certificates (the ARN's service and resource type). */
function typeMatches(r: Tagged, filter: string): boolean {
  const [service, type] = filter.split(':');
  const kind = kindOf(r);
  return kind.service === service && (type === undefined || kind.type === type);
}

/** Filters are ANDed; a filter's values are ORed; a filter without values matches the key with any value. */
function tagsMatch(tags: Record<string, string>, filters: Array<{ Key?: string; Values?: string[] }>): boolean {
  return filters.every(
    (f) => f.Key !== undefined && f.Key in tags && (!f.Values?.length || f.Values.includes(tags[f.Key])),
  );
}

/** How many resources from `offset` fit in a page of `tagsPerPage` tags (an untagged one counts as one); never split, at least one. */
function fitTags(all: Tagged[], offset: number, tagsPerPage: number, max: number): number {
  let used = 0;
  let n = 0;
  for (const r of all.slice(offset, offset + max)) {
    used += Math.max(1, Object.keys(r.tags).length);
    if (n > 0 && used > tagsPerPage) break;
    n++;
  }
  return Math.max(1, n);
}

function resources(world: AwsWorld, account: string, region: string): Tagged[] {
  const state = world.accounts.get(account)?.regions.get(region);
  if (!state) return [];
  return [
    ...state.certificates.filter((c) => c.tagged),
    ...state.loadBalancers.filter((l) => Object.keys(l.tags).length),
  ];
}

export function taggingService(world: AwsWorld): SimService {
  return {
    name: 'tagging',
    identify(req) {
      const target = header(req, 'x-amz-target');
      if (req.method !== 'POST' || !target?.startsWith(TARGET)) return undefined;
      const action = target.slice(TARGET.length);
      return { service: 'tagging', action, scope: scopeOf(world, req), permission: `tag:${action}` };
    },
    authenticate(req) {
      const denied = authenticate(world, req, 'json');
      if (denied) return denied;
      const service = caller(world, req)!.sig.service;
      return service === 'tagging'
        ? null
        : jsonError('InvalidSignatureException', `Credential should be scoped to correct service: 'tagging'.`, 403);
    },
    handle(req, call, ctx) {
      const input = parseJson<GetResourcesInput>(req);
      if (!input) return jsonError('SerializationException', 'Start of structure or map found where not expected.');
      if (call.action !== 'GetResources')
        return jsonError('UnknownOperationException', `The simulator does not serve ${TARGET}${call.action}`);
      const {
        ResourceARNList: arns,
        ResourcesPerPage: perPage,
        TagsPerPage: tagsPerPage,
        PaginationToken: token,
      } = input;
      const filters = input.TagFilters ?? [];
      const types = input.ResourceTypeFilters ?? [];
      if (arns !== undefined && (perPage !== undefined || tagsPerPage !== undefined || token))
        return invalid('ResourceARNList cannot be used with ResourcesPerPage, TagsPerPage or PaginationToken.');
      if (arns !== undefined && (!Array.isArray(arns) || arns.length < 1 || arns.length > 100))
        return invalid('ResourceARNList must hold between 1 and 100 ARNs.');
      if (perPage !== undefined && (!Number.isInteger(perPage) || perPage < 1 || perPage > 100))
        return invalid('ResourcesPerPage must be between 1 and 100.');
      if (tagsPerPage !== undefined && (!Number.isInteger(tagsPerPage) || tagsPerPage < 100 || tagsPerPage > 500))
        return invalid('TagsPerPage must be between 100 and 500.');
      if (types.length > 100) return invalid('ResourceTypeFilters can hold at most 100 resource types.');
      if (filters.length > 50 || filters.some((f) => (f.Values?.length ?? 0) > 20))
        return invalid('TagFilters can hold at most 50 keys of at most 20 values each.');
      if (input.ExcludeCompliantResources && !input.IncludeComplianceDetails)
        return invalid('ExcludeCompliantResources can be used only with IncludeComplianceDetails.');

      const c = caller(world, req)!;
      const all = resources(world, c.principal!.account, c.sig.region).filter(
        (r) =>
          (!arns || arns.includes(r.arn)) &&
          (!types.length || types.some((t) => typeMatches(r, t))) &&
          tagsMatch(r.tags, filters),
      );
      const salt = `tagging:${call.scope}`;
      const offset = readPageToken(token, salt);
      if (offset === 'invalid') return invalid('The PaginationToken is not valid.');
      const max = perPage ?? (tagsPerPage ? 100 : DEFAULT_PAGE);
      const size = tagsPerPage ? fitTags(all, offset ?? 0, tagsPerPage, max) : max;
      const page = paginate(all, offset ?? 0, size, salt, token, ctx.fault);
      return jsonOk({
        PaginationToken: page.next ?? '',
        ResourceTagMappingList: page.items.map((r) => ({
          ResourceARN: r.arn,
          Tags: Object.entries(r.tags).map(([Key, Value]) => ({ Key, Value })),
        })),
      });
    },
    error: jsonFaults('ThrottledException', { code: 'InternalServiceException', message: 'Internal service error' }),
    // No published rate for GetResources (AWS's quotas page lists none): a conservative 5/s.
    rateLimits: { GetResources: { perSecond: 5, burst: 5 } },
    malformedBody: '{"ResourceTagMappingList": [{"ResourceARN": ',
  };
}
