import type { ErrorObject } from 'ajv';

/** One reason a document was refused, located by a JSON pointer (RFC 6901). */
export interface EpcisValidationError {
  readonly pointer: string;
  /** The event's position in `epcisBody.eventList`, when the error is inside an event. */
  readonly eventIndex?: number;
  readonly message: string;
}

const EVENT_POINTER = /^\/epcisBody\/eventList\/(\d+)(?:\/|$)/;
const MAX_LISTED_VALUES = 12;

export function escapePointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function locate(pointer: string, message: string): EpcisValidationError {
  const m = EVENT_POINTER.exec(pointer);
  return m === null ? { pointer, message } : { pointer, eventIndex: Number(m[1]), message };
}

const FORMAT_MESSAGES: Readonly<Record<string, string>> = {
  uri: 'must be an absolute URI',
  'date-time': 'must be an RFC 3339 date-time with a UTC offset',
};

// The schema's patterns, said in words.
const PATTERN_MESSAGES: readonly (readonly [field: string, message: string])[] = [
  ['eventTimeZoneOffset', 'must be a UTC offset ±hh:mm, from -14:00 to +14:00'],
  ['uom', 'must be a UN/CEFACT Rec. 20 unit code (2 or 3 upper-case letters or digits)'],
  ['schemaVersion', "must be a version such as '2.0'"],
];

const stringParam = (error: ErrorObject, name: string): string | undefined => {
  const value: unknown = (error.params as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
};

function describe(error: ErrorObject): string {
  switch (error.keyword) {
    case 'enum': {
      const allowed: unknown = (error.params as Record<string, unknown>)['allowedValues'];
      const values = Array.isArray(allowed) ? allowed.map(String) : [];
      const listed = values.slice(0, MAX_LISTED_VALUES).join(', ');
      return values.length > MAX_LISTED_VALUES ? `must be one of: ${listed}, …` : `must be one of: ${listed}`;
    }
    case 'format':
      return FORMAT_MESSAGES[stringParam(error, 'format') ?? ''] ?? error.message ?? 'has the wrong format';
    case 'type':
      return `must be ${/^[aeiou]/.test(stringParam(error, 'type') ?? '') ? 'an' : 'a'} ${stringParam(error, 'type') ?? 'value of another type'}`;
    case 'uniqueItems':
      return 'must not list the same item twice';
    case 'pattern':
      return PATTERN_MESSAGES.find(([field]) => error.instancePath.endsWith(`/${field}`))?.[1] ?? error.message ?? 'has the wrong form';
    default:
      return error.message ?? `fails the schema's '${error.keyword}' rule`;
  }
}

/** The branch of the innermost `anyOf` an error came from, e.g. `#/allOf/2/anyOf/2`. */
const anyOfBranch = (schemaPath: string): { readonly group: string; readonly branch: string } | undefined => {
  const m = /^(.*\/anyOf)\/(\d+)(?:\/|$)/.exec(schemaPath);
  return m === null ? undefined : { group: m[1] as string, branch: m[2] as string };
};

/**
 * Turns Ajv's errors into one message per place: wrappers (`if`, `anyOf`,
 * `propertyNames`) give way to the errors they wrap, alternatives of an
 * `anyOf` over required fields are merged into one "needs … or …", a bad
 * field name is reported at that field, and an enumeration outranks the
 * patterns the schema also tried at the same place.
 */
export function schemaErrors(errors: readonly ErrorObject[]): EpcisValidationError[] {
  const out: EpcisValidationError[] = [];
  const requiredAlternatives = new Map<string, { pointer: string; branches: Map<string, string[]> }>();
  const pointersWithEnum = new Set(errors.filter((e) => e.keyword === 'enum' && e.propertyName === undefined).map((e) => e.instancePath));
  const concrete = errors.filter((e) => !['if', 'anyOf', 'propertyNames', 'allOf', 'oneOf'].includes(e.keyword));

  for (const error of concrete) {
    if (error.propertyName !== undefined) {
      out.push(
        locate(
          `${error.instancePath}/${escapePointerToken(error.propertyName)}`,
          `'${error.propertyName}' is neither a field of this element nor an extension named by a namespace (prefix:name or an absolute URI)`,
        ),
      );
      continue;
    }
    if (error.keyword === 'pattern' && pointersWithEnum.has(error.instancePath)) continue;
    if (error.keyword === 'required') {
      const field = stringParam(error, 'missingProperty') ?? '?';
      const alternative = anyOfBranch(error.schemaPath);
      if (alternative === undefined) {
        out.push(locate(`${error.instancePath}/${escapePointerToken(field)}`, `missing required field '${field}'`));
        continue;
      }
      const key = `${error.instancePath} ${alternative.group}`;
      const entry = requiredAlternatives.get(key) ?? { pointer: error.instancePath, branches: new Map<string, string[]>() };
      entry.branches.set(alternative.branch, [...(entry.branches.get(alternative.branch) ?? []), field]);
      requiredAlternatives.set(key, entry);
      continue;
    }
    if (error.keyword === 'additionalProperties') {
      const field = stringParam(error, 'additionalProperty') ?? '?';
      out.push(locate(`${error.instancePath}/${escapePointerToken(field)}`, `unknown field '${field}'`));
      continue;
    }
    out.push(locate(error.instancePath, describe(error)));
  }
  for (const { pointer, branches } of requiredAlternatives.values()) {
    const options = [...branches.values()].map((fields) => fields.join(' and '));
    out.push(locate(pointer, `needs ${options.join(', or ')}`));
  }
  // A wrapper with nothing more specific at or below its place still says something.
  for (const error of errors) {
    if (error.keyword !== 'anyOf' && error.keyword !== 'oneOf') continue;
    const covered = out.some((e) => e.pointer === error.instancePath || e.pointer.startsWith(`${error.instancePath}/`));
    if (!covered) out.push(locate(error.instancePath, 'matches none of the forms the schema allows here'));
  }
  return dedupe(out);
}

export function dedupe(errors: readonly EpcisValidationError[]): EpcisValidationError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.pointer}\u0000${e.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
