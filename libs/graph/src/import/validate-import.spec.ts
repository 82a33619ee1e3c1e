import { checkReferences, checkShapes, GraphFacts, referenceQuery, rowIndex } from './validate-import';

const facts = (over: Partial<GraphFacts> = {}): GraphFacts => ({
  suppliers: new Set(),
  sites: new Set(),
  skus: new Set(),
  parts: new Set(),
  incoming: [],
  ...over,
});
const site = (id: string) => ({ id, supplierId: 'S', name: id, kind: 'plant', lat: 1, lon: 2, country: 'DE' });
const edge = (from: string, share: number, part = 'P') => ({ fromSiteId: from, toSiteId: 'R', partId: part, share, bufferDays: 0, leadTimeDays: 0 });

describe('import validation (pure)', () => {
  it('fills defaults: visibility, ttr by kind, provenance, nulls', () => {
    const { rows, errors } = checkShapes({
      suppliers: [{ id: 'S', name: 'S', country: 'DE' }],
      sites: [{ ...site('A'), kind: 'warehouse' }],
      supplies: [edge('A', 1)],
    });
    expect(errors).toEqual([]);
    expect(rows.suppliers[0]).toMatchObject({ visibility: 'shared', ownerSupplierId: null });
    expect(rows.sites[0]).toMatchObject({ ttrDays: 14, baselineRisk: 0, source: 'buyer', confirmedAt: null });
    expect(rows.supplies[0]).toMatchObject({ toSkuId: null, source: 'buyer', confirmedAt: null });
  });

  it("keeps each row's position for error reports out of the fields written to the graph", () => {
    const { rows } = checkShapes({
      parts: [
        { id: 'P', name: 'P' },
        { id: 'Q', name: 'Q', category: 'c' },
      ],
    });
    // The driver sends a row's own string keys: the position must not be one of them.
    expect(Object.keys(rows.parts[1]).sort()).toEqual(['category', 'gtin', 'id', 'name']);
    expect(rows.parts.map(rowIndex)).toEqual([0, 1]);
  });

  it('accepts share sums within 1e-9 of 1 despite floating-point error', () => {
    const payload = { sites: ['A', 'B', 'C', 'R'].map(site), supplies: [edge('A', 0.33), edge('B', 0.56), edge('C', 0.11)] };
    const { rows, errors } = checkShapes(payload);
    expect(errors).toEqual([]);
    expect(0.33 + 0.56 + 0.11).toBeGreaterThan(1);
    expect(checkReferences(rows, facts({ suppliers: new Set(['S']), parts: new Set(['P']) }))).toEqual([]);
  });

  it('reports every row of a (receiver, part) whose shares exceed 1, and only those', () => {
    const payload = {
      sites: ['A', 'B', 'C', 'R'].map(site),
      supplies: [edge('A', 0.6), edge('B', 0.5), edge('C', 1, 'Q')],
    };
    const { rows } = checkShapes(payload);
    const errors = checkReferences(rows, facts({ suppliers: new Set(['S']), parts: new Set(['P', 'Q']) }));
    expect(errors.map((e) => [e.index, e.field])).toEqual([
      [0, 'share'],
      [1, 'share'],
    ]);
  });

  it('counts stored edges into the sum unless the batch replaces them', () => {
    const { rows } = checkShapes({ supplies: [edge('A', 0.5)] });
    const known = { suppliers: new Set(['S']), parts: new Set(['P']), sites: new Set(['A', 'R', 'X']) };
    const stored = [{ fromSiteId: 'X', toId: 'R', partId: 'P', share: 0.6 }];
    expect(checkReferences(rows, facts({ ...known, incoming: stored }))).toHaveLength(1);
    const replacing = [
      { fromSiteId: 'A', toId: 'R', partId: 'P', share: 0.9 },
      { fromSiteId: 'X', toId: 'R', partId: 'P', share: 0.5 },
    ];
    expect(checkReferences(rows, facts({ ...known, incoming: replacing }))).toEqual([]);
  });

  it('asks the graph about every id the batch defines or refers to', () => {
    const { rows } = checkShapes({
      sites: [site('A')],
      skus: [{ id: 'K', name: 'K', dailyRevenue: 1 }],
      supplies: [{ ...edge('A', 1), toSiteId: undefined, toSkuId: 'K', partId: 'K' }],
    });
    const q = referenceQuery(rows);
    expect(q.supplierIds).toEqual(['S']);
    expect(q.siteIds.sort()).toEqual(['A', 'K']); // K: a SKU id must not already be a site id
    expect(q.skuIds.sort()).toEqual(['A', 'K']); // A: a site id must not already be a SKU id
    expect(q.receiverIds).toEqual(['K']);
    expect(q.partIds).toEqual(['K']);
  });

  it('lets an edge into a SKU use the SKU id as its part', () => {
    const { rows } = checkShapes({ supplies: [{ fromSiteId: 'A', toSkuId: 'K', partId: 'K', share: 1, bufferDays: 0, leadTimeDays: 0 }] });
    expect(checkReferences(rows, facts({ sites: new Set(['A']), skus: new Set(['K']) }))).toEqual([]);
    const { rows: other } = checkShapes({ supplies: [{ fromSiteId: 'A', toSkuId: 'K', partId: 'K2', share: 1, bufferDays: 0, leadTimeDays: 0 }] });
    expect(checkReferences(other, facts({ sites: new Set(['A']), skus: new Set(['K']) }))[0].message).toMatch(/part K2 does not exist/);
  });

  it('refuses fields named like members every object inherits', () => {
    const part = JSON.parse('{"id":"P","name":"P","__proto__":"x"}') as Record<string, unknown>;
    const { errors } = checkShapes({ sites: [{ ...site('A'), constructor: 'x', toString: 'y' }], parts: [part] });
    expect(errors.map((e) => `${e.entity}.${e.field}: ${e.message}`).sort()).toEqual([
      'parts.__proto__: unknown field',
      'sites.constructor: unknown field',
      'sites.toString: unknown field',
    ]);
  });

  it('refuses ids and references nested far too deep to turn into text, without overflowing the stack', () => {
    const deep = JSON.parse('['.repeat(50_000) + ']'.repeat(50_000)) as unknown;
    const { errors } = checkShapes({ parts: [{ id: deep, name: 'P' }], supplies: [{ ...edge('A', 1), fromSiteId: deep }] });
    expect(errors.map((e) => `${e.entity}.${e.field}`).sort()).toEqual(['parts.id', 'supplies.fromSiteId']);
  });
});
