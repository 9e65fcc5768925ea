/**
 * The Azure action (or, for the Key Vault data plane, data action) each operation certwarden
 * calls needs, as docs/permissions.md lists them, so that a failure names the permission
 * involved. Operation names are the REST API reference's. Vaults with access policies instead of
 * Azure RBAC ask for certificate permissions `list` and `get` where the data action is named.
 */

const SUBSCRIPTIONS: Record<string, string> = { Subscriptions_List: 'Microsoft.Resources/subscriptions/read' };

export const KEY_VAULT_PERMISSIONS: Record<string, string> = {
  ...SUBSCRIPTIONS,
  Vaults_ListBySubscription: 'Microsoft.KeyVault/vaults/read',
  GetCertificates: 'Microsoft.KeyVault/vaults/certificates/read',
  GetCertificate: 'Microsoft.KeyVault/vaults/certificates/read',
};

export const APP_GATEWAY_PERMISSIONS: Record<string, string> = {
  ...SUBSCRIPTIONS,
  ApplicationGateways_ListAll: 'Microsoft.Network/applicationGateways/read',
};

export const APP_SERVICE_PERMISSIONS: Record<string, string> = {
  ...SUBSCRIPTIONS,
  Certificates_List: 'Microsoft.Web/certificates/read',
  WebApps_List: 'Microsoft.Web/sites/read',
  WebApps_ListByResourceGroup: 'Microsoft.Web/sites/read',
};

export const FRONT_DOOR_PERMISSIONS: Record<string, string> = {
  ...SUBSCRIPTIONS,
  Profiles_List: 'Microsoft.Cdn/profiles/read',
  Secrets_ListByProfile: 'Microsoft.Cdn/profiles/secrets/read',
  AFDCustomDomains_ListByProfile: 'Microsoft.Cdn/profiles/customdomains/read',
};
