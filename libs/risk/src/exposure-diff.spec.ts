import type { StoredExposure } from '@tiersight/graph';
import { diffExposures } from './exposure-diff';

const exp = (skuId: string, over: Partial<StoredExposure> = {}): StoredExposure => ({
  skuId, x: 0.5, days: 10, onsetDays: 5, revenueAtRisk: 5000, eventIds: ['E1'], criticalPath: [], confidence: {}, ...over,
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
      ['created', 'new'], ['improved', 'better'], ['resolved', 'gone'], ['worsened', 'worse'],
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
});
