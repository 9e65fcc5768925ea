/**
 * Validation against the official SARIF 2.1.0 JSON Schema. `sarif-schema-2.1.0.json` beside this
 * file is a verbatim copy of the OASIS committee specification's schema, from the OASIS SARIF
 * technical committee's repository: https://github.com/oasis-tcs/sarif-spec, file
 * Documents/CommitteeSpecifications/2.1.0/sarif-schema-2.1.0.json (112,318 bytes; sha256
 * 80cd7ffb9b62a4162d541aa9170862dd264f6cce0f04c57f1ac9f2337b808958). It is draft-07, which is
 * Ajv's default draft.
 */
import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

export function sarifSchemaErrors(log: unknown): string[] {
  const schema = JSON.parse(readFileSync(new URL('./sarif-schema-2.1.0.json', import.meta.url), 'utf8'));
  const ajv = new (Ajv as unknown as typeof Ajv.default)({ allErrors: true, strict: false });
  (addFormats as unknown as typeof addFormats.default)(ajv);
  const validate = ajv.compile(schema);
  return validate(log) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}
