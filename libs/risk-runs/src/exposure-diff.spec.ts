import type { Exposure } from '@tiersight/contracts';
import fc from 'fast-check';
import { diffExposures, sameAsJson } from './exposure-diff';

const confidence = { hops: 0, inferredHops: 0, inferredShare: 0, unconfirmedHops: 0, oldestConfirmedAt: null };
const exp = (skuId: string, over: Partial<Exposure> = {}): Exposure => ({
  skuId,
  x: 0.5,
  days: 10,
  onsetDays: 5,
  revenueAtRisk: 5000,
  eventIds: ['E1'],
  criticalPath: [],
  confidence,
  ...over,
});

describe('exposure diff', () => {
  it('reports created, worsened, improved and resolved once each, and nothing for unchanged', () => {
    const stored = new Map([
      ['same', exp('same')],
      ['worse', exp('worse')],
      ['better', exp('better')],
      ['gone', exp('gone')],
    ]);
    const next = [exp('same'), exp('worse', { x: 0.6, revenueAtRisk: 6000 }), exp('better', { days: 8, revenueAtRisk: 4000 }), exp('new')];
    const { changes, rewrite, resolved } = diffExposures(stored, next);
    expect(changes.map((c) => [c.kind, c.skuId]).sort()).toEqual([
      ['created', 'new'],
      ['improved', 'better'],
      ['resolved', 'gone'],
      ['worsened', 'worse'],
    ]);
    expect(rewrite.map((e) => e.skuId).sort()).toEqual(['better', 'new', 'worse']);
    expect(resolved).toEqual(['gone']);
  });

  it('treats an earlier onset as worse even when x and days hold', () => {
    const { changes } = diffExposures(new Map([['k', exp('k')]]), [exp('k', { onsetDays: 2 })]);
    expect(changes.map((c) => c.kind)).toEqual(['worsened']);
  });

  it('rewrites a moved explanation without reporting a change', () => {
    const { changes, rewrite } = diffExposures(new Map([['k', exp('k')]]), [exp('k', { eventIds: ['E2'] })]);
    expect(changes).toEqual([]);
    expect(rewrite.map((e) => e.skuId)).toEqual(['k']);
  });

  it('ignores float noise below 1e-9', () => {
    const { changes, rewrite } = diffExposures(new Map([['k', exp('k')]]), [exp('k', { x: 0.5 + 1e-12 })]);
    expect(changes).toEqual([]);
    expect(rewrite).toHaveLength(1); // the stored numbers follow the latest run exactly
  });

  it('compares explanations as their JSON would, without serialising them', () => {
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        fc.double(),
        fc.integer(),
        fc.string({ maxLength: 3 }),
        fc.boolean(),
        fc.constant(null),
        fc.constant(undefined),
        fc.array(tie('node'), { maxLength: 3 }),
        fc.dictionary(fc.constantFrom('a', 'b', 'c', 'via'), tie('node'), { maxKeys: 3 }),
      ),
    })).node;
    const reorder = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(reorder)
        : v && typeof v === 'object'
          ? Object.fromEntries(
              Object.entries(v)
                .reverse()
                .map(([k, w]) => [k, reorder(w)]),
            )
          : v;
    fc.assert(
      fc.property(value, value, (a, b) => {
        const json = (v: unknown) => JSON.stringify(v === undefined ? null : v);
        expect(sameAsJson(a, b)).toBe(json(a) === json(b));
        expect(sameAsJson(a, reorder(a))).toBe(true);
        expect(sameAsJson(a, JSON.parse(json(a)))).toBe(true);
      }),
      { numRuns: 5000 },
    );
    // Different keys, one of them null: not the same JSON.
    expect(sameAsJson({ via: null }, { a: {} })).toBe(false);
  });
});
