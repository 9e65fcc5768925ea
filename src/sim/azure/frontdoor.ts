/**
 * Simulated Front Door Standard/Premium (and classic CDN profiles, which only show in the profile
 * list): `Profiles_List`, `Secrets_ListByProfile` and `AFDCustomDomains_ListByProfile`, shaped as
 * the Microsoft.Cdn 2025-06-01 spec's examples, case quirks included: profile ids say
 * `resourcegroups`, a domain's secret reference says `resourceGroups` and `Profiles`.
 */
import { createHash } from 'node:crypto';
import type { ArmListRoute, AzureFrontDoorSpec, AzureWorld } from './types.js';
import { resolveKvRef } from './seed.js';

const iso = (epochSeconds: number) => new Date(epochSeconds * 1000).toISOString();

export function seedFrontDoors(
  world: AzureWorld,
  subscriptionId: string,
  specs: AzureFrontDoorSpec[],
): AzureWorld['subscriptions'][number]['frontDoors'] {
  return specs.map((f) => {
    const rg = f.resourceGroup ?? 'rg-edge';
    const id = `/subscriptions/${subscriptionId}/resourcegroups/${rg}/providers/Microsoft.Cdn/profiles/${f.name}`;
    const secretRef = (name: string) =>
      `/subscriptions/${subscriptionId}/resourceGroups/${rg}/providers/Microsoft.Cdn/Profiles/${f.name}/secrets/${name}`;
    const secrets: unknown[] = (f.secrets ?? []).map((s) => {
      const kv = resolveKvRef(world, subscriptionId, s);
      const latest = s.useLatestVersion ?? s.version === undefined;
      const v = kv.served;
      return {
        id: `${id}/secrets/${s.name}`,
        name: s.name,
        type: 'Microsoft.Cdn/profiles/secrets',
        properties: {
          parameters: {
            type: 'CustomerCertificate',
            secretSource: { id: kv.armId },
            // With useLatestVersion the service reports the version it deployed last.
            ...(kv.pinned ? { secretVersion: kv.pinned } : kv.current ? { secretVersion: kv.current.version } : {}),
            useLatestVersion: latest,
            ...(v
              ? { expirationDate: iso(v.exp), thumbprint: createHash('sha1').update(v.der).digest('hex').toUpperCase() }
              : {}),
          },
          provisioningState: 'Succeeded',
          deploymentStatus: 'NotStarted',
        },
      };
    });
    const domains = (f.domains ?? []).map((d) => {
      const managed = d.secret === undefined;
      const secretName = managed
        ? `${createHash('sha1').update(d.hostName).digest('hex').slice(0, 8)}-${d.hostName.replace(/\./g, '-')}`
        : d.secret!;
      if (managed)
        secrets.push({
          id: `${id}/secrets/${secretName}`,
          name: secretName,
          type: 'Microsoft.Cdn/profiles/secrets',
          properties: {
            parameters: { type: 'ManagedCertificate', subject: d.hostName },
            provisioningState: 'Succeeded',
            deploymentStatus: 'NotStarted',
          },
        });
      return {
        id: `${id}/customdomains/${d.name}`,
        name: d.name,
        type: 'Microsoft.Cdn/profiles/customdomains',
        properties: {
          profileName: f.name,
          hostName: d.hostName,
          tlsSettings: {
            certificateType: managed ? 'ManagedCertificate' : 'CustomerCertificate',
            minimumTlsVersion: 'TLS12',
            secret: { id: secretRef(secretName) },
          },
          domainValidationState: 'Approved',
          provisioningState: 'Succeeded',
          deploymentStatus: 'NotStarted',
        },
      };
    });
    const sku = f.sku ?? 'Standard_AzureFrontDoor';
    const body = {
      id,
      name: f.name,
      type: 'Microsoft.Cdn/profiles',
      location: 'global',
      tags: {},
      sku: { name: sku },
      kind: sku.endsWith('AzureFrontDoor') ? 'frontdoor' : 'cdn',
      properties: {
        originResponseTimeoutSeconds: 30,
        frontDoorId: createHash('sha256')
          .update(id)
          .digest('hex')
          .replace(/^(.{8})(.{4})(.{4})(.{4})(.{12}).*$/, '$1-$2-$3-$4-$5'),
        provisioningState: 'Succeeded',
        resourceState: f.state ?? 'Active',
      },
    };
    return { profile: { id, name: f.name, resourceGroup: rg }, body, secrets, domains };
  });
}

/** Child lists are addressed by resource group and profile name, case-insensitively as ARM does. */
function profileOf(sub: AzureWorld['subscriptions'][number], m: RegExpExecArray) {
  const p = sub.frontDoors.find(
    (f) =>
      f.profile.resourceGroup.toLowerCase() === m[2].toLowerCase() &&
      f.profile.name.toLowerCase() === m[3].toLowerCase(),
  );
  return (
    p ??
    `The Resource 'Microsoft.Cdn/profiles/${m[3]}' under resource group '${m[2]}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`
  );
}

const CHILD = (kind: string) =>
  new RegExp(
    `^/subscriptions/([^/]+)/resourcegroups/([^/]+)/providers/microsoft\\.cdn/profiles/([^/]+)/${kind}/?$`,
    'i',
  );

export const frontDoorRoutes: ArmListRoute[] = [
  {
    pattern: /^\/subscriptions\/([^/]+)\/providers\/microsoft\.cdn\/profiles\/?$/i,
    action: 'Profiles_List',
    permission: 'Microsoft.Cdn/profiles/read',
    apiVersions: ['2025-06-01'],
    items: (sub) => sub.frontDoors.map((f) => f.body),
  },
  {
    pattern: CHILD('secrets'),
    action: 'Secrets_ListByProfile',
    permission: 'Microsoft.Cdn/profiles/secrets/read',
    apiVersions: ['2025-06-01'],
    items: (sub, m) => {
      const p = profileOf(sub, m);
      return typeof p === 'string' ? p : p.secrets;
    },
  },
  {
    pattern: CHILD('customdomains'),
    action: 'AFDCustomDomains_ListByProfile',
    permission: 'Microsoft.Cdn/profiles/customdomains/read',
    apiVersions: ['2025-06-01'],
    items: (sub, m) => {
      const p = profileOf(sub, m);
      return typeof p === 'string' ? p : p.domains;
    },
  },
];
