import fc from 'fast-check';

/**
 * Bad input for every operation of the API's OpenAPI document, as fast-check
 * arbitraries: each case is one plausible request (built from the operation's
 * schemas: body, path and query parameters) with one thing broken — a wrong
 * type, a missing or extra field, a nasty or huge string, a number at or past
 * its limit, deep nesting, a duplicate key, truncated JSON, a wrong content
 * type or encoding, a tricky path id or query value, a malformed key.
 */

/** The part of an OpenAPI schema object the generator reads. */
export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean | number;
  exclusiveMaximum?: boolean | number;
  minLength?: number;
  maxLength?: number;
  nullable?: boolean;
  example?: unknown;
}

interface ParameterObject {
  name: string;
  in: string;
  required?: boolean;
  schema?: Schema;
}

interface OperationObject {
  parameters?: ParameterObject[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}

export interface ApiDocument {
  paths: Record<string, Record<string, OperationObject | unknown>>;
  components?: { schemas?: Record<string, Schema> };
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** One operation of the document, with its schemas resolved. */
export interface Operation {
  /** `GET /v1/sites/{id}`: how reports and tables name it. */
  key: string;
  method: string;
  path: string;
  pathParams: string[];
  query: Array<{ name: string; schema: Schema }>;
  body: { types: string[]; schema: Schema } | null;
}

/** One request to send. `auth` unset: the runner sends the operation's usual key; '' sends none; `{key}` in it stands for that key. */
export interface FuzzCase {
  operation: string;
  mutation: string;
  method: string;
  /** The request target exactly as sent (path and query, percent-encoding included). */
  target: string;
  headers: Record<string, string>;
  auth?: string;
  body?: string;
}

/** JSON text written as is where a value stands (numbers JSON.stringify cannot write, deep nesting, broken syntax). */
class RawJson {
  constructor(readonly text: string) {}
}

/** An object written with its entries in order, repeated keys included. */
class DuplicateKeys {
  constructor(readonly entries: Array<[string, unknown]>) {}
}

/** JSON text of a value that may hold RawJson, DuplicateKeys and own `__proto__` keys. */
function jsonText(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (value instanceof DuplicateKeys) return `{${value.entries.map(([k, v]) => `${JSON.stringify(k)}:${jsonText(v)}`).join(',')}}`;
  if (Array.isArray(value)) return `[${value.map(jsonText).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    return `{${Object.keys(o)
      .map((k) => `${JSON.stringify(k)}:${jsonText(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Schemas with `$ref` and `allOf` resolved against the document's components (one level at a time, so cycles cannot loop). */
class SchemaResolver {
  constructor(private readonly components: Record<string, Schema> = {}) {}

  resolve(schema: Schema | undefined): Schema {
    if (!schema) return {};
    if (schema.$ref) {
      const name = schema.$ref.replace('#/components/schemas/', '');
      return this.resolve(this.components[name]);
    }
    if (schema.allOf?.length) {
      const merged: Schema = { ...schema, allOf: undefined, properties: { ...schema.properties }, required: [...(schema.required ?? [])] };
      for (const part of schema.allOf.map((s) => this.resolve(s))) {
        merged.type ??= part.type;
        merged.example ??= part.example;
        Object.assign(merged.properties!, part.properties);
        merged.required!.push(...(part.required ?? []));
      }
      return merged;
    }
    return schema;
  }
}

/** Every operation of the document (health and /v1 alike), path parameters read from the template. */
export function operationsOf(document: ApiDocument): Operation[] {
  const resolver = new SchemaResolver(document.components?.schemas);
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of HTTP_METHODS) {
      const op = item[method] as OperationObject | undefined;
      if (!op) continue;
      const content = op.requestBody?.content;
      const types = content ? Object.keys(content) : [];
      operations.push({
        key: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        pathParams: [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]),
        query: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: resolver.resolve(p.schema) })),
        body: types.length ? { types, schema: resolver.resolve(content![types[0]].schema) } : null,
      });
    }
  }
  return operations;
}

// ---------------------------------------------------------------------------------------------
// Values that conform to a schema (the plausible request each case breaks one thing of)

const MAX_VALID_DEPTH = 6;

/** A value the schema admits: its example when it has no properties to build from, else built field by field. */
function validValue(resolver: SchemaResolver, raw: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
  const schema = resolver.resolve(raw);
  if (schema.enum?.length) return fc.constantFrom(...schema.enum);
  if (depth > MAX_VALID_DEPTH) return fc.constant(schema.example ?? null);
  const type = schema.type ?? (schema.properties ? 'object' : undefined);
  switch (type) {
    case 'object': {
      if (!schema.properties || Object.keys(schema.properties).length === 0) return fc.constant(schema.example ?? {});
      const fields = Object.fromEntries(Object.entries(schema.properties).map(([k, s]) => [k, validValue(resolver, s, depth + 1)]));
      const built = fc.record(fields, { requiredKeys: (schema.required ?? []).filter((k) => k in fields) });
      return schema.example !== undefined && typeof schema.example === 'object' ? fc.oneof(built, fc.constant(schema.example)) : built;
    }
    case 'array':
      if (schema.example !== undefined && !schema.items?.properties) return fc.constant(schema.example);
      return fc.array(validValue(resolver, schema.items, depth + 1), { maxLength: 3 });
    case 'integer': {
      const min = Math.ceil(schema.minimum ?? 0);
      return fc.integer({ min, max: Math.floor(Math.min(schema.maximum ?? min + 1000, min + 1e9)) });
    }
    case 'number': {
      const min = schema.minimum ?? 0;
      const max = schema.maximum ?? min + 1000;
      return fc.double({ min, max, noNaN: true, noDefaultInfinity: true, minExcluded: schema.exclusiveMinimum === true });
    }
    case 'boolean':
      return fc.boolean();
    case 'string':
      if (schema.example !== undefined) return fc.oneof(fc.constant(schema.example), plainString(schema.maxLength));
      if (schema.format === 'date-time')
        return fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
      return plainString(schema.maxLength);
    default:
      return fc.constant(schema.example ?? null);
  }
}

const plainString = (maxLength = 24) => fc.stringMatching(new RegExp(`^[A-Za-z0-9-]{1,${Math.max(1, Math.min(maxLength, 24))}}$`));

// ---------------------------------------------------------------------------------------------
// The bad values

/** Strings that have broken parsers, validators, loggers and query builders before. */
const NASTY_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\u0001\u0002\u0003\u001b[31m\u001f\u007f',
  '\t\r\n\u000b\u000c',
  '\u202eevil\u202c',
  '\ufeffbom',
  '\ud800',
  '\udfff\ud800',
  'e\u0301\u0301\u0301\u0301',
  '💥🏭\u200d👩‍🔧',
  'ẞİıǅﬃ',
  '\u2028\u2029',
  '../../../../etc/passwd',
  '..\\..\\..\\windows\\win.ini',
  "' OR 1=1 //",
  '"}) MATCH (n) DETACH DELETE n //',
  '`) CALL dbms.components() YIELD name RETURN name //',
  '$where',
  '${7*7}',
  '{{7*7}}',
  '<script>alert(1)</script>',
  '(a+)+$',
  '^(([a-z])+.)+[A-Z]([a-z])+$',
  '.*',
  '[',
  '\\',
  '%00',
  '%ZZ',
  '%',
  '%252e%252e%252f',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  'null',
  'true',
  '__proto__',
  'constructor',
  '2024-02-30T25:61:00Z',
  '0000-00-00T00:00:00Z',
  '+275760-09-13T00:00:00.001Z',
  'x'.repeat(129),
  'x'.repeat(257),
  'x'.repeat(4097),
];

const hugeString = fc.tuple(fc.constantFrom(10_000, 100_000, 1_100_000), fc.constantFrom('x', 'é', '💥', '\u0000', '%')).map(([n, c]) => c.repeat(n));

const nastyString = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 64 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 64 }) },
  { weight: 1, arbitrary: hugeString },
);

/** A value of some JSON type, mostly not the one the schema asks for. */
const wrongTypeValue = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom('12', 'true', 'null', '[]', '{}'),
  fc.constant([]),
  fc.constant({}),
  fc.array(fc.oneof(fc.integer(), fc.string({ maxLength: 4 })), { minLength: 1, maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 4 }), fc.integer(), { maxKeys: 3 }),
);

/** Numbers at and past the schema's limits, and the ones JSON can write but JavaScript cannot hold. */
function edgeNumber(schema: Schema): fc.Arbitrary<unknown> {
  const values: unknown[] = [0, -1, 1, 0.5, -0.5, 1.5, 2 ** 31, 2 ** 31 - 1, 2 ** 32, 2 ** 53, 2 ** 53 + 2, -(2 ** 53) - 2, 2 ** 63, 1e308, -1e308, 5e-324];
  for (const limit of [schema.minimum, schema.maximum]) {
    if (typeof limit !== 'number') continue;
    values.push(limit, limit - 1, limit + 1, limit - 1e-9, limit + 1e-9, limit * 10);
  }
  const raw = ['1e309', '-1e309', '1e-400', '-0.0', '123456789012345678901234567890', '1E2', '0.1e1', '-0'].map((t) => new RawJson(t));
  return fc.constantFrom(...values, ...raw);
}

/** Query values for numbers and strings: wrong types, limits, encodings. Sent as written (already percent-encoded where needed). */
const QUERY_VALUES = [
  'abc',
  '',
  '-1',
  '0',
  '1.5',
  '501',
  '1e3',
  '1e309',
  '0x10',
  '+1',
  '%201',
  '1%20',
  '1,2',
  '1_000',
  '%D9%A3',
  'NaN',
  'Infinity',
  '-Infinity',
  '99999999999999999999999',
  'true',
  'null',
  '%00',
  '%',
  '%ZZ',
  '%C0%AE%C0%AE%2F',
  '%FF%FE',
  '..%2F..%2Fetc%2Fpasswd',
  "'%20OR%201=1%20//",
  '(a%2B)%2B%24',
  'x'.repeat(5000),
];

/** Path ids that must never reach a query as anything but a value: traversal, Cypher, regex and percent-encoding tricks. */
const PATH_TRICKS = [
  '..',
  '../..',
  '..%2F..%2Fetc%2Fpasswd',
  '%2e%2e%2f%2e%2e%2f',
  '%252e%252e%252f',
  '....%2F%2F',
  '%C0%AE%C0%AE%2F',
  '%00',
  'a%00b',
  '%',
  '%Z',
  '%ZZ',
  '%FF',
  '%E2%80%AE',
  '%F0%9F%92%A5',
  "'%20OR%201=1%20//",
  '%22%7D)%20MATCH%20(n)%20DETACH%20DELETE%20n%20//',
  '%60)%20RETURN%201%20//',
  '.*',
  '(a%2B)%2B%24',
  '%5B',
  '%5C',
  '$where',
  '__proto__',
  'constructor',
  ';',
  '%3B',
  '%2F',
  '%3F',
  '%23',
  '~',
  'a'.repeat(129),
  'a'.repeat(5000),
  '%20',
  'NaN',
  '-1',
];

const CONTENT_TYPES = [
  'text/plain',
  'application/xml',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/json; charset=utf-16',
  'application/json; charset=bogus',
  'application/octet-stream',
  'text/csv',
  'application/json',
  'application/senml+cbor',
  'application/problem+json',
  '*/*',
  'json',
];

const CONTENT_ENCODINGS = ['gzip', 'deflate', 'br', 'x-bogus', 'identity, gzip'];

/** Bodies whose top level is wrong or not JSON at all. */
const ROOT_BODIES = [
  '[]',
  'null',
  '1',
  '"s"',
  'true',
  '',
  'nope',
  '\ufeff{}',
  '{}garbage',
  '{} {}',
  '[',
  '{"a":1}\u0000',
  '{"a":1,}',
  "{'a':1}",
  '{a:1}',
  'NaN',
];

/** Bad CSV files for the upload routes. */
const csvBody = fc.oneof(
  fc.constantFrom(
    '',
    'ref,name,country,visibility\n',
    'ref,name,country,visibility\n"unclosed,quote,TW,shared\n',
    'ref;name;country;visibility\nx;y;TW;shared\n',
    '\ufeffref,name,country,visibility\r\nx,y,TW,shared\r\n',
    'ref,name,country,visibility\nx,y,TW,shared,extra,extra\n',
    'a,a,a,a\n1,2,3,4\n',
    'ref,ref,ref\n1,2,3\n',
    'fromSiteRef,part,share,bufferDays,leadTimeDays\nx,y,1e309,-1,NaN\n',
    'ref,supplierRef,name,kind,lat,lon,country\nx,y,z,castle,91,-181,XX\n',
    '\u0000\u0000\u0000',
    `ref,name,country,visibility\n${'x,'.repeat(20_000)}\n`,
    `ref,name,country,visibility\n${'r,n,TW,shared\n'.repeat(50_000)}`,
  ),
  nastyString.map((s) => `ref,name,country,visibility\n${s},${s},TW,masked\n`),
);

// ---------------------------------------------------------------------------------------------
// Places in a value (a field at some depth) and how to break one

type PathKey = string | number;

interface Slot {
  path: PathKey[];
  schema: Schema;
  value: unknown;
}

/** Every place in a value, with the schema the document gives it (empty when the document says nothing). */
function slotsOf(resolver: SchemaResolver, value: unknown, raw: Schema | undefined, path: PathKey[] = [], out: Slot[] = []): Slot[] {
  const schema = resolver.resolve(raw);
  out.push({ path, schema, value });
  if (Array.isArray(value)) value.forEach((v, i) => slotsOf(resolver, v, schema.items, [...path, i], out));
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) slotsOf(resolver, v, schema.properties?.[k], [...path, k], out);
  }
  return out;
}

const clone = <T>(value: T): T => (value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T));
const pathText = (path: PathKey[]) => (path.length ? path.map((k) => (typeof k === 'number' ? `[${k}]` : `.${k}`)).join('') : '(root)');

/** A copy of `root` with the value at `path` replaced (the root itself when the path is empty); `__proto__` becomes an own key. */
function replaced(root: unknown, path: PathKey[], value: unknown): unknown {
  if (path.length === 0) return value;
  const copy = clone(root);
  let at = copy as Record<PathKey, unknown>;
  for (const k of path.slice(0, -1)) at = at[k] as Record<PathKey, unknown>;
  define(at, path[path.length - 1], value);
  return copy;
}

function define(o: Record<PathKey, unknown>, key: PathKey, value: unknown): void {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}

const pick = <T>(items: T[], n: number): T => items[n % items.length];

// ---------------------------------------------------------------------------------------------
// Cases

/** What the cases of a run need to know: ids that exist (so some requests get past "not found"). */
export interface FuzzContext {
  ids: string[];
}

/** Bytes past the largest body limit the battery's API is configured with (1 MiB). */
const OVERSIZE = 1024 * 1024 + 1;

const EXTRA_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '$where',
  '',
  'x'.repeat(300),
  'ünïcødé',
  'a.b',
  'role',
  'supplierId',
  'ownerSupplierId',
  'id',
];

const AUTH_HEADERS = [
  '',
  'Bearer',
  'Bearer ',
  `Bearer ${'x'.repeat(600)}`,
  `Bearer tsk_${'A'.repeat(43)}`,
  'Basic YWRtaW46YWRtaW4=',
  'Token {key}',
  'Bearer {key} {key}',
  'Bearer {key},Bearer {key}',
  "Bearer ' OR 1=1 --",
  'Bearer tsk_%00',
  'Bearer {key}x',
  'Bearer ../../etc/passwd',
];

/** All the bad requests of one operation. */
function operationCases(op: Operation, resolver: SchemaResolver, ctx: FuzzContext): fc.Arbitrary<FuzzCase> {
  const idValue = fc.oneof(
    fc.constantFrom(...ctx.ids),
    plainString(12).map((s) => `fz-${s}`),
  );
  const pathValues = fc.tuple(...op.pathParams.map(() => idValue));
  const fillPath = (values: string[], raw = new Set<number>()) =>
    op.path.replace(/\{([^}]+)\}/g, (_m, name: string) => {
      const i = op.pathParams.indexOf(name);
      return raw.has(i) ? values[i] : encodeURIComponent(values[i]);
    });
  const contentType = op.body?.types[0] ?? 'application/json';
  const isCsv = contentType === 'text/csv';
  const validBody: fc.Arbitrary<unknown> = op.body
    ? isCsv
      ? fc.constant('ref,name,country,visibility\n')
      : validValue(resolver, op.body.schema)
    : fc.constant(undefined);
  const bodyText = (value: unknown) => (value === undefined ? undefined : isCsv ? String(value) : jsonText(value));
  const base = fc.record({ path: pathValues, body: validBody });
  const make = (mutation: string, path: string, body: string | undefined, extra: Partial<FuzzCase> = {}): FuzzCase => ({
    operation: op.key,
    mutation,
    method: op.method,
    target: path,
    headers: body === undefined ? {} : { 'content-type': contentType },
    body,
    ...extra,
  });

  const mutations: Array<fc.WeightedArbitrary<FuzzCase>> = [];
  const add = (weight: number, arbitrary: fc.Arbitrary<FuzzCase>) => mutations.push({ weight, arbitrary });

  // A body value with one place broken.
  const atSlot = (name: string, choose: (slots: Slot[]) => Slot[], breakIt: (slot: Slot) => fc.Arbitrary<unknown>) =>
    fc.tuple(base, fc.nat()).chain(([b, n]) => {
      const slots = slotsOf(resolver, b.body, op.body?.schema);
      const candidates = choose(slots);
      const slot = candidates.length ? pick(candidates, n) : slots[0];
      return breakIt(slot).map((bad) => make(`${name} ${pathText(slot.path)}`, fillPath(b.path), jsonText(replaced(b.body, slot.path, bad))));
    });

  if (op.body && !isCsv) {
    const objects = (slots: Slot[]) => slots.filter((s) => s.value !== null && typeof s.value === 'object' && !Array.isArray(s.value));
    add(
      3,
      atSlot(
        'wrong-type',
        (s) => s,
        () => wrongTypeValue,
      ),
    );
    add(
      2,
      fc.tuple(base, fc.nat(), fc.nat()).map(([b, n, m]) => {
        const slots = objects(slotsOf(resolver, b.body, op.body!.schema)).filter((s) => Object.keys(s.value as object).length > 0);
        if (!slots.length) return make('missing-required (root)', fillPath(b.path), '{}');
        const slot = pick(slots, n);
        const required = (slot.schema.required ?? []).filter((k) => k in (slot.value as object));
        const key = pick(required.length ? required : Object.keys(slot.value as object), m);
        const without = { ...(slot.value as Record<string, unknown>) };
        delete without[key];
        return make(`missing-field ${pathText([...slot.path, key])}`, fillPath(b.path), jsonText(replaced(b.body, slot.path, without)));
      }),
    );
    add(
      2,
      atSlot('extra-field', objects, (slot) =>
        fc.tuple(fc.constantFrom(...EXTRA_KEYS), fc.oneof(wrongTypeValue, nastyString)).map(([k, v]) => {
          const o = { ...(slot.value as Record<string, unknown>) };
          define(o, k, v);
          return o;
        }),
      ),
    );
    add(
      3,
      atSlot(
        'nasty-string',
        (s) => s.filter((x) => typeof x.value === 'string'),
        () => nastyString,
      ),
    );
    add(
      2,
      atSlot(
        'number-limit',
        (s) => s.filter((x) => typeof x.value === 'number' || x.schema.type === 'number' || x.schema.type === 'integer'),
        (slot) => edgeNumber(slot.schema),
      ),
    );
    add(
      1,
      atSlot(
        'deep-nesting',
        (s) => s,
        () =>
          fc
            .tuple(fc.constantFrom(100, 1_000, 10_000, 50_000), fc.boolean())
            .map(([n, arrays]) => new RawJson(arrays ? '['.repeat(n) + ']'.repeat(n) : '{"a":'.repeat(n) + '1' + '}'.repeat(n))),
      ),
    );
    add(
      1,
      atSlot('duplicate-key', objects, (slot) =>
        fc.tuple(fc.nat(), fc.oneof(wrongTypeValue, nastyString)).map(([n, v]) => {
          const entries = Object.entries(slot.value as Record<string, unknown>);
          const key = entries.length ? pick(entries, n)[0] : 'id';
          return new DuplicateKeys([...entries, [key, v]]);
        }),
      ),
    );
    add(
      1,
      fc.tuple(base, fc.nat()).map(([b, n]) => {
        const text = jsonText(b.body);
        return make('truncated-json', fillPath(b.path), text.slice(0, n % Math.max(text.length, 1)));
      }),
    );
    add(
      1,
      fc.tuple(base, fc.constantFrom(...ROOT_BODIES)).map(([b, body]) => make(`root-body ${JSON.stringify(body.slice(0, 12))}`, fillPath(b.path), body)),
    );
  }
  if (isCsv) {
    add(
      4,
      fc.tuple(base, csvBody).map(([b, body]) => make('bad-csv', fillPath(b.path), body)),
    );
  }
  if (op.body) {
    // Past every body limit of a test run (the API's own limits are configured low for the battery).
    add(
      1,
      fc.tuple(base, fc.nat(1000)).map(([b, n]) => {
        const pad = 'x'.repeat(OVERSIZE + n);
        return make('oversize', fillPath(b.path), isCsv ? `ref,name,country,visibility\n${pad},x,TW,shared\n` : `{"pad":"${pad}"}`);
      }),
    );
  }
  // Bodies where none is expected, and expected bodies under the wrong type or encoding.
  add(
    1,
    fc.tuple(base, fc.constantFrom(...CONTENT_TYPES), fc.option(fc.constantFrom(...ROOT_BODIES), { nil: undefined })).map(([b, type, root]) => {
      const body = root ?? bodyText(b.body) ?? '{"x":1}';
      return make(`content-type ${type}`, fillPath(b.path), body, { headers: { 'content-type': type } });
    }),
  );
  add(
    1,
    fc.tuple(base, fc.constantFrom(...CONTENT_ENCODINGS)).map(([b, encoding]) =>
      make(`content-encoding ${encoding}`, fillPath(b.path), bodyText(b.body) ?? '{"x":1}', {
        headers: { 'content-type': contentType, 'content-encoding': encoding },
      }),
    ),
  );
  if (op.pathParams.length) {
    add(
      3,
      fc.tuple(base, fc.nat(), fc.constantFrom(...PATH_TRICKS)).map(([b, n, trick]) => {
        const i = n % op.pathParams.length;
        const values = [...b.path];
        values[i] = trick;
        return make(`path-id ${op.pathParams[i]}=${trick.slice(0, 40)}`, fillPath(values, new Set([i])), bodyText(b.body));
      }),
    );
  }
  add(
    1,
    fc
      .tuple(base, fc.constantFrom('/', '//', '/..', '/extra', '/%2e%2e', '/.', ';x=1'))
      .map(([b, tail]) => make(`path-tail ${tail}`, fillPath(b.path) + tail, bodyText(b.body))),
  );
  // Query parameters: the operation's own with bad values, repeated, bracketed, and unknown ones.
  const queryNames = [...op.query.map((q) => q.name), '__proto__', 'constructor', 'x'];
  add(
    2,
    fc
      .tuple(base, fc.constantFrom(...queryNames), fc.constantFrom(...QUERY_VALUES), fc.constantFrom('plain', 'repeated', 'bracket', 'nested'))
      .map(([b, name, value, form]) => {
        const q =
          form === 'plain'
            ? `${name}=${value}`
            : form === 'repeated'
              ? `${name}=${value}&${name}=1`
              : form === 'bracket'
                ? `${name}[]=${value}`
                : `${name}[a][b]=${value}`;
        return make(`query ${q.slice(0, 60)}`, `${fillPath(b.path)}?${q}`, bodyText(b.body));
      }),
  );
  add(
    1,
    fc
      .tuple(base, fc.constantFrom(...AUTH_HEADERS))
      .map(([b, auth]) => make(`auth ${JSON.stringify(auth.slice(0, 40))}`, fillPath(b.path), bodyText(b.body), { auth })),
  );
  return fc.oneof(...mutations);
}

/** Cases are drawn in batches of this many, each from its own seed, so a long run never holds them all. */
const BATCH = 1000;

/**
 * `count` cases of the seed, the operations taken in turn (so every one gets
 * its share even in a short run): the same document, context, seed and count
 * give the same cases.
 */
export function* sampleCases(document: ApiDocument, ctx: FuzzContext, seed: number, count: number): Generator<FuzzCase> {
  const resolver = new SchemaResolver(document.components?.schemas);
  const arbitraries = operationsOf(document).map((op) => operationCases(op, resolver, ctx));
  for (let batch = 0; batch * BATCH < count; batch++) {
    const size = Math.min(BATCH, count - batch * BATCH);
    const perOperation = Math.ceil(size / arbitraries.length);
    const drawn = arbitraries.map((arbitrary, i) => fc.sample(arbitrary, { seed: (seed + batch * 7919 + i * 104729) | 0, numRuns: perOperation }));
    for (let k = 0; k < size; k++) yield drawn[k % arbitraries.length][Math.floor(k / arbitraries.length)];
  }
}
