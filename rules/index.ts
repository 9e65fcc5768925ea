import type { Rule } from '../src/engine/api/rule.js';
import certExpired from './expiry/cert-expired.js';
import certExpiring from './expiry/cert-expiring.js';
import certNotYetValid from './expiry/cert-not-yet-valid.js';
import weakRsaKey from './keys/weak-rsa-key.js';
import weakEcCurve from './keys/weak-ec-curve.js';
import weakSignature from './keys/weak-signature.js';
import unsupportedKey from './keys/unsupported-key.js';
import certUnparseable from './hygiene/cert-unparseable.js';
import danglingBinding from './bindings/dangling-binding.js';
import boundCertUnhealthy from './bindings/bound-cert-unhealthy.js';
import unusedCertificate from './bindings/unused-certificate.js';
import selfSignedInUse from './bindings/self-signed-in-use.js';
import wildcardCertificate from './hygiene/wildcard-certificate.js';
import duplicateCertificate from './hygiene/duplicate-certificate.js';
import validityTooLong from './hygiene/validity-too-long.js';
import ctLoggingDisabled from './hygiene/ct-logging-disabled.js';
import renewalFailing from './renewal/renewal-failing.js';
import noAutoRenewal from './renewal/no-auto-renewal.js';
import kvPolicyWeakKey from './keys/kv-policy-weak-key.js';
import exportableKey from './keys/exportable-key.js';
import weakTlsPolicy from './tls/weak-tls-policy.js';
import servedCertMismatch from './tls/served-cert-mismatch.js';
import chainIncomplete from './tls/chain-incomplete.js';
import hostnameMismatch from './tls/hostname-mismatch.js';

/** Every rule certwarden ships, in catalogue order. A test keeps this list equal to the files. */
export const RULES: Rule[] = [
  certExpired,
  certExpiring,
  certNotYetValid,
  weakRsaKey,
  weakEcCurve,
  weakSignature,
  unsupportedKey,
  kvPolicyWeakKey,
  exportableKey,
  boundCertUnhealthy,
  danglingBinding,
  selfSignedInUse,
  unusedCertificate,
  renewalFailing,
  noAutoRenewal,
  weakTlsPolicy,
  servedCertMismatch,
  chainIncomplete,
  hostnameMismatch,
  certUnparseable,
  ctLoggingDisabled,
  duplicateCertificate,
  validityTooLong,
  wildcardCertificate,
];
