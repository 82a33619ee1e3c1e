import type { Exposure, ExposureOutlook, OutlookChangeMessage } from '@tiersight/contracts';
import type { AlertSteps, NotifiedState } from './alerts';
import type { ExposureContext } from './filters';
import { buildOutlookPayload, deriveOutlookAlert, outlookKey } from './outlook-alerts';

const steps: AlertSteps = { x: 0.01, days: 0.5, revenuePct: 5 };
const ctx: ExposureContext = { category: 'audio', eventTypes: ['sensor'], countries: [] };
const outlook = (over: Partial<ExposureOutlook> = {}): ExposureOutlook => ({
  skuId: 'SKU-A',
  x: 0.65,
  days: 24,
  onsetDays: 6,
  revenueAtRisk: 156000,
  p: 0.85,
  events: [{ eventId: 'AN-1', p: 0.85 }],
  joint: false,
  ...over,
});
const observed: Exposure = {
  skuId: 'SKU-A',
  x: 0.5,
  days: 24,
  onsetDays: 37,
  revenueAtRisk: 120000,
  eventIds: ['EV-1'],
  criticalPath: [],
  confidence: { hops: 0, inferredHops: 0, inferredShare: 0, unconfirmedHops: 0, oldestConfirmedAt: null },
};
const change = (kind: OutlookChangeMessage['kind'], after: ExposureOutlook | null, before: ExposureOutlook | null = null): OutlookChangeMessage => ({
  v: 1,
  kind,
  skuId: 'SKU-A',
  before,
  after,
  observed,
});
const told = (o: ExposureOutlook): NotifiedState => ({ x: o.x, days: o.days, onsetDays: o.onsetDays, revenueAtRisk: o.revenueAtRisk });

describe('deriveOutlookAlert', () => {
  it('announces a matching outlook once, and again only when it worsened past a step', () => {
    const first = outlook();
    expect(deriveOutlookAlert({}, change('anticipated', first), ctx, null, steps)).toEqual({ type: 'exposure.anticipated', send: true, next: told(first) });
    // worse by less than a step on every figure: nothing new to say
    const drift = outlook({ x: 0.655, revenueAtRisk: 157000 });
    expect(deriveOutlookAlert({}, change('anticipated', drift, first), ctx, told(first), steps)).toEqual({ type: null, send: false, next: 'keep' });
    const worse = outlook({ x: 0.8, revenueAtRisk: 192000 });
    expect(deriveOutlookAlert({}, change('anticipated', worse, first), ctx, told(first), steps)).toEqual({
      type: 'exposure.anticipated',
      send: true,
      next: told(worse),
    });
  });

  it('applies the filters to the outlook, and a type filter only to sending', () => {
    const o = outlook();
    expect(deriveOutlookAlert({ minRevenueAtRisk: 200000 }, change('anticipated', o), ctx, null, steps).type).toBeNull();
    expect(deriveOutlookAlert({ eventTypes: ['flood'] }, change('anticipated', o), ctx, null, steps).type).toBeNull();
    expect(deriveOutlookAlert({ categories: ['audio'], eventTypes: ['sensor'] }, change('anticipated', o), ctx, null, steps).send).toBe(true);
    expect(deriveOutlookAlert({ alertTypes: ['exposure.created'] }, change('anticipated', o), ctx, null, steps)).toEqual({
      type: 'exposure.anticipated',
      send: false,
      next: told(o),
    });
  });

  it('clears only for a subscription that was told, and forgets a realized outlook silently', () => {
    const o = outlook();
    expect(deriveOutlookAlert({}, change('anticipation_cleared', null, o), null, told(o), steps)).toEqual({
      type: 'exposure.anticipation_cleared',
      send: true,
      next: null,
    });
    expect(deriveOutlookAlert({}, change('anticipation_cleared', null, o), null, null, steps)).toEqual({ type: null, send: false, next: 'keep' });
    expect(deriveOutlookAlert({}, change('anticipation_realized', null, o), null, told(o), steps)).toEqual({ type: null, send: false, next: null });
  });

  it('keeps outlook states apart from exposure states (no id holds #)', () => {
    expect(outlookKey('SKU-A')).toBe('#outlook:SKU-A');
  });
});

describe('buildOutlookPayload', () => {
  const facts = {
    sku: { id: 'SKU-A', name: 'Speaker A', category: 'audio' },
    events: [{ id: 'AN-1', type: 'sensor', title: 'Cold room 3', status: 'active' }],
  };

  it('carries the outlook, its probability, the events behind it with theirs and the observed exposure', () => {
    const payload = buildOutlookPayload({
      type: 'exposure.anticipated',
      occurredAt: new Date('2026-01-02T03:04:05Z'),
      change: change('anticipated', outlook()),
      previous: null,
      facts,
      apiBaseUrl: 'https://api.example/',
    });
    expect(payload).toEqual({
      type: 'exposure.anticipated',
      timestamp: '2026-01-02T03:04:05.000Z',
      data: {
        skuId: 'SKU-A',
        status: 'anticipated',
        x: 0.65,
        days: 24,
        onsetDays: 6,
        revenueAtRisk: 156000,
        p: 0.85,
        joint: false,
        events: [{ id: 'AN-1', type: 'sensor', title: 'Cold room 3', status: 'active', p: 0.85 }],
        observed: { x: 0.5, days: 24, onsetDays: 37, revenueAtRisk: 120000, eventIds: ['EV-1'] },
        sku: facts.sku,
        previous: null,
        links: {
          exposure: 'https://api.example/v1/exposures/SKU-A',
          outlooks: 'https://api.example/v1/exposures?outlook=true',
          sku: 'https://api.example/v1/skus/SKU-A',
          events: ['https://api.example/v1/events/AN-1'],
        },
      },
    });
  });

  it('shows a cleared outlook as it was', () => {
    const payload = buildOutlookPayload({
      type: 'exposure.anticipation_cleared',
      occurredAt: new Date(0),
      change: change('anticipation_cleared', null, outlook()),
      previous: told(outlook()),
      facts,
      apiBaseUrl: '',
    });
    expect(payload.data).toMatchObject({ status: 'cleared', x: 0.65, p: 0.85, previous: told(outlook()) });
  });
});
