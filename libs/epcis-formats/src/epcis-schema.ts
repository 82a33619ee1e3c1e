import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import epcisDocumentSchema from '../schema/EPCISDocument.schema.json';

/** The GS1 EPCIS 2.0 JSON schema as vendored (see schema/README.md). */
export const EPCIS_DOCUMENT_SCHEMA: unknown = epcisDocumentSchema;

let compiled: ValidateFunction | undefined;

/**
 * The schema compiled once, on first use. The schema declares draft-07, which
 * Ajv's default class implements. `strict` is off because the GS1 schema lists
 * `required` names under `anyOf` branches that do not declare them, which
 * strict mode rejects although the schema is valid draft-07. Formats (`uri`,
 * `date-time`) are enforced: several of GS1's invalid samples fail only on them.
 */
export function epcisSchemaValidator(): ValidateFunction {
  if (compiled === undefined) {
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    compiled = ajv.compile(epcisDocumentSchema);
  }
  return compiled;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The bare-word values the schema lists for one of its definitions (e.g.
 * `bizStep`), so the vocabulary checks and the schema cannot drift apart.
 */
export function schemaEnumOf(definition: string): readonly string[] {
  const definitions = isRecord(EPCIS_DOCUMENT_SCHEMA) ? EPCIS_DOCUMENT_SCHEMA['definitions'] : undefined;
  const node = isRecord(definitions) ? definitions[definition] : undefined;
  const branches = isRecord(node) && Array.isArray(node['anyOf']) ? (node['anyOf'] as unknown[]) : [node];
  for (const branch of branches) {
    if (isRecord(branch) && Array.isArray(branch['enum'])) {
      return (branch['enum'] as unknown[]).filter((v): v is string => typeof v === 'string');
    }
  }
  throw new Error(`the vendored EPCIS schema has no enumeration for '${definition}'`);
}
