import type { LotFlagAlert } from '@tiersight/contracts';
import { wantsType } from './filters';
import { buildLotFlagPayload, lotFlagChangeId, matchesLotFlag, type LotFlagContext } from './lot-flag-alerts';
import { alertMessageId } from './signing';

const alert = (over: Partial<LotFlagAlert['flag']> = {}): LotFlagAlert => ({
  flag: {
    lotId: 'https://id.gs1.org/01/04012345111118/10/B1',
    cause: { kind: 'event', id: 'EV-1', eventType: 'flood', title: 'River flood', sensorId: null, ruleId: null, metric: null },
    siteId: 'S1',
    window: { from: '2024-05-01T00:00:00.000Z', to: null },
    observedAt: '2024-05-01T02:00:00.000Z',
    epcisEventHash: 'ni:///sha-256;aa?ver=CBV2.0',
    flaggedAt: '2024-05-02T00:00:00.000Z',
    ...over,
  },
  lot: { lotId: 'https://id.gs1.org/01/04012345111118/10/B1', kind: 'lgtin', gtin: '04012345111118', lot: 'B1', serial: null },
  recall: { skus: [{ skuId: 'SKU-1', name: 'Widget', gtin: '04012345123456', lotIds: ['L9'] }], lots: ['L9'], lotCount: 1, truncated: false },
});

const context: LotFlagContext = { skuIds: ['SKU-1'], categories: ['food'], eventTypes: ['flood'], countries: ['DE'] };

describe('lot.flagged alerts', () => {
  it('match a filter by the SKUs of the recall scope or their categories, the cause type and the site country', () => {
    expect(matchesLotFlag({}, context)).toBe(true);
    expect(matchesLotFlag({ skuIds: ['SKU-1'] }, context)).toBe(true);
    expect(matchesLotFlag({ skuIds: ['SKU-2'] }, context)).toBe(false);
    expect(matchesLotFlag({ skuIds: ['SKU-2'], categories: ['food'] }, context)).toBe(true);
    expect(matchesLotFlag({ categories: ['toys'] }, context)).toBe(false);
    expect(matchesLotFlag({ eventTypes: ['earthquake'] }, context)).toBe(false);
    expect(matchesLotFlag({ eventTypes: ['flood'], supplierCountries: ['FR'] }, context)).toBe(false);
    expect(matchesLotFlag({ supplierCountries: ['DE'] }, context)).toBe(true);
    // Exposure numbers say nothing about a lot.
    expect(matchesLotFlag({ minRevenueAtRisk: 1e12, minX: 1 }, context)).toBe(true);
    // A lot whose trace reaches no SKU matches no SKU filter.
    expect(matchesLotFlag({ skuIds: ['SKU-1'] }, { ...context, skuIds: [], categories: [] })).toBe(false);
  });

  it('are sent only to subscriptions that take the type', () => {
    expect(wantsType({}, 'lot.flagged')).toBe(true);
    expect(wantsType({ alertTypes: ['exposure.created'] }, 'lot.flagged')).toBe(false);
    expect(wantsType({ alertTypes: ['lot.flagged'] }, 'lot.flagged')).toBe(true);
  });

  it('have one id per (subscription, lot, cause)', () => {
    const a = alertMessageId('sub-1', lotFlagChangeId(alert()));
    expect(alertMessageId('sub-1', lotFlagChangeId(alert({ flaggedAt: '2030-01-01T00:00:00.000Z', siteId: 'S2' })))).toBe(a);
    expect(alertMessageId('sub-2', lotFlagChangeId(alert()))).not.toBe(a);
    expect(alertMessageId('sub-1', lotFlagChangeId(alert({ cause: { ...alert().flag.cause, id: 'EV-2' } })))).not.toBe(a);
    expect(alertMessageId('sub-1', lotFlagChangeId(alert({ lotId: 'other' })))).not.toBe(a);
  });

  it('carry the lot, the cause, the site, the window and the recall scope, with links', () => {
    const payload = buildLotFlagPayload({
      alert: alert(),
      occurredAt: new Date('2024-05-02T00:00:01Z'),
      event: { id: 'EV-1', type: 'flood', title: 'River flood', status: 'active' },
      skuNames: new Map([['SKU-1', { name: 'Widget', category: 'food' }]]),
      apiBaseUrl: 'https://api.example.com/',
    });
    expect(payload).toMatchObject({
      type: 'lot.flagged',
      timestamp: '2024-05-02T00:00:01.000Z',
      data: {
        lotId: 'https://id.gs1.org/01/04012345111118/10/B1',
        cause: { kind: 'event', id: 'EV-1' },
        siteId: 'S1',
        window: { from: '2024-05-01T00:00:00.000Z', to: null },
        recall: { skus: [{ skuId: 'SKU-1', category: 'food', lotIds: ['L9'] }], lotCount: 1 },
        links: {
          cause: 'https://api.example.com/v1/events/EV-1',
          skus: ['https://api.example.com/v1/exposures/SKU-1/flagged-lots'],
          trace: 'https://api.example.com/v1/trace/https%3A%2F%2Fid.gs1.org%2F01%2F04012345111118%2F10%2FB1?direction=forward',
        },
      },
    });
    const reading = buildLotFlagPayload({
      alert: alert({
        cause: {
          kind: 'reading',
          id: 'reading:temperature:too-warm',
          eventType: 'sensor',
          title: null,
          sensorId: null,
          ruleId: 'too-warm',
          metric: 'temperature',
        },
      }),
      occurredAt: new Date(),
      event: null,
      skuNames: new Map(),
      apiBaseUrl: '',
    });
    expect((reading.data.links as { cause: unknown }).cause).toBeNull();
  });
});
