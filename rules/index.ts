import type { Rule } from '../src/engine/rule.js';
import certExpired from './expiry/cert-expired.js';
import certExpiring from './expiry/cert-expiring.js';
import certNotYetValid from './expiry/cert-not-yet-valid.js';
import weakRsaKey from './keys/weak-rsa-key.js';
import weakEcCurve from './keys/weak-ec-curve.js';
import weakSignature from './keys/weak-signature.js';
import unsupportedKey from './keys/unsupported-key.js';
import certUnparseable from './hygiene/cert-unparseable.js';

/** Every rule certwarden ships, in catalogue order. A test keeps this list equal to the files. */
export const RULES: Rule<any>[] = [certExpired, certExpiring, certNotYetValid, weakRsaKey, weakEcCurve, weakSignature, unsupportedKey, certUnparseable];
