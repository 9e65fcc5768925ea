/**
 * The vault DNS suffix of a custom cloud that does not state it, from Resource Manager's own
 * metadata: `GET {resourceManager}/metadata/endpoints?api-version=2022-09-01`, answered without
 * credentials, whose `suffixes.keyVaultDns` names it (`vault.azure.net` in the public cloud,
 * `vault.<region>.<domain>` on Azure Stack Hub). That api-version answers one cloud as an object
 * (hashicorp/go-azure-sdk, sdk/internal/metadata/client.go); 2019-05-01 answers a list of clouds
 * (Azure/azure-cli, azure/cli/core/cloud.py, `_convert_arm_to_cli`), so a list is read too,
 * taking the entry whose `resourceManager` is this one.
 */
import {
  createEmptyPipeline,
  createPipelineRequest,
  type HttpClient,
  type PipelinePolicy,
} from '@azure/core-rest-pipeline';
import { CollectError } from '../../src/engine/api/collect-error.js';
import { normalDnsSuffix } from '../../src/net/dns-suffix.js';
import type { AzureCloud } from './cloud.js';
import { guardOrigins } from './origins.js';

export const METADATA_API = '2022-09-01';
const OPERATION = 'GetMetadataEndpoints';

interface CloudMetadata {
  name?: string;
  resourceManager?: string;
  suffixes?: { keyVaultDns?: string };
}

/** The entry for this ARM: the only one, or the one whose resourceManager has our origin. */
function entryFor(body: unknown, arm: string): CloudMetadata | undefined {
  const entries = (Array.isArray(body) ? body : [body]).filter((e): e is CloudMetadata => !!e && typeof e === 'object');
  if (entries.length === 1) return entries[0];
  return entries.find(
    (e) =>
      typeof e.resourceManager === 'string' &&
      URL.canParse(e.resourceManager) &&
      new URL(e.resourceManager).origin === arm,
  );
}

/**
 * Reads the suffix through `retry` (the provider's retry layer) with no credential at all: the
 * endpoint is anonymous, and the origin check admits ARM's own origin only.
 */
export async function vaultSuffixFromArm(
  cloud: AzureCloud,
  httpClient: HttpClient,
  retry: PipelinePolicy,
  signal?: AbortSignal,
): Promise<string> {
  const url = `${cloud.resourceManager}/metadata/endpoints?api-version=${METADATA_API}`;
  const fail = (reason: string) =>
    new CollectError(
      'ConfigError',
      `providers.azure.cloud.keyVaultSuffix is not set, and Resource Manager's metadata (GET ${url}) does not give it: ${reason}. State the DNS suffix of this cloud's vault hosts (for example vault.azure.net)`,
      OPERATION,
    );
  const pipeline = guardOrigins(createEmptyPipeline(), cloud, 'arm');
  pipeline.addPolicy(retry);
  let status: number;
  let text: string | undefined;
  try {
    const response = await pipeline.sendRequest(
      httpClient,
      createPipelineRequest({ url, method: 'GET', abortSignal: signal }),
    );
    status = response.status;
    text = response.bodyAsText ?? undefined;
  } catch (err) {
    throw fail(`the request failed (${err instanceof Error ? err.message : String(err)})`);
  }
  if (status !== 200) throw fail(`HTTP ${status}`);
  let body: unknown;
  try {
    body = JSON.parse(text ?? '');
  } catch {
    throw fail('the answer is not JSON');
  }
  const raw = entryFor(body, new URL(cloud.resourceManager).origin)?.suffixes?.keyVaultDns;
  const suffix = normalDnsSuffix(typeof raw === 'string' ? raw : undefined);
  if (!suffix)
    throw fail(
      raw === undefined ? 'it has no suffixes.keyVaultDns for this cloud' : 'suffixes.keyVaultDns is not a DNS suffix',
    );
  return suffix;
}
