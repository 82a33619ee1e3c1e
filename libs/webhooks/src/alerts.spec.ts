import type { Exposure } from '@tiersight/contracts';
import { AlertSteps, buildPayload, compare, deriveAlert, NotifiedState } from './alerts';
import { ExposureContext, matchesFilters, normalizeFilters, WebhookFilters } from './filters';

const steps: AlertSteps = { x: 0.01, days: 0.5, revenuePct: 5 };
const ctx: ExposureContext = { category: 'audio', eventTypes: ['earthquake'], countries: ['TW', 'CL'] };
const confidence = { hops: 0, inferredHops: 0, inferredShare: 0, unconfirmedHops: 0, oldestConfirmedAt: null };
const exposure = (over: Partial<Exposure> = {}): Exposure => ({
  skuId: 'SKU-A',
  x: 0.5,
  days: 24,
  onsetDays: 37,
  revenueAtRisk: 120000,
  eventIds: ['EV-1'],
  criticalPath: [{ nodeId: 'T3', x: 1, days: 30, onsetDays: 0 }],
  confidence,
  ...over,
});
const told = (e: Exposure): NotifiedState => ({ x: e.x, days: e.days, onsetDays: e.onsetDays, revenueAtRisk: e.revenueAtRisk });

describe('matchesFilters', () => {
  const cases: Array<[string, WebhookFilters, boolean]> = [
    ['empty filter', {}, true],
    ['revenue at the minimum', { minRevenueAtRisk: 120000 }, true],
    ['revenue below the minimum', { minRevenueAtRisk: 120001 }, false],
    ['x at the minimum', { minX: 0.5 }, true],
    ['x below the minimum', { minX: 0.6 }, false],
    ['sku listed', { skuIds: ['SKU-A'] }, true],
    ['sku not listed', { skuIds: ['SKU-B'] }, false],
    ['category listed', { categories: ['audio'] }, true],
    ['sku not listed but category is', { skuIds: ['SKU-B'], categories: ['audio'] }, true],
    ['neither sku nor category', { skuIds: ['SKU-B'], categories: ['video'] }, false],
    ['event type matches', { eventTypes: ['flood', 'earthquake'] }, true],
    ['event type does not', { eventTypes: ['flood'] }, false],
    ['country on the path', { supplierCountries: ['CL'] }, true],
    ['country not on the path', { supplierCountries: ['DE'] }, false],
    ['all together', { minRevenueAtRisk: 1, minX: 0.1, categories: ['audio'], eventTypes: ['earthquake'], supplierCountries: ['TW'] }, true],
    ['alert types do not filter exposures', { alertTypes: ['exposure.resolved'] }, true],
  ];
  it.each(cases)('%s', (_name, filters, expected) => {
    expect(matchesFilters(filters, exposure(), ctx)).toBe(expected);
  });

  it('a SKU without a category never matches a category filter', () => {
    expect(matchesFilters({ categories: ['audio'] }, exposure(), { ...ctx, category: null })).toBe(false);
  });

  it('normalizes away empty lists and duplicates', () => {
    expect(normalizeFilters({ skuIds: [], categories: ['a', 'a'], minX: 0 })).toEqual({ categories: ['a'], minX: 0 });
  });
});

describe('deriveAlert', () => {
  it('reports a new matching exposure as created and remembers it', () => {
    const e = exposure();
    expect(deriveAlert({}, e, ctx, null, steps)).toEqual({ type: 'exposure.created', send: true, next: told(e) });
  });

  it('says nothing for an exposure that does not match and was never told', () => {
    expect(deriveAlert({ minRevenueAtRisk: 1e9 }, exposure(), ctx, null, steps)).toEqual({ type: null, send: false, next: 'keep' });
    expect(deriveAlert({}, null, null, null, steps)).toEqual({ type: null, send: false, next: 'keep' });
  });

  it('says nothing when the numbers moved less than a step (no repeat for an unchanged exposure)', () => {
    const before = told(exposure());
    for (const e of [exposure(), exposure({ x: 0.505 }), exposure({ days: 24.5 }), exposure({ revenueAtRisk: 125999 }), exposure({ onsetDays: 2 })]) {
      expect(deriveAlert({}, e, ctx, before, steps)).toEqual({ type: null, send: false, next: 'keep' });
    }
  });

  it('reports a worsening past any step, even when another number improved', () => {
    const before = told(exposure());
    expect(deriveAlert({}, exposure({ x: 0.52 }), ctx, before, steps).type).toBe('exposure.worsened');
    expect(deriveAlert({}, exposure({ days: 25 }), ctx, before, steps).type).toBe('exposure.worsened');
    expect(deriveAlert({}, exposure({ revenueAtRisk: 126001 }), ctx, before, steps).type).toBe('exposure.worsened');
    expect(deriveAlert({}, exposure({ x: 0.3, days: 40 }), ctx, before, steps).type).toBe('exposure.worsened');
  });

  it('reports an improvement past a step as improved', () => {
    const d = deriveAlert({}, exposure({ x: 0.4, revenueAtRisk: 96000 }), ctx, told(exposure()), steps);
    expect(d).toEqual({ type: 'exposure.improved', send: true, next: { x: 0.4, days: 24, onsetDays: 37, revenueAtRisk: 96000 } });
  });

  it('measures small drifts against what was last told, so they add up', () => {
    const before = told(exposure({ x: 0.5 }));
    // Three runs each +0.006: the first two stay quiet (state kept), the third crosses the 0.01 step.
    expect(deriveAlert({}, exposure({ x: 0.506 }), ctx, before, steps).next).toBe('keep');
    expect(deriveAlert({}, exposure({ x: 0.512 }), ctx, before, steps).type).toBe('exposure.worsened');
  });

  it('reports resolved when the exposure ends or leaves the filters, and forgets it', () => {
    const before = told(exposure());
    expect(deriveAlert({}, null, null, before, steps)).toEqual({ type: 'exposure.resolved', send: true, next: null });
    expect(deriveAlert({ minRevenueAtRisk: 200000 }, exposure(), ctx, before, steps)).toEqual({ type: 'exposure.resolved', send: true, next: null });
  });

  it('keeps track but does not send types the subscription does not take', () => {
    const d = deriveAlert({ alertTypes: ['exposure.resolved'] }, exposure(), ctx, null, steps);
    expect(d).toEqual({ type: 'exposure.created', send: false, next: told(exposure()) });
  });

  it('compare is symmetric in its thresholds', () => {
    const base = { x: 0.5, days: 10, onsetDays: 0, revenueAtRisk: 1000 };
    expect(compare(base, { skuId: 's', ...base, revenueAtRisk: 1051 }, steps)).toBe(1);
    expect(compare(base, { skuId: 's', ...base, revenueAtRisk: 949 }, steps)).toBe(-1);
    expect(compare(base, { skuId: 's', ...base, revenueAtRisk: 1050 }, steps)).toBe(0);
    expect(compare({ ...base, revenueAtRisk: 0 }, { skuId: 's', ...base, revenueAtRisk: 1 }, steps)).toBe(1);
  });
});

describe('buildPayload', () => {
  const facts = { sku: { id: 'SKU-A', name: 'Speaker', category: 'audio' }, events: [{ id: 'EV-1', type: 'earthquake', title: 'M7', status: 'active' }] };

  it('carries the exposure, the SKU, its events, what was told before and API links', () => {
    const p = buildPayload({
      type: 'exposure.worsened',
      occurredAt: new Date(0),
      skuId: 'SKU-A',
      after: exposure(),
      previous: { x: 0.4, days: 20, onsetDays: 37, revenueAtRisk: 80000 },
      facts,
      apiBaseUrl: 'https://api.example.com/',
    });
    expect(p).toMatchObject({ type: 'exposure.worsened', timestamp: '1970-01-01T00:00:00.000Z' });
    expect(p.data).toMatchObject({
      skuId: 'SKU-A',
      status: 'exposed',
      x: 0.5,
      days: 24,
      onsetDays: 37,
      revenueAtRisk: 120000,
      eventIds: ['EV-1'],
      criticalPath: [{ nodeId: 'T3' }],
      sku: facts.sku,
      events: facts.events,
      previous: { x: 0.4 },
      links: { exposure: 'https://api.example.com/v1/exposures/SKU-A', events: ['https://api.example.com/v1/events/EV-1'] },
    });
  });

  it('shows a resolved exposure with zeros and the reason', () => {
    const p = buildPayload({
      type: 'exposure.resolved',
      occurredAt: new Date(0),
      skuId: 'SKU/1',
      after: null,
      previous: told(exposure()),
      facts,
      apiBaseUrl: '',
    });
    expect(p.data).toMatchObject({ status: 'resolved', x: 0, days: 0, revenueAtRisk: 0, reason: 'not-exposed', links: { exposure: '/v1/exposures/SKU%2F1' } });
  });
});
