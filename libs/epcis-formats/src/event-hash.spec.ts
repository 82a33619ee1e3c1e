import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { canonicalDecimalString, canonicalNumber, canonicalTimestamp } from './canonical-values';
import { normaliseEpc } from './epc-identity';
import type { EpcisEvent } from './epcis-types';
import { EpcisFormatsError } from './errors';
import { checkEventHash, eventHash, eventHashContext, eventPreHash, type EventHashContext } from './event-hash';
import { readHashVectors } from './testing/epcis-fixtures';

const sha256Id = (text: string): string => `ni:///sha-256;${createHash('sha256').update(text, 'utf8').digest('hex')}?ver=CBV2.0`;

const vectors = readHashVectors();
const cases = vectors.flatMap((v) => {
  const context = eventHashContext(v.document, { ignoreFields: v.ignoreFields });
  return v.events.map((event, i) => ({ id: `${v.name} #${i}`, name: v.name, index: i, event, context, hash: v.hashes[i], prehash: v.prehashes[i] }));
});

// Published pre-hash lines that do not hash to the published hash (see fixtures/epcis/SOURCES.md).
const STALE_PREHASHES = ['epcisDocWithCustomSchemaInContext #1', 'epcisDocWithDefaultSchemaInContext #1'];

describe('event hash: GS1 reference vectors (fixtures/epcis/eventhash)', () => {
  it('pairs every event with one published hash', () => {
    for (const v of vectors) expect(v.hashes).toHaveLength(v.events.length);
    expect(vectors).toHaveLength(14);
    expect(cases).toHaveLength(21);
  });

  it.each(cases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    expect(eventHash(c.event, c.context)).toBe(c.hash);
  });

  const published = cases.filter((c) => c.prehash !== undefined);
  it.each(published.filter((c) => !STALE_PREHASHES.includes(c.id)).map((c) => [c.id, c] as const))('pre-hash string of %s', (_id, c) => {
    expect(sha256Id(c.prehash as string)).toBe(c.hash);
    expect(eventPreHash(c.event, c.context)).toBe(c.prehash);
  });

  it('knows which published pre-hash lines are stale', () => {
    const stale = published.filter((c) => sha256Id(c.prehash as string) !== c.hash).map((c) => c.id);
    expect(stale).toEqual(STALE_PREHASHES);
  });

  it('leaves out the fields a document lists as ignored only when asked', () => {
    const c = cases.find((x) => x.id === 'epcisDocHavingEventWithIgnoreFields #0');
    if (c === undefined) throw new Error('vector missing');
    expect(c.context.ignoreFields).toEqual(['repository-x:hash', 'example:captureID']);
    expect(eventHash(c.event, { ...c.context, ignoreFields: [] })).not.toBe(c.hash);
    // Expanded names work as well as compact ones.
    const expanded = ['{https://repository-x.example.com/}hash', '{https://ns.example.com/epcis/}captureID'];
    expect(eventHash(c.event, { ...c.context, ignoreFields: expanded })).toBe(c.hash);
  });
});

type Leaf = { readonly path: readonly (string | number)[]; readonly value: string | number | boolean };

/** Every string, number and boolean of an event that the hash covers. */
function leaves(value: unknown, path: (string | number)[] = [], context: EventHashContext = {}): Leaf[] {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return [{ path, value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, [...path, i], context));
  if (typeof value !== 'object' || value === null) return [];
  const skipped = path.length === 0 ? ['eventID', 'recordTime', 'errorDeclaration', '@context', ...(context.ignoreFields ?? [])] : [];
  return Object.entries(value).flatMap(([k, v]) => (skipped.includes(k) || k === 'rdfs:comment' ? [] : leaves(v, [...path, k], context)));
}

function withLeaf(event: unknown, path: readonly (string | number)[], replacement: unknown): EpcisEvent {
  const copy = structuredClone(event) as Record<string | number, unknown>;
  let node = copy;
  for (const step of path.slice(0, -1)) node = node[step] as Record<string | number, unknown>;
  node[path[path.length - 1] as string | number] = replacement;
  return copy as EpcisEvent;
}

const changed = (value: string | number | boolean): string | number | boolean =>
  typeof value === 'string' ? `${value}X` : typeof value === 'number' ? value + 1 : !value;

describe('event hash: tamper evidence', () => {
  const all = cases.flatMap((c) => leaves(c.event, [], c.context).map((leaf) => ({ c, leaf })));

  it('changes when any single value of any vector event changes', () => {
    expect(all.length).toBeGreaterThan(250);
    for (const { c, leaf } of all) {
      const tampered = withLeaf(c.event, leaf.path, changed(leaf.value));
      expect({ at: `${c.id} ${leaf.path.join('.')}`, hash: eventHash(tampered, c.context) }).not.toEqual({
        at: `${c.id} ${leaf.path.join('.')}`,
        hash: c.hash,
      });
    }
  });

  it('changes when a field is removed or an extension added', () => {
    for (const c of cases) {
      for (const key of Object.keys(c.event).filter(
        (k) => !['eventID', 'recordTime', 'errorDeclaration', '@context', 'rdfs:comment', ...(c.context.ignoreFields ?? [])].includes(k),
      )) {
        const without: Record<string, unknown> = { ...c.event };
        delete without[key];
        if (key === 'type') continue;
        expect(eventHash(without as EpcisEvent, c.context)).not.toBe(c.hash);
      }
      expect(eventHash({ ...c.event, 'https://ns.example.com/x#added': 'yes' }, c.context)).not.toBe(c.hash);
    }
  });

  it('does not change with eventID, recordTime, errorDeclaration or comments', () => {
    for (const c of cases) {
      const annotated = {
        ...c.event,
        eventID: 'urn:uuid:00000000-0000-4000-8000-000000000000',
        recordTime: '2030-01-01T00:00:00Z',
        errorDeclaration: { declarationTime: '2030-01-02T00:00:00Z', reason: 'incorrect_data' },
        'rdfs:comment': 'a note',
      };
      expect(eventHash(annotated, c.context)).toBe(c.hash);
    }
  });
});

/** The same event written differently: lists and keys in another order, URNs as Digital Links. */
function reorder(value: unknown, rng: () => number): unknown {
  if (Array.isArray(value)) {
    const items = value.map((v) => reorder(v, rng));
    for (let i = items.length - 1; i > 0; i -= 1) {
      const j = Math.floor(rng() * (i + 1));
      [items[i], items[j]] = [items[j], items[i]];
    }
    return items;
  }
  if (typeof value === 'string' && value.startsWith('urn:epc:') && rng() < 0.5) {
    const n = normaliseEpc(value);
    return n.ok ? n.canonical.replace('https://id.gs1.org', 'https://brand.example/dl') : value;
  }
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value).map(([k, v]) => [k, reorder(v, rng)] as const);
  return Object.fromEntries(entries.sort(() => rng() - 0.5));
}

describe('event hash: the same event written differently', () => {
  it('does not depend on list order, key order or identifier form', () => {
    fc.assert(
      fc.property(fc.constantFrom(...cases), fc.infiniteStream(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true })), (c, stream) => {
        const draws = stream[Symbol.iterator]();
        const rng = (): number => draws.next().value as number;
        expect(eventHash(reorder(c.event, rng) as EpcisEvent, c.context)).toBe(c.hash);
      }),
      { numRuns: 200 },
    );
  });

  it('reads CBV values in URN, Web URI and compact form alike', () => {
    const c = cases.find((x) => x.id === 'ReferenceEventHashAlgorithm3 #0');
    if (c === undefined) throw new Error('vector missing');
    const event = c.event as EpcisEvent;
    const spelled: EpcisEvent = {
      ...event,
      bizStep: 'urn:epcglobal:cbv:bizstep:departing',
      disposition: 'https://ref.gs1.org/cbv/Disp-in_transit',
      bizTransactionList: [{ type: 'urn:epcglobal:cbv:btt:po', bizTransaction: 'urn:epc:id:gdti:4012345.11111.123' }],
      sourceList: [{ type: 'cbv:SDT-owning_party', source: 'https://id.gs1.org/417/4012345000009' }],
    };
    expect(eventHash(spelled, c.context)).toBe(c.hash);
  });

  it('uses the event’s own @context for its prefixes', () => {
    const c = cases.find((x) => x.id === 'ReferenceEventHashAlgorithm #0');
    if (c === undefined) throw new Error('vector missing');
    const event = { ...c.event, '@context': [{ example: 'https://ns.example.com/epcis/' }] };
    expect(eventHash(event, {})).toBe(c.hash);
    expect(eventHash(c.event, {})).not.toBe(c.hash);
  });
});

describe('event hash: declared hash IDs', () => {
  it('flags an eventID that is a hash ID other than the computed one', () => {
    const c = cases.find((x) => x.id === 'epcisQueryDocument #0');
    if (c === undefined) throw new Error('vector missing');
    expect(checkEventHash(c.event, c.context)).toEqual({
      hashId: c.hash,
      declaredHashId: 'ni:///sha-256;df7bb3c352fef055578554f09f5e2aa41782150ced7bd0b8af24dd3ccb30ba69?ver=CBV2.0',
      declaredHashDiffers: true,
    });
    expect(checkEventHash({ ...c.event, eventID: c.hash }, c.context)).toEqual({ hashId: c.hash, declaredHashId: c.hash, declaredHashDiffers: false });
    expect(checkEventHash({ ...c.event, eventID: 'urn:uuid:374d95fc-9457-4a51-bd6a-0bba133845a8' }, c.context)).toEqual({
      hashId: c.hash,
      declaredHashDiffers: false,
    });
  });

  it('refuses what is not an event', () => {
    expect(() => eventHash({} as EpcisEvent)).toThrow(EpcisFormatsError);
    expect(() => eventHash(null as unknown as EpcisEvent)).toThrow(EpcisFormatsError);
  });
});

describe('pre-hash value spellings', () => {
  it.each([
    ['2005-04-03T20:33:31.116-06:00', '2005-04-04T02:33:31.116Z'],
    ['2005-04-03T20:33:31.116000-06:00', '2005-04-04T02:33:31.116Z'],
    ['2019-10-21T14:45:00Z', '2019-10-21T14:45:00.000Z'],
    ['2023-01-18T11:04:03.1415Z', '2023-01-18T11:04:03.142Z'], // CBV 2.0's own example: a 4th decimal of 5 rounds up
    ['2023-01-18T11:04:03.14149Z', '2023-01-18T11:04:03.141Z'],
    ['2023-12-31T23:59:59.9996+00:00', '2024-01-01T00:00:00.000Z'],
    ['2020-01-14T00:00:00.000+01:00', '2020-01-13T23:00:00.000Z'],
    ['0099-01-01T00:00:00+0130', '0098-12-31T22:30:00.000Z'],
  ])('timestamp %s → %s', (input, output) => {
    expect(canonicalTimestamp(input)).toBe(output);
  });

  it.each(['2020-01-14T00:00:00', '22-07-2026', '2020-13-01T00:00:00Z'])('no instant in %s', (input) => {
    expect(canonicalTimestamp(input)).toBeUndefined();
  });

  it.each([
    [452.0, '452'],
    [0.1, '0.1'],
    [26, '26'],
    [-0, '0'],
    [1e-7, '0.0000001'],
    [1.5e-10, '0.00000000015'],
    [1e21, '1000000000000000000000'],
    [-2.5e22, '-25000000000000000000000'],
  ])('number %p → %s', (input, output) => {
    expect(canonicalNumber(input)).toBe(output);
  });

  it.each([
    ['007', '7'],
    ['1.50', '1.5'],
    ['+3', '3'],
    ['-0.0', '0'],
    ['.5', '0.5'],
    ['5.', '5'],
    ['123456789012345678901234567890', '123456789012345678901234567890'],
  ])('numeric text %s → %s', (input, output) => {
    expect(canonicalDecimalString(input)).toBe(output);
  });
});
